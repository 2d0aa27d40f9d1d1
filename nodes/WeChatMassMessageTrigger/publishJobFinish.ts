// The PUBLISHJOBFINISH event WeChat pushes once a Draft > Publish has finished
// (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit, "发布结果事件推送"):
// <PublishEventInfo> with publish_id, publish_status, article_id, article_detail (count, item: idx,
// article_url) and, for a failure, one fail_idx per article that failed.
import { publishStatusMeaning } from '../WeChatMassMessage/helpers/publishStatus';
import { childText, findChild, findChildren, toJson } from './callbackXml';
import { isoTime, optionalNumber, optionalText } from './eventFields';
import type { PublishJobFinishOutput, XmlElement } from './types';

export const PUBLISH_JOB_FINISH = 'PUBLISHJOBFINISH';

export function isPublishJobFinish(message: XmlElement): boolean {
	return (
		(childText(message, 'MsgType') ?? '').trim().toLowerCase() === 'event' &&
		(childText(message, 'Event') ?? '').trim().toUpperCase() === PUBLISH_JOB_FINISH
	);
}

export function publishIdOf(message: XmlElement): string | undefined {
	const info = findChild(message, 'PublishEventInfo');
	return info === undefined ? undefined : optionalText(info, 'publish_id') ?? undefined;
}

export function toPublishJobFinishOutput(message: XmlElement): PublishJobFinishOutput {
	const info = findChild(message, 'PublishEventInfo');
	const detail = info === undefined ? undefined : findChild(info, 'article_detail');
	const status = optionalNumber(info, 'publish_status');
	return {
		event: PUBLISH_JOB_FINISH,
		publishId: optionalText(info, 'publish_id'),
		publishStatus: status,
		publishStatusMeaning: status === null ? null : publishStatusMeaning(status),
		articleId: optionalText(info, 'article_id'),
		articleUrls: (detail === undefined ? [] : findChildren(detail, 'item')).flatMap((item) => {
			const url = optionalText(item, 'article_url');
			return url === null ? [] : [{ articleIdx: optionalNumber(item, 'idx'), url }];
		}),
		failedArticles: (info === undefined ? [] : findChildren(info, 'fail_idx')).flatMap((element) => {
			const text = element.text.trim();
			return /^\d{1,3}$/.test(text) ? [Number(text)] : [];
		}),
		account: optionalText(message, 'ToUserName'),
		fromUserName: optionalText(message, 'FromUserName'),
		time: isoTime(message),
		raw: toJson(message),
	};
}
