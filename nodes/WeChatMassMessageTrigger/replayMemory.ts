// What the trigger remembers between requests so that a replayed request, or an event WeChat
// delivers again, starts the workflow once. Kept in a plain object (n8n's workflow static data,
// which n8n stores with the workflow so every process of a queue-mode setup reads it), and in this
// process too, where concurrent requests are checked without waiting for n8n to store the first.
// Bounded in size and age; keys are short hashes. No n8n here.
import { createHash } from 'crypto';

/** How long an accepted event is remembered: far longer than WeChat's retries (3 tries within about 15 s). */
export const EVENT_MEMORY_SECONDS = 24 * 3600;
/** At most this many entries of each kind; beyond it the oldest are forgotten. */
export const MAX_REMEMBERED = { nonces: 2000, events: 1000 } as const;
/** How long a nonce is remembered when Max Message Age is off (0). */
export const DEFAULT_NONCE_MEMORY_SECONDS = 300;

/** `key → the time (Unix seconds) it was seen`, as stored. */
type SeenAt = Record<string, number>;

export interface ReplayState {
	nonces?: SeenAt;
	events?: SeenAt;
}

type Kind = keyof typeof MAX_REMEMBERED;

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
	return createHash('sha256').update(text).digest('base64url').slice(0, 16);
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

	/** True when no memory has `key` within `seconds`; remembers it in all of them either way. */
	private firstTime(kind: Kind, text: string, seconds: number): boolean {
		const key = shortKey(text);
		let seen = false;
		for (const state of this.states) {
			const known = state[kind];
			const entries = known !== null && typeof known === 'object' ? Object.entries(known) : [];
			// Kept: entries within the window; an entry dated ahead (a corrupt store, a clock that ran fast) is dropped.
			const kept = entries.filter(([, seenAt]) => typeof seenAt === 'number' && seenAt <= this.nowSeconds && this.nowSeconds - seenAt <= seconds);
			const here = kept.some(([entry]) => entry === key);
			seen ||= here;
			if (here && kept.length === entries.length) continue;
			if (!here) kept.push([key, this.nowSeconds]);
			kept.sort(([, a], [, b]) => a - b);
			// Assigned anew (not changed in place) so that n8n notices the change and stores it.
			state[kind] = Object.fromEntries(kept.slice(-MAX_REMEMBERED[kind]));
		}
		return !seen;
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
