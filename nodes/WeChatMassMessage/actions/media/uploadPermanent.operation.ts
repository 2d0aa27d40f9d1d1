import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { PERMANENT_MEDIA_RULES, describeRule, isMediaType } from '../../helpers/mediaPayloads';
import type { AddMaterialResponse, PermanentVideoDescription } from '../../helpers/mediaTypes';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { binaryFieldProperty, readBinaryFile } from './binaryFile';

const OPERATION = 'uploadPermanent';
const show = { resource: ['media'], operation: [OPERATION] };

const limits = (type: keyof typeof PERMANENT_MEDIA_RULES) => describeRule(PERMANENT_MEDIA_RULES[type]);

export const description: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		required: true,
		options: [
			{
				name: 'Image',
				value: 'image',
				description: `${limits('image')}. For Images mass messages, and as an article cover in Draft > Create. Also returns its URL.`,
			},
			{ name: 'Thumbnail', value: 'thumb', description: `${limits('thumb')}. A small article cover.` },
			{ name: 'Video', value: 'video', description: `${limits('video')}. Then prepare it for a mass send with Media > Upload Video.` },
			{ name: 'Voice', value: 'voice', description: `${limits('voice')}, at most 60 seconds. For Voice mass messages.` },
		],
		description: 'What the file is. WeChat checks the format and size for each type.',
		hint: 'Permanent material counts against the account\'s library: 100,000 images, 1,000 of each other type',
		displayOptions: { show },
	},
	binaryFieldProperty(show),
	{
		displayName: 'Video Title',
		name: 'videoTitle',
		type: 'string',
		default: '',
		required: true,
		description: 'The title of the video in the material library',
		displayOptions: { show: { ...show, mediaType: ['video'] } },
	},
	{
		displayName: 'Video Introduction',
		name: 'videoIntroduction',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'A short description of the video in the material library',
		displayOptions: { show: { ...show, mediaType: ['video'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = async (itemIndex: number) => {
		const mediaType = this.getNodeParameter('mediaType', itemIndex);
		if (!isMediaType(mediaType)) {
			throw inputError.call(this, itemIndex, 'Media Type', `must be image, voice, video or thumb, got ${JSON.stringify(mediaType)}`);
		}
		let fields: Record<string, string> | undefined;
		if (mediaType === 'video') {
			const video: PermanentVideoDescription = {
				title: String(this.getNodeParameter('videoTitle', itemIndex, '') ?? '').trim(),
				introduction: String(this.getNodeParameter('videoIntroduction', itemIndex, '') ?? ''),
			};
			if (video.title === '') throw inputError.call(this, itemIndex, 'Video Title', 'is required for a video');
			fields = { description: JSON.stringify(video) };
		}
		const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '');
		return { mediaType, fields, file: await readBinaryFile.call(this, itemIndex, propertyName, 'Input Binary Field', PERMANENT_MEDIA_RULES[mediaType], mediaType) };
	};
	return await forEachItem(this, items, check, async ({ mediaType, fields, file }, itemIndex) => {
		const result = await weChatApiRequest<AddMaterialResponse>(
			this,
			// Each call adds another item to the material library.
			{ method: 'POST', path: '/cgi-bin/material/add_material', qs: { type: mediaType }, file: { ...file, fields }, idempotent: false },
			itemIndex,
		);
		return { ...result, type: mediaType, fileName: file.fileName, fileSize: file.data.length };
	});
}
