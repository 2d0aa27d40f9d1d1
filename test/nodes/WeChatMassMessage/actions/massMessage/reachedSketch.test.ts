// The sketch that lets a send tell who on today's list it has not reached yet, in a fixed size.
import { ReachedSketch, TRACEABLE_CHANGES, fingerprintOf } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/reachedSketch';
import { openId } from '../../fixtures';

const fingerprints = (from: number, count: number) => Array.from({ length: count }, (_, n) => fingerprintOf(openId(from + n)));

describe('ReachedSketch', () => {
	test.each([
		[0, 2],
		[1, 2],
		[40, 10_000],
		[TRACEABLE_CHANGES, 10_000],
		[TRACEABLE_CHANGES, 300_000],
	])('finds exactly the %i followers added and removed among %i', (changes, audience) => {
		const reached = fingerprints(0, audience);
		const removed = reached.slice(0, Math.min(audience, Math.floor(changes / 2)));
		const added = fingerprints(500_000, changes - removed.length);
		const today = [...reached.slice(removed.length), ...added];
		const difference = ReachedSketch.of(reached).difference(ReachedSketch.of(today));
		expect(difference).toBeDefined();
		expect(difference!.added.sort()).toEqual([...added].sort());
		expect(difference!.removed.sort()).toEqual([...removed].sort());
	});

	test('says it cannot tell when the lists differ by far more than it can trace, instead of guessing', () => {
		const difference = ReachedSketch.of(fingerprints(0, 5000)).difference(ReachedSketch.of(fingerprints(2000, 5000)));
		expect(difference).toBeUndefined();
	});

	test('is kept as its fingerprints while it holds up to 500 followers, then as the same 19 KB (25,600 characters) at any size', () => {
		const few = ReachedSketch.of(fingerprints(0, 3)).toStored();
		expect(few).toBe(`list:${fingerprints(0, 3).sort().join('')}`);
		const fiveHundred = ReachedSketch.of(fingerprints(0, 500)).toStored();
		expect(fiveHundred.length).toBe(5 + 16 * 500);
		const large = ReachedSketch.of(fingerprints(0, 100_000)).toStored();
		expect(large.length).toBe(25_600);
		expect(ReachedSketch.of(fingerprints(0, 501)).toStored().length).toBe(25_600);
		for (const [stored, count] of [
			[few, 3],
			[large, 100_000],
		] as const) {
			expect(ReachedSketch.fromStored(stored)!.difference(ReachedSketch.of(fingerprints(0, count)))).toEqual({ added: [], removed: [] });
		}
		expect(ReachedSketch.fromStored('not a sketch')).toBeUndefined();
		expect(ReachedSketch.fromStored('list:xyz')).toBeUndefined();
	});
});
