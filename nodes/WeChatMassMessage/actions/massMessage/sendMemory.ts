// What this node remembers of its own sends: the node's static data in the workflow. n8n (1.123 and
// 2.41, execution-lifecycle-hooks) saves it after every execution that is not manual, failed ones
// too, and within one execution it is the same object for every try of Retry On Fail. n8n saves none
// of it for a manual (editor) run or a stopped execution, and a retried execution starts from the
// copy stored with the execution it retries. Small: about 200 characters a call; the followers a
// send reached as 16 characters each up to 1,000 of them, else a 25,600-character sketch.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Fingerprint } from './reachedSketch';

/**
 * WeChat keeps a clientmsgid for 24 hours: a send is forgotten 24 hours after its last call, when
 * WeChat's window for every one of its calls has closed. Never earlier, so that nobody it reached is
 * sent it again while it is remembered, however many sends a node makes.
 */
const KEPT_FOR_MS = 24 * 3600 * 1000;

/** One call to WeChat that was accepted, or whose outcome stayed unknown. */
export interface RememberedCall {
	clientmsgid: string;
	status: 'accepted' | 'unconfirmed';
	/** The n8n execution that made it ('' when an earlier run did): a repeat within that execution (Retry On Fail) is its own send. */
	executionId: string;
	at: number;
	msg_id?: number;
	msg_data_id?: number;
	recipients?: number;
	/** OpenID sends: the span of fingerprints (inclusive) in which every follower on the list then was in this call. */
	range?: [Fingerprint, Fingerprint];
	/** Unconfirmed OpenID calls only: everyone an attempt of the call went to, so that a later run can settle it. */
	members?: Fingerprint[];
	/** Unconfirmed OpenID calls made again to fewer followers: those every attempt went to (when not all of `members`). */
	inEveryAttempt?: Fingerprint[];
	/** Accepted calls settled by a 45065 after attempts to different followers: those that may not have it (never sent it again). */
	mayHaveMissed?: Fingerprint[];
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
		if (send === undefined || !Array.isArray(send.calls) || !(Date.now() - send.updatedAt <= KEPT_FOR_MS)) return undefined;
		return send;
	}

	/** The call with this clientmsgid, if this node made it in the last 24 hours. */
	call(key: string, clientmsgid: string): RememberedCall | undefined {
		return this.send(key)?.calls.find((call) => call.clientmsgid === clientmsgid);
	}

	isThisExecutions(call: RememberedCall | undefined): boolean {
		return call !== undefined && this.executionId !== '' && call.executionId === this.executionId;
	}

	/**
	 * Records (or replaces) a call and, for OpenID sends, the sketch of everyone reached so far.
	 * `byThisExecution`: false for a call WeChat had from an earlier run, which keeps its origin.
	 */
	record(key: string, call: Omit<RememberedCall, 'executionId' | 'at'>, byThisExecution: boolean, sketch?: string): void {
		const sends = (this.memory.sends ??= {});
		const now = Date.now();
		const send = this.send(key) ?? { key, updatedAt: now, calls: [] };
		const known = send.calls.find((existing) => existing.clientmsgid === call.clientmsgid);
		const executionId = byThisExecution ? this.executionId : known?.executionId ?? '';
		const entry: RememberedCall = { ...call, executionId, at: known?.at ?? now };
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
		for (const [key, send] of Object.entries(sends)) if (!(now - send.updatedAt <= KEPT_FOR_MS)) delete sends[key];
	}
}
