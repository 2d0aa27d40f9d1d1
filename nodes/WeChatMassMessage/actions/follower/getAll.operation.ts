import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { addOutputHint, asNodeError, errorItem } from '../../helpers/items';
import { OPENID_PATTERN } from '../../helpers/recipients';
import type { FollowerPageResponse } from '../../helpers/types';
import { inputError, readLimit } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { returnAllFields } from '../common.descriptions';
import { readFollowerPages } from './followerPages';

export function returnAllAndLimit(operation: string): INodeProperties[] {
	const shown = { resource: ['follower'], operation: [operation] };
	return [
		...returnAllFields(shown),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: shown },
			options: [
				{
					displayName: 'Start After OpenID',
					name: 'startAfter',
					type: 'string',
					default: '',
					placeholder: 'e.g. o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
					description: 'Continue the list after this follower (WeChat\'s next_openid): the last OpenID an earlier run returned',
				},
			],
		},
	];
}

export const description: INodeProperties[] = returnAllAndLimit('getAll');

/** Return All / Limit and Start After OpenID, as both follower lists read them. */
export function readListSettings(this: IExecuteFunctions, itemIndex: number): { limit: number; startAfter: string } {
	const limit = readLimit.call(this, itemIndex);
	const startAfter = String((this.getNodeParameter('options', itemIndex, {}) as { startAfter?: unknown }).startAfter ?? '').trim();
	if (startAfter !== '' && !OPENID_PATTERN.test(startAfter)) throw inputError.call(this, itemIndex, 'Options > Start After OpenID', `"${startAfter}" is not an OpenID (28 letters, digits, - or _)`);
	return { limit, startAfter };
}

/**
 * user/get (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_getfans): "一次拉取调用最多拉取10000个关注者的OpenID",
 * in WeChat's order; one item per follower.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const { limit, startAfter } = readListSettings.call(this, itemIndex);
			const fetchPage = async (nextOpenId: string) =>
				await weChatApiRequest<FollowerPageResponse>(this, { method: 'GET', path: '/cgi-bin/user/get', qs: nextOpenId === '' ? {} : { next_openid: nextOpenId }, idempotent: true }, itemIndex);
			const { items: followers, total } = await readFollowerPages(fetchPage, { startAfter, limit, itemIndex });
			if (total !== undefined && followers.length < total && limit === Infinity && startAfter === '') {
				addOutputHint(this, `WeChat counts ${total.toLocaleString('en-US')} followers but listed ${followers.length.toLocaleString('en-US')}: followers who joined or left meanwhile`);
			}
			for (const follower of followers) output.push(follower);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			output.push(errorItem(error, [itemIndex]));
		}
	}
	return output;
}
