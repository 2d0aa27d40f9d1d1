import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { TEMPORARY_MEDIA_RULES, isTemporaryMediaType, prepareTemporaryMediaFile } from '../../helpers/mediaPayloads';
import type { TemporaryMediaType, TemporaryMediaUploadResponse } from '../../helpers/mediaTypes';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

const show = { resource: ['media'], operation: ['upload'] };

function limits(type: TemporaryMediaType): string {
	const rule = TEMPORARY_MEDIA_RULES[type];
	const maxBytes = rule.maxBytes >= 1024 * 1024 ? `${rule.maxBytes / (1024 * 1024)} MB` : `${rule.maxBytes / 1024} KB`;
	return `${rule.formatNames}, up to ${maxBytes}`;
}

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
				description: `${limits('image')}. For image mass messages (Message Type "Image(s)", Image Media IDs).`,
			},
			{
				name: 'Thumbnail',
				value: 'thumb',
				description: `${limits('thumb')}. The cover image of an article (Media > Upload Articles, Thumbnail Media ID).`,
			},
			{
				name: 'Video',
				value: 'video',
				description: `${limits('video')}. Then turn it into a mass-send video with Media > Upload Video.`,
			},
			{
				name: 'Voice',
				value: 'voice',
				description: `${limits('voice')}, at most 60 seconds. For voice mass messages (Message Type "Voice", Voice Media ID).`,
			},
		],
		description: 'What the file is. WeChat checks the format and size for each type.',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be uploaded',
		description:
			'The binary field of the input item that holds the file, e.g. from a Read/Write Files from Disk or an HTTP Request node',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const mediaType = this.getNodeParameter('mediaType', itemIndex);
		if (!isTemporaryMediaType(mediaType)) {
			throw inputError.call(this, itemIndex, 'Media Type', `must be image, voice, video or thumb, got ${JSON.stringify(mediaType)}`);
		}
		const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
		if (propertyName === '') throw inputError.call(this, itemIndex, 'Input Binary Field', 'is required');

		const available = Object.keys(items[itemIndex].binary ?? {});
		if (!available.includes(propertyName)) {
			const found = available.length === 0 ? 'the item has no binary data' : `the item's binary fields are ${available.map((name) => `"${name}"`).join(', ')}`;
			throw inputError.call(this, itemIndex, 'Input Binary Field', `expected the file in binary field "${propertyName}", but ${found}`);
		}

		const binary = this.helpers.assertBinaryData(itemIndex, propertyName);
		const data = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
		const file = prepareTemporaryMediaFile(mediaType, {
			fileName: binary.fileName,
			fileExtension: binary.fileExtension,
			mimeType: binary.mimeType,
			size: data.length,
		});
		if (!file.ok) throw inputError.call(this, itemIndex, 'Input Binary Field', file.problem);

		const result = await weChatApiRequest<TemporaryMediaUploadResponse>(
			this,
			{
				method: 'POST',
				path: '/cgi-bin/media/upload',
				qs: { type: mediaType },
				file: { fieldName: 'media', fileName: file.fileName, contentType: file.contentType, data },
				// Each call creates another media ID.
				idempotent: false,
			},
			itemIndex,
		);
		return { ...result, fileName: file.fileName, fileSize: data.length };
	});
}
