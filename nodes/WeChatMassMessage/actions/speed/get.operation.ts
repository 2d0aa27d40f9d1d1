import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { realspeedToMessagesPerMinute } from '../../helpers/speed';
import type { SpeedGetResponse } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, () => ({}), async (_checked, itemIndex) => {
		const result = await weChatApiRequest<SpeedGetResponse>(
			this,
			{ method: 'POST', path: '/cgi-bin/message/mass/speed/get', body: {}, idempotent: true },
			itemIndex,
		);
		return { ...result, messagesPerMinute: realspeedToMessagesPerMinute(result.realspeed) };
	});
}
