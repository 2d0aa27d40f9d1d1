import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['speed'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the current mass-send speed level and the real speed',
				action: 'Get mass send speed',
			},
			{
				name: 'Set',
				value: 'set',
				description: 'Set how fast WeChat delivers mass sends (level 0 fastest to 4 slowest)',
				action: 'Set mass send speed',
			},
		],
		default: 'get',
	},
	...get.description,
	...set.description,
];
