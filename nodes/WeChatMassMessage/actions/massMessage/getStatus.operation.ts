import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addOutputHint, forEachItem } from '../../helpers/items';
import type { MassGetRequest, MassGetResponse } from '../../helpers/types';
import { readPolling } from '../../helpers/validation';
import { pollUntil, weChatApiRequest } from '../../transport';
import { messageIdField, readMessageId } from './messageId';

const OPERATION = 'getStatus';
const show = (extra: Record<string, boolean[]> = {}) => ({ show: { resource: ['massMessage'], operation: [OPERATION], ...extra } });

export const description: INodeProperties[] = [
	messageIdField([OPERATION]),
	{
		displayName: 'Wait Until Finished',
		name: 'waitUntilFinished',
		type: 'boolean',
		default: false,
		displayOptions: show(),
		description: 'Whether to keep checking while WeChat reports SENDING, until the send succeeds, fails or is deleted, or the time limit is reached',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		displayOptions: show({ waitUntilFinished: [true] }),
		description: 'How long to wait between two checks',
	},
	{
		displayName: 'Time Limit (Seconds)',
		name: 'timeLimitSeconds',
		type: 'number',
		default: 600,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		displayOptions: show({ waitUntilFinished: [true] }),
		description: 'Stop waiting after this long and output the last status (still SENDING), with waitTimedOut true',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => ({
		body: { msg_id: readMessageId.call(this, itemIndex) } satisfies MassGetRequest,
		polling: readPolling.call(this, itemIndex, { wait: 'waitUntilFinished', waitDefault: false, intervalDefault: 30, limitDefault: 600 }),
	});
	return await forEachItem(this, items, check, async ({ body, polling }, itemIndex) => {
		const read = async (): Promise<IDataObject> => {
			const result = await weChatApiRequest<MassGetResponse>(this, { method: 'POST', path: '/cgi-bin/message/mass/get', body, jsonIntegerFields: ['msg_id'], idempotent: true }, itemIndex);
			return { ...result, finished: result.msg_status !== 'SENDING' };
		};
		if (polling === undefined) return await read();
		const { answer, checks, timedOut, stopped } = await pollUntil(this, read, (status) => status.finished === true, polling);
		if (stopped) throw new NodeOperationError(this.getNode(), 'The execution was stopped while waiting for the send to finish', { itemIndex, description: `WeChat last reported ${String(answer.msg_status)}.` });
		if (!timedOut) return answer;
		addOutputHint(
			this,
			`Item ${itemIndex + 1}: stopped waiting at the Time Limit (${polling.limitMs / 1000} s) after ${checks} ${checks === 1 ? 'check' : 'checks'}: WeChat still reports SENDING. ` +
				'Run Get Status again later, or let the WeChat Mass Message Trigger start a workflow when the send finishes.',
		);
		return { ...answer, waitTimedOut: true, checks };
	});
}
