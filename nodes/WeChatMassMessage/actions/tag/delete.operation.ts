import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkAgainst, checkEachItem, runEachChecked } from '../../helpers/items';
import type { TagDeleteRequest, WeChatResult } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { readAccountTags, readChangeableTagId, requireTag } from './tagFields';

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
	const checked = await checkEachItem(this, items, (itemIndex): TagDeleteRequest => ({ tag: { id: readChangeableTagId.call(this, itemIndex) } }));
	const tags = checked.some((entry) => !('error' in entry)) ? await readAccountTags(this) : new Map();
	const ready = checkAgainst(this, checked, ({ tag }, itemIndex) => void requireTag(this, tags, tag.id, itemIndex));
	return await runEachChecked(this, ready, async (body, itemIndex) => {
		// Not replayed: a repeat of a delete that went through would report the tag as unknown (45159).
		const result = await weChatApiRequest<WeChatResult>(this, { method: 'POST', path: '/cgi-bin/tags/delete', body, idempotent: false }, itemIndex);
		return { ...result, tag: body.tag };
	});
}
