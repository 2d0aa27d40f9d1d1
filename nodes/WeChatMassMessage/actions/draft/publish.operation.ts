import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { PublishSubmitRequest, PublishSubmitResponse } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { checkPublishStatus, readPublishWaiting, waitFields } from '../publishedArticle/publishStatus';
import { readDraftMediaId } from './draftMediaId';

const show = { resource: ['draft'], operation: ['publish'] };

export const description: INodeProperties[] = [
	// "注：2025年7月起，个人主体账号、企业主体未认证账号及不支持认证的账号将被回收以上接口的调用权限。"
	// (https://developers.weixin.qq.com/doc/service/guide/product/publish.html)
	{
		displayName:
			'Publishing puts the articles on the account without pushing them to followers: they do not count against the mass-send quota. Since July 2025 WeChat withdraws the publishing API from personal, unverified and non-verifiable accounts (errcode 48001).',
		name: 'publishNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	draftLocator({
		displayName: 'Draft',
		name: 'draftMediaId',
		description: 'The draft to publish: pick it from the draft box, or give its media ID (from Draft > Create)',
		hint: 'Once published, the draft leaves the draft box',
		displayOptions: { show },
	}),
	...waitFields(show, true),
];

/** Submits made in this execution, so that a try of n8n's Retry On Fail does not submit the draft again. */
const SUBMITS_FIELD = 'publishSubmits';
const SUBMITS_KEPT_MS = 24 * 3600 * 1000;

function submitsOf(ctx: IExecuteFunctions): Record<string, PublishSubmitResponse & { at: number }> {
	const staticData = ctx.getWorkflowStaticData('node');
	const submits = (staticData[SUBMITS_FIELD] ??= {}) as Record<string, PublishSubmitResponse & { at: number }>;
	for (const [key, submit] of Object.entries(submits)) if (!(Date.now() - submit.at < SUBMITS_KEPT_MS)) delete submits[key];
	return submits;
}

/**
 * freepublish/submit (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit) → publish_id and
 * msg_data_id (which Get Article Stats takes); then freepublish/get until the job has finished, if asked. The
 * settings are checked before the submit; an error after it says the draft was submitted, with its ids.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => ({ body: { media_id: readDraftMediaId.call(this, itemIndex) } satisfies PublishSubmitRequest, polling: readPublishWaiting.call(this, itemIndex, true) });
	return await forEachItem(this, items, check, async ({ body, polling }, itemIndex) => {
		const submits = submitsOf(this);
		const key = `${String(this.getExecutionId?.() ?? '')}|${body.media_id}`;
		let submitted: PublishSubmitResponse | undefined = submits[key];
		if (submitted === undefined) {
			// Not replayed: a submit that went through has taken the draft out of the draft box; a second would publish nothing or fail.
			submitted = await weChatApiRequest<PublishSubmitResponse>(this, { method: 'POST', path: '/cgi-bin/freepublish/submit', body, idempotent: false }, itemIndex);
			submits[key] = { publish_id: submitted.publish_id, msg_data_id: submitted.msg_data_id, at: Date.now() };
		}
		const ids = { publish_id: submitted.publish_id, msg_data_id: submitted.msg_data_id };
		try {
			const status = polling === undefined ? {} : await checkPublishStatus(this, String(submitted.publish_id), polling, itemIndex);
			return { ...submitted, ...status, media_id: body.media_id };
		} catch (error) {
			const cause = error instanceof Error ? error.message : String(error);
			const message = `The draft was submitted for publishing (publish_id ${String(ids.publish_id)}), but its status could not be read`;
			const description =
				`${cause} The publish goes on at WeChat: read its status later with Published Article > Get Publish Status and publish_id ${String(ids.publish_id)} ` +
				`(msg_data_id ${String(ids.msg_data_id)} for Get Article Stats). Do not publish the draft again: it has left the draft box.`;
			throw new NodeApiError(this.getNode(), { message, ...ids, media_id: body.media_id } as JsonObject, { message, description, itemIndex });
		}
	});
}
