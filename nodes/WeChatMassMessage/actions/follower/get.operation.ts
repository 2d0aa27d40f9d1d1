import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkEachItem, errorItem } from '../../helpers/items';
import type { BatchUserInfoRequest, BatchUserInfoResponse, FollowerInfo, FollowerLanguage } from '../../helpers/types';
import { explainErrcode } from '../../transport/errorCodes';
import { readOpenIds } from '../../helpers/validation';
import { callPerGroup, openIdsField } from './openIdBatches';

/** "最多支持一次拉取100条。" (api_batchuserinfo). */
const MAX_FOLLOWERS_PER_CALL = 100;
const show = { resource: ['follower'], operation: ['get'] };

export const description: INodeProperties[] = [
	openIdsField(show, 'One output item per OpenID', `Fetched ${MAX_FOLLOWERS_PER_CALL} per call. WeChat no longer gives nicknames or avatars (since 2021-12-27)`),
	{
		displayName: 'Language',
		name: 'lang',
		type: 'options',
		default: 'zh_CN',
		description: 'The language of the answer (WeChat\'s lang)',
		options: [
			{ name: 'Simplified Chinese', value: 'zh_CN' },
			{ name: 'Traditional Chinese', value: 'zh_TW' },
			{ name: 'English', value: 'en' },
		],
		displayOptions: { show },
	},
];

/**
 * user/info/batchget (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_batchuserinfo):
 * the OpenIDs of all items in calls of at most 100; one item per OpenID with WeChat's fields of user/info
 * (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const checked = await checkEachItem(this, items, (itemIndex) => ({ openIds: readOpenIds.call(this, itemIndex), lang: this.getNodeParameter('lang', itemIndex, 'zh_CN') as FollowerLanguage }));
	const outcomes = await callPerGroup<{ openIds: string[]; lang: FollowerLanguage }, FollowerLanguage, BatchUserInfoResponse>(
		this,
		checked,
		(entry) => entry.lang,
		MAX_FOLLOWERS_PER_CALL,
		(lang, batch) => ({ method: 'POST', path: '/cgi-bin/user/info/batchget', body: { user_list: batch.map((openid) => ({ openid, lang })) } satisfies BatchUserInfoRequest, idempotent: true }),
		(_lang, done, total) => `${done} of the ${total.toLocaleString('en-US')} followers were read before.`,
	);

	const output: INodeExecutionData[] = [];
	for (const checkedItem of checked) {
		if ('error' in checkedItem) {
			output.push(errorItem(checkedItem.error, [checkedItem.itemIndex]));
			continue;
		}
		const entry = { ...checkedItem.checked, itemIndex: checkedItem.itemIndex };
		const read = outcomes.get(entry.lang)!;
		if ('error' in read) {
			output.push(errorItem(read.error, [entry.itemIndex]));
			continue;
		}
		for (const openId of entry.openIds) {
			const outcome = read.get(openId)!;
			if ('refused' in outcome) {
				const { errcode, errmsg } = outcome.refused;
				const message = `Item ${entry.itemIndex + 1}, "OpenIDs": WeChat refused ${openId}`;
				const description = `errcode ${errcode} ${errmsg ?? ''}: ${explainErrcode(errcode ?? 0) ?? 'see WeChat\'s documentation of this errcode'}`;
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: entry.itemIndex, description });
				output.push({ json: { error: message, errorDescription: description, openid: openId, errcode, errmsg }, pairedItem: { item: entry.itemIndex } });
				continue;
			}
			const info: FollowerInfo | undefined = (outcome.result.user_info_list ?? []).find((follower) => follower.openid === openId);
			output.push({ json: { ...(info ?? { openid: openId, subscribe: 0 }) } as IDataObject, pairedItem: { item: entry.itemIndex } });
		}
	}
	return output;
}
