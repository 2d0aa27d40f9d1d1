import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { TagsResponse } from '../../helpers/types';
import { integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

const show = { resource: ['tag'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
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
];

/** tags/get (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettags.html): one item per tag, with its follower count. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
		const limit = returnAll ? Infinity : integerInRange.call(this, this.getNodeParameter('limit', itemIndex, 50), { min: 1, max: Number.MAX_SAFE_INTEGER }, itemIndex, 'Limit');
		const { tags } = await weChatApiRequest<TagsResponse>(this, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true }, itemIndex);
		return tags.slice(0, limit);
	});
}
