import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['qrCode'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a QR code carrying a scene (a campaign, a shop, a poster), with its image: the Trigger tells which scene a follower came from',
				action: 'Create a QR code',
			},
		],
		default: 'create',
	},
	...create.description,
];
