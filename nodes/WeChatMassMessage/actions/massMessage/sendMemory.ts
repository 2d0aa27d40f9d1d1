// What this node remembers of its own sends: the node's static data in the workflow, which n8n
// keeps in its database for production and CLI executions (also when they fail) and, within one
// execution, across n8n's Retry On Fail. n8n keeps none of it for manual (editor) runs once they end,
// nor for a stopped execution. Small: a few hundred bytes per call, a 22 KB sketch per OpenID send.
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
	/** The day in China that the current execution keys its sends by, fixed at its first send. */
	execution?: { id: string; day: string };
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

	/**
	 * The day this execution keys its sends by: the day in China when the execution first sent from
	 * this node. n8n's Retry On Fail calls the node again in the same execution, so a send that starts at
	 * 23:59 and is retried at 00:01 keeps its key.
	 */
	dayOfExecution(today: string): string {
		if (this.memory.execution?.id === this.executionId && this.executionId !== '') return this.memory.execution.day;
		this.memory.execution = { id: this.executionId, day: today };
		return today;
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
