import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { TagsResponse } from '../../helpers/types';
import { readLimit } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { returnAllFields } from '../common.descriptions';

const show = { resource: ['tag'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllFields(show, true),
];

/** tags/get (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettags.html): one item per tag, with its follower count. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, (itemIndex) => ({ limit: readLimit.call(this, itemIndex, true) }), async ({ limit }, itemIndex) => {
		const { tags } = await weChatApiRequest<TagsResponse>(this, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true }, itemIndex);
		return tags.slice(0, limit);
	});
}
