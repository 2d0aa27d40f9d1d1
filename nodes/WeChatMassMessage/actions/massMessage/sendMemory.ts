// What the node remembers of its sends, in two places n8n offers a node:
// - The workflow's static data (this node's part): every call of a send (its place, its outcome,
//   `msg_id`) and a sketch of the followers its accepted calls reached, which tells who on a later list
//   was added since. n8n saves it after an execution that is not manual ends (failed ones too), the
//   whole of it, so a manual run keeps none, two overlapping executions keep the last one's copy, and a
//   queue-mode worker starts from the copy as it was when the execution was queued. It may be missing or
//   old: it only ever helps reach followers added later, never decides what WeChat already has.
// - n8n's deduplication store (`helpers.checkProcessedAndRecord`, n8n 1.64 and later): written to n8n's
//   database during the call, seen at once by every execution, manual ones and workers too, but it only
//   answers "was this string recorded before?" (it keeps MD5 hashes, no lock). Before each attempt of a
//   call the node records the call's clientmsgid and the digest of its recipients there: so when WeChat
//   answers a repeat (45065), the node knows whether every attempt under that clientmsgid, by any run,
//   went to the same recipients, and only then counts those recipients as reached.
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { type Fingerprint, ReachedSketch } from './reachedSketch';

/**
 * WeChat keeps a clientmsgid for 24 hours: a send is forgotten 24 hours after its last call, when
 * WeChat's window for every one of its calls has closed.
 */
const KEPT_FOR_MS = 24 * 3600 * 1000;

/**
 * The deduplication store keeps the newest entries of this node: a call records two (three when
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

/** Who of today's list the send's accepted calls reached, as far as the memory can tell. */
export interface ReachedAmong {
	reached: Fingerprint[];
	/** In the span of an accepted call, but too many changes since to tell whether they were in it. */
	cannotTell: Fingerprint[];
}

/**
 * What the deduplication store says of the attempts under one clientmsgid before this one:
 * `none`, `alike` (all to the same recipients as this one), `unlike` (some to others), or
 * `unknown` (the store could not be used: n8n before 1.64, or a failed database write).
 */
export type EarlierAttempts = 'none' | 'alike' | 'unlike' | 'unknown';

const MEMORY_FIELD = 'massSends';

/** The recipients' digest a call is recorded by in the deduplication store: OpenID fingerprints, or a Send to Tag or All body. */
export function recipientsDigest(recipients: Fingerprint[] | string): string {
	const text = typeof recipients === 'string' ? recipients : [...recipients].sort().join('');
	return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export class SendMemory {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly memory: NodeMemory,
		readonly executionId: string,
		private readonly key: string,
	) {}

	/** The memory of the send with this key. */
	static of(ctx: IExecuteFunctions, key: string): SendMemory {
		const staticData = ctx.getWorkflowStaticData('node');
		if (typeof staticData[MEMORY_FIELD] !== 'object' || staticData[MEMORY_FIELD] === null) staticData[MEMORY_FIELD] = {};
		return new SendMemory(ctx, staticData[MEMORY_FIELD] as IDataObject as NodeMemory, String(ctx.getExecutionId?.() ?? ''), key);
	}

	private get send(): RememberedSend | undefined {
		const send = this.memory.sends?.[this.key];
		if (send === undefined || !Array.isArray(send.calls) || !(Date.now() - send.updatedAt <= KEPT_FOR_MS)) return undefined;
		// Calls remembered before calls had places (node package 0.1) keep their clientmsgid, span and
		// recipients; they take places below 1, which no new call uses.
		let unplaced = 0;
		for (const call of send.calls) if (typeof call.ordinal !== 'number') call.ordinal = --unplaced;
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
	 */
	reachedAmong(sorted: Fingerprint[]): ReachedAmong {
		const ranges = this.calls.flatMap((call) => (call.status === 'accepted' && Array.isArray(call.range) ? [call.range] : []));
		if (ranges.length === 0) return { reached: [], cannotTell: [] };
		const covered = withinRanges(sorted, ranges);
		const difference = ReachedSketch.fromStored(this.send?.sketch)?.difference(ReachedSketch.of(covered));
		if (difference === undefined) return { reached: [], cannotTell: covered };
		const added = new Set(difference.added);
		return { reached: covered.filter((fingerprint) => !added.has(fingerprint)), cannotTell: [] };
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
	 * Records an attempt under `clientmsgid` to the recipients of `digest` in the deduplication store,
	 * before it is sent, and says what earlier attempts there were.
	 */
	async recordAttempt(clientmsgid: string, digest: string): Promise<EarlierAttempts> {
		const seen = await this.ledger([clientmsgid, `${clientmsgid}|${digest}`]);
		if (seen === undefined) return 'unknown';
		const [call, same] = seen;
		if (!call) return 'none';
		if (same) return 'alike';
		// Tells the runs that attempted before this one, when WeChat answers them with a repeat.
		await this.ledger([`${clientmsgid}|unlike`]);
		return 'unlike';
	}

	/**
	 * Whether every attempt under `clientmsgid` so far, by any run, went to the same recipients: asked
	 * when WeChat answers a repeat, so that the recipients of what it accepted are known. A run that
	 * attempted with other recipients left a mark when it recorded its attempt (recordAttempt). Asking
	 * records the mark too (the store only has check-and-record); it is taken out again at once.
	 */
	async attemptsAlike(clientmsgid: string): Promise<boolean | undefined> {
		const mark = `${clientmsgid}|unlike`;
		const seen = await this.ledger([mark]);
		if (seen === undefined) return undefined;
		if (seen[0]) return false;
		await this.forget(mark);
		return true;
	}

	/** For each entry, whether the store had it; every entry is recorded. Undefined when the store cannot be used. */
	private async ledger(entries: string[]): Promise<boolean[] | undefined> {
		const store = this.ctx.helpers as Partial<IExecuteFunctions['helpers']>;
		if (typeof store.checkProcessedAndRecord !== 'function') return undefined;
		// Two executions writing the node's first entries at the same moment can fail n8n's primary key: once more finds the row.
		for (let tries = 0; tries < 2; tries++) {
			try {
				const result = await store.checkProcessedAndRecord(entries, 'node', { mode: 'entries', maxEntries: LEDGER_ENTRIES });
				const processed = new Set(result.processed.map(String));
				return entries.map((entry) => processed.has(entry));
			} catch {
				// Tried again, then taken as unusable: the send then goes by its own attempts (see send.ts).
			}
		}
		return undefined;
	}

	private async forget(entry: string): Promise<void> {
		try {
			await this.ctx.helpers.removeProcessed([entry], 'node', { mode: 'entries', maxEntries: LEDGER_ENTRIES });
		} catch {
			// A mark left behind only makes a later repeat of this call count its recipients as unknown.
		}
	}
}

/** The fingerprints (sorted) that fall in any of the ranges, in one pass. */
function withinRanges(sorted: Fingerprint[], ranges: Array<[Fingerprint, Fingerprint]>): Fingerprint[] {
	const merged: Array<[Fingerprint, Fingerprint]> = [];
	for (const range of [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
		const last = merged[merged.length - 1];
		if (last !== undefined && range[0] <= last[1]) {
			if (range[1] > last[1]) last[1] = range[1];
		} else merged.push([range[0], range[1]]);
	}
	const inside: Fingerprint[] = [];
	let at = 0;
	for (const fingerprint of sorted) {
		while (at < merged.length && merged[at][1] < fingerprint) at++;
		if (at < merged.length && merged[at][0] <= fingerprint) inside.push(fingerprint);
	}
	return inside;
}
