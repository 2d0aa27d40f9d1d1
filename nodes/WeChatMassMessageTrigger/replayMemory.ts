// What the trigger remembers between requests so that a replayed request, or an event WeChat
// delivers again, starts the workflow once. Kept in a plain object (n8n's workflow static data,
// which n8n stores with the workflow so every process of a queue-mode setup reads it); bounded in
// size and age. No n8n here.

/** How long an accepted event is remembered: far longer than WeChat's retries (3 tries within about 15 s). */
export const EVENT_MEMORY_SECONDS = 24 * 3600;
/** At most this many entries of each kind; the oldest go first. */
export const MAX_REMEMBERED = 500;
/** How long a nonce is remembered when Max Message Age is off (0). */
export const DEFAULT_NONCE_MEMORY_SECONDS = 300;

/** `key → the time (Unix seconds) it was seen`, as stored. */
type SeenAt = Record<string, number>;

export interface ReplayState {
	nonces?: SeenAt;
	events?: SeenAt;
}

export class ReplayMemory {
	constructor(
		private readonly state: ReplayState,
		private readonly nowSeconds: number,
	) {}

	/** True the first time `key` is offered within `seconds`; remembers it either way. */
	private firstTime(kind: 'nonces' | 'events', key: string, seconds: number): boolean {
		const kept = Object.entries(this.state[kind] ?? {})
			.filter(([, seenAt]) => typeof seenAt === 'number' && this.nowSeconds - seenAt < seconds)
			.sort(([, a], [, b]) => a - b);
		const seen = kept.some(([known]) => known === key);
		if (!seen) kept.push([key, this.nowSeconds]);
		// Assigned anew (not changed in place) so that n8n notices the change and stores it.
		this.state[kind] = Object.fromEntries(kept.slice(-MAX_REMEMBERED));
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
