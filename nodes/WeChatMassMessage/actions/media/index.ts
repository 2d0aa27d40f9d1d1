import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';
import * as uploadArticles from './uploadArticles.operation';
import * as uploadVideo from './uploadVideo.operation';

export { upload, uploadArticles, uploadVideo };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Upload an image, voice, video or thumbnail file from binary data as temporary media (kept by WeChat for 3 days) and get its media ID',
				action: 'Upload an image, voice, video or thumbnail file',
			},
			{
				name: 'Upload Articles',
				value: 'uploadArticles',
				description:
					'Upload 1 to 8 articles as one article message. Its media_id goes into a mass send as Message Type "Article" (Article Media ID).',
				action: 'Upload articles for a mass send',
			},
			{
				name: 'Upload Video',
				value: 'uploadVideo',
				description:
					'Turn a video uploaded with Upload (Media Type "Video") into one a mass send can carry, with a title and description. Its media_id goes into a mass send as Message Type "Video" (Video Media ID).',
				action: 'Prepare a video for a mass send',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...uploadArticles.description,
	...uploadVideo.description,
];
