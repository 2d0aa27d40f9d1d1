// Reading a follower list page by page (user/get and user/tag/get): each page starts after the
// previous page's next_openid. WeChat's pages do not agree on how the list ends (api_getfans: "最后一次返回时
// next_openid可能为空表示列表结束"; followers report the last page's next_openid to be its last OpenID, and the
// call after it to answer count 0), so any of these ends it: no OpenIDs, no next_openid, or the same one again.
import type { INodeExecutionData } from 'n8n-workflow';

import { EventLoopPacer } from '../../helpers/eventLoop';
import type { FollowerPageResponse } from '../../helpers/types';

export async function readFollowerPages(
	fetchPage: (nextOpenId: string) => Promise<FollowerPageResponse>,
	options: { startAfter: string; limit: number; itemIndex: number; extra?: Record<string, unknown> },
): Promise<{ items: INodeExecutionData[]; total?: number }> {
	const items: INodeExecutionData[] = [];
	// A million followers are a hundred pages of ten thousand: building their items must not hold n8n's event loop.
	const pacer = new EventLoopPacer();
	let next = options.startAfter;
	let total: number | undefined;
	while (items.length < options.limit) {
		const page = await fetchPage(next);
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
