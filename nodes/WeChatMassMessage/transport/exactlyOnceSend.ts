import { createHash } from 'crypto';
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { SendResponse, SendToOpenIdsRequest, SendAllRequest } from '../helpers/types';
import { type UnknownOutcome, type WeChatReply, callWeChat, cancelSignalOf, describeUnknownOutcome, waitUnlessStopped, weChatError } from './index';

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

export interface ExactlyOnceOptions {
	/** How long to keep trying to get a definite answer after an unknown outcome. */
	confirmWithinMs: number;
	/** How long WeChat wants between two sends with the same clientmsgid (45066 otherwise): one minute. */
	repeatWaitMs: number;
	/** What running the send again is safe for, in the words of whoever owns the key. */
	rerunNote: string;
}

export interface ConfirmedSend {
	result: SendResponse;
	/** WeChat answered 45065: it already had this clientmsgid, and `result` names the msg_id it was accepted as. */
	answeredAsRepeat: boolean;
	/** An attempt before the last one had an unknown outcome: WeChat may have taken that one. */
	answerLostBefore: boolean;
	attempts: number;
}

/**
 * A send that may have gone out although it was not confirmed (an attempt's answer was lost, or the
 * execution was stopped while a request was under way). Any other error from `sendExactlyOnce` means
 * WeChat did not take the send.
 */
export class UnconfirmedSendError extends NodeApiError {}

function isStopped(signal: AbortSignal | undefined): boolean {
	return signal?.aborted === true;
}

/**
 * Keeps one run's mass-send requests within WeChat's limit of 60 a minute, where the minute is the
 * send's Wait Before Sending Again (61 s by default). One per node execution: other executions and workers are
 * not counted, so 45011 is still handled where it comes.
 */
export class MassSendPacer {
	private readonly sentAt: number[] = [];

	constructor(
		private readonly now: () => number = () => Date.now(),
		private readonly wait: (ms: number, signal?: AbortSignal) => Promise<unknown> = waitUnlessStopped,
		private readonly perMinute = MASS_SEND_REQUESTS_PER_MINUTE,
	) {}

	/** Waits for a free place in the minute; returns early, taking none, when the execution is stopped. */
	async beforeRequest(minuteMs: number, signal?: AbortSignal): Promise<void> {
		while (this.sentAt.length > 0 && this.sentAt[0] <= this.now() - minuteMs) this.sentAt.shift();
		if (this.sentAt.length >= this.perMinute) {
			await this.wait(this.sentAt[0] + minuteMs - this.now(), signal);
			if (isStopped(signal)) return;
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
 * Sends a mass message so that it is delivered at most once and its outcome is known: after an
 * unknown outcome (dropped connection, 5xx, -1) the same body, with the same clientmsgid, goes
 * again until WeChat either accepts it or says it already has it (45065, with the original msg_id).
 * One closed rule decides what a failure means: nothing was sent only when no request went out (the
 * execution was stopped first, or no access token could be had) or when WeChat refused every attempt
 * that went out; that fails with a NodeApiError. Anything else after a request went out (a lost
 * answer, a relay's 4xx, a token that could not be refreshed after a lost answer, the time limit, a
 * Stop) fails with an UnconfirmedSendError: the send may have gone out.
 */
export async function sendExactlyOnce(
	ctx: IExecuteFunctions,
	path: '/cgi-bin/message/mass/sendall' | '/cgi-bin/message/mass/send',
	body: SendAllRequest | SendToOpenIdsRequest,
	timing: ExactlyOnceOptions,
	pacer: MassSendPacer,
	itemIndex: number,
): Promise<ConfirmedSend> {
	const signal = cancelSignalOf(ctx);
	let startedAt: number | undefined;
	let lastUnknown: UnknownOutcome | undefined;
	let busyInARow = 0;
	/** An attempt's answer was lost in a way (dropped connection, 5xx, -1, no msg_id) that may follow its acceptance. */
	let answerLost = false;
	let waitMs = 250;
	for (let attempts = 1; ; attempts++) {
		await pacer.beforeRequest(timing.repeatWaitMs, signal);
		if (isStopped(signal)) throw stopped(ctx, body.clientmsgid, answerLost, itemIndex, timing.rerunNote);
		// The Confirmation Time Limit counts from the first attempt, not from the wait for the run's pace.
		startedAt ??= Date.now();
		let reply: WeChatReply<SendResponse>;
		try {
			reply = await callWeChat<SendResponse>(ctx, { method: 'POST', path, body, idempotent: false }, itemIndex);
		} catch (error) {
			// No access token could be had, so this attempt did not go out; an earlier one may have.
			const failure = error instanceof Error ? error.message : String(error);
			if (answerLost) throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, timing.rerunNote, undefined, failure);
			throw error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: failure }, { message: failure, itemIndex });
		}
		// Stopped during the request: it may have reached WeChat.
		if (isStopped(signal)) throw stopped(ctx, body.clientmsgid, answerLost || reply.outcome === 'unknown', itemIndex, timing.rerunNote);
		let nextWaitMs: number;
		const errcode = reply.outcome === 'answered' ? reply.result.errcode ?? 0 : undefined;
		const hasMsgId = reply.outcome === 'answered' && typeof reply.result.msg_id === 'number';
		busyInARow = reply.outcome === 'unknown' && reply.why.kind === 'busy' ? busyInARow + 1 : 0;
		if (reply.outcome === 'answered' && errcode === 0 && hasMsgId) {
			return { result: reply.result, answeredAsRepeat: false, answerLostBefore: answerLost, attempts };
		}
		// A 45065 means WeChat has the send, with or without the msg_id it should name.
		if (reply.outcome === 'answered' && errcode === CLIENT_MSG_ID_EXISTS) {
			return { result: reply.result, answeredAsRepeat: true, answerLostBefore: answerLost, attempts };
		}
		if (reply.outcome === 'unknown' && reply.why.kind === 'relay') {
			// Not WeChat's answer, and asking again does not change it: the request may have been passed on.
			throw notConfirmed(ctx, body.clientmsgid, reply.why, attempts, itemIndex, timing.rerunNote);
		}
		if (reply.outcome === 'answered' && (errcode === CLIENT_MSG_ID_RETRIED_TOO_FAST || errcode === MINUTE_QUOTA_REACHED)) {
			// 45066: WeChat saw this clientmsgid within its minute and names the msg_id after it. 45011:
			// this attempt was not taken. Either way the same clientmsgid goes again once the minute has passed.
			nextWaitMs = timing.repeatWaitMs;
			if (errcode === MINUTE_QUOTA_REACHED && Date.now() - startedAt + nextWaitMs > timing.confirmWithinMs) {
				throw answerLost ? notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, timing.rerunNote, reply.result) : weChatError(ctx, reply.result, itemIndex);
			}
		} else if (reply.outcome === 'answered' && errcode !== 0) {
			// A definite refusal; but if an earlier attempt's answer was lost, that one may have gone out.
			if (answerLost) throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, timing.rerunNote, reply.result);
			throw weChatError(ctx, reply.result, itemIndex);
		} else if (busyInARow >= MAX_CONSECUTIVE_BUSY) {
			throw keepsAnsweringBusy(ctx, body.clientmsgid, busyInARow, itemIndex, timing.rerunNote);
		} else {
			lastUnknown = reply.outcome === 'answered' ? { kind: 'incomplete' } : reply.why;
			answerLost = true;
			// Soon, then less and less often: at most an eighth of Wait Before Sending Again between attempts.
			nextWaitMs = Math.min(waitMs, timing.repeatWaitMs / 8);
			waitMs *= 2;
		}
		if (Date.now() - startedAt + nextWaitMs > timing.confirmWithinMs) {
			throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex, timing.rerunNote);
		}
		if (await waitUnlessStopped(nextWaitMs, signal)) throw stopped(ctx, body.clientmsgid, answerLost, itemIndex, timing.rerunNote);
	}
}

function stopped(ctx: IExecuteFunctions, clientMsgId: string, mayHaveGoneOut: boolean, itemIndex: number, rerunNote: string): NodeApiError {
	const response: JsonObject = { message: 'stopped', clientmsgid: clientMsgId };
	if (!mayHaveGoneOut) {
		const message = 'The execution was stopped before this send: nothing was sent.';
		return new NodeApiError(ctx.getNode(), response, { message, itemIndex });
	}
	const message = 'The execution was stopped during this send: it may have gone out.';
	const description = `An attempt was under way or its answer was lost, so WeChat may have accepted it (clientmsgid "${clientMsgId}"). ${rerunNote}`;
	return new UnconfirmedSendError(ctx.getNode(), response, { message, description, itemIndex });
}

/** -1 answers in a row: each may have followed an acceptance, so the send may have gone out. */
function keepsAnsweringBusy(ctx: IExecuteFunctions, clientMsgId: string, times: number, itemIndex: number, rerunNote: string): NodeApiError {
	const message = `WeChat answered errcode -1 (system error) ${times} times in a row to this send.`;
	const description =
		'On a mass send, -1 usually means the media ID does not fit the message type (for example a video ID sent as images, ' +
		'or temporary media where permanent material is needed), not that WeChat is busy: check the message. ' +
		`WeChat may still have taken one of the attempts (clientmsgid "${clientMsgId}"). ${rerunNote}`;
	return new UnconfirmedSendError(ctx.getNode(), { message, errcode: -1, clientmsgid: clientMsgId }, { message, description, itemIndex });
}

function notConfirmed(
	ctx: IExecuteFunctions,
	clientMsgId: string,
	lastUnknown: UnknownOutcome | undefined,
	attempts: number,
	itemIndex: number,
	rerunNote: string,
	finalAnswer?: SendResponse,
	tokenFailure?: string,
): NodeApiError {
	const why = lastUnknown ? describeUnknownOutcome(lastUnknown) : 'WeChat kept answering 45066 (same clientmsgid retried too fast)';
	const then = finalAnswer ? `, then errcode ${finalAnswer.errcode ?? ''}: ${finalAnswer.errmsg ?? ''}` : tokenFailure ? `, then no access token: ${tokenFailure}` : '';
	const message = `WeChat did not confirm the send: it may have gone out (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}; ${why}${then}).`;
	const relay = lastUnknown?.kind === 'relay' ? " If the credential's API Base URL is wrong, nothing reached WeChat: check it; if it is a relay, it may have passed the send on." : '';
	const description =
		`The send may or may not have reached WeChat (clientmsgid "${clientMsgId}").${relay} ${rerunNote}` +
		(lastUnknown?.kind === 'relay' || tokenFailure ? '' : ' A longer Confirmation Time Limit gives WeChat more time to answer.');
	const response: JsonObject = { message, clientmsgid: clientMsgId };
	if (finalAnswer?.errcode !== undefined) response.errcode = finalAnswer.errcode;
	return new UnconfirmedSendError(ctx.getNode(), response, { message, description, itemIndex });
}
