import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { SPEED_LEVELS, SPEED_RANGE } from '../../helpers/speed';
import type { SpeedSetRequest } from '../../helpers/types';
import { integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'Speed',
		name: 'speed',
		type: 'options',
		default: 0,
		required: true,
		options: SPEED_LEVELS.map(({ level, messagesPerMinute }) => ({
			name: `${level}: ${messagesPerMinute.toLocaleString('en-US')} Messages per Minute`,
			value: level,
		})),
		description: 'How fast WeChat delivers this account\'s mass sends. The level applies to sends started afterwards.',
		hint: 'Only verified accounts can change the speed',
		displayOptions: { show: { resource: ['speed'], operation: ['set'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number): SpeedSetRequest => ({ speed: integerInRange.call(this, this.getNodeParameter('speed', itemIndex), SPEED_RANGE, itemIndex, 'Speed') });
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		const { speed } = body;
		const result = await weChatApiRequest(
			this,
			// Setting the same level twice leaves the same state, so a replay after an unknown outcome is safe.
			{ method: 'POST', path: '/cgi-bin/message/mass/speed/set', body, idempotent: true },
			itemIndex,
		);
		return { ...result, speed, messagesPerMinute: SPEED_LEVELS[speed].messagesPerMinute };
	});
}
