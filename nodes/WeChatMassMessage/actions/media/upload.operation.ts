import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { TEMPORARY_MEDIA_RULES, describeRule, isMediaType } from '../../helpers/mediaPayloads';
import type { TemporaryMediaUploadResponse } from '../../helpers/mediaTypes';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { binaryFieldProperty, readBinaryFile } from './binaryFile';

const show = { resource: ['media'], operation: ['upload'] };

const limits = (type: keyof typeof TEMPORARY_MEDIA_RULES) => describeRule(TEMPORARY_MEDIA_RULES[type]);

export const description: INodeProperties[] = [
	{
		displayName:
			'Temporary media (kept 3 days) is refused by image, voice and video mass sends and by Upload Video. For those, use Upload Permanent.',
		name: 'temporaryMediaNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'image',
		required: true,
		options: [
			{ name: 'Image', value: 'image', description: limits('image') },
			{ name: 'Thumbnail', value: 'thumb', description: `${limits('thumb')}. The cover of a legacy Upload Articles article.` },
			{ name: 'Video', value: 'video', description: limits('video') },
			{ name: 'Voice', value: 'voice', description: `${limits('voice')}, at most 60 seconds` },
		],
		description: 'What the file is. WeChat checks the format and size for each type.',
		displayOptions: { show },
	},
	binaryFieldProperty(show),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = async (itemIndex: number) => {
		const mediaType = this.getNodeParameter('mediaType', itemIndex);
		if (!isMediaType(mediaType)) {
			throw inputError.call(this, itemIndex, 'Media Type', `must be image, voice, video or thumb, got ${JSON.stringify(mediaType)}`);
		}
		const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '');
		return { mediaType, file: await readBinaryFile.call(this, itemIndex, propertyName, 'Input Binary Field', TEMPORARY_MEDIA_RULES[mediaType], mediaType) };
	};
	return await forEachItem(this, items, check, async ({ mediaType, file }, itemIndex) => {
		const result = await weChatApiRequest<TemporaryMediaUploadResponse>(
			this,
			// Each call creates another media ID.
			{ method: 'POST', path: '/cgi-bin/media/upload', qs: { type: mediaType }, file, idempotent: false },
			itemIndex,
		);
		return { ...result, fileName: file.fileName, fileSize: file.data.length };
	});
}
