import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { PublishedBatchGetResponse, PublishedListEntry } from '../../helpers/types';
import { integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

const show = { resource: ['publishedArticle'], operation: ['getAll'] };
/** freepublish/batchget: "count 返回素材的数量，取值在1到20之间". */
const PAGE_SIZE = 20;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Include Content',
		name: 'includeContent',
		type: 'boolean',
		default: true,
		description: 'Whether to return each article\'s HTML. Turn off to list titles, links and IDs only (lighter).',
		displayOptions: { show },
	},
];

/** freepublish/batchget (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_batchget): one item per publish, in WeChat's order. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : integerInRange.call(this, this.getNodeParameter('limit', itemIndex, 50), { min: 1, max: Number.MAX_SAFE_INTEGER }, itemIndex, 'Limit');
		const noContent = this.getNodeParameter('includeContent', itemIndex, true) ? 0 : 1;
		const published: PublishedListEntry[] = [];
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
