// How follower operations carry OpenIDs to WeChat: the OpenIDs of all input items combined, each once,
// in calls of at most WeChat's size; a call WeChat refuses because of one follower is split until the
// follower is found, so the others still go through and the output can name who was refused.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { type Checked, asNodeError } from '../../helpers/items';
import { splitEvenly } from '../../helpers/recipients';
import type { WeChatResult } from '../../helpers/types';
import { type WeChatReply, type WeChatRequest, callWeChatReplaying, unknownOutcomeError, weChatError } from '../../transport';

/** Errcodes WeChat gives a whole call for one of its followers: an unknown or foreign OpenID, or one with too many tags. */
const FOLLOWER_ERRCODES: ReadonlySet<number> = new Set([40003, 45059, 49003]);

/** What became of one OpenID: the call (1-based, in the order made) that carried it, or WeChat's refusal. */
export type OpenIdOutcome<R> = { call: number; callOpenIdCount: number; result: R } | { refused: WeChatResult };

/**
 * The OpenIDs field of the follower operations (read by helpers/validation's readOpenIds): each item's OpenIDs, and what
 * the operation does with them (`perItems`, a sentence without its final period) and its limits (`hint`).
 */
export function openIdsField(show: Record<string, string[]>, perItems: string, hint: string): INodeProperties {
	return {
		displayName: 'OpenIDs',
		name: 'openIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
		description: `The follower OpenID of each item (28 characters): one, an array, or a list separated by commas or new lines. ${perItems}.`,
		hint,
		displayOptions: { show },
	};
}

/** The OpenIDs of `entries`, each once, in order of appearance. */
function distinctOpenIds(entries: Array<{ openIds: string[] }>): string[] {
	const distinct = new Set<string>();
	for (const entry of entries) for (const openId of entry.openIds) distinct.add(openId);
	return [...distinct];
}

/**
 * Calls WeChat for `openIds` (distinct) in calls of at most `maxPerCall`, split evenly. A call refused
 * for one of its followers is split in halves and each half called again, down to the follower: about
 * 2 × log2(maxPerCall) more calls per refused follower. Any other refusal, or an answer that stays
 * lost, stops everything with an error that says how many were done before (`doneNote`).
 */
export async function callInBatches<R extends WeChatResult>(
	ctx: IExecuteFunctions,
	openIds: string[],
	maxPerCall: number,
	requestFor: (batch: string[]) => WeChatRequest,
	itemIndex: number,
	doneNote: (done: number) => string,
	/** Calls made so far in this run, to number calls across several runs of batches. */
	callCount = { made: 0 },
): Promise<Map<string, OpenIdOutcome<R>>> {
	const outcomes = new Map<string, OpenIdOutcome<R>>();
	let done = 0;
	const run = async (batch: string[]): Promise<void> => {
		const request = requestFor(batch);
		const reply: WeChatReply<R> = await callWeChatReplaying<R>(ctx, request, itemIndex);
		if (reply.outcome === 'unknown') throw unknownOutcomeError(ctx, request, reply.why, itemIndex, doneNote(done));
		const errcode = reply.result.errcode ?? 0;
		if (errcode === 0) {
			const call = ++callCount.made;
			for (const openId of batch) outcomes.set(openId, { call, callOpenIdCount: batch.length, result: reply.result });
			done += batch.length;
			return;
		}
		if (!FOLLOWER_ERRCODES.has(errcode)) {
			// WeChat's words in the message, what had been done in the description.
			const error = weChatError(ctx, reply.result, itemIndex, request.path);
			error.description = `${doneNote(done).trim()} ${error.description ?? ''}`.trim();
			throw error;
		}
		if (batch.length === 1) {
			outcomes.set(batch[0], { refused: { errcode, errmsg: reply.result.errmsg } });
			return;
		}
		const half = Math.ceil(batch.length / 2);
		await run(batch.slice(0, half));
		await run(batch.slice(half));
	};
	for (const batch of splitEvenly(openIds, maxPerCall)) await run(batch);
	return outcomes;
}

/**
 * callInBatches for the items' OpenIDs, one run of calls per group (a tag, a language: `keyOf`), each
 * OpenID once per group whichever items it came from; calls are numbered across the groups. A group
 * whose calls fail fails the node, or (Continue On Fail) is kept as its error and the others go on.
 */
export async function callPerGroup<E extends { openIds: string[] }, K, R extends WeChatResult>(
	ctx: IExecuteFunctions,
	checked: Array<Checked<E>>,
	keyOf: (entry: E) => K,
	maxPerCall: number,
	requestFor: (key: K, batch: string[]) => WeChatRequest,
	doneNote: (key: K, done: number, total: number) => string,
): Promise<Map<K, Map<string, OpenIdOutcome<R>> | { error: Error }>> {
	const groups = new Map<K, Array<{ itemIndex: number; openIds: string[] }>>();
	for (const entry of checked) {
		if ('error' in entry) continue;
		const key = keyOf(entry.checked);
		const entries = groups.get(key) ?? [];
		entries.push({ itemIndex: entry.itemIndex, openIds: entry.checked.openIds });
		groups.set(key, entries);
	}
	const outcomes = new Map<K, Map<string, OpenIdOutcome<R>> | { error: Error }>();
	const callCount = { made: 0 };
	for (const [key, entries] of groups) {
		const openIds = distinctOpenIds(entries);
		const note = (done: number) => doneNote(key, done, openIds.length);
		try {
			outcomes.set(key, await callInBatches<R>(ctx, openIds, maxPerCall, (batch) => requestFor(key, batch), entries[0].itemIndex, note, callCount));
		} catch (error) {
			const failed = asNodeError(ctx, error, entries[0].itemIndex);
			if (!ctx.continueOnFail()) throw failed;
			outcomes.set(key, { error: failed });
		}
	}
	return outcomes;
}
