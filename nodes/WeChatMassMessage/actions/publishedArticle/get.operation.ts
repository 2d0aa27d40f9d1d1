import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { ArticleIdRequest, PublishedArticleResponse } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { articleIdField, readArticleId } from './articleId';

export const description: INodeProperties[] = [articleIdField('get', 'The published articles\' article_id (from Draft > Publish once published, or Get Many)')];

/** freepublish/getarticle (https://developers.weixin.qq.com/doc/service/api/public/api_freepublishgetarticle). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number): ArticleIdRequest => ({ article_id: readArticleId.call(this, itemIndex) });
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		const result = await weChatApiRequest<PublishedArticleResponse>(this, { method: 'POST', path: '/cgi-bin/freepublish/getarticle', body, idempotent: true }, itemIndex);
		return { article_id: body.article_id, ...result };
	});
}
