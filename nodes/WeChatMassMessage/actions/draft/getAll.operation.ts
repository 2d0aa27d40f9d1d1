import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { DraftBatchGetRequest, DraftBatchGetResponse, DraftListEntry } from '../../helpers/mediaTypes';
import { readLimit } from '../../helpers/validation';
import { type WeChatContext, weChatApiRequest } from '../../transport';
import { includeContentField, returnAllFields } from '../common.descriptions';

const show = { resource: ['draft'], operation: ['getAll'] };

/** draft/batchget: "count 取值在1到20之间". */
export const DRAFT_PAGE_SIZE = 20;

export const description: INodeProperties[] = [
	...returnAllFields(show),
	includeContentField(show, 'titles and IDs'),
];

/** One page of the draft box, as WeChat orders it. */
export async function fetchDraftPage(ctx: WeChatContext, offset: number, count: number, includeContent: boolean, itemIndex = 0): Promise<DraftBatchGetResponse> {
	const body: DraftBatchGetRequest = { offset, count, no_content: includeContent ? 0 : 1 };
	return await weChatApiRequest<DraftBatchGetResponse>(ctx, { method: 'POST', path: '/cgi-bin/draft/batchget', body, idempotent: true }, itemIndex);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => ({ limit: readLimit.call(this, itemIndex), includeContent: this.getNodeParameter('includeContent', itemIndex, true) as boolean });
	return await forEachItem(this, items, check, async ({ limit, includeContent }, itemIndex) => {
		const drafts: DraftListEntry[] = [];
		for (let offset = 0; drafts.length < limit; ) {
			const page = await fetchDraftPage(this, offset, Math.min(DRAFT_PAGE_SIZE, limit - drafts.length), includeContent, itemIndex);
			const entries = page.item ?? [];
			drafts.push(...entries);
			offset += entries.length;
			if (entries.length === 0 || offset >= page.total_count) break;
		}
		return drafts as unknown as IDataObject[];
	});
}
