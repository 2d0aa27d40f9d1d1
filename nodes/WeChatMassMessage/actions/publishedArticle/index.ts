import type { INodeProperties } from 'n8n-workflow';

import * as deletePublished from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getPublishStatus from './getPublishStatus.operation';

export { deletePublished, get, getAll, getPublishStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['publishedArticle'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a published article, or all articles of a publish (cannot be undone)',
				action: 'Delete a published article',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the articles of a publish',
				action: 'Get a published article',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List what the account has published',
				action: 'Get many published articles',
			},
			{
				name: 'Get Publish Status',
				value: 'getPublishStatus',
				description: 'Whether a Draft > Publish has finished, and how',
				action: 'Get a publish status',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...getPublishStatus.description,
	...deletePublished.description,
];
