import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { buildPreviewBody } from '../../helpers/payloads';
import { OPENID_PATTERN } from '../../helpers/recipients';
import type { SendResponse } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { messageContentFields, readMessageContent } from './messageContent';

const OPERATION = 'preview';
const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['massMessage'], operation: [OPERATION], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName: 'Preview To',
		name: 'previewTo',
		type: 'options',
		default: 'openId',
		displayOptions: show(),
		options: [
			{ name: 'OpenID', value: 'openId', description: 'A follower\'s OpenID' },
			{ name: 'WeChat ID', value: 'weChatId', description: 'A follower\'s WeChat ID' },
		],
	},
	{
		displayName: 'OpenID',
		name: 'openId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show({ previewTo: ['openId'] }),
		placeholder: 'e.g. o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
		description: 'The OpenID (28 characters) of a follower who receives the preview',
		hint: 'The follower must follow this account',
	},
	{
		displayName: 'WeChat ID',
		name: 'weChatId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show({ previewTo: ['weChatId'] }),
		description: 'The WeChat ID of a follower who receives the preview',
		hint: 'The WeChat ID in the follower\'s profile, not their nickname; they must follow this account',
	},
	...messageContentFields([OPERATION]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => {
		const previewTo = this.getNodeParameter('previewTo', itemIndex) as string;
		let recipient: { openId: string } | { weChatId: string };
		if (previewTo === 'weChatId') {
			const weChatId = String(this.getNodeParameter('weChatId', itemIndex, '')).trim();
			if (weChatId === '') throw inputError.call(this, itemIndex, 'WeChat ID', 'is required');
			recipient = { weChatId };
		} else {
			const openId = String(this.getNodeParameter('openId', itemIndex, '')).trim();
			if (!OPENID_PATTERN.test(openId)) {
				throw inputError.call(this, itemIndex, 'OpenID', openId === '' ? 'is required' : `"${openId}" is not an OpenID (28 letters, digits, - or _)`);
			}
			recipient = { openId };
		}
		return buildPreviewBody(recipient, readMessageContent.call(this, itemIndex, true));
	};
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		// A repeated preview would reach the previewer twice: not replayed after an unknown outcome.
		return await weChatApiRequest<SendResponse>(this, { method: 'POST', path: '/cgi-bin/message/mass/preview', body, idempotent: false }, itemIndex);
	});
}
