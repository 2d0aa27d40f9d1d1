// Checking a publish job (freepublish/get), once or until it is no longer publishing: shared by
// Draft > Publish (Wait Until Published) and Published Article > Get Publish Status.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { addOutputHint } from '../../helpers/items';
import { PUBLISHING, publishStatusMeaning } from '../../helpers/publishStatus';
import type { PublishGetResponse, PublishIdRequest } from '../../helpers/types';
import { integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

export function waitFields(show: Record<string, string[]>, defaultWait: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Wait Until Published',
			name: 'waitUntilPublished',
			type: 'boolean',
			default: defaultWait,
			displayOptions: { show },
			description: 'Whether to keep checking while WeChat reports the articles as publishing, until they are published or fail, or the time limit is reached',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			displayOptions: { show: { ...show, waitUntilPublished: [true] } },
			description: 'How long to wait between two checks',
		},
		{
			displayName: 'Time Limit (Seconds)',
			name: 'timeLimitSeconds',
			type: 'number',
			default: 300,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			displayOptions: { show: { ...show, waitUntilPublished: [true] } },
			description: 'Stop waiting after this long and output the last status (still publishing), with waitTimedOut true',
		},
	];
}

/** freepublish/get's answer with what it means: `publishStatusMeaning`, `finished`, and the failed articles as `failedArticles`. */
function describe(result: PublishGetResponse): IDataObject {
	const output: IDataObject = { ...result, publishStatusMeaning: publishStatusMeaning(result.publish_status), finished: result.publish_status !== PUBLISHING };
	if ((result.fail_idx ?? []).length > 0) output.failedArticles = result.fail_idx;
	return output;
}

export async function checkPublishStatus(ctx: IExecuteFunctions, publishId: string, itemIndex: number): Promise<IDataObject> {
	const wait = ctx.getNodeParameter('waitUntilPublished', itemIndex, false) as boolean;
	const body: PublishIdRequest = { publish_id: publishId };
	const check = async () => describe(await weChatApiRequest<PublishGetResponse>(ctx, { method: 'POST', path: '/cgi-bin/freepublish/get', body, idempotent: true }, itemIndex));
	if (!wait) return await check();
	const intervalMs = integerInRange.call(ctx, ctx.getNodeParameter('pollIntervalSeconds', itemIndex, 10), { min: 1, max: 86400 }, itemIndex, 'Poll Interval (Seconds)') * 1000;
	const limitSeconds = integerInRange.call(ctx, ctx.getNodeParameter('timeLimitSeconds', itemIndex, 300), { min: 1, max: 86400 }, itemIndex, 'Time Limit (Seconds)');
	const startedAt = Date.now();
	for (let checks = 1; ; checks++) {
		const output = await check();
		if (output.finished) return output;
		if (Date.now() - startedAt + intervalMs > limitSeconds * 1000) {
			addOutputHint(
				ctx,
				`Item ${itemIndex + 1}: stopped waiting at the Time Limit (${limitSeconds} s) after ${checks} ${checks === 1 ? 'check' : 'checks'}: WeChat still reports publishing. ` +
					'Run Published Article > Get Publish Status later, or let the WeChat Mass Message Trigger start a workflow when publishing finishes.',
			);
			return { ...output, waitTimedOut: true, checks };
		}
		await sleep(intervalMs);
	}
}
