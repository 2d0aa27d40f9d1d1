import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { TagDeleteRequest, WeChatResult } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { readChangeableTagId } from './tagFields';

export const description: INodeProperties[] = [
	tagLocator({
		displayName: 'Tag',
		name: 'tagId',
		description: 'The tag to delete: pick it from the account\'s tags, or give its ID. Its followers keep following; only the tag goes.',
		hint: 'WeChat does not delete a tag with more than 100,000 followers: remove it from followers first (Follower > Remove Tag)',
		displayOptions: { show: { resource: ['tag'], operation: ['delete'] } },
	}),
];

/** tags/delete (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_deletetag). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const id = readChangeableTagId.call(this, itemIndex);
		const body: TagDeleteRequest = { tag: { id } };
		// Not replayed: a repeat of a delete that went through would report the tag as unknown (45159).
		const result = await weChatApiRequest<WeChatResult>(this, { method: 'POST', path: '/cgi-bin/tags/delete', body, idempotent: false }, itemIndex);
		return { ...result, tag: { id } };
	});
}
