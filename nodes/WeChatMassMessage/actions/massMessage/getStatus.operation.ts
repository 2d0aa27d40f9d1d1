import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { addOutputHint, forEachItem } from '../../helpers/items';
import type { MassGetRequest, MassGetResponse } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
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
	return await forEachItem.call(this, items, async (itemIndex) => {
		const body: MassGetRequest = { msg_id: readMessageId.call(this, itemIndex) };
		const wait = this.getNodeParameter('waitUntilFinished', itemIndex, false) as boolean;
		const intervalMs = (this.getNodeParameter('pollIntervalSeconds', itemIndex, 30) as number) * 1000;
		const limitSeconds = this.getNodeParameter('timeLimitSeconds', itemIndex, 600) as number;
		const limitMs = limitSeconds * 1000;
		const startedAt = Date.now();
		for (let checks = 1; ; checks++) {
			const result = await weChatApiRequest<MassGetResponse>(
				this,
				{ method: 'POST', path: '/cgi-bin/message/mass/get', body, jsonIntegerFields: ['msg_id'], idempotent: true },
				itemIndex,
			);
			const finished = result.msg_status !== 'SENDING';
			const output: IDataObject = { ...result, finished };
			if (!wait || finished) return output;
			if (Date.now() - startedAt + intervalMs > limitMs) {
				addOutputHint(
					this,
					`Item ${itemIndex + 1}: stopped waiting at the Time Limit (${limitSeconds} s) after ${checks} ${checks === 1 ? 'check' : 'checks'}: WeChat still reports SENDING. ` +
						'Run Get Status again later, or let the WeChat Mass Message Trigger start a workflow when the send finishes.',
				);
				return { ...output, waitTimedOut: true, checks };
			}
			await sleep(intervalMs);
		}
	});
}
