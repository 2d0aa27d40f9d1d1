import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { PublishedBatchGetResponse, PublishedListEntry } from '../../helpers/types';
import { readLimit } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { includeContentField, returnAllFields } from '../common.descriptions';

const show = { resource: ['publishedArticle'], operation: ['getAll'] };
/** freepublish/batchget: "count 返回素材的数量，取值在1到20之间". */
const PAGE_SIZE = 20;

export const description: INodeProperties[] = [
	...returnAllFields(show),
	includeContentField(show, 'titles, links and IDs'),
];

/** freepublish/batchget (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_batchget): one item per publish, in WeChat's order. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => ({ limit: readLimit.call(this, itemIndex), noContent: this.getNodeParameter('includeContent', itemIndex, true) ? 0 : 1 });
	return await forEachItem(this, items, check, async ({ limit, noContent }, itemIndex) => {		const published: PublishedListEntry[] = [];
		for (let offset = 0; published.length < limit; ) {
			const body = { offset, count: Math.min(PAGE_SIZE, limit - published.length), no_content: noContent };
			const page = await weChatApiRequest<PublishedBatchGetResponse>(this, { method: 'POST', path: '/cgi-bin/freepublish/batchget', body, idempotent: true }, itemIndex);
			const entries = page.item ?? [];
			published.push(...entries);
			offset += entries.length;
			if (entries.length === 0 || offset >= page.total_count) break;
		}
		return published as unknown as IDataObject[];
	});
}
