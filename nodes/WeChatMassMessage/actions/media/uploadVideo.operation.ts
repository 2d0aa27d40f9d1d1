import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { buildUploadVideoBody } from '../../helpers/mediaPayloads';
import type { UploadVideoResponse } from '../../helpers/mediaTypes';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

const show = { resource: ['media'], operation: ['uploadVideo'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Video Media ID',
		name: 'videoMediaId',
		type: 'string',
		default: '',
		required: true,
		description: 'The media ID of an MP4 uploaded with Media > Upload Permanent, Media Type "Video"',
		hint: 'A video from Upload Permanent: WeChat refuses temporary media here',
		displayOptions: { show },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'The title followers see on the video message',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'The text followers see under the title',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => {
		const videoMediaId = String(this.getNodeParameter('videoMediaId', itemIndex, '') ?? '').trim();
		if (videoMediaId === '') {
			throw inputError.call(this, itemIndex, 'Video Media ID', 'is required: upload the MP4 with Media > Upload Permanent, Media Type "Video", and use its media_id');
		}
		return buildUploadVideoBody({
			videoMediaId,
			title: String(this.getNodeParameter('title', itemIndex, '') ?? ''),
			description: String(this.getNodeParameter('description', itemIndex, '') ?? ''),
		});
	};
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		return await weChatApiRequest<UploadVideoResponse>(
			this,
			{ method: 'POST', path: '/cgi-bin/media/uploadvideo', body, idempotent: false },
			itemIndex,
		);
	});
}
