// Reading a follower list page by page (user/get and user/tag/get): each page starts after the
// previous page's next_openid. WeChat's pages do not agree on how the list ends (api_getfans: "最后一次返回时
// next_openid可能为空表示列表结束"; followers report the last page's next_openid to be its last OpenID, and the
// call after it to answer count 0), so any of these ends it: no OpenIDs, no next_openid, or the same one again.
import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { EventLoopPacer } from '../../helpers/eventLoop';
import { errorItem } from '../../helpers/items';
import type { FollowerPageResponse } from '../../helpers/types';

/** What reading a follower list gave: the followers, WeChat's total, and where it stopped when a page failed. */
export interface FollowerPages {
	items: INodeExecutionData[];
	total?: number;
	/** A page failed: its error, and the next_openid to continue from (Start After OpenID). */
	failed?: { error: unknown; nextOpenId: string };
}

export async function readFollowerPages(
	fetchPage: (nextOpenId: string) => Promise<FollowerPageResponse>,
	options: { startAfter: string; limit: number; itemIndex: number; extra?: Record<string, unknown> },
): Promise<FollowerPages> {
	const items: INodeExecutionData[] = [];
	// A million followers are a hundred pages of ten thousand: building their items must not hold n8n's event loop.
	const pacer = new EventLoopPacer();
	let next = options.startAfter;
	let total: number | undefined;
	while (items.length < options.limit) {
		let page: FollowerPageResponse;
		try {
			page = await fetchPage(next);
		} catch (error) {
			return { items, total, failed: { error, nextOpenId: next } };
		}
		total ??= page.total;
		const openIds = page.data?.openid ?? [];
		for (const openid of openIds) {
			if (items.length >= options.limit) break;
			items.push({ json: { openid, ...options.extra }, pairedItem: { item: options.itemIndex } });
			if (pacer.due()) await pacer.pause();
		}
		const following = page.next_openid ?? '';
		if (openIds.length === 0 || following === '' || following === next) break;
		next = following;
	}
	return { items, total };
}

/**
 * The output of a follower list: its followers, and when a page failed, the node's error or (Continue
 * On Fail) an error item with the next_openid to continue from, after the followers read before.
 */
export function followerListOutput(ctx: IExecuteFunctions, pages: FollowerPages, itemIndex: number): INodeExecutionData[] {
	if (pages.failed === undefined) return pages.items;
	const { error, nextOpenId } = pages.failed;
	const cause = error instanceof Error ? error : new Error(String(error));
	const resume =
		`${pages.items.length.toLocaleString('en-US')} followers were read before it. ` +
		(nextOpenId === '' ? 'Run the step again.' : `To continue, set Options > Start After OpenID to ${nextOpenId}.`);
	const failed = new NodeApiError(ctx.getNode(), { message: cause.message, next_openid: nextOpenId, ...((cause as { errorResponse?: JsonObject }).errorResponse ?? {}) } as JsonObject, {
		message: cause.message,
		description: `${resume} ${(cause as { description?: string }).description ?? ''}`.trim(),
		itemIndex,
	});
	if (!ctx.continueOnFail()) throw failed;
	const item = errorItem(failed, [itemIndex]);
	return [...pages.items, { ...item, json: { ...item.json, followersRead: pages.items.length } }];
}
