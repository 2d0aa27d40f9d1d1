// The trigger's memory of requests and events, alone: what it keeps, for how long, and what it forgets.
import { MAX_REMEMBERED, ReplayMemory, type ReplayState } from '../../../nodes/WeChatMassMessageTrigger/replayMemory';

describe('ReplayMemory', () => {
	test('a request is new once within its window, and new again after it', () => {
		const stored: ReplayState = {};
		expect(new ReplayMemory(stored, {}, 1000).isNewRequest('990', 'n1', 601)).toBe(true);
		expect(new ReplayMemory(stored, {}, 1601).isNewRequest('990', 'n1', 601)).toBe(false);
		expect(new ReplayMemory(stored, {}, 1602).isNewRequest('990', 'n1', 601)).toBe(true);
	});

	test('what one process saw is known before n8n has stored it, and what n8n stored is known to every process', () => {
		const stored: ReplayState = {};
		const processA: ReplayState = {};
		const processB: ReplayState = {};
		expect(new ReplayMemory({}, processA, 1000).isNewEvent('MASSSENDJOBFINISH:1')).toBe(true);
		// The same process, before the first request's static data was stored.
		expect(new ReplayMemory({}, processA, 1001).isNewEvent('MASSSENDJOBFINISH:1')).toBe(false);
		expect(new ReplayMemory(stored, processB, 1002).isNewEvent('MASSSENDJOBFINISH:2')).toBe(true);
		expect(new ReplayMemory(stored, {}, 1003).isNewEvent('MASSSENDJOBFINISH:2')).toBe(false);
	});

	test('entries dated ahead (a corrupt store, a clock that ran fast) and values of the wrong kind are dropped, not kept forever', () => {
		const stored = { nonces: { ahead: 99_999, broken: 'x' as unknown as number }, events: 'not an object' as unknown as Record<string, number> };
		const memory = new ReplayMemory(stored, {}, 1000);
		expect(memory.isNewRequest('1000', 'n', 600)).toBe(true);
		expect(memory.isNewEvent('e')).toBe(true);
		expect(Object.keys(stored.nonces)).toHaveLength(1);
		expect(Object.keys(stored.events)).toHaveLength(1);
	});

	test('keys are short hashes, whatever the event carries; at most the bound is kept, the oldest forgotten first', () => {
		const stored: ReplayState = {};
		for (let n = 0; n <= MAX_REMEMBERED.events; n++) new ReplayMemory(stored, {}, 1000 + n).isNewEvent(`MASSSENDJOBFINISH:${'9'.repeat(10_000)}${n}`);
		expect(Object.keys(stored.events!)).toHaveLength(MAX_REMEMBERED.events);
		expect(Object.keys(stored.events!).every((key) => key.length === 16)).toBe(true);
		expect(new ReplayMemory(stored, {}, 3000).isNewEvent(`MASSSENDJOBFINISH:${'9'.repeat(10_000)}0`)).toBe(true);
		expect(new ReplayMemory(stored, {}, 3001).isNewEvent(`MASSSENDJOBFINISH:${'9'.repeat(10_000)}${MAX_REMEMBERED.events}`)).toBe(false);
	});

	test('at most 2,000 requests are kept, the oldest forgotten first', () => {
		const stored: ReplayState = {};
		for (let n = 0; n <= MAX_REMEMBERED.nonces; n++) new ReplayMemory(stored, {}, 1000).isNewRequest('1000', `n${n}`, 600);
		expect(MAX_REMEMBERED.nonces).toBe(2000);
		expect(Object.keys(stored.nonces!)).toHaveLength(2000);
		expect(new ReplayMemory(stored, {}, 1000).isNewRequest('1000', `n${MAX_REMEMBERED.nonces}`, 600)).toBe(false);
	});

	test('a replay that changes nothing leaves the stored object as it was (n8n writes nothing)', () => {
		const stored: ReplayState = {};
		new ReplayMemory(stored, {}, 1000).isNewRequest('1000', 'n', 600);
		const before = stored.nonces;
		new ReplayMemory(stored, {}, 1001).isNewRequest('1000', 'n', 600);
		expect(stored.nonces).toBe(before);
	});
});
