import { createHash } from 'crypto';
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { SendResponse, SendToOpenIdsRequest, SendAllRequest } from '../helpers/types';
import { type UnknownOutcome, type WeChatContext, callWeChat, describeUnknownOutcome, weChatError } from './index';

/** WeChat keeps a clientmsgid for 24 hours; longer ids fail with 45067 (seen from about 34 bytes). */
export const MAX_CLIENT_MSG_ID_BYTES = 32;

const CLIENT_MSG_ID_EXISTS = 45065;
const CLIENT_MSG_ID_RETRIED_TOO_FAST = 45066;

export interface ExactlyOnceTiming {
	/** How long to keep trying to get a definite answer after an unknown outcome. */
	confirmWithinMs: number;
	/** How long WeChat wants between two sends with the same clientmsgid (45066 otherwise): one minute. */
	repeatWaitMs: number;
}

export interface ConfirmedSend {
	result: SendResponse;
	/**
	 * WeChat already had this clientmsgid (45065) from an earlier run, so nothing new was sent. False
	 * when the accepted send was one of this call's own attempts whose answer was lost.
	 */
	duplicate: boolean;
	attempts: number;
}

/**
 * A clientmsgid that is the same whenever n8n runs the same send again (Retry On Fail, a retried
 * execution), and different for another workflow, execution, node, item or batch.
 */
export function deriveClientMsgId(parts: Array<string | number>): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, MAX_CLIENT_MSG_ID_BYTES);
}

/** A user's key for one batch of several: the key itself for a single batch, a key-derived id otherwise. */
export function clientMsgIdForBatch(key: string, batchIndex: number, batchCount: number): string {
	return batchCount === 1 ? key : deriveClientMsgId([key, batchIndex + 1, batchCount]);
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
	itemIndex: number,
): Promise<ConfirmedSend> {
	const startedAt = Date.now();
	let lastUnknown: UnknownOutcome | undefined;
	let waitMs = 250;
	for (let attempts = 1; ; attempts++) {
		const reply = await callWeChat<SendResponse>(ctx, { method: 'POST', path, body, idempotent: true }, itemIndex);
		let nextWaitMs: number;
		if (reply.outcome === 'answered') {
			const errcode = reply.result.errcode ?? 0;
			if (errcode === 0) return { result: reply.result, duplicate: false, attempts };
			if (errcode === CLIENT_MSG_ID_EXISTS && reply.result.msg_id !== undefined) {
				return { result: reply.result, duplicate: lastUnknown === undefined, attempts };
			}
			if (errcode !== CLIENT_MSG_ID_RETRIED_TOO_FAST) throw weChatError(ctx, reply.result, itemIndex);
			// Our earlier attempt reached WeChat; after the repeat window it will tell us its msg_id.
			nextWaitMs = timing.repeatWaitMs;
		} else {
			lastUnknown = reply.why;
			nextWaitMs = Math.min(waitMs, timing.repeatWaitMs);
			waitMs *= 2;
		}
		const elapsed = Date.now() - startedAt;
		if (elapsed + nextWaitMs > timing.confirmWithinMs) {
			throw notConfirmed(ctx, body.clientmsgid, lastUnknown, attempts, itemIndex);
		}
		await sleep(nextWaitMs);
	}
}

function notConfirmed(
	ctx: WeChatContext,
	clientMsgId: string,
	lastUnknown: UnknownOutcome | undefined,
	attempts: number,
	itemIndex: number,
): NodeApiError {
	const why = lastUnknown ? describeUnknownOutcome(lastUnknown) : 'WeChat kept answering 45066 (same clientmsgid retried too fast)';
	const message = `WeChat did not confirm the send: nothing was confirmed after ${attempts} attempts (${why}).`;
	const description =
		`The send may or may not have reached WeChat. It carried clientmsgid "${clientMsgId}": running it again with the same ` +
		'Client Message ID within 24 hours cannot deliver it twice, and tells you its msg_id if WeChat had accepted it. ' +
		'A longer Confirmation Time Limit gives WeChat more time to answer.';
	return new NodeApiError(ctx.getNode(), { message, clientmsgid: clientMsgId } as JsonObject, { message, description, itemIndex });
}
