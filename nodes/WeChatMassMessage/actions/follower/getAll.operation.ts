import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { addOutputHint, checkEachItem, errorItem } from '../../helpers/items';
import { OPENID_PATTERN } from '../../helpers/recipients';
import type { FollowerPageResponse } from '../../helpers/types';
import { inputError, readLimit } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { returnAllFields } from '../common.descriptions';
import { followerListOutput, readFollowerPages } from './followerPages';

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
	for (const entry of await checkEachItem(this, items, (itemIndex) => readListSettings.call(this, itemIndex))) {
		if ('error' in entry) {
			output.push(errorItem(entry.error, [entry.itemIndex]));
			continue;
		}
		const { itemIndex } = entry;
		const { limit, startAfter } = entry.checked;
		const fetchPage = async (nextOpenId: string) =>
			await weChatApiRequest<FollowerPageResponse>(this, { method: 'GET', path: '/cgi-bin/user/get', qs: nextOpenId === '' ? {} : { next_openid: nextOpenId }, idempotent: true }, itemIndex);
		const pages = await readFollowerPages(fetchPage, { startAfter, limit, itemIndex });
		if (pages.failed === undefined && pages.total !== undefined && pages.items.length < pages.total && limit === Infinity && startAfter === '') {
			addOutputHint(this, `WeChat counts ${pages.total.toLocaleString('en-US')} followers but listed ${pages.items.length.toLocaleString('en-US')}: followers who joined or left meanwhile`);
		}
		output.push(...followerListOutput(this, pages, itemIndex));
	}
	return output;
}
