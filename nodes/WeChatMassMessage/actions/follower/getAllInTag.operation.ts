import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkAgainst, checkEachItem, errorItem } from '../../helpers/items';
import type { FollowerPageResponse, TagFollowersRequest } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { readAccountTags, readTagId, requireTag } from '../tag/tagFields';
import { followerListOutput, readFollowerPages } from './followerPages';
import { readListSettings, returnAllAndLimit } from './getAll.operation';

export const description: INodeProperties[] = [
	tagLocator({
		displayName: 'Tag',
		name: 'tagId',
		description: 'The tag whose followers to list: pick it from the account\'s tags, or give its ID',
		displayOptions: { show: { resource: ['follower'], operation: ['getAllInTag'] } },
	}),
	...returnAllAndLimit('getAllInTag'),
];

/** user/tag/get (POST; https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettagfans): one item per follower with the tag. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const checked = await checkEachItem(this, items, (itemIndex) => ({ tagId: readTagId.call(this, itemIndex), ...readListSettings.call(this, itemIndex) }));
	const tags = checked.some((entry) => !('error' in entry)) ? await readAccountTags(this) : new Map();
	const output: INodeExecutionData[] = [];
	for (const entry of checkAgainst(this, checked, ({ tagId }, itemIndex) => void requireTag(this, tags, tagId, itemIndex))) {
		if ('error' in entry) {
			output.push(errorItem(entry.error, [entry.itemIndex]));
			continue;
		}
		const { itemIndex } = entry;
		const { tagId, limit, startAfter } = entry.checked;
		const fetchPage = async (nextOpenId: string) => {
			const body: TagFollowersRequest = { tagid: tagId, next_openid: nextOpenId };
			return await weChatApiRequest<FollowerPageResponse>(this, { method: 'POST', path: '/cgi-bin/user/tag/get', body, idempotent: true }, itemIndex);
		};
		output.push(...followerListOutput(this, await readFollowerPages(fetchPage, { startAfter, limit, itemIndex, extra: { tagid: tagId } }), itemIndex));
	}
	return output;
}
