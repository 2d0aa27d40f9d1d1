import type { INodeProperties } from 'n8n-workflow';

import { FROM_VERSION_2, ONLY_VERSION_1 } from '../versions';

import * as upload from './upload.operation';
import * as uploadArticleImage from './uploadArticleImage.operation';
import * as uploadArticles from './uploadArticles.operation';
import * as uploadPermanent from './uploadPermanent.operation';
import * as uploadVideo from './uploadVideo.operation';

export { upload, uploadArticleImage, uploadArticles, uploadPermanent, uploadVideo };

const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Upload Articles (Legacy)',
				value: 'uploadArticles',
				description:
					'The old way to prepare articles, which WeChat has moved to the draft box. Use Draft > Create instead.',
				action: 'Upload articles the legacy way',
			},
			{
				name: 'Upload Image for Article',
				value: 'uploadArticleImage',
				description: 'Host a JPG or PNG (at most 1 MB) on WeChat and get its URL, for an image inside an article\'s HTML',
				action: 'Upload an image for an article',
			},
			{
				name: 'Upload Permanent',
				value: 'uploadPermanent',
				description:
					'Add an image, voice clip, video or thumbnail from binary data to the material library and get its media ID: what image, voice and video mass sends and draft covers take',
				action: 'Upload permanent material',
			},
			{
				name: 'Upload Temporary',
				value: 'upload',
				description:
					'Upload a file as temporary media, kept by WeChat for 3 days. Mass sends refuse temporary media: use Upload Permanent for them.',
				action: 'Upload temporary media',
			},
			{
				name: 'Upload Video',
				value: 'uploadVideo',
				description:
					'Turn a video from Upload Permanent into one a mass send can carry, with a title and description: its media ID goes into a Video mass send',
				action: 'Prepare a video for a mass send',
			},
		],
		default: 'uploadPermanent',
	};

export const description: INodeProperties[] = [
	// Version 1 nodes saved with the default operation hold no value for it: their default stays.
	{ ...operation, default: 'upload', displayOptions: { show: { resource: ['media'], ...ONLY_VERSION_1 } } },
	{ ...operation, displayOptions: { show: { resource: ['media'], ...FROM_VERSION_2 } } },
	...upload.description,
	...uploadPermanent.description,
	...uploadArticleImage.description,
	...uploadArticles.description,
	...uploadVideo.description,
];
