import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteTag from './delete.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deleteTag, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tag'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a follower tag, to tag followers with and send to',
				action: 'Create a tag',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a follower tag; its followers keep following the account',
				action: 'Delete a tag',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the account\'s follower tags with how many followers carry each',
				action: 'Get many tags',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a follower tag',
				action: 'Update a tag',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...getAll.description,
	...update.description,
	...deleteTag.description,
];
