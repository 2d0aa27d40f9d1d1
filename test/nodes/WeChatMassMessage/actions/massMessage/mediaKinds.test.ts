// Which media each send takes on today's WeChat, from
// https://developers.weixin.qq.com/doc/service/guide/product/message/Batch_Sends.html : "对于群发和预览接口中的图文消息
// (mpnews) ，请使用通过 "草稿箱 / 新建草稿" 接口获得的 media_id", "如果是群发图片、视频等消息，则需要预先通过素材管理接口
// 准备好 media_id". A temporary media/upload id is refused (users report 40007 and 40128); and from the draft/add page,
// "上传到草稿箱中的素材被群发或发布后，该素材将从草稿箱中移除".
import type { IDataObject } from 'n8n-workflow';

import { FileServer, SAMPLE_JPEG, SAMPLE_PNG } from '../../../../helpers/fileServer';
import { type Fixture, openId, startFixture } from '../../fixtures';

const draft = (value: string) => ({ __rl: true, mode: 'id', value });

describe('what a send takes', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test.each([
		['Images', { messageType: 'image', imageMediaIds: 'IMAGE_1, TEMP_IMAGE' }],
		['Voice', { messageType: 'voice', voiceMediaId: 'TEMP_VOICE' }],
	])('%s with temporary media fails at WeChat with an error that says to use Upload Permanent; nothing is sent', async (_case, content) => {
		f.wechat.registerMedia('TEMP_IMAGE', 'image', 'temporary');
		f.wechat.registerMedia('TEMP_VOICE', 'voice', 'temporary');
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', ...content } });
		expect(result.error?.message).toBe('WeChat error 40007: invalid media_id');
		expect(result.error?.description).toContain('Image, voice and video sends and Upload Video take permanent material (Media > Upload Permanent)');
		expect(f.wechat.accepted).toHaveLength(0);
	});

	test('a draft stays in the draft box after a preview, leaves it after the mass send, and every batch of that send still takes it', async () => {
		f.wechat.registerDraft('DRAFT_A', ['Spring sale']);
		const preview = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'massMessage', operation: 'preview', previewTo: 'weChatId', weChatId: 'editor-wx', messageType: 'mpnews', articleMediaId: draft('DRAFT_A') },
		});
		expect(preview.error).toBeUndefined();
		expect(f.wechat.drafts.has('DRAFT_A')).toBe(true);

		const openIds = Array.from({ length: 10001 }, (_, n) => openId(n));
		const sent = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'massMessage', operation: 'sendToOpenIds', openIds: '={{ $json.ids }}', messageType: 'mpnews', articleMediaId: draft('DRAFT_A') },
			items: [{ json: { ids: openIds } }],
		});
		expect(sent.error).toBeUndefined();
		expect(f.wechat.accepted.map((send) => send.body.mpnews)).toEqual([{ media_id: 'DRAFT_A' }, { media_id: 'DRAFT_A' }]);
		expect(f.wechat.accepted.reduce((sum, send) => sum + send.recipients, 0)).toBe(10001);
		expect(f.wechat.drafts.has('DRAFT_A')).toBe(false);
	});
});

describe('the article flow: content → Draft: Create → Preview → Send to Tag', () => {
	let f: Fixture;
	let blog: FileServer;
	beforeEach(async () => {
		f = await startFixture();
		blog = await new FileServer({ '/images/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' }, '/images/team.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' } }).start();
	});
	afterEach(async () => {
		await f.wechat.stop();
		await blog.stop();
	});

	test('WeChat receives a draft whose content holds only WeChat-hosted images, a preview and a send of that draft', async () => {
		const post: IDataObject = {
			title: 'Q3 results',
			html: `<p>Numbers:</p><img src="${blog.url('/images/chart.png')}"><p>The team:</p><img src="${blog.url('/images/team.jpg')}">`,
		};
		const created = await f.env.n8n.run({
			typeVersion: 2,
			parameters: {
				resource: 'draft',
				operation: 'create',
				articles: { article: [{ title: '={{ $json.title }}', content: '={{ $json.html }}', coverBinaryField: 'cover' }] },
			},
			items: [{ json: post, binary: { cover: { data: SAMPLE_JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'cover.jpg' } } }],
		});
		expect(created.error).toBeUndefined();
		const mediaId = created.json[0].media_id as string;

		const stored = f.wechat.drafts.get(mediaId)!.articles[0].content;
		const sources = [...stored.matchAll(/<img src="([^"]+)"/g)].map((match) => match[1]);
		expect(sources).toHaveLength(2);
		for (const src of sources) expect(f.wechat.articleImageUrls.has(src)).toBe(true);

		const content = { messageType: 'mpnews', articleMediaId: draft('={{ $json.media_id }}') };
		const preview = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'massMessage', operation: 'preview', previewTo: 'weChatId', weChatId: 'editor-wx', ...content },
			items: [{ json: created.json[0] }],
		});
		expect(preview.error).toBeUndefined();
		const sent = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: { __rl: true, mode: 'list', value: '100' }, ...content },
			items: [{ json: created.json[0] }],
		});
		expect(sent.error).toBeUndefined();

		expect(f.wechat.previews.map((body) => body.mpnews)).toEqual([{ media_id: mediaId }]);
		expect(f.wechat.accepted.map((send) => [send.body.filter, send.body.mpnews])).toEqual([[{ is_to_all: false, tag_id: 100 }, { media_id: mediaId }]]);
		expect(sent.json[0]).toMatchObject({ errcode: 0, msg_id: expect.any(Number), msg_data_id: expect.any(Number) });
	});
});
