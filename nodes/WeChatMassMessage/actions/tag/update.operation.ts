import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { TagUpdateRequest, WeChatResult } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { MAX_TAG_NAME_BYTES, readChangeableTagId, readTagName } from './tagFields';

const show = { resource: ['tag'], operation: ['update'] };

export const description: INodeProperties[] = [
	tagLocator({
		displayName: 'Tag',
		name: 'tagId',
		description: 'The tag to rename: pick it from the account\'s tags, or give its ID',
		displayOptions: { show },
	}),
	{
		displayName: 'New Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. VIP 2027',
		hint: `At most ${MAX_TAG_NAME_BYTES} bytes: 10 Chinese characters or ${MAX_TAG_NAME_BYTES} letters`,
		displayOptions: { show },
	},
];

/** tags/update (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_updatetag). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const id = readChangeableTagId.call(this, itemIndex);
		const name = readTagName.call(this, itemIndex, 'name', 'New Name');
		const body: TagUpdateRequest = { tag: { id, name } };
		// Renaming twice to the same name leaves the same tag.
		const result = await weChatApiRequest<WeChatResult>(this, { method: 'POST', path: '/cgi-bin/tags/update', body, idempotent: true }, itemIndex);
		return { ...result, tag: { id, name } };
	});
}
