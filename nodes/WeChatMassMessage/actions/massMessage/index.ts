import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as getArticleStats from './getArticleStats.operation';
import * as getStatus from './getStatus.operation';
import * as preview from './preview.operation';
import * as sendToOpenIds from './sendToOpenIds.operation';
import * as sendToTag from './sendToTag.operation';

export { deleteMessage, getArticleStats, getStatus, preview, sendToOpenIds, sendToTag };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['massMessage'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a sent mass message\'s articles, all or one, by message ID or article URL',
				action: 'Delete a mass message',
			},
			{
				name: 'Get Article Stats',
				value: 'getArticleStats',
				description: 'Get the reads and shares of an article send\'s or publish\'s articles per day (from its msg_data_id)',
				action: 'Get article stats',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get whether a mass send succeeded, failed, is still sending or was deleted; optionally wait until it finishes',
				action: 'Get mass message status',
			},
			{
				name: 'Preview',
				value: 'preview',
				description: 'Send the message to one follower, by OpenID or WeChat ID, to check it before a mass send',
				action: 'Preview a mass message',
			},
			{
				name: 'Send to OpenIDs',
				value: 'sendToOpenIds',
				description: 'Send a mass message to a list of followers\' OpenIDs (2 or more; large lists are split)',
				action: 'Send a mass message to listed followers',
			},
			{
				name: 'Send to Tag or All',
				value: 'sendToTag',
				description: 'Send a mass message to all followers or to the followers with one tag',
				action: 'Send a mass message to a tag or all followers',
			},
		],
		default: 'sendToTag',
	},
	...sendToTag.description,
	...sendToOpenIds.description,
	...preview.description,
	...deleteMessage.description,
	...getStatus.description,
	...getArticleStats.description,
];
