// The one place that decides how a mass send is keyed, batched and de-duplicated, for Send to Tag
// or All and Send to OpenIDs; and that makes the exactly-once call and its output item.
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { EventLoopPacer } from '../../helpers/eventLoop';
import { type PreparedOrFailed, addOutputHint, asNodeError } from '../../helpers/items';
import { MAX_OPENIDS_PER_SEND, splitEvenly } from '../../helpers/recipients';
import type { SendAllRequest, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import {
	type ConfirmedSend,
	MAX_CLIENT_MSG_ID_BYTES,
	type MassSendPacer,
	clientMsgIdForBatch,
	deriveClientMsgId,
	sendExactlyOnce,
} from '../../transport/exactlyOnceSend';
import type { SendSettings } from './messageContent';

/**
 * The calls a recipient list needs: sorted, so that neither keys nor batches depend on input order,
 * then at most 10,000 each, as even as possible (10,001 → 5,001 + 5,000). The OpenIDs are trimmed and
 * without repeats already, as parseOpenIdList gives them.
 */
export function planBatches(uniqueOpenIds: Iterable<string>): string[][] {
	return splitEvenly([...uniqueOpenIds].sort(), MAX_OPENIDS_PER_SEND);
}

const SORT_CHUNK = 50_000;

/**
 * planBatches for a large audience, without holding n8n's event loop: sorting a million OpenIDs in
 * one go takes seconds. Sorts chunks and merges them, pausing between stretches of work. The OpenIDs
 * must already be trimmed and without repeats (as the keys of a Set or Map are).
 */
export async function planBatchesPaced(uniqueOpenIds: Iterable<string>, pacer: EventLoopPacer): Promise<string[][]> {
	const all = [...uniqueOpenIds];
	const chunks: string[][] = [];
	for (let start = 0; start < all.length; start += SORT_CHUNK) {
		chunks.push(all.slice(start, start + SORT_CHUNK).sort());
		if (pacer.due(SORT_CHUNK)) await pacer.pause();
	}
	const sorted: string[] = [];
	const next = chunks.map(() => 0);
	while (sorted.length < all.length) {
		let best = -1;
		for (let chunk = 0; chunk < chunks.length; chunk++) {
			if (next[chunk] < chunks[chunk].length && (best < 0 || chunks[chunk][next[chunk]] < chunks[best][next[best]])) best = chunk;
		}
		sorted.push(chunks[best][next[best]++]);
		if (pacer.due()) await pacer.pause();
	}
	return splitEvenly(sorted, MAX_OPENIDS_PER_SEND);
}

/** "2026-11-30": the calendar day in China Standard Time (UTC+8 all year), the day WeChat's console shows. */
export function chinaDay(epochMs: number): string {
	return new Date(epochMs + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Checks a user-given Client Message ID; an empty one is derived later. */
export function checkClientMsgId(this: IExecuteFunctions, settings: SendSettings, itemIndex: number): void {
	const bytes = Buffer.byteLength(settings.clientMsgId, 'utf8');
	if (bytes > MAX_CLIENT_MSG_ID_BYTES) {
		throw inputError.call(this, itemIndex, 'Client Message ID', `must be at most ${MAX_CLIENT_MSG_ID_BYTES} bytes, got ${bytes}`);
	}
}

/**
 * The clientmsgid of one call. The user's key as given (batch n > 1: derived from key and n). Else
 * derived from the workflow, the node, the body itself (message and sorted recipients) and, under
 * the Once per Day rule, the day in China: the same send made again that day, by Retry On Fail, a
 * retried execution or a trigger firing twice, gets the same id, so WeChat delivers it once; a
 * schedule's send the next day gets a new one.
 */
export function clientMsgIdFor(
	this: IExecuteFunctions,
	settings: SendSettings,
	body: SendAllRequest | SendToOpenIdsRequest,
	batchIndex: number,
	day: string,
): string {
	if (settings.clientMsgId !== '') return clientMsgIdForBatch(settings.clientMsgId, batchIndex);
	const when = settings.repeatRule === 'oncePerDay' ? day : '';
	return deriveClientMsgId([this.getWorkflow().id ?? '', this.getNode().name, JSON.stringify({ ...body, clientmsgid: undefined }), when]);
}

export interface KeyedSend {
	itemIndex: number;
	/** The clientmsgid of each of the send's calls: two items share one when they make the same call. */
	clientMsgIds: string[];
	userKey: boolean;
}

/**
 * Two items with the same clientmsgid would make WeChat drop the second as a repeat of the first:
 * the later item is refused before anything is sent. With Continue On Fail it becomes an error and
 * the other items go on.
 */
export function refuseRepeatsInRun<T extends KeyedSend>(ctx: IExecuteFunctions, sends: Array<PreparedOrFailed<T>>): Array<PreparedOrFailed<T>> {
	const firstItemOf = new Map<string, number>();
	return sends.map((send) => {
		if ('error' in send) return send;
		const repeated = send.clientMsgIds.find((clientMsgId) => firstItemOf.has(clientMsgId));
		if (repeated === undefined) {
			for (const clientMsgId of send.clientMsgIds) firstItemOf.set(clientMsgId, send.itemIndex);
			return send;
		}
		const first = firstItemOf.get(repeated)!;
		const error = send.userKey
			? inputError.call(ctx, send.itemIndex, 'Client Message ID', `"${repeated}" is also a key of item ${first + 1}; WeChat would treat this send as a repeat of that one and skip it`)
			: inputError.call(
					ctx,
					send.itemIndex,
					'Message',
					`same message to the same recipients as item ${first + 1}; WeChat would deliver it once. Remove the repeat, or give each item its own Client Message ID`,
				);
		if (!ctx.continueOnFail()) throw error;
		return { itemIndex: send.itemIndex, error };
	});
}

/**
 * WeChat's answers while a send waits for an administrator's confirmation (API mass-send protection,
 * 群发保护): 89505 when the send enters the confirmation, 89504 while it is still waiting.
 */
const AWAITING_ADMIN_CONFIRMATION: ReadonlySet<number> = new Set([89504, 89505]);

/** The errcode and errmsg of WeChat's answer an error was made from, when there is one. */
function weChatAnswerIn(error: unknown): { errcode: number; errmsg?: string } | undefined {
	const answer = (error as { errorResponse?: { errcode?: unknown; errmsg?: unknown } }).errorResponse;
	if (typeof answer?.errcode !== 'number') return undefined;
	return typeof answer.errmsg === 'string' ? { errcode: answer.errcode, errmsg: answer.errmsg } : { errcode: answer.errcode };
}

/** One mass-send call, confirmed exactly once, as the node's output item. */
export async function confirmSend(
	this: IExecuteFunctions,
	path: '/cgi-bin/message/mass/sendall' | '/cgi-bin/message/mass/send',
	body: SendAllRequest | SendToOpenIdsRequest,
	settings: SendSettings,
	pacer: MassSendPacer,
	itemIndex: number,
): Promise<IDataObject> {
	const timing = { confirmWithinMs: settings.confirmWithinSeconds * 1000, repeatWaitMs: settings.repeatWaitSeconds * 1000 };
	const clientMsgId = body.clientmsgid;
	let confirmed: ConfirmedSend;
	try {
		confirmed = await sendExactlyOnce(this, path, body, timing, pacer, itemIndex);
	} catch (error) {
		const answer = weChatAnswerIn(error);
		if (answer === undefined || !AWAITING_ADMIN_CONFIRMATION.has(answer.errcode)) throw asNodeError(this, error, itemIndex);
		addOutputHint(
			this,
			`Item ${itemIndex + 1}: not sent yet. WeChat holds this send until an administrator of the account confirms it in WeChat ` +
				'(API mass-send protection, 群发保护); if nobody confirms within 30 minutes, or it is rejected, it is not sent. ' +
				'The protection is switched off in the Official Accounts Platform under Settings > Security Center > Risk Operation Protection (设置 > 安全中心 > 风险操作保护).',
		);
		return { ...answer, sent: false, duplicate: false, awaitingConfirmation: true, clientMsgId };
	}
	if (confirmed.duplicate) {
		const why = repeatReason(settings, clientMsgId, confirmed.result.msg_id);
		if (settings.onRepeat === 'fail') {
			const message = `WeChat already has this send from an earlier run: nothing was sent now`;
			const response: JsonObject = { message, errcode: confirmed.result.errcode ?? 45065, msg_id: confirmed.result.msg_id ?? null, clientmsgid: clientMsgId };
			throw new NodeApiError(this.getNode(), response, { message, description: why, itemIndex });
		}
		addOutputHint(this, `Item ${itemIndex + 1}: nothing was sent. ${why}`);
		return { ...confirmed.result, sent: false, duplicate: true, clientMsgId };
	}
	if (confirmed.confirmedByRepeat) {
		// The send's own answer (errcode 0) was lost; WeChat's answer to the repeat (in result) confirmed it.
		const { errcode, errmsg } = confirmed.result;
		return { ...confirmed.result, errcode: 0, errmsg: 'ok', sent: true, duplicate: false, clientMsgId, confirmedBy: { errcode, errmsg } };
	}
	return { ...confirmed.result, sent: true, duplicate: false, clientMsgId };
}

function repeatReason(settings: SendSettings, clientMsgId: string, msgId: number | undefined): string {
	const original = `WeChat already accepted this send (msg_id ${msgId ?? 'unknown'}) within the last 24 hours`;
	if (settings.clientMsgId !== '') {
		return `${original} under Client Message ID "${settings.clientMsgId}" (clientmsgid "${clientMsgId}"). Use another Client Message ID to send again.`;
	}
	return settings.repeatRule === 'oncePerDay'
		? `${original}: the same message to the same recipients from this node today (China time). It goes out again tomorrow; to send it again today, give it its own Client Message ID.`
		: `${original}: the same message to the same recipients from this node. To send it again within 24 hours, give it its own Client Message ID.`;
}
