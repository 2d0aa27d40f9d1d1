import type { INodeProperties } from 'n8n-workflow';

import * as addTag from './addTag.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getAllInTag from './getAllInTag.operation';
import * as getTags from './getTags.operation';
import * as removeTag from './removeTag.operation';

export { addTag, get, getAll, getAllInTag, getTags, removeTag };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['follower'] } },
		options: [
			{
				name: 'Add Tag',
				value: 'addTag',
				description: 'Give followers a tag (OpenIDs from the input items), so that a Send to Tag reaches them',
				action: 'Add a tag to followers',
			},
			{
				name: 'Get Details',
				value: 'get',
				description: 'Get what WeChat knows of followers: when they followed, how, their tags and remark',
				action: 'Get details of followers',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the OpenIDs of the account\'s followers',
				action: 'Get many followers',
			},
			{
				name: 'Get Many in a Tag',
				value: 'getAllInTag',
				description: 'List the OpenIDs of the followers who carry a tag',
				action: 'Get many followers in a tag',
			},
			{
				name: 'Get Tags',
				value: 'getTags',
				description: 'Get the tags a follower carries',
				action: 'Get the tags of a follower',
			},
			{
				name: 'Remove Tag',
				value: 'removeTag',
				description: 'Take a tag from followers (OpenIDs from the input items)',
				action: 'Remove a tag from followers',
			},
		],
		default: 'addTag',
	},
	...addTag.description,
	...removeTag.description,
	...getAll.description,
	...getAllInTag.description,
	...getTags.description,
	...get.description,
];
