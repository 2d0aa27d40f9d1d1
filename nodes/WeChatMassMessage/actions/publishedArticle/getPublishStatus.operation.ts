import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { inputError } from '../../helpers/validation';
import { checkPublishStatus, readPublishWaiting, waitFields } from './publishStatus';

const show = { resource: ['publishedArticle'], operation: ['getPublishStatus'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 100000001',
		description: 'The publish_id that Draft > Publish returned',
		displayOptions: { show },
	},
	...waitFields(show, false),
];

/** freepublish/get (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_get). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => {
		const publishId = String(this.getNodeParameter('publishId', itemIndex, '') ?? '').trim();
		if (publishId === '') throw inputError.call(this, itemIndex, 'Publish ID', 'give the publish_id that Draft > Publish returned');
		return { publishId, waiting: readPublishWaiting.call(this, itemIndex, false) };
	};
	return await forEachItem(this, items, check, async ({ publishId, waiting }, itemIndex) => await checkPublishStatus(this, publishId, waiting, itemIndex));
}
