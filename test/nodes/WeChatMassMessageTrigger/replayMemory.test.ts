// The trigger's memory of requests and events, alone: what it keeps, for how long, what it forgets,
// and what n8n has to store of it.
import { createHash } from 'node:crypto';

import { type IDataObject, type IObservableObject, ObservableObject } from 'n8n-workflow';

import {
	EVENT_MEMORY_SECONDS,
	GENERATION_SIZE,
	KEY_LENGTH,
	ReplayMemory,
	type ReplayState,
} from '../../../nodes/WeChatMassMessageTrigger/replayMemory';

/** The nonce window at the default Max Message Age (300 s): twice that, plus one. */
const WINDOW = 601;

/** What n8n stores of this state: it writes the static data as JSON. */
const storedChars = (state: ReplayState) => JSON.stringify(state).length;

/** The keys a state holds of a kind, over its generations. */
function keysHeld(state: ReplayState, field: 'nonceGenerations' | 'eventGenerations'): string[] {
	const generations = state[field];
	return [generations?.current, generations?.previous].flatMap((generation) => Object.keys(generation?.seen ?? {}));
}

/** How version 0.1 keyed its entries: the first 16 characters of the base64url SHA-256 of `timestamp:nonce` or the event key. */
const version01Key = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

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

	test('a key seen just before its generation ends by time is known for its whole window, across the new generation', () => {
		const stored: ReplayState = {};
		const at = (now: number) => new ReplayMemory(stored, {}, now);
		expect(at(1000).isNewRequest('1000', 'first', WINDOW)).toBe(true);
		// The last second of the generation that began at 1000.
		expect(at(1000 + WINDOW - 1).isNewRequest('1600', 'late', WINDOW)).toBe(true);
		expect(stored.nonceGenerations?.previous).toBeUndefined();
		// The next key after the window has passed starts a generation; the one that began at 1000 becomes the previous one.
		expect(at(1000 + WINDOW).isNewRequest('1601', 'next', WINDOW)).toBe(true);
		expect(stored.nonceGenerations?.current.since).toBe(1000);
		expect(at(1000 + WINDOW + 1).isNewRequest('1602', 'after', WINDOW)).toBe(true);
		expect(stored.nonceGenerations?.current.since).toBe(1000 + WINDOW + 1);
		expect(at(1600 + WINDOW).isNewRequest('1600', 'late', WINDOW)).toBe(false);
		expect(at(1600 + WINDOW + 1).isNewRequest('1600', 'late', WINDOW)).toBe(true);
	});

	test('a key is known for its whole window even when the generation after its own ends by time: the last key of a full generation', () => {
		const stored: ReplayState = {};
		const at = (now: number) => new ReplayMemory(stored, {}, now);
		for (let n = 0; n < GENERATION_SIZE.nonces - 1; n++) expect(at(1000).isNewRequest('1000', `a${n}`, WINDOW)).toBe(true);
		expect(at(1000).isNewRequest('1000', 'edge', WINDOW)).toBe(true);
		// Full: the next key, in the same second, begins the next generation.
		expect(at(1000).isNewRequest('1000', 'next', WINDOW)).toBe(true);
		expect(stored.nonceGenerations?.previous?.size).toBe(GENERATION_SIZE.nonces);
		// A window later, 'edge' is still within it (seen WINDOW seconds ago), whatever else arrives first.
		expect(at(1000 + WINDOW).isNewRequest('1601', 'later', WINDOW)).toBe(true);
		expect(at(1000 + WINDOW).isNewRequest('1000', 'edge', WINDOW)).toBe(false);
		expect(at(1000 + WINDOW + 1).isNewRequest('1601', 'later2', WINDOW)).toBe(true);
		expect(at(1000 + WINDOW + 1).isNewRequest('1000', 'edge', WINDOW)).toBe(true);
	});

	test(`a generation holds ${GENERATION_SIZE.nonces} requests: a key seen just before it is full is known one generation later, forgotten two later`, () => {
		const stored: ReplayState = {};
		const memory = () => new ReplayMemory(stored, {}, 1000);
		const fill = (prefix: string, count: number) => {
			for (let n = 0; n < count; n++) expect(memory().isNewRequest('1000', `${prefix}${n}`, WINDOW)).toBe(true);
		};
		fill('a', GENERATION_SIZE.nonces - 1);
		expect(memory().isNewRequest('1000', 'last', WINDOW)).toBe(true);
		expect(keysHeld(stored, 'nonceGenerations')).toHaveLength(GENERATION_SIZE.nonces);
		fill('b', GENERATION_SIZE.nonces);
		expect(memory().isNewRequest('1000', 'last', WINDOW)).toBe(false);
		expect(keysHeld(stored, 'nonceGenerations')).toHaveLength(2 * GENERATION_SIZE.nonces);
		fill('c', 1);
		expect(keysHeld(stored, 'nonceGenerations')).toHaveLength(GENERATION_SIZE.nonces + 1);
		expect(memory().isNewRequest('1000', 'last', WINDOW)).toBe(true);
	});

	test.each([
		['requests', 'nonceGenerations', GENERATION_SIZE.nonces, (memory: ReplayMemory, n: number) => memory.isNewRequest('1000', `n${n}`, WINDOW)],
		['events', 'eventGenerations', GENERATION_SIZE.events, (memory: ReplayMemory, n: number) => memory.isNewEvent(`MASSSENDJOBFINISH:${n}`)],
	] as const)('of %s, at most twice a generation is held, and at least the latest generation\'s worth is known', (_, field, size, isNew) => {
		const stored: ReplayState = {};
		const local: ReplayState = {};
		const count = 10 * size + 7;
		let refused = 0;
		let mostHeld = 0;
		for (let n = 0; n < count; n++) {
			if (!isNew(new ReplayMemory(stored, local, 1000), n)) refused++;
			mostHeld = Math.max(mostHeld, keysHeld(stored, field).length, keysHeld(local, field).length);
		}
		expect(refused).toBe(0);
		expect(mostHeld).toBe(2 * size);
		for (let n = count - size; n < count; n++) expect(isNew(new ReplayMemory(stored, {}, 1000), n)).toBe(false);
		expect(isNew(new ReplayMemory(stored, {}, 1000), count - 2 * size - 1)).toBe(true);
	});

	test('keys are short hashes, whatever the event carries', () => {
		const stored: ReplayState = {};
		for (let n = 0; n < 5; n++) new ReplayMemory(stored, {}, 1000 + n).isNewEvent(`MASSSENDJOBFINISH:${'9'.repeat(10_000)}${n}`);
		expect(keysHeld(stored, 'eventGenerations')).toHaveLength(5);
		expect(keysHeld(stored, 'eventGenerations').every((key) => key.length === KEY_LENGTH)).toBe(true);
		expect(storedChars(stored)).toBeLessThan(250);
	});

	test('a flood of 100,000 distinct requests, each with its event, keeps what n8n stores under 27,000 characters, the latest known', () => {
		const stored: ReplayState = {};
		const local: ReplayState = {};
		// 100 requests a second for 1,000 s: generations end by size and by time.
		const nowOf = (n: number) => 1000 + Math.floor(n / 100);
		let refused = 0;
		let largest = 0;
		for (let n = 0; n < 100_000; n++) {
			const memory = new ReplayMemory(stored, local, nowOf(n));
			if (!memory.isNewRequest(String(nowOf(n)), `n${n}`, WINDOW)) refused++;
			if (!memory.isNewEvent(`MASSSENDJOBFINISH:${3_000_000_000 + n}`)) refused++;
			// Measured often, and whenever a generation is about to end (both full: the most it holds).
			if (n % 200 === 0 || stored.nonceGenerations?.current.size === GENERATION_SIZE.nonces || stored.eventGenerations?.current.size === GENERATION_SIZE.events) {
				largest = Math.max(largest, storedChars(stored), storedChars(local));
			}
		}
		expect(refused).toBe(0);
		expect(largest).toBeGreaterThan(20_000);
		expect(largest).toBeLessThan(27_000);
		const end = nowOf(99_999);
		for (let n = 100_000 - GENERATION_SIZE.events; n < 100_000; n++) {
			const memory = new ReplayMemory(stored, {}, end);
			expect(memory.isNewRequest(String(nowOf(n)), `n${n}`, WINDOW)).toBe(false);
			expect(memory.isNewEvent(`MASSSENDJOBFINISH:${3_000_000_000 + n}`)).toBe(false);
		}
	});

	test('an entry dated ahead of now (a clock that ran fast, here or in another process) counts as seen', () => {
		const stored: ReplayState = {};
		// Another process, its clock 30 s ahead, stored the request and the event.
		new ReplayMemory(stored, {}, 1030).isNewRequest('1000', 'n', WINDOW);
		new ReplayMemory(stored, {}, 1030).isNewEvent('MASSSENDJOBFINISH:1');
		const memory = new ReplayMemory(stored, {}, 1000);
		expect(memory.isNewRequest('1000', 'n', WINDOW)).toBe(false);
		expect(memory.isNewEvent('MASSSENDJOBFINISH:1')).toBe(false);
		// And keys this process adds meanwhile are dated by its own clock.
		expect(memory.isNewRequest('1000', 'm', WINDOW)).toBe(true);
		expect(new ReplayMemory(stored, {}, 1000 + WINDOW).isNewRequest('1000', 'm', WINDOW)).toBe(false);
	});

	test('a clock that ran fast and is set back drops nothing still within its window: a request seen just before is still refused', () => {
		const stored: ReplayState = {};
		const at = (now: number) => new ReplayMemory(stored, {}, now);
		expect(at(1000).isNewRequest('1000', 'k', WINDOW)).toBe(true);
		// The clock runs ahead by more than the window: the generation holding k becomes the previous one.
		expect(at(1000 + WINDOW + 5).isNewRequest('1605', 'fast', WINDOW)).toBe(true);
		// Set back: the generation begun while it ran fast goes on, and the one holding k is kept.
		expect(at(1001).isNewRequest('1001', 'x', WINDOW)).toBe(true);
		expect(at(1001).isNewRequest('1000', 'k', WINDOW)).toBe(false);
	});

	test('a generation dated far ahead (a corrupt store) ends when full, and is forgotten one generation later, not kept forever', () => {
		const stored: ReplayState = {};
		new ReplayMemory(stored, {}, 99_999).isNewRequest('1000', 'ahead', WINDOW);
		const at = (now: number) => new ReplayMemory(stored, {}, now);
		expect(at(1000).isNewRequest('1000', 'ahead', WINDOW)).toBe(false);
		for (let n = 0; n < 2 * GENERATION_SIZE.nonces; n++) expect(at(1000).isNewRequest('1000', `fill-${n}`, WINDOW)).toBe(true);
		expect(stored.nonceGenerations?.current.since).toBe(1000);
		expect(stored.nonceGenerations?.previous?.since).toBe(1000);
		expect(at(1000).isNewRequest('1000', 'ahead', WINDOW)).toBe(true);
	});

	test('what version 0.1 stored ({nonces, events}: key → seconds) is still known after the upgrade, and stored in the new form', () => {
		const stored = {
			nonces: { [version01Key('990:n1')]: 990, [version01Key('1000:ahead')]: 1020, [version01Key('100:old')]: 100, broken: 'x' },
			events: { [version01Key('MASSSENDJOBFINISH:1')]: 990, [version01Key('MASSSENDJOBFINISH:0')]: 1000 - EVENT_MEMORY_SECONDS - 1 },
		} as unknown as ReplayState;
		const memory = new ReplayMemory(stored, {}, 1000);
		expect(memory.isNewRequest('990', 'n1', WINDOW)).toBe(false);
		expect(memory.isNewRequest('1000', 'ahead', WINDOW)).toBe(false);
		expect(memory.isNewEvent('MASSSENDJOBFINISH:1')).toBe(false);
		// Entries older than their window were forgotten by 0.1 too.
		expect(memory.isNewRequest('100', 'old', WINDOW)).toBe(true);
		expect(memory.isNewEvent('MASSSENDJOBFINISH:0')).toBe(true);
		expect(Object.keys(stored).sort()).toEqual(['eventGenerations', 'nonceGenerations']);
		// Remembered for the window from when 0.1 saw it.
		expect(new ReplayMemory(stored, {}, 990 + WINDOW).isNewRequest('990', 'n1', WINDOW)).toBe(false);
		expect(new ReplayMemory(stored, {}, 991 + WINDOW).isNewRequest('990', 'n1', WINDOW)).toBe(true);
	});

	test('a 0.1 copy written next to the new form (an older process during the upgrade) is merged into it', () => {
		const stored: ReplayState = {};
		new ReplayMemory(stored, {}, 1000).isNewEvent('MASSSENDJOBFINISH:new');
		stored.events = { [version01Key('MASSSENDJOBFINISH:old')]: 1001 };
		const memory = new ReplayMemory(stored, {}, 1002);
		expect(memory.isNewEvent('MASSSENDJOBFINISH:old')).toBe(false);
		expect(memory.isNewEvent('MASSSENDJOBFINISH:new')).toBe(false);
		expect(stored.events).toBeUndefined();
		expect(keysHeld(stored, 'eventGenerations')).toHaveLength(2);
	});

	test('values of the wrong kind are replaced, never thrown on', () => {
		const stored = {
			nonceGenerations: 'not generations',
			eventGenerations: { current: { since: 'x', size: 1, seen: {} }, previous: { since: 1000, size: -1, seen: {} } },
			nonces: 5,
		} as unknown as ReplayState;
		const memory = new ReplayMemory(stored, {}, 1000);
		expect(memory.isNewRequest('1000', 'n', WINDOW)).toBe(true);
		expect(memory.isNewEvent('e')).toBe(true);
		expect(Object.keys(stored).sort()).toEqual(['eventGenerations', 'nonceGenerations']);
		for (const field of ['nonceGenerations', 'eventGenerations'] as const) {
			expect(stored[field]).toEqual({ current: { since: 1000, size: 1, seen: { [keysHeld(stored, field)[0]]: 0 } } });
		}
		expect(new ReplayMemory(stored, {}, 1001).isNewRequest('1000', 'n', WINDOW)).toBe(false);
	});

	describe('with the static data as n8n holds it (an object that notes changes, written whole when changed)', () => {
		/** The node's static data as n8n's Workflow gives it, loaded from `json`. */
		function loaded(json: string): { workflowData: IObservableObject; node: ReplayState } {
			const workflowData = ObservableObject.create(JSON.parse(json) as IDataObject, undefined, { ignoreEmptyOnFirstChild: true }) as IObservableObject;
			if (workflowData['node:Trigger'] === undefined) workflowData['node:Trigger'] = ObservableObject.create({}, workflowData);
			return { workflowData, node: workflowData['node:Trigger'] as ReplayState };
		}

		test.each([
			['kept in memory between requests', false],
			['loaded for each request', true],
		])('%s: every new request is noted as a change, a replay is not', (_, reload) => {
			let json = '{}';
			let { workflowData, node } = loaded(json);
			const send = (nonce: string, now: number) => {
				if (reload) ({ workflowData, node } = loaded(json));
				workflowData.__dataChanged = false;
				const isNew = new ReplayMemory(node, {}, now).isNewRequest('1000', nonce, WINDOW);
				// Read anew: the memory sets it through n8n's proxy.
				const changed = (workflowData.__dataChanged as boolean) === true;
				if (changed) json = JSON.stringify(workflowData);
				return { isNew, changed };
			};
			expect(send('a', 1000)).toEqual({ isNew: true, changed: true });
			// Added to a generation made by this process (kept in memory) or loaded (reloaded): noted either way.
			expect(send('b', 1001)).toEqual({ isNew: true, changed: true });
			expect(send('a', 1002)).toEqual({ isNew: false, changed: false });
			expect(send('c', 1000 + WINDOW + 1)).toEqual({ isNew: true, changed: true });
			expect(send('b', 1000 + WINDOW + 1)).toEqual({ isNew: false, changed: false });
			expect(json).toContain('"previous"');
			expect(keysHeld(JSON.parse(json)['node:Trigger'] as ReplayState, 'nonceGenerations')).toHaveLength(3);
		});
	});
});
