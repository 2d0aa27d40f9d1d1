import { createHash } from 'crypto';
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { SendResponse, SendToOpenIdsRequest, SendAllRequest } from '../helpers/types';
import { type UnknownOutcome, type WeChatContext, callWeChat, describeUnknownOutcome, weChatError } from './index';

/** WeChat keeps a clientmsgid for 24 hours; longer ids fail with 45067 (seen from about 34 bytes). */
export const MAX_CLIENT_MSG_ID_BYTES = 32;

const CLIENT_MSG_ID_EXISTS = 45065;
const CLIENT_MSG_ID_RETRIED_TOO_FAST = 45066;
/** WeChat's per-minute limit of mass-send requests ("45011 api minute-quota reach limit"). */
const MINUTE_QUOTA_REACHED = 45011;
/** After this many -1 answers in a row, a send stops: on a send, -1 is seldom "busy". */
const MAX_CONSECUTIVE_BUSY = 5;
/** WeChat takes at most 60 mass-send requests a minute (Batch_Sends page). */
export const MASS_SEND_REQUESTS_PER_MINUTE = 60;

export interface ExactlyOnceTiming {
	/** How long to keep trying to get a definite answer after an unknown outcome. */
	confirmWithinMs: number;
	/** How long WeChat wants between two sends with the same clientmsgid (45066 otherwise): one minute. */
	repeatWaitMs: number;
}

export interface ConfirmedSend {
	result: SendResponse;
	/** WeChat already had this clientmsgid (45065) from an earlier run, so nothing new was sent (see isEarlierRunsSend). */
	duplicate: boolean;
	/** `result` is WeChat's 45065 to a repeat, confirming this call's own send after its answer was lost. */
	confirmedByRepeat: boolean;
	attempts: number;
}

/**
 * Keeps one run's mass-send requests within WeChat's limit of 60 a minute, where the minute is the
 * send's Repeat Wait (61 s by default). One per node execution: other executions and workers are
 * not counted, so 45011 is still handled where it comes.
 */
export class MassSendPacer {
	private readonly sentAt: number[] = [];

	constructor(
		private readonly now: () => number = () => Date.now(),
		private readonly wait: (ms: number) => Promise<void> = sleep,
		private readonly perMinute = MASS_SEND_REQUESTS_PER_MINUTE,
	) {}

	async beforeRequest(minuteMs: number): Promise<void> {
		while (this.sentAt.length > 0 && this.sentAt[0] <= this.now() - minuteMs) this.sentAt.shift();
		if (this.sentAt.length >= this.perMinute) {
			await this.wait(this.sentAt[0] + minuteMs - this.now());
			this.sentAt.shift();
		}
		this.sentAt.push(this.now());
	}
}

/** A clientmsgid (at most 32 bytes) that depends on exactly the given parts. */
export function deriveClientMsgId(parts: Array<string | number>): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, MAX_CLIENT_MSG_ID_BYTES);
}

/**
 * The clientmsgid of batch `batchIndex` of a send under a user's key: the key itself for the first
 * batch, an id derived from key and batch number for the others, so the same key gives the same
 * ids however many batches a later run has.
 */
export function clientMsgIdForBatch(key: string, batchIndex: number): string {
	return batchIndex === 0 ? key : deriveClientMsgId([key, batchIndex + 1]);
}

/**
 * Sends a mass message so that it is delivered at most once and its outcome is known: after an
 * unknown outcome (dropped connection, 5xx, -1) the same body, with the same clientmsgid, goes
 * again until WeChat either accepts it or says it already has it (45065, with the original msg_id).
 * Fails only with a definite WeChat error (nothing was sent) or when the time runs out, saying so.
 */
export async function sendExactlyOnce(
	ctx: WeChatContext,
	path: '/cgi-bin/message/mass/sendall' | '/cgi-bin/message/mass/send',
	body: SendAllRequest | SendToOpenIdsRequest,
	timing: ExactlyOnceTiming,
	pacer: MassSendPacer,
	itemIndex: number,
): Promise<ConfirmedSend> {
	let startedAt: number | undefined;
	let lastUnknown: UnknownOutcome | undefined;
	/** When this call's first attempt with an unknown outcome was made: from then on, one of its attempts may have been taken. */
	let firstUnknownAt: number | undefined;
	/** WeChat answered 45066 after an attempt of this call whose outcome was unknown: that attempt reached it. */
	let ownAttemptSeen = false;
	let busyInARow = 0;
	/** An attempt's answer was lost in a way (dropped connection, 5xx, no msg_id) that may follow its acceptance. */
	let answerLost = false;
	let waitMs = 250;
	for (let attempts = 1; ; attempts++) {
		await pacer.beforeRequest(timing.repeatWaitMs);
		// The Confirmation Time Limit counts from the first attempt, not from the wait for the run's pace.
		startedAt ??= Date.now();
		const reply = await callWeChat<SendResponse>(ctx, { method: 'POST', path, body, idempotent: true }, itemIndex);
		let nextWaitMs: number;
		const errcode = reply.outcome === 'answered' ? reply.result.errcode ?? 0 : undefined;
		const hasMsgId = reply.outcome === 'answered' && typeof reply.result.msg_id === 'number';
		busyInARow = reply.outcome === 'unknown' && reply.why.kind === 'busy' ? busyInARow + 1 : 0;
		if (reply.outcome === 'answered' && errcode === 0 && hasMsgId) return { result: reply.result, duplicate: false, confirmedByRepeat: false, attempts };
		if (reply.outcome === 'answered' && errcode === CLIENT_MSG_ID_EXISTS && hasMsgId) {
			const duplicate = isEarlierRunsSend(ownAttemptSeen, firstUnknownAt, timing);
			return { result: reply.result, duplicate, confirmedByRepeat: !duplicate, attempts };
		}
		if (reply.outcome === 'answered' && errcode === CLIENT_MSG_ID_RETRIED_TOO_FAST) {
			// WeChat saw this clientmsgid within its minute: this call's own lost attempt, or (with no such
			// attempt) an earlier run's. After the minute it names the msg_id.
			if (lastUnknown !== undefined) ownAttemptSeen = true;
			nextWaitMs = timing.repeatWaitMs;
		} else if (reply.outcome === 'answered' && errcode === MINUTE_QUOTA_REACHED) {
			// This attempt was not taken; the same clientmsgid goes again once the minute has passed.
			nextWaitMs = timing.repeatWaitMs;
			if (Date.now() - (startedAt ?? Date.now()) + nextWaitMs > timing.confirmWithinMs) {
				throw lastUnknown ? notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, reply.result) : weChatError(ctx, reply.result, itemIndex);
			}
		} else if (reply.outcome === 'answered' && errcode !== 0) {
			// A definite refusal; but if an earlier attempt's answer was lost, that one may have gone out.
			if (lastUnknown !== undefined) throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, reply.result);
			throw weChatError(ctx, reply.result, itemIndex);
		} else if (busyInARow >= MAX_CONSECUTIVE_BUSY) {
			throw keepsAnsweringBusy(ctx, body.clientmsgid, busyInARow, answerLost, itemIndex);
		} else {
			lastUnknown = reply.outcome === 'answered' ? { kind: 'incomplete' } : reply.why;
			firstUnknownAt ??= Date.now();
			if (lastUnknown.kind !== 'busy') answerLost = true;
			// An eighth of Repeat Wait at most: a repeat of an attempt WeChat took comes well inside its
			// one-minute window, so WeChat's 45066 tells this call's own send from an earlier run's.
			nextWaitMs = Math.min(waitMs, timing.repeatWaitMs / 8);
			waitMs *= 2;
		}
		const elapsed = Date.now() - (startedAt ?? Date.now());
		if (elapsed + nextWaitMs > timing.confirmWithinMs) {
			throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex);
		}
		await sleep(nextWaitMs);
	}
}

/**
 * Whether a 45065 names an earlier run's send rather than this call's own. It does when no attempt of
 * this call had an unknown outcome, or when the 45065 came soon after the first such attempt without
 * a 45066 in between: WeChat would have answered a repeat of an attempt it took within its minute
 * with 45066. When it is unclear (the answers stayed lost for longer), the send is taken as this
 * call's own, so that nobody sends it again under a new key.
 */
function isEarlierRunsSend(ownAttemptSeen: boolean, firstUnknownAt: number | undefined, timing: ExactlyOnceTiming): boolean {
	if (ownAttemptSeen) return false;
	if (firstUnknownAt === undefined) return true;
	return Date.now() - firstUnknownAt < timing.repeatWaitMs / 2;
}

function keepsAnsweringBusy(ctx: WeChatContext, clientMsgId: string, times: number, mayHaveGoneOut: boolean, itemIndex: number): NodeApiError {
	const message = `WeChat answered errcode -1 (system error) ${times} times in a row to this send.`;
	const description =
		'On a mass send, -1 usually means the media ID does not fit the message type (for example a video ID sent as images, ' +
		'or temporary media where permanent material is needed), not that WeChat is busy: check the message. ' +
		(mayHaveGoneOut ? 'An earlier attempt\'s answer was lost, so the send may have gone out. ' : '') +
		`Running the send again is safe: it carries clientmsgid "${clientMsgId}", so WeChat delivers it at most once within 24 hours.`;
	return new NodeApiError(ctx.getNode(), { message, errcode: -1, clientmsgid: clientMsgId }, { message, description, itemIndex });
}

function notConfirmed(
	ctx: WeChatContext,
	clientMsgId: string,
	lastUnknown: UnknownOutcome | undefined,
	attempts: number,
	itemIndex: number,
	finalAnswer?: SendResponse,
): NodeApiError {
	const why = lastUnknown ? describeUnknownOutcome(lastUnknown) : 'WeChat kept answering 45066 (same clientmsgid retried too fast)';
	const then = finalAnswer ? `, then errcode ${finalAnswer.errcode ?? ''}: ${finalAnswer.errmsg ?? ''}` : '';
	const message = `WeChat did not confirm the send: nothing was confirmed after ${attempts} attempts (${why}${then}).`;
	const description =
		`The send may or may not have reached WeChat. It carried clientmsgid "${clientMsgId}": running the same send again ` +
		'within 24 hours (the same node with the same message and recipients, or the same Client Message ID) cannot deliver ' +
		'it twice, and tells you its msg_id if WeChat had accepted it. A longer Confirmation Time Limit gives WeChat more time to answer.';
	const response: JsonObject = { message, clientmsgid: clientMsgId };
	if (finalAnswer?.errcode !== undefined) response.errcode = finalAnswer.errcode;
	return new NodeApiError(ctx.getNode(), response, { message, description, itemIndex });
}
