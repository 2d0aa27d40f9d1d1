import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as draft from './draft';
import * as follower from './follower';
import * as massMessage from './massMessage';
import * as media from './media';
import * as publishedArticle from './publishedArticle';
import * as qrCode from './qrCode';
import * as speed from './speed';
import * as tag from './tag';

type Operation = {
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
};

const resources: Record<string, Record<string, Operation>> = {
	massMessage: {
		sendToTag: massMessage.sendToTag,
		sendToOpenIds: massMessage.sendToOpenIds,
		preview: massMessage.preview,
		delete: massMessage.deleteMessage,
		getStatus: massMessage.getStatus,
		getArticleStats: massMessage.getArticleStats,
	},
	draft: { create: draft.create, get: draft.get, getAll: draft.getAll, delete: draft.deleteDraft, publish: draft.publish },
	publishedArticle: {
		get: publishedArticle.get,
		getAll: publishedArticle.getAll,
		getPublishStatus: publishedArticle.getPublishStatus,
		delete: publishedArticle.deletePublished,
	},
	media: {
		upload: media.upload,
		uploadArticleImage: media.uploadArticleImage,
		uploadArticles: media.uploadArticles,
		uploadPermanent: media.uploadPermanent,
		uploadVideo: media.uploadVideo,
	},
	tag: { create: tag.create, getAll: tag.getAll, update: tag.update, delete: tag.deleteTag },
	follower: {
		addTag: follower.addTag,
		removeTag: follower.removeTag,
		getAll: follower.getAll,
		getAllInTag: follower.getAllInTag,
		getTags: follower.getTags,
		get: follower.get,
	},
	qrCode: { create: qrCode.create },
	speed: { get: speed.get, set: speed.set },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	return [await handler.execute.call(this, items)];
}
