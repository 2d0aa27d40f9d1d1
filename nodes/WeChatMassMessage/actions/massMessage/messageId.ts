import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../helpers/validation';

export function messageIdField(operations: string[], extraShow: Record<string, string[]> = {}): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.msg_id }}',
		displayOptions: { show: { resource: ['massMessage'], operation: operations, ...extraShow } },
		description: 'The msg_id a send returned',
	};
}

/** msg_ids exceed 2^31 but stay below 2^53, so a JavaScript number carries them exactly. */
export function readMessageId(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('messageId', itemIndex, '') as unknown;
	const text = String(raw ?? '').trim();
	const msgId = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(msgId) || msgId === 0) {
		throw inputError.call(this, itemIndex, 'Message ID', text === '' ? 'is required' : `"${text}" is not a msg_id (a positive whole number)`);
	}
	return msgId;
}
