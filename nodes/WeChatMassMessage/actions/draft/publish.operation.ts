import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { PublishSubmitRequest, PublishSubmitResponse } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { checkPublishStatus, waitFields } from '../publishedArticle/publishStatus';
import { readDraftMediaId } from './draftMediaId';

const show = { resource: ['draft'], operation: ['publish'] };

export const description: INodeProperties[] = [
	// "注：2025年7月起，个人主体账号、企业主体未认证账号及不支持认证的账号将被回收以上接口的调用权限。"
	// (https://developers.weixin.qq.com/doc/service/guide/product/publish.html)
	{
		displayName:
			'Publishing (发布) puts the articles on the account without pushing them to followers: they do not count against the mass-send quota. Since July 2025 WeChat withdraws the publishing API from personal, unverified and non-verifiable accounts (errcode 48001).',
		name: 'publishNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	draftLocator({
		displayName: 'Draft',
		name: 'draftMediaId',
		description: 'The draft to publish: pick it from the draft box (草稿箱), or give its media ID (from Draft > Create)',
		hint: 'Once published, the draft leaves the draft box',
		displayOptions: { show },
	}),
	...waitFields(show, true),
];

/**
 * freepublish/submit (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit) → publish_id and
 * msg_data_id (which Get Article Stats takes); then freepublish/get until the job has finished, if asked.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const body: PublishSubmitRequest = { media_id: readDraftMediaId.call(this, itemIndex) };
		// Not replayed: a submit that went through has taken the draft out of the draft box; a second would publish nothing or fail.
		const submitted = await weChatApiRequest<PublishSubmitResponse>(this, { method: 'POST', path: '/cgi-bin/freepublish/submit', body, idempotent: false }, itemIndex);
		const status = this.getNodeParameter('waitUntilPublished', itemIndex, true) ? await checkPublishStatus(this, String(submitted.publish_id), itemIndex) : {};
		return { ...submitted, ...status, media_id: body.media_id };
	});
}
