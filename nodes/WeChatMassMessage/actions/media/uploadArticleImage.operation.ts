import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { ARTICLE_IMAGE_RULE, describeRule } from '../../helpers/mediaPayloads';
import type { UploadArticleImageResponse } from '../../helpers/mediaTypes';
import { type WeChatContext, weChatApiRequest } from '../../transport';
import type { MultipartFile } from '../../transport/multipart';
import { binaryFieldProperty, readBinaryFile } from './binaryFile';

const show = { resource: ['media'], operation: ['uploadArticleImage'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Returns a URL on WeChat\'s image host for an image in an article\'s HTML. WeChat drops images from other hosts. Draft > Create does this for you.',
		name: 'articleImageNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{ ...binaryFieldProperty(show), hint: describeRule(ARTICLE_IMAGE_RULE) },
];

/** `media/uploadimg`: also used by Draft > Create to host the images of an article's HTML. */
export async function uploadArticleImage(ctx: WeChatContext, file: MultipartFile, itemIndex: number): Promise<UploadArticleImageResponse> {
	return await weChatApiRequest<UploadArticleImageResponse>(
		ctx,
		// A repeat only leaves a second copy on WeChat's image host, which counts against no limit.
		{ method: 'POST', path: '/cgi-bin/media/uploadimg', file, idempotent: true },
		itemIndex,
	);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = async (itemIndex: number) => {
		const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '');
		return { file: await readBinaryFile.call(this, itemIndex, propertyName, 'Input Binary Field', ARTICLE_IMAGE_RULE, 'image') };
	};
	return await forEachItem(this, items, check, async ({ file }, itemIndex) => {
		const result = await uploadArticleImage(this, file, itemIndex);
		return { ...result, fileName: file.fileName, fileSize: file.data.length };
	});
}
