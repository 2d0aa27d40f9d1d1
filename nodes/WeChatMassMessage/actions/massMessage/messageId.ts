import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../helpers/validation';

export function messageIdField(operations: string[], extraShow: Record<string, string[]> = {}): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1000000001',
		displayOptions: { show: { resource: ['massMessage'], operation: operations, ...extraShow } },
		description: 'The msg_id a send returned, or the msgId of the trigger\'s finished-send event: drag it from the input',
	};
}

/**
 * The msg_id as its digits, exactly as given (a number from a send, or the trigger's `msgId` text):
 * it is sent to WeChat as a JSON number written with these digits, so no length loses precision.
 */
export function readMessageId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('messageId', itemIndex, '') as unknown;
	const text = String(raw ?? '').trim();
	if (!/^\d{1,1000}$/.test(text) || /^0+$/.test(text)) {
		throw inputError.call(this, itemIndex, 'Message ID', text === '' ? 'is required' : `"${text}" is not a msg_id (a positive whole number)`);
	}
	return text.replace(/^0+/, '');
}

/** In output items: a number where JavaScript holds it exactly (every msg_id WeChat has issued so far), else the digits. */
export function msgIdForOutput(digits: string): number | string {
	const value = Number(digits);
	return Number.isSafeInteger(value) ? value : digits;
}
