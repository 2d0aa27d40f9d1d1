import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../helpers/items';
import type { FollowerPageResponse, TagFollowersRequest } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { readTagId } from '../tag/tagFields';
import { readFollowerPages } from './followerPages';
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
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const tagId = readTagId.call(this, itemIndex);
			const { limit, startAfter } = readListSettings.call(this, itemIndex);
			const fetchPage = async (nextOpenId: string) => {
				const body: TagFollowersRequest = { tagid: tagId, next_openid: nextOpenId };
				return await weChatApiRequest<FollowerPageResponse>(this, { method: 'POST', path: '/cgi-bin/user/tag/get', body, idempotent: true }, itemIndex);
			};
			const { items: followers } = await readFollowerPages(fetchPage, { startAfter, limit, itemIndex, extra: { tagid: tagId } });
			for (const follower of followers) output.push(follower);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			output.push(errorItem(error, [itemIndex]));
		}
	}
	return output;
}
