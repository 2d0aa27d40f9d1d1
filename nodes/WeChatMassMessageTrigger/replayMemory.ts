// What the trigger remembers between requests so that a replayed request, or an event WeChat
// delivers again, starts the workflow once. Kept in a plain object (n8n's workflow static data,
// which n8n stores with the workflow so every process of a queue-mode setup reads it), and in this
// process too, where concurrent requests are checked without waiting for n8n to store the first.
// No n8n here.
//
// Each kind (request nonces, accepted events) is kept in two generations, the current one and the
// one before it: a key is looked up in both and added to the current one, and a new generation
// starts when the current one is full or older than the memory's window, dropping the oldest. A
// request so costs a few lookups and one added key, and what n8n stores (the whole object, whenever
// it changed) is at most two generations of short keys.
import { createHash } from 'crypto';

/** How long an accepted event is remembered: far longer than WeChat's retries (3 tries within about 15 s). */
export const EVENT_MEMORY_SECONDS = 24 * 3600;
/** How long a nonce is remembered when Max Message Age is off (0). */
export const DEFAULT_NONCE_MEMORY_SECONDS = 300;
/**
 * Keys a generation takes before the next one starts. Of each kind, at least the latest this many
 * (within their window) are remembered, and at most twice this many are stored.
 */
export const GENERATION_SIZE = { nonces: 500, events: 250 } as const;
/** Characters of a key: the first 60 bits of a SHA-256, in base64url. */
export const KEY_LENGTH = 10;

type Kind = keyof typeof GENERATION_SIZE;

/** Keys seen from `since` (Unix seconds) on. */
export interface Generation {
	since: number;
	/** How many keys `seen` has, counted as they are added so that no request counts them. */
	size: number;
	/** key → seconds after `since` it was seen (below 0 when a clock went back). */
	seen: Record<string, number>;
}

export interface Generations {
	current: Generation;
	previous?: Generation;
}

export interface ReplayState {
	nonceGenerations?: Generations;
	eventGenerations?: Generations;
	/** As the package before 1.0.0 (0.1) stored them: a 16-character key → the Unix seconds it was seen. Read once into the generations, then removed. */
	nonces?: Record<string, number>;
	events?: Record<string, number>;
}

const GENERATIONS_FIELD = { nonces: 'nonceGenerations', events: 'eventGenerations' } as const satisfies Record<Kind, keyof ReplayState>;

/** Process-wide copies, by workflow and node: a second request that arrives before n8n stored the first. */
const inThisProcess = new Map<string, ReplayState>();

export function processReplayState(scope: string): ReplayState {
	let state = inThisProcess.get(scope);
	if (!state) {
		state = {};
		inThisProcess.set(scope, state);
	}
	return state;
}

function shortKey(text: string): string {
	return createHash('sha256').update(text).digest('base64url').slice(0, KEY_LENGTH);
}

function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A generation as stored, or undefined when it is not one (a corrupt store): without a date its keys cannot be placed in time. */
function asGeneration(value: unknown): Generation | undefined {
	if (!isRecord(value) || !isRecord(value.seen)) return undefined;
	if (typeof value.since !== 'number' || !Number.isFinite(value.since)) return undefined;
	if (typeof value.size !== 'number' || !Number.isInteger(value.size) || value.size < 0) return undefined;
	return value as unknown as Generation;
}

function newGeneration(nowSeconds: number): Generation {
	return { since: nowSeconds, size: 0, seen: {} };
}

/** The generations of `kind` in `state` as they are usable: either may be missing. */
type Held = { current?: Generation; previous?: Generation };

function held(state: ReplayState, kind: Kind): Held {
	const stored: unknown = state[GENERATIONS_FIELD[kind]];
	if (!isRecord(stored)) return {};
	return { current: asGeneration(stored.current), previous: asGeneration(stored.previous) };
}

function withinWindow(generation: Generation | undefined, key: string, nowSeconds: number, seconds: number): boolean {
	if (generation === undefined || !hasOwn(generation.seen, key)) return false;
	const offset = generation.seen[key];
	const seenAt = generation.since + (typeof offset === 'number' && Number.isFinite(offset) ? offset : 0);
	// Dated ahead of now (a clock that ran fast, here or in the process that stored it) counts as
	// seen: forgetting it could start a replay. Generations end, so such a key is not kept forever.
	return nowSeconds - seenAt <= seconds;
}

/** Adds `key` seen at `seenAt` to `generation`. */
function add(generation: Generation, key: string, seenAt: number): void {
	if (!hasOwn(generation.seen, key)) generation.size++;
	generation.seen[key] = seenAt - generation.since;
}

/**
 * Entries stored by the package before 1.0.0 (0.1), within the window,
 * added to the current generation (its keys were the first 16 characters of the same hash). This
 * happens once: the old entries are then removed.
 */
function readOlderForm(state: ReplayState, kind: Kind, memory: Held, nowSeconds: number, seconds: number): Held {
	const old: unknown = state[kind];
	delete state[kind];
	const current = memory.current ?? newGeneration(nowSeconds);
	if (isRecord(old)) {
		for (const [oldKey, seenAt] of Object.entries(old)) {
			if (typeof seenAt === 'number' && Number.isFinite(seenAt) && nowSeconds - seenAt <= seconds) add(current, oldKey.slice(0, KEY_LENGTH), seenAt);
		}
	}
	return { current, previous: memory.previous };
}

/**
 * Whether the current generation has ended: full, or older than the window. Older, not as old: the
 * generation before it, dropped now, may hold a key seen the second this one began, which stays within
 * its window (`seconds` inclusive) until this one is older than it. A generation dated ahead (begun
 * while a clock ran fast) does not end when the clock is set back, which would drop the generation
 * before it with keys still within their window: it ends when full.
 */
function hasEnded(generation: Generation, kind: Kind, nowSeconds: number, seconds: number): boolean {
	return generation.size >= GENERATION_SIZE[kind] || nowSeconds - generation.since > seconds;
}

export class ReplayMemory {
	private readonly states: ReplayState[];

	/** `stored`: n8n's static data; `local`: this process's copy (processReplayState). */
	constructor(
		stored: ReplayState,
		local: ReplayState,
		private readonly nowSeconds: number,
	) {
		this.states = [stored, local];
	}

	/** True when no memory has `key` within `seconds`; remembers it in each memory that did not have it. */
	private firstTime(kind: Kind, text: string, seconds: number): boolean {
		const key = shortKey(text);
		const now = this.nowSeconds;
		let seen = false;
		for (const state of this.states) {
			let memory = held(state, kind);
			const hadOlderForm = state[kind] !== undefined;
			if (hadOlderForm) memory = readOlderForm(state, kind, memory, now, seconds);
			if (withinWindow(memory.current, key, now, seconds) || withinWindow(memory.previous, key, now, seconds)) {
				seen = true;
				if (hadOlderForm) this.keep(state, kind, memory);
				continue;
			}
			let { current, previous } = memory;
			if (current === undefined || hasEnded(current, kind, now, seconds)) {
				// The generation that ended may hold keys still within their window: it becomes the
				// previous one, and only the one before it is dropped.
				previous = current ?? previous;
				current = newGeneration(now);
			}
			add(current, key, now);
			this.keep(state, kind, { current, previous });
		}
		return !seen;
	}

	/**
	 * Assigned to the state itself (a new small object each time) so that n8n notices the change:
	 * it watches only the objects it loaded or created, and a generation made in this process after
	 * n8n loaded the static data would change unnoticed.
	 */
	private keep(state: ReplayState, kind: Kind, memory: Held): void {
		if (memory.current === undefined) return;
		state[GENERATIONS_FIELD[kind]] = memory.previous === undefined ? { current: memory.current } : { current: memory.current, previous: memory.previous };
	}

	/** A signed request (its timestamp and nonce) not seen within `seconds`. */
	isNewRequest(timestamp: string, nonce: string, seconds: number): boolean {
		return this.firstTime('nonces', `${timestamp}:${nonce}`, seconds);
	}

	/** An event not accepted within EVENT_MEMORY_SECONDS. */
	isNewEvent(eventKey: string): boolean {
		return this.firstTime('events', eventKey, EVENT_MEMORY_SECONDS);
	}
}
