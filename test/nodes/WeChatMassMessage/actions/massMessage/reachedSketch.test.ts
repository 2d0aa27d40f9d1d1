// The sketch that lets a send tell who on today's list it has not reached yet, in a fixed size, and the
// split of a list into calls that depends on each follower alone (actions/massMessage/send.ts).
import { planCalls } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/send';
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

	test('is the same 19 KB (about 26 KB as stored text) for 2 followers and for 100,000, and survives being stored', () => {
		const small = ReachedSketch.of(fingerprints(0, 2)).toBase64();
		const large = ReachedSketch.of(fingerprints(0, 100_000)).toBase64();
		expect(small.length).toBe(large.length);
		expect(large.length).toBeLessThan(26_000);
		const restored = ReachedSketch.fromBase64(large)!;
		expect(restored.difference(ReachedSketch.of(fingerprints(0, 100_000)))).toEqual({ added: [], removed: [] });
		expect(ReachedSketch.fromBase64('not a sketch')).toBeUndefined();
	});
});

describe('planCalls', () => {
	test('one call up to 10,000; above, ceil(n / 9,000) calls, none over 10,000 or under 2', () => {
		expect(planCalls(fingerprints(0, 10_000).sort())).toHaveLength(1);
		for (const count of [10_001, 25_000, 100_000]) {
			const calls = planCalls(fingerprints(0, count).sort());
			expect(calls).toHaveLength(Math.ceil(count / 9000));
			expect(calls.every((call) => call.length <= 10_000 && call.length >= 2)).toBe(true);
			expect(calls.flat()).toEqual(fingerprints(0, count).sort());
		}
	});

	test('one follower more changes one call, not every call after it', () => {
		const before = planCalls(fingerprints(0, 30_000).sort());
		const after = planCalls([...fingerprints(0, 30_000), fingerprintOf('oAAAAAAAAAAAAAAAAAAAAAAAAAAA')].sort());
		const unchanged = after.filter((call) => before.some((old) => old.join() === call.join()));
		expect(unchanged).toHaveLength(before.length - 1);
	});
});
