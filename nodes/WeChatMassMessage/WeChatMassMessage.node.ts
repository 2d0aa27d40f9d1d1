import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionSubtitle } from './actions/actionSubtitle';
import { router } from './actions/router';
import * as draft from './actions/draft';
import * as follower from './actions/follower';
import * as massMessage from './actions/massMessage';
import * as media from './actions/media';
import * as publishedArticle from './actions/publishedArticle';
import * as qrCode from './actions/qrCode';
import * as speed from './actions/speed';
import * as tag from './actions/tag';
import { LATEST_VERSION, NODE_VERSIONS } from './actions/versions';
import { listSearch, loadOptions } from './methods';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Draft',
			value: 'draft',
			description: 'Create, list and delete drafts in the draft box: what an article mass send sends',
		},
		{
			name: 'Follower',
			value: 'follower',
			description: 'Tag and untag followers, list them, and read what WeChat knows of them',
		},
		{
			name: 'Mass Message',
			value: 'massMessage',
			description: 'Send, preview, delete and track mass messages',
		},
		{
			name: 'Media',
			value: 'media',
			description: 'Upload the images, voice and video that mass messages and articles carry',
		},
		{
			name: 'Published Article',
			value: 'publishedArticle',
			description: 'What Draft > Publish put on the account: list, read, delete, and check a publish',
		},
		{
			name: 'QR Code',
			value: 'qrCode',
			description: 'Create QR codes that carry a scene, to learn where followers come from',
		},
		{
			name: 'Speed',
			value: 'speed',
			description: 'How fast WeChat delivers mass sends',
		},
		{
			name: 'Tag',
			value: 'tag',
			description: 'Create, list, rename and delete follower tags: who a Send to Tag reaches',
		},
	],
	default: 'massMessage',
};

const properties: INodeProperties[] = [resource, ...massMessage.description, ...draft.description, ...publishedArticle.description, ...media.description, ...tag.description, ...follower.description, ...qrCode.description, ...speed.description];

export class WeChatMassMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Mass Message',
		name: 'weChatMassMessage',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['output'],
		version: NODE_VERSIONS,
		defaultVersion: LATEST_VERSION,
		subtitle: actionSubtitle(resource, properties),
		description: 'Send WeChat Official Account mass messages and manage their drafts, media, tags, followers and QR codes',
		defaults: { name: 'WeChat Mass Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weChatOfficialAccountApi', required: true }],
		properties,
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
