// What the node remembers of its sends, in the two places n8n offers a node:
// - n8n's deduplication store (`helpers.checkProcessedAndRecord`, n8n 1.64 and later): written to n8n's
//   database during the call and seen by every execution, manual ones and queue-mode workers too. It
//   only answers "was this string recorded before?" (it keeps MD5 hashes), and it reads a node's
//   entries and writes them back two database round trips apart, with no lock: two executions recording
//   at the same moment can both be told "new", and one's entries can be lost. Before each attempt of a
//   call the node records there the call's clientmsgid and the digest of its message and recipients;
//   when WeChat answers a repeat (45065), that tells whether what WeChat accepted went to exactly this
//   call's recipients. A send is not made when the store cannot be written.
// - The workflow's static data (this node's part): every call of a send (its place, its outcome,
//   `msg_id`) and a sketch of the followers its accepted calls reached, which tells who on a later list
//   was added since. n8n saves it after an execution that is not manual ends (failed ones too), the
//   whole of it, so a manual run keeps none, two overlapping executions keep the last one's copy, and a
//   queue-mode worker starts from the copy as it was when the execution was queued. Missing or old, it
//   only makes a run report followers it cannot place: every call it plans collides at WeChat with what
//   another run made at that place.
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EventLoopPacer } from '../../helpers/eventLoop';
import { type Fingerprint, ReachedSketch } from './reachedSketch';

/**
 * WeChat keeps a clientmsgid for 24 hours: a send is forgotten 24 hours after its last call, when
 * WeChat's window for every one of its calls has closed.
 */
const DAY_MS = 24 * 3600 * 1000;
const KEPT_FOR_MS = DAY_MS;

/**
 * The deduplication store keeps the newest entries of this node: a call records three (four when
 * attempts differ), so this holds the calls of the last few thousand sends, far more than a day's.
 */
const LEDGER_ENTRIES = 10000;

/** One call of a send: accepted, unconfirmed (it may have gone out), refused, or made by a run that did not say to whom. */
export interface RememberedCall {
	/** Its place in the send: 1, 2, ... in the order the calls were made. */
	ordinal: number;
	clientmsgid: string;
	status: 'accepted' | 'unconfirmed' | 'refused' | 'recipientsUnknown';
	/** The n8n execution that made it ('' when another run did): a repeat within that execution (Retry On Fail) is its own send. */
	executionId: string;
	at: number;
	msg_id?: number;
	msg_data_id?: number;
	recipients?: number;
	/** Accepted OpenID calls: the span of fingerprints in which every follower on the list then, not reached before, was in this call. */
	range?: [Fingerprint, Fingerprint];
	/** Unconfirmed OpenID calls: whom the attempts went to, so that a later run can make the call again to exactly them. */
	members?: Fingerprint[];
}

/** Everything one send (one message under one key, see send.ts) has done. */
export interface RememberedSend {
	key: string;
	/** When its last call was recorded: the send is forgotten 24 hours later. */
	updatedAt: number;
	/** OpenID sends: a ReachedSketch (as stored) of the followers the accepted calls reached. */
	sketch?: string;
	calls: RememberedCall[];
}

interface NodeMemory {
	sends?: Record<string, RememberedSend>;
}

/** Today's list (sorted fingerprints) as the memory sees it, each part sorted. */
export interface ListAgainstMemory {
	/** In the span of an accepted call, and in the sketch of those reached. */
	reached: Fingerprint[];
	/** In the span of an accepted call, but too many changes since to tell whether they were in it. */
	cannotTell: Fingerprint[];
	/** Not reached by any accepted call: outside their spans, or added since. */
	unreached: Fingerprint[];
}

/**
 * What the deduplication store says of the attempts under one clientmsgid before this one: `none`,
 * `alike` (one to the same message and recipients), or `unlike` (one to others).
 */
export type EarlierAttempts = 'none' | 'alike' | 'unlike';

const MEMORY_FIELD = 'massSends';

/** What a call is recorded by in the deduplication store: its message and its recipients (sorted OpenID fingerprints, or a Send to Tag or All filter). */
export function callDigest(message: string, recipients: Fingerprint[] | string): string {
	const hash = createHash('sha256').update(message).update('\u0000');
	if (typeof recipients === 'string') hash.update(recipients);
	else for (const fingerprint of recipients) hash.update(fingerprint);
	return hash.digest('base64url').slice(0, 22);
}

export class SendMemory {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly memory: NodeMemory,
		readonly executionId: string,
		/** The send's key with its message: what the static data keeps a send under. */
		private readonly key: string,
		/** The send's key alone: what the deduplication store's marks of the send are made of. */
		private readonly sendKey: string,
	) {}

	/** The memory of the send with this key and message. */
	static of(ctx: IExecuteFunctions, key: string, message: string): SendMemory {
		const staticData = ctx.getWorkflowStaticData('node');
		if (typeof staticData[MEMORY_FIELD] !== 'object' || staticData[MEMORY_FIELD] === null) staticData[MEMORY_FIELD] = {};
		const memory = staticData[MEMORY_FIELD] as IDataObject as NodeMemory;
		const messageKey = `${key}|${createHash('sha256').update(message).digest('base64url').slice(0, 16)}`;
		// The node's version 0.1 kept a send under its key alone, and its calls had no places: they keep
		// their clientmsgid, span and recipients, and take places below 1, which no new call uses.
		const legacy = memory.sends?.[key];
		if (memory.sends?.[messageKey] === undefined && legacy !== undefined && Array.isArray(legacy.calls)) {
			let unplaced = 0;
			for (const call of legacy.calls) if (typeof call.ordinal !== 'number') call.ordinal = --unplaced;
			memory.sends![messageKey] = { ...legacy, key: messageKey };
			delete memory.sends![key];
		}
		return new SendMemory(ctx, memory, String(ctx.getExecutionId?.() ?? ''), messageKey, key);
	}

	private get send(): RememberedSend | undefined {
		const send = this.memory.sends?.[this.key];
		if (send === undefined || !Array.isArray(send.calls) || !(Date.now() - send.updatedAt <= KEPT_FOR_MS)) return undefined;
		return send;
	}

	get calls(): RememberedCall[] {
		return this.send?.calls ?? [];
	}

	/** The place of the send's next new call. */
	nextOrdinal(): number {
		return this.calls.reduce((highest, call) => Math.max(highest, call.ordinal), 0) + 1;
	}

	isThisExecutions(call: RememberedCall | undefined): boolean {
		return call !== undefined && this.executionId !== '' && call.executionId === this.executionId;
	}

	/**
	 * Who of `sorted` (today's list, sorted fingerprints) the accepted calls reached: a follower in the
	 * span of an accepted call was on the list then, and so reached, unless the sketch of everyone
	 * reached, minus the sketch of those on today's list in those spans, names them as added since.
	 * Paced: a million followers take seconds.
	 */
	async compare(sorted: Fingerprint[], pacer: EventLoopPacer): Promise<ListAgainstMemory> {
		const ranges = this.calls.flatMap((call) => (call.status === 'accepted' && Array.isArray(call.range) ? [call.range] : []));
		if (ranges.length === 0) return { reached: [], cannotTell: [], unreached: sorted };
		const { inside: covered, outside } = await splitByRanges(sorted, ranges, pacer);
		const today = ReachedSketch.empty();
		for (const fingerprint of covered) {
			today.add(fingerprint);
			if (pacer.due()) await pacer.pause();
		}
		const difference = ReachedSketch.fromStored(this.send?.sketch)?.difference(today);
		if (difference === undefined) return { reached: [], cannotTell: covered, unreached: outside };
		if (difference.added.length === 0) return { reached: covered, cannotTell: [], unreached: outside };
		// Those added since are in the spans, on today's list: reached by none of the calls.
		const added = new Set(difference.added);
		return { reached: covered.filter((fingerprint) => !added.has(fingerprint)), cannotTell: [], unreached: mergeSorted(outside, difference.added.sort()) };
	}

	/**
	 * Records (or replaces) a call. `reached`: the followers an accepted OpenID call went to, added to
	 * the sketch. `byThisExecution`: false for a call another run made, which keeps its origin.
	 */
	record(call: Omit<RememberedCall, 'executionId' | 'at'>, byThisExecution: boolean, reached: Fingerprint[] = []): void {
		const sends = (this.memory.sends ??= {});
		const now = Date.now();
		const send = this.send ?? { key: this.key, updatedAt: now, calls: [] };
		const known = send.calls.find((existing) => existing.ordinal === call.ordinal);
		const entry: RememberedCall = { ...call, executionId: byThisExecution ? this.executionId : known?.executionId ?? '', at: known?.at ?? now };
		send.calls = [...send.calls.filter((existing) => existing.ordinal !== call.ordinal), entry].sort((a, b) => a.ordinal - b.ordinal);
		if (reached.length > 0) {
			const sketch = ReachedSketch.fromStored(send.sketch) ?? ReachedSketch.empty();
			for (const fingerprint of reached) sketch.add(fingerprint);
			send.sketch = sketch.toStored();
		}
		send.updatedAt = now;
		// Assigned anew so that n8n's static data sees the change and saves it.
		sends[this.key] = send;
		for (const [key, old] of Object.entries(sends)) if (!(now - old.updatedAt <= KEPT_FOR_MS)) delete sends[key];
	}

	/**
	 * Records an attempt under `clientmsgid` to the message and recipients of `digest` in the
	 * deduplication store, before it is sent, and says what earlier attempts there were. Throws when
	 * the store cannot be written: then nothing is sent.
	 */
	async recordAttempt(clientmsgid: string, digest: string, itemIndex: number): Promise<EarlierAttempts> {
		const [call, same] = await this.ledgerOrFail([clientmsgid, `${clientmsgid}|${digest}`, this.activeMark(Date.now())], itemIndex);
		if (!call) return 'none';
		if (same) return 'alike';
		// Tells the runs that attempted before this one, when WeChat answers them with a repeat.
		await this.ledgerOrFail([`${clientmsgid}|unlike`], itemIndex);
		return 'unlike';
	}

	/**
	 * Whether no run attempted `clientmsgid` with another message or other recipients (they left a mark
	 * when they recorded their attempt): asked when WeChat answers a repeat. Asking records the mark
	 * too (the store only has check-and-record); it is taken out again at once. False when the store
	 * cannot be read: then nothing is known.
	 */
	async attemptsAlike(clientmsgid: string): Promise<boolean> {
		const mark = `${clientmsgid}|unlike`;
		const seen = await this.ledger([mark]);
		if (!Array.isArray(seen) || seen[0]) return false;
		await this.forget([mark]);
		return true;
	}

	/**
	 * Records that WeChat accepted the send's first call just now, so that until 24 hours later a run
	 * that knows nothing of the send may start it again at place 1: WeChat still holds that call.
	 * Left out when the store fails: such a run then only reports.
	 */
	async recordFirstCallAccepted(): Promise<void> {
		await this.ledger([this.firstCallMark(Date.now())]);
	}

	/**
	 * Whether a run that knows nothing of this send may start it at place 1: when no run made an
	 * attempt of it today or yesterday (UTC days: at least the last 24 hours), or when its first call
	 * was accepted less than 24 hours ago (WeChat still holds it, so the new first call collides).
	 * Throws when the store cannot be used. A send whose key has no day keeps its places as long
	 * as it goes on, while WeChat forgets each clientmsgid 24 hours after it was accepted: starting
	 * again at place 1 after that could reach the followers of a later call, still held, twice.
	 */
	async mayStartOver(itemIndex: number): Promise<boolean> {
		const now = Date.now();
		const active = [this.activeMark(now), this.activeMark(now - DAY_MS)];
		// Whole hours that began at least 23 hours ago end before 24 hours have passed, with room for clocks that differ.
		const firstCalls = Array.from({ length: 23 }, (_, hours) => this.firstCallMark(now - hours * 3600 * 1000));
		const entries = [...active, ...new Set(firstCalls)];
		const seen = await this.ledgerOrFail(entries, itemIndex);
		const recorded = entries.filter((_, index) => !seen[index]);
		if (recorded.length > 0) await this.forget(recorded);
		const wasActive = seen[0] || seen[1];
		return !wasActive || seen.slice(active.length).some(Boolean);
	}

	private activeMark(at: number): string {
		return `${this.sendKey}|active|${new Date(at).toISOString().slice(0, 10)}`;
	}

	private firstCallMark(at: number): string {
		return `${this.sendKey}|first|${new Date(at).toISOString().slice(0, 13)}`;
	}

	/** ledger(), or the error that stops a send before anything is sent. */
	private async ledgerOrFail(entries: string[], itemIndex: number): Promise<boolean[]> {
		const seen = await this.ledger(entries);
		if (Array.isArray(seen)) return seen;
		const message = "n8n's deduplication store could not be used: nothing was sent";
		const description =
			`${seen.why}. The node records every send there before making it, so that no run can send it to a follower twice whatever n8n kept of the node's memory. ` +
			'Running the workflow again is safe.';
		throw new NodeOperationError(this.ctx.getNode(), message, { description, itemIndex });
	}

	/** For each entry, whether the store had it; every entry is recorded. Why not, when the store cannot be used. */
	private async ledger(entries: string[]): Promise<boolean[] | { why: string }> {
		const store = this.ctx.helpers as Partial<IExecuteFunctions['helpers']>;
		if (typeof store.checkProcessedAndRecord !== 'function') return { why: 'This n8n has no deduplication store (it came with n8n 1.64)' };
		let why = '';
		// Two executions writing the node's first entries at the same moment can fail n8n's primary key: once more finds the row.
		for (let tries = 0; tries < 2; tries++) {
			try {
				const result = await store.checkProcessedAndRecord(entries, 'node', { mode: 'entries', maxEntries: LEDGER_ENTRIES });
				const processed = new Set(result.processed.map(String));
				return entries.map((entry) => processed.has(entry));
			} catch (error) {
				why = `Writing to it failed: ${error instanceof Error ? error.message : String(error)}`;
			}
		}
		return { why };
	}

	/** Takes out entries that asking recorded. One left behind (the store failed) only makes a later run more careful. */
	private async forget(entries: string[]): Promise<void> {
		try {
			await this.ctx.helpers.removeProcessed(entries, 'node', { mode: 'entries', maxEntries: LEDGER_ENTRIES });
		} catch {
			// See above.
		}
	}
}

/** Two sorted lists as one. */
function mergeSorted(a: Fingerprint[], b: Fingerprint[]): Fingerprint[] {
	const merged: Fingerprint[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) merged.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
	return merged;
}

/** The fingerprints (sorted) that fall in any of the ranges, and those that do not, in one pass. */
async function splitByRanges(sorted: Fingerprint[], ranges: Array<[Fingerprint, Fingerprint]>, pacer: EventLoopPacer): Promise<{ inside: Fingerprint[]; outside: Fingerprint[] }> {
	const merged: Array<[Fingerprint, Fingerprint]> = [];
	for (const range of [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
		const last = merged[merged.length - 1];
		if (last !== undefined && range[0] <= last[1]) {
			if (range[1] > last[1]) last[1] = range[1];
		} else merged.push([range[0], range[1]]);
	}
	const inside: Fingerprint[] = [];
	const outside: Fingerprint[] = [];
	let at = 0;
	for (const fingerprint of sorted) {
		while (at < merged.length && merged[at][1] < fingerprint) at++;
		(at < merged.length && merged[at][0] <= fingerprint ? inside : outside).push(fingerprint);
		if (pacer.due()) await pacer.pause();
	}
	return { inside, outside };
}
