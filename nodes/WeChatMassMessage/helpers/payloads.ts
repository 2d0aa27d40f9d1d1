// WeChat request bodies for mass messages, built from values the operations have already read
// and checked. Nothing here knows about n8n.
import type {
	DeleteRequest,
	MessageBody,
	MessageContent,
	PreviewRequest,
	SendAllRequest,
	SendOptions,
	SendToOpenIdsRequest,
} from './types';

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** `forPreview`: a preview shows one image as `image`, a send carries up to 8 as `images`. */
export function buildMessageContent(content: MessageContent, forPreview = false): MessageBody {
	switch (content.msgtype) {
		case 'mpnews':
			return { msgtype: 'mpnews', mpnews: { media_id: content.mediaId } };
		case 'text':
			return { msgtype: 'text', text: { content: content.content } };
		case 'voice':
			return { msgtype: 'voice', voice: { media_id: content.mediaId } };
		case 'mpvideo':
			return { msgtype: 'mpvideo', mpvideo: { media_id: content.mediaId } };
		case 'wxcard':
			return { msgtype: 'wxcard', wxcard: { card_id: content.cardId } };
		case 'image':
			if (forPreview) return { msgtype: 'image', image: { media_id: content.mediaIds[0] } };
			return {
				msgtype: 'image',
				images: {
					media_ids: content.mediaIds,
					...(content.recommend !== '' ? { recommend: content.recommend } : {}),
					need_open_comment: flag(content.needOpenComment),
					only_fans_can_comment: flag(content.onlyFansCanComment),
				},
			};
	}
}

export function buildSendAllBody(target: { toAll: true } | { toAll: false; tagId: number }, content: MessageContent, options: SendOptions): SendAllRequest {
	const filter: SendAllRequest['filter'] = target.toAll ? { is_to_all: true } : { is_to_all: false, tag_id: target.tagId };
	return { filter, ...buildMessageContent(content), ...options };
}

export function buildSendToOpenIdsBody(openIds: string[], content: MessageContent, options: SendOptions): SendToOpenIdsRequest {
	return { touser: openIds, ...buildMessageContent(content), ...options };
}

export function buildPreviewBody(recipient: { openId: string } | { weChatId: string }, content: MessageContent): PreviewRequest {
	const to = 'openId' in recipient ? { touser: recipient.openId } : { towxname: recipient.weChatId };
	return { ...to, ...buildMessageContent(content, true) };
}

export function buildDeleteBody(target: { msgId: string } | { url: string }, articleIndex: number): DeleteRequest {
	return 'msgId' in target ? { msg_id: target.msgId, article_idx: articleIndex } : { url: target.url, article_idx: articleIndex };
}
