import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { buildDeleteBody } from '../../helpers/payloads';
import { inputError, integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { messageIdField, msgIdForOutput, readMessageId } from './messageId';

const OPERATION = 'delete';
const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['massMessage'], operation: [OPERATION], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName:
			'Only article and video messages sent through the API can be deleted, once sent. Deleting takes down the article page; followers keep the message in their chat.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
		displayOptions: show(),
	},
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		default: 'messageId',
		displayOptions: show(),
		options: [
			{ name: 'Message ID', value: 'messageId', description: 'The message ID a send returned' },
			{ name: 'Article URL', value: 'articleUrl', description: 'The URL of a published article' },
		],
	},
	messageIdField([OPERATION], { deleteBy: ['messageId'] }),
	{
		displayName: 'Article URL',
		name: 'articleUrl',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show({ deleteBy: ['articleUrl'] }),
		placeholder: 'https://mp.weixin.qq.com/s/...',
		description: 'The article\'s URL, e.g. from the finished-send event\'s article URLs',
	},
	{
		displayName: 'Article',
		name: 'articleIndex',
		type: 'options',
		default: 0,
		displayOptions: show(),
		options: [
			{ name: 'All Articles', value: 0 },
			...[1, 2, 3, 4, 5, 6, 7, 8].map((index) => ({ name: `Article ${index}`, value: index })),
		],
		description: 'Which article of the message to delete. An article sent in several sends is taken down for all of them.',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => {
		const articleIndex = integerInRange.call(this, this.getNodeParameter('articleIndex', itemIndex, 0), { min: 0, max: 8 }, itemIndex, 'Article');
		let target: { msgId: string } | { url: string };
		if (this.getNodeParameter('deleteBy', itemIndex) === 'articleUrl') {
			const url = String(this.getNodeParameter('articleUrl', itemIndex, '')).trim();
			if (!/^https?:\/\/\S+$/.test(url)) {
				throw inputError.call(this, itemIndex, 'Article URL', url === '' ? 'is required' : `"${url}" is not a URL`);
			}
			target = { url };
		} else {
			target = { msgId: readMessageId.call(this, itemIndex) };
		}
		return buildDeleteBody(target, articleIndex);
	};
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		// Deleting twice leaves the same state, so a replay after an unknown outcome is safe.
		const result = await weChatApiRequest(
			this,
			{ method: 'POST', path: '/cgi-bin/message/mass/delete', body, jsonIntegerFields: ['msg_id'], idempotent: true },
			itemIndex,
		);
		return 'msg_id' in body ? { ...result, ...body, msg_id: msgIdForOutput(body.msg_id) } : { ...result, ...body };
	});
}
