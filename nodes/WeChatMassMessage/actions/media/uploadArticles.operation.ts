import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { type ArticleValues, MAX_ARTICLES, buildUploadNewsBody } from '../../helpers/mediaPayloads';
import type { UploadNewsResponse } from '../../helpers/mediaTypes';
import { inputError, textOf } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { articleLinkAndCommentFields } from '../common.descriptions';

export const description: INodeProperties[] = [
	{
		displayName: 'Articles',
		name: 'articles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Article',
		default: {},
		required: true,
		description:
			'The articles of the mass message, 1 to 8, in the order followers see them: the first is the large headline card',
		hint: 'Legacy: WeChat moved this to the draft box and may refuse its media IDs in sends. Use Draft > Create.',
		displayOptions: { show: { resource: ['media'], operation: ['uploadArticles'] } },
		options: [
			{
				displayName: 'Article',
				name: 'article',
				values: [
					{
						displayName: 'Author',
						name: 'author',
						type: 'string',
						default: '',
						description: 'Shown under the title. Leave empty for none.',
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 8 },
						default: '',
						required: true,
						description:
							'The article body as HTML, fewer than 20,000 characters and under 1 MB. WeChat removes JavaScript and filters out images not hosted by WeChat.',
					},
					{
						displayName: 'Show Cover in Article',
						name: 'showCoverPic',
						type: 'boolean',
						default: false,
						description: 'Whether the cover image is also shown at the top of the article body, not only on the card in the chat',
					},
					{
						displayName: 'Summary',
						name: 'digest',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description:
							'The short text shown under the title in the chat and when the article is shared. When empty, WeChat uses the start of the content. Only a single-article message shows it.',
					},
					{
						displayName: 'Thumbnail Media ID',
						name: 'thumbMediaId',
						type: 'string',
						default: '',
						required: true,
						description:
							'The cover image: the media ID returned by Media > Upload Temporary with Media Type "Thumbnail" (a JPG up to 64 KB). Temporary media expires after 3 days, so upload it shortly before the send.',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						description: 'The headline shown in the chat and on the article page',
					},
					...articleLinkAndCommentFields,
				],
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, (itemIndex) => ({ articles: readArticles.call(this, itemIndex) }), async ({ articles }, itemIndex) => {
		const result = await weChatApiRequest<UploadNewsResponse>(
			this,
			// Each call creates another media ID.
			{ method: 'POST', path: '/cgi-bin/media/uploadnews', body: buildUploadNewsBody(articles), idempotent: false },
			itemIndex,
		);
		return { ...result, articleCount: articles.length };
	});
}

function readArticles(this: IExecuteFunctions, itemIndex: number): ArticleValues[] {
	const entries = this.getNodeParameter('articles.article', itemIndex, []) as IDataObject[];
	if (!Array.isArray(entries) || entries.length === 0) {
		throw inputError.call(this, itemIndex, 'Articles', `add at least one article (WeChat takes 1 to ${MAX_ARTICLES})`);
	}
	if (entries.length > MAX_ARTICLES) {
		throw inputError.call(this, itemIndex, 'Articles', `WeChat takes at most ${MAX_ARTICLES} articles per message, got ${entries.length}`);
	}
	return entries.map((entry, index) => {
		const article: ArticleValues = {
			title: textOf(entry.title),
			thumbMediaId: textOf(entry.thumbMediaId).trim(),
			content: textOf(entry.content),
			author: textOf(entry.author),
			contentSourceUrl: textOf(entry.contentSourceUrl),
			digest: textOf(entry.digest),
			showCoverPic: flag(entry.showCoverPic),
			openComments: flag(entry.openComments),
			onlyFollowersCanComment: flag(entry.onlyFollowersCanComment),
		};
		const field = (name: string) => `Articles > Article ${index + 1} > ${name}`;
		if (article.title.trim() === '') throw inputError.call(this, itemIndex, field('Title'), 'is required');
		if (article.thumbMediaId === '') {
			throw inputError.call(
				this,
				itemIndex,
				field('Thumbnail Media ID'),
				'is required: upload a JPG cover with Media > Upload Temporary, Media Type "Thumbnail", and use its thumb_media_id',
			);
		}
		if (article.content.trim() === '') throw inputError.call(this, itemIndex, field('Content'), 'is required');
		return article;
	});
}

function flag(value: unknown): boolean {
	return value === true || value === 'true';
}
