import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as massMessage from './actions/massMessage';
import * as media from './actions/media';
import * as speed from './actions/speed';
import { loadOptions } from './methods';

export class WeChatMassMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Mass Message',
		name: 'weChatMassMessage',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send WeChat Official Account mass messages (群发) and manage them',
		defaults: { name: 'WeChat Mass Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weChatOfficialAccountApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Mass Message',
						value: 'massMessage',
						description: 'Send, preview, delete and track mass messages',
					},
					{
						name: 'Media',
						value: 'media',
						description: 'Upload the articles, images, voice and video that mass messages carry',
					},
					{
						name: 'Speed',
						value: 'speed',
						description: 'How fast WeChat delivers mass sends',
					},
				],
				default: 'massMessage',
			},
			...massMessage.description,
			...media.description,
			...speed.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
