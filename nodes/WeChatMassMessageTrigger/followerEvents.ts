// Follows, unfollows and scans of a QR code with a scene, as WeChat pushes them (关注/取消关注事件 and 扫描带参数二维码事件,
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html):
// - subscribe: FromUserName the follower's OpenID; through a code, "EventKey 事件KEY值，qrscene_为前缀，后面为二维码的参数值" and
//   "Ticket 二维码的ticket". Other follows carry no EventKey, an empty one, or another one (WeChat Pay writes
//   "last_trade_no_…" there): only a qrscene_ key names a scene.
// - SCAN (a follower scans a code): "EventKey 事件KEY值，是一个32位无符号整数，即创建二维码时的二维码scene_id" (a code with a
//   text scene carries the text), Ticket as above.
// - unsubscribe: the follower, nothing else.
import { childText, toJson } from './callbackXml';
import { chinaTime, isoTime, optionalText } from './eventFields';
import type { FollowerEventName, FollowerEventOutput, XmlElement } from './types';

const QR_SCENE_PREFIX = 'qrscene_';

/** The follower event a callback is (WeChat writes subscribe in lower case and SCAN in capitals; case is not relied on). */
export function followerEventOf(message: XmlElement): FollowerEventName | undefined {
	if ((childText(message, 'MsgType') ?? '').trim().toLowerCase() !== 'event') return undefined;
	const event = (childText(message, 'Event') ?? '').trim().toLowerCase();
	if (event === 'subscribe') return 'subscribe';
	if (event === 'unsubscribe') return 'unsubscribe';
	if (event === 'scan') return 'SCAN';
	return undefined;
}

function sceneOf(event: FollowerEventName, eventKey: string | null): string | null {
	if (eventKey === null) return null;
	if (event === 'SCAN') return eventKey;
	if (event === 'subscribe' && eventKey.startsWith(QR_SCENE_PREFIX) && eventKey.length > QR_SCENE_PREFIX.length) return eventKey.slice(QR_SCENE_PREFIX.length);
	return null;
}

export function toFollowerEventOutput(message: XmlElement, event: FollowerEventName): FollowerEventOutput {
	const scene = sceneOf(event, optionalText(message, 'EventKey'));
	return {
		event,
		openid: optionalText(message, 'FromUserName'),
		scene,
		ticket: scene === null ? null : optionalText(message, 'Ticket'),
		time: isoTime(message),
		timeChina: chinaTime(message),
		account: optionalText(message, 'ToUserName'),
		raw: toJson(message),
	};
}
