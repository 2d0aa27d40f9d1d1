import { buildDeleteBody, buildMessageContent, buildPreviewBody, buildSendAllBody, buildSendToOpenIdsBody } from '../../../nodes/WeChatMassMessage/helpers/payloads';
import type { MessageContent } from '../../../nodes/WeChatMassMessage/helpers/types';

const options = { send_ignore_reprint: 0 as const, clientmsgid: 'key-1' };
const images: MessageContent = { msgtype: 'image', mediaIds: ['IMG1', 'IMG2'], recommend: 'Look', needOpenComment: true, onlyFansCanComment: false };

describe('message content, as WeChat names it', () => {
	test.each<[MessageContent, object]>([
		[{ msgtype: 'mpnews', mediaId: 'NEWS' }, { msgtype: 'mpnews', mpnews: { media_id: 'NEWS' } }],
		[{ msgtype: 'text', content: 'Hello 你好' }, { msgtype: 'text', text: { content: 'Hello 你好' } }],
		[{ msgtype: 'voice', mediaId: 'VOICE' }, { msgtype: 'voice', voice: { media_id: 'VOICE' } }],
		[{ msgtype: 'mpvideo', mediaId: 'VIDEO' }, { msgtype: 'mpvideo', mpvideo: { media_id: 'VIDEO' } }],
		[{ msgtype: 'wxcard', cardId: 'CARD' }, { msgtype: 'wxcard', wxcard: { card_id: 'CARD' } }],
		[images, { msgtype: 'image', images: { media_ids: ['IMG1', 'IMG2'], recommend: 'Look', need_open_comment: 1, only_fans_can_comment: 0 } }],
	])('%j', (content, expected) => {
		expect(buildMessageContent(content)).toEqual(expected);
	});

	test('images without recommendation text leave `recommend` out', () => {
		expect(buildMessageContent({ ...images, recommend: '' } as MessageContent)).toEqual({
			msgtype: 'image',
			images: { media_ids: ['IMG1', 'IMG2'], need_open_comment: 1, only_fans_can_comment: 0 },
		});
	});

	test('a preview carries one image as `image`', () => {
		expect(buildMessageContent(images, true)).toEqual({ msgtype: 'image', image: { media_id: 'IMG1' } });
	});
});

test('sendall: to everyone, or to one tag', () => {
	const text: MessageContent = { msgtype: 'text', content: 'Hi' };
	expect(buildSendAllBody({ toAll: true }, text, options)).toEqual({
		filter: { is_to_all: true },
		msgtype: 'text',
		text: { content: 'Hi' },
		send_ignore_reprint: 0,
		clientmsgid: 'key-1',
	});
	expect(buildSendAllBody({ toAll: false, tagId: 100 }, text, { ...options, send_ignore_reprint: 1 }).filter).toEqual({ is_to_all: false, tag_id: 100 });
});

test('send: OpenIDs in touser', () => {
	expect(buildSendToOpenIdsBody(['a', 'b'], { msgtype: 'mpnews', mediaId: 'N' }, options)).toEqual({
		touser: ['a', 'b'],
		msgtype: 'mpnews',
		mpnews: { media_id: 'N' },
		send_ignore_reprint: 0,
		clientmsgid: 'key-1',
	});
});

test('preview: to an OpenID or a WeChat ID', () => {
	expect(buildPreviewBody({ openId: 'O' }, { msgtype: 'text', content: 'x' })).toEqual({ touser: 'O', msgtype: 'text', text: { content: 'x' } });
	expect(buildPreviewBody({ weChatId: 'W' }, { msgtype: 'text', content: 'x' })).toEqual({ towxname: 'W', msgtype: 'text', text: { content: 'x' } });
});

test('delete: by msg_id or by url, with the article index', () => {
	expect(buildDeleteBody({ msgId: '3147483648' }, 0)).toEqual({ msg_id: '3147483648', article_idx: 0 });
	expect(buildDeleteBody({ url: 'https://mp.weixin.qq.com/s/x' }, 2)).toEqual({ url: 'https://mp.weixin.qq.com/s/x', article_idx: 2 });
});
