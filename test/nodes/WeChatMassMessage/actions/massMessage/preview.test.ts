import { startFixture, openId, type Fixture } from '../../fixtures';

const PREVIEW = '/cgi-bin/message/mass/preview';
const base = { resource: 'massMessage', operation: 'preview' };

describe('Mass Message > Preview', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('to an OpenID', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, previewTo: 'openId', openId: openId(7), messageType: 'mpnews', articleMediaId: 'NEWS_MEDIA_ID' } });
		expect(f.wechat.callsTo(PREVIEW).map((call) => call.body)).toEqual([{ touser: openId(7), msgtype: 'mpnews', mpnews: { media_id: 'NEWS_MEDIA_ID' } }]);
		expect(result.json).toEqual([{ errcode: 0, errmsg: 'preview success', msg_id: expect.any(Number) }]);
	});

	test('to a WeChat ID, showing one image', async () => {
		await f.env.n8n.run({ parameters: { ...base, previewTo: 'weChatId', weChatId: 'zhang_san', messageType: 'image', imageMediaIds: 'IMAGE_1' } });
		expect(f.wechat.callsTo(PREVIEW).map((call) => call.body)).toEqual([{ towxname: 'zhang_san', msgtype: 'image', image: { media_id: 'IMAGE_1' } }]);
	});

	test.each([
		[{ previewTo: 'openId', openId: 'not-an-openid', messageType: 'text', text: 'Hi' }, 'Item 1, "OpenID": "not-an-openid" is not an OpenID (28 letters, digits, - or _)'],
		[{ previewTo: 'weChatId', weChatId: '={{ "" }}', messageType: 'text', text: 'Hi' }, 'Item 1, "WeChat ID": is required'],
		[{ previewTo: 'openId', openId: openId(1), messageType: 'image', imageMediaIds: 'IMAGE_1,IMAGE_2' }, 'Item 1, "Image Media IDs": a preview shows one image, got 2'],
	])('refuses %j before sending', async (fields, message) => {
		const result = await f.env.n8n.run({ parameters: { ...base, ...fields } });
		expect(result.error?.message).toBe(message);
		expect(f.wechat.calls).toHaveLength(0);
	});

	test('a preview whose answer was lost is not sent again (the previewer would get it twice)', async () => {
		f.wechat.injectFault(PREVIEW, 'dropAfterAccept');
		const result = await f.env.n8n.run({ parameters: { ...base, previewTo: 'openId', openId: openId(1), messageType: 'text', text: 'Hi' } });
		expect(result.error?.message).toContain('The request changes something, so it was not sent again');
		expect(f.wechat.callsTo(PREVIEW)).toHaveLength(1);
		expect(f.wechat.previews).toHaveLength(1);
	});
});
