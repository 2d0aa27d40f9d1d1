import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { DraftMediaIdRequest } from '../../helpers/mediaTypes';
import type { WeChatResult } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { readDraftMediaId } from './draftMediaId';

export const description: INodeProperties[] = [
	draftLocator({
		displayName: 'Draft',
		name: 'draftMediaId',
		description: 'The draft to delete: pick it from the draft box, or give its media ID',
		hint: 'Deleting a draft cannot be undone',
		displayOptions: { show: { resource: ['draft'], operation: ['delete'] } },
	}),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, (itemIndex) => ({ mediaId: readDraftMediaId.call(this, itemIndex) }), async ({ mediaId }, itemIndex) => {
		const draftRequest: DraftMediaIdRequest = { media_id: mediaId };
		const result = await weChatApiRequest<WeChatResult>(
			this,
			// Not replayed: a repeat of a delete that went through would report the draft as unknown (40007).
			{ method: 'POST', path: '/cgi-bin/draft/delete', body: draftRequest, idempotent: false },
			itemIndex,
		);
		return { ...result, media_id: mediaId };
	});
}
