// What this node remembers of its own sends: the node's static data in the workflow. n8n (1.123 and
// 2.41, execution-lifecycle-hooks) saves it after every execution that is not manual, failed ones
// too, and within one execution it is the same object for every try of Retry On Fail. n8n saves none
// of it for a manual (editor) run or a stopped execution, and a retried execution starts from the
// copy stored with the execution it retries. Small: a few hundred bytes a call, 22 KB a sketch.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Fingerprint } from './reachedSketch';

/** WeChat keeps a clientmsgid for 24 hours; what the node remembers is no use after that. */
const KEPT_FOR_MS = 25 * 3600 * 1000;
/** The most sends one node remembers; the oldest go first. */
const MAX_SENDS = 30;

/** One call to WeChat that was accepted, or whose outcome stayed unknown. */
export interface RememberedCall {
	clientmsgid: string;
	status: 'accepted' | 'unconfirmed';
	/** The n8n execution that made it: a repeat within that execution (Retry On Fail) is its own send. */
	executionId: string;
	at: number;
	msg_id?: number;
	msg_data_id?: number;
	recipients?: number;
	/** OpenID sends: the span of fingerprints (inclusive) in which every follower on the list then was in this call. */
	range?: [Fingerprint, Fingerprint];
	/** Unconfirmed OpenID calls only: the recipients' fingerprints, so that a later run can settle the call. */
	members?: Fingerprint[];
}

/** Everything one send (one message under one key, see send.ts) has done. */
export interface RememberedSend {
	key: string;
	updatedAt: number;
	/** OpenID sends: a ReachedSketch of the followers the accepted calls reached. */
	sketch?: string;
	calls: RememberedCall[];
}

interface NodeMemory {
	sends?: Record<string, RememberedSend>;
}

const MEMORY_FIELD = 'massSends';

export class SendMemory {
	private constructor(
		private readonly memory: NodeMemory,
		readonly executionId: string,
	) {}

	static of(ctx: IExecuteFunctions): SendMemory {
		const staticData = ctx.getWorkflowStaticData('node');
		if (typeof staticData[MEMORY_FIELD] !== 'object' || staticData[MEMORY_FIELD] === null) staticData[MEMORY_FIELD] = {};
		const executionId = String(ctx.getExecutionId?.() ?? '');
		return new SendMemory(staticData[MEMORY_FIELD] as IDataObject as NodeMemory, executionId);
	}

	send(key: string): RememberedSend | undefined {
		const send = this.memory.sends?.[key];
		if (send === undefined || Date.now() - send.updatedAt > KEPT_FOR_MS || !Array.isArray(send.calls)) return undefined;
		return send;
	}

	/** The call with this clientmsgid, if this node made it in the last 24 hours. */
	call(key: string, clientmsgid: string): RememberedCall | undefined {
		return this.send(key)?.calls.find((call) => call.clientmsgid === clientmsgid);
	}

	isThisExecutions(call: RememberedCall | undefined): boolean {
		return call !== undefined && this.executionId !== '' && call.executionId === this.executionId;
	}

	/** Records (or replaces) a call and, for OpenID sends, the sketch of everyone reached so far. */
	record(key: string, call: Omit<RememberedCall, 'executionId' | 'at'>, sketch?: string): void {
		const sends = (this.memory.sends ??= {});
		const now = Date.now();
		const send = this.send(key) ?? { key, updatedAt: now, calls: [] };
		const entry: RememberedCall = { ...call, executionId: this.executionId, at: now };
		send.calls = [...send.calls.filter((known) => known.clientmsgid !== call.clientmsgid), entry];
		if (sketch !== undefined) send.sketch = sketch;
		send.updatedAt = now;
		// Assigned anew so that n8n's static data sees the change and saves it.
		sends[key] = send;
		this.forgetOld();
	}

	private forgetOld(): void {
		const sends = this.memory.sends ?? {};
		const now = Date.now();
		const kept = Object.values(sends)
			.filter((send) => now - send.updatedAt <= KEPT_FOR_MS)
			.sort((a, b) => b.updatedAt - a.updatedAt)
			.slice(0, MAX_SENDS);
		const keep = new Set(kept.map((send) => send.key));
		for (const key of Object.keys(sends)) if (!keep.has(key)) delete sends[key];
	}
}
