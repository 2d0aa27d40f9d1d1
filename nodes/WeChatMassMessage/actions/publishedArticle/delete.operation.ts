import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { PublishedArticleDeleteRequest, WeChatResult } from '../../helpers/types';
import { integerInRange } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { articleIdField, readArticleId } from './articleId';

const show = { resource: ['publishedArticle'], operation: ['delete'] };

export const description: INodeProperties[] = [
	{ ...articleIdField('delete', 'The published articles\' article_id'), hint: 'Deleting a published article cannot be undone' },
	{
		displayName: 'Article Index',
		name: 'articleIndex',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 8, numberPrecision: 0 },
		description: 'Which article to delete: 1 for the first, 2 for the second…; 0 deletes them all',
		displayOptions: { show },
	},
];

/** freepublish/delete (https://developers.weixin.qq.com/doc/service/api/public/api_freepublishdelete): "第一篇编号为1，该字段不填或填0会删除全部文章". */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number): PublishedArticleDeleteRequest => ({
		article_id: readArticleId.call(this, itemIndex),
		index: integerInRange.call(this, this.getNodeParameter('articleIndex', itemIndex, 0), { min: 0, max: 8 }, itemIndex, 'Article Index'),
	});
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		// Deleting twice leaves the same: gone.
		const result = await weChatApiRequest<WeChatResult>(this, { method: 'POST', path: '/cgi-bin/freepublish/delete', body, idempotent: true }, itemIndex);
		return { ...result, ...body };
	});
}
