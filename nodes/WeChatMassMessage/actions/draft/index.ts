import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteDraft from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as publish from './publish.operation';

export { create, deleteDraft, get, getAll, publish };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['draft'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a draft of 1 to 8 articles from HTML, hosting its images and cover on WeChat: what an article mass send sends',
				action: 'Create a draft',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a draft from the draft box (cannot be undone)',
				action: 'Delete a draft',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a draft\'s articles',
				action: 'Get a draft',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the drafts in the draft box',
				action: 'Get many drafts',
			},
			{
				name: 'Publish',
				value: 'publish',
				description: 'Publish a draft without pushing it to followers; optionally wait until WeChat has published it',
				action: 'Publish a draft',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...deleteDraft.description,
	...publish.description,
];
