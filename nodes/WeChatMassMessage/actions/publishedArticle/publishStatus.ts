// Checking a publish job (freepublish/get), once or until it is no longer publishing: shared by
// Draft > Publish (Wait Until Published) and Published Article > Get Publish Status.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addOutputHint } from '../../helpers/items';
import { PUBLISHING, publishStatusMeaning } from '../../helpers/publishStatus';
import type { PublishGetResponse, PublishIdRequest } from '../../helpers/types';
import { readPolling } from '../../helpers/validation';
import { type Polling, pollUntil, weChatApiRequest } from '../../transport';

export function waitFields(show: Record<string, string[]>, defaultWait: boolean): INodeProperties[] {
	// A literal default: n8n's verification lint reads a boolean default only when it is written out.
	const wait: INodeProperties = {
		displayName: 'Wait Until Published',
		name: 'waitUntilPublished',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to keep checking while WeChat reports the articles as publishing, until they are published or fail, or the time limit is reached',
	};
	return [
		defaultWait ? { ...wait, default: true } : wait,
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

/** Wait Until Published and its Poll Interval and Time Limit, checked before anything is sent. */
export function readPublishWaiting(this: IExecuteFunctions, itemIndex: number, waitDefault: boolean): Polling | undefined {
	return readPolling.call(this, itemIndex, { wait: 'waitUntilPublished', waitDefault, intervalDefault: 10, limitDefault: 300 });
}

/** The status of a publish, once or (`polling`) until it is no longer publishing. */
export async function checkPublishStatus(ctx: IExecuteFunctions, publishId: string, polling: Polling | undefined, itemIndex: number): Promise<IDataObject> {
	const body: PublishIdRequest = { publish_id: publishId };
	const read = async () => describe(await weChatApiRequest<PublishGetResponse>(ctx, { method: 'POST', path: '/cgi-bin/freepublish/get', body, idempotent: true }, itemIndex));
	if (polling === undefined) return await read();
	const { answer, checks, timedOut, stopped } = await pollUntil(ctx, read, (status) => status.finished === true, polling);
	if (stopped) throw new NodeOperationError(ctx.getNode(), 'The execution was stopped while waiting for the publish to finish', { itemIndex, description: `Publish ${publishId} was last ${String(answer.publishStatusMeaning)}.` });
	if (!timedOut) return answer;
	addOutputHint(
		ctx,
		`Item ${itemIndex + 1}: stopped waiting at the Time Limit (${polling.limitMs / 1000} s) after ${checks} ${checks === 1 ? 'check' : 'checks'}: WeChat still reports publishing. ` +
			'Run Published Article > Get Publish Status later, or let the WeChat Mass Message Trigger start a workflow when publishing finishes.',
	);
	return { ...answer, waitTimedOut: true, checks };
}
