import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { DraftGetResponse, DraftMediaIdRequest } from '../../helpers/mediaTypes';
import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { readDraftMediaId } from './draftMediaId';

export const description: INodeProperties[] = [
	draftLocator({
		displayName: 'Draft',
		name: 'draftMediaId',
		description: 'The draft to read: pick it from the draft box, or give its media ID',
		displayOptions: { show: { resource: ['draft'], operation: ['get'] } },
	}),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, (itemIndex) => ({ mediaId: readDraftMediaId.call(this, itemIndex) }), async ({ mediaId }, itemIndex) => {
		const draftRequest: DraftMediaIdRequest = { media_id: mediaId };
		const result = await weChatApiRequest<DraftGetResponse>(
			this,
			{ method: 'POST', path: '/cgi-bin/draft/get', body: draftRequest, idempotent: true },
			itemIndex,
		);
		return { media_id: mediaId, ...result };
	});
}
