import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../helpers/validation';

export function articleIdField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Article ID',
		name: 'articleId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4',
		description,
		displayOptions: { show: { resource: ['publishedArticle'], operation: [operation] } },
	};
}

export function readArticleId(this: IExecuteFunctions, itemIndex: number): string {
	const articleId = String(this.getNodeParameter('articleId', itemIndex, '') ?? '').trim();
	if (articleId === '') throw inputError.call(this, itemIndex, 'Article ID', 'give the article_id (from Draft > Publish, Get Many, or the trigger\'s Publish Finished event)');
	return articleId;
}
