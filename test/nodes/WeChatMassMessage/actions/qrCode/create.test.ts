// QR Code > Create against the fake WeChat: qrcode/create
// (https://developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode.html) and the image from showqrcode
// (https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html).
import type { FakeWeChatServer } from '../../../../fake-wechat/server';
import { qrCodeJpeg } from '../../../../fake-wechat/qrImage';
import { createEnvironment, type TestEnvironment } from '../../../../harness/workflow';
import { startFixture } from '../../fixtures';

const create = (parameters: Record<string, unknown>) => ({ resource: 'qrCode', operation: 'create', ...parameters });

describe('QR Code > Create', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		({ wechat, env } = await startFixture());
	});
	afterEach(async () => wechat.stop());

	test('a temporary code with a text scene lives 30 days unless told, and comes with its image', async () => {
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ sceneStr: 'spring-2026' }) });
		expect(result.error).toBeUndefined();
		const [call] = wechat.callsTo('/cgi-bin/qrcode/create');
		expect(call.body).toEqual({ expire_seconds: 2592000, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'spring-2026' } } });
		const answer = call.answer as { ticket: string; expire_seconds: number; url: string };
		const [item] = result.items;
		// WeChat's fields unchanged, plus what was asked and where the image is.
		expect(item.json).toEqual({
			ticket: answer.ticket,
			expire_seconds: 2592000,
			url: answer.url,
			actionName: 'QR_STR_SCENE',
			scene: 'spring-2026',
			imageUrl: `${wechat.baseUrl}/cgi-bin/showqrcode?ticket=${encodeURIComponent(answer.ticket)}`,
		});
		// The ticket has "+", "/" and "=": sent URL-encoded ("TICKET记得进行UrlEncode"), without an access token.
		expect(answer.ticket).toMatch(/[+/=]/);
		const [image] = wechat.callsTo('/cgi-bin/showqrcode');
		expect(image).toMatchObject({ method: 'GET', query: { ticket: answer.ticket }, answer: { status: 200, contentType: 'image/jpg' } });
		expect(image.query.access_token).toBeUndefined();
		const binary = item.binary!.data;
		expect({ mimeType: binary.mimeType, fileName: binary.fileName, fileExtension: binary.fileExtension }).toEqual({
			mimeType: 'image/jpeg',
			fileName: 'wechat-qrcode-spring-2026.jpg',
			fileExtension: 'jpg',
		});
		expect(Buffer.from(binary.data, 'base64').equals(qrCodeJpeg(answer.ticket))).toBe(true);
	});

	test.each([
		['temporary', 'number', { sceneId: 4294967295, expireSeconds: 3600 }, { expire_seconds: 3600, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 4294967295 } } }],
		['permanent', 'number', { sceneId: 100000 }, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100000 } } }],
		['permanent', 'string', { sceneStr: 'shop-42' }, { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'shop-42' } } }],
	])('a %s code with a %s scene', async (qrCodeType, sceneType, fields, body) => {
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ qrCodeType, sceneType, ...fields, options: { binaryPropertyName: 'qr' } }) });
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/qrcode/create').map((call) => call.body)).toEqual([body]);
		const [item] = result.items;
		// A permanent code has no expire_seconds in WeChat's answer (the page: "仅临时二维码需要").
		expect('expire_seconds' in item.json).toBe(qrCodeType === 'temporary');
		expect(Object.keys(item.binary ?? {})).toEqual(['qr']);
	});

	test.each([
		[{ sceneStr: 'x'.repeat(65) }, 'Item 1, "Scene": must be at most 64 characters, got 65'],
		[{ sceneStr: '  ' }, 'Item 1, "Scene": is required'],
		[{ sceneType: 'number', sceneId: 0 }, 'Item 1, "Scene": must be a whole number from 1 to 4294967295, got 0'],
		[{ sceneType: 'number', sceneId: 4294967296 }, 'Item 1, "Scene": must be a whole number from 1 to 4294967295, got 4294967296'],
		[{ qrCodeType: 'permanent', sceneType: 'number', sceneId: 100001 }, 'Item 1, "Scene": must be a whole number from 1 to 100000, got 100001'],
		[{ sceneStr: 'a', expireSeconds: 2592001 }, 'Item 1, "Expires After (Seconds)": must be a whole number from 1 to 2592000, got 2592001'],
	])('WeChat\'s limits are checked before anything is sent: %j', async (fields, message) => {
		const result = await env.n8n.run({ typeVersion: 4, parameters: create(fields) });
		expect(result.error?.message).toBe(message);
		expect(wechat.calls).toHaveLength(0);
	});

	test('a 64-character scene of Chinese characters goes through: the page counts characters', async () => {
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ sceneStr: '春'.repeat(64) }) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.scene).toBe('春'.repeat(64));
	});

	test('with Continue On Fail, a bad item is an error paired with it, and the others get their codes', async () => {
		const result = await env.n8n.run({
			typeVersion: 4,
			parameters: create({ sceneStr: '={{ $json.scene }}' }),
			items: [{ json: { scene: 'ok-1' } }, { json: { scene: 'y'.repeat(70) } }, { json: { scene: 'ok-2' } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json.scene ?? item.json.error, item.pairedItem])).toEqual([
			['ok-1', { item: 0 }],
			['Item 2, "Scene": must be at most 64 characters, got 70', [{ item: 1 }]],
			['ok-2', { item: 2 }],
		]);
		expect(wechat.callsTo('/cgi-bin/qrcode/create')).toHaveLength(2);
	});

	/** WeChat's own address of a ticket's image: "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=TICKET", "TICKET记得进行UrlEncode". */
	const weChatImageUrl = (ticket: string) => `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;

	test('an image WeChat does not have (HTTP 404) fails the item with what was made: ticket, url, expire_seconds, actionName', async () => {
		wechat.injectFault('/cgi-bin/showqrcode', 'http404Json');
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ sceneStr: 'x' }) });
		const [call] = wechat.callsTo('/cgi-bin/qrcode/create');
		const answer = call.answer as { ticket: string; expire_seconds: number; url: string };
		expect(result.error?.message).toBe(
			"The QR code was made, but WeChat answered HTTP 404 for the QR code's image: WeChat has no QR code for this ticket. " +
				`Do not create it again: its image can be got again at ${weChatImageUrl(answer.ticket)}`,
		);
		const description = result.error?.description ?? '';
		for (const made of [`ticket: ${answer.ticket}`, `url: ${answer.url}`, 'expire_seconds: 2592000', 'actionName: QR_STR_SCENE']) expect(description).toContain(made);
	});

	test('with Continue On Fail, an image that could not be got leaves the code\'s fields in the failed item', async () => {
		wechat.injectFault('/cgi-bin/showqrcode', 'http404Json');
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ qrCodeType: 'permanent', sceneStr: 'shop-42' }), continueOnFail: true });
		const answer = wechat.callsTo('/cgi-bin/qrcode/create')[0].answer as { ticket: string; url: string };
		const [item] = result.items;
		expect(item.json).toEqual({
			error: expect.stringContaining(weChatImageUrl(answer.ticket)),
			errorDescription: expect.stringContaining(`ticket: ${answer.ticket}`),
			ticket: answer.ticket,
			url: answer.url,
			actionName: 'QR_LIMIT_STR_SCENE',
			scene: 'shop-42',
		});
		expect(item.binary).toBeUndefined();
		// A permanent code counts against the account's 100,000: made once.
		expect(wechat.callsTo('/cgi-bin/qrcode/create')).toHaveLength(1);
	});

	test('an HTTP 200 that is no image (a relay\'s login page) is refused, not output as a file, with what was made', async () => {
		wechat.injectFault('/cgi-bin/showqrcode', 'http200Html');
		const result = await env.n8n.run({ typeVersion: 4, parameters: create({ sceneStr: 'x' }), continueOnFail: true });
		const answer = wechat.callsTo('/cgi-bin/qrcode/create')[0].answer as { ticket: string; url: string };
		const [item] = result.items;
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ ticket: answer.ticket, url: answer.url, expire_seconds: 2592000, actionName: 'QR_STR_SCENE' });
		expect(item.json.error).toBe(
			"The QR code was made, but what came for the QR code's image (text/html, 62 bytes) is not a JPEG, PNG or GIF image. " +
				`Do not create it again: its image can be got again at ${weChatImageUrl(answer.ticket)}`,
		);
	});

	test('a dropped image download is asked again; a dropped temporary create too, a permanent one not', async () => {
		wechat.injectFault('/cgi-bin/showqrcode', 'drop');
		wechat.injectFault('/cgi-bin/qrcode/create', 'dropAfterAccept');
		const temporary = await env.n8n.run({ typeVersion: 4, parameters: create({ sceneStr: 'x' }) });
		expect(temporary.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/qrcode/create')).toHaveLength(2);
		expect(wechat.callsTo('/cgi-bin/showqrcode')).toHaveLength(2);

		wechat.injectFault('/cgi-bin/qrcode/create', 'dropAfterAccept');
		const permanent = await env.n8n.run({ typeVersion: 4, parameters: create({ qrCodeType: 'permanent', sceneStr: 'y' }) });
		expect(permanent.error?.message).toMatch(/^The connection to WeChat failed .*it was not sent again/);
		expect(wechat.callsTo('/cgi-bin/qrcode/create')).toHaveLength(3);
	});

	test.each([
		['qrCodeImageBaseUrl', 'http://relay-user:relay-pass@127.0.0.1:9', 'The credential\'s "QR Code Image Base URL" must not contain a user name or password'],
		['qrCodeImageBaseUrl', 'ftp://127.0.0.1/', 'The credential\'s "QR Code Image Base URL" must start with https:// or http://'],
		['qrCodeImageBaseUrl', 'https://relay.example.com/qr?key=relay-pass', 'The credential\'s "QR Code Image Base URL" must have no query (?…) or fragment (#…)'],
		['qrCodeImageBaseUrl', 'not a url relay-pass', 'The credential\'s "QR Code Image Base URL" is not a URL'],
		['baseUrl', 'https://relay-user:relay-pass@relay.example.com', 'The credential\'s "API Base URL" must not contain a user name or password'],
	])('a credential whose %s is %s fails before any code is made, naming the field and not the value', async (field, value, message) => {
		const bad = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret, qrCodeImageBaseUrl: wechat.baseUrl, [field]: value });
		const result = await bad.n8n.run({ typeVersion: 4, parameters: create({ qrCodeType: 'permanent', sceneStr: 'x' }) });
		expect(result.error?.message).toContain(message);
		expect(JSON.stringify(result.error)).not.toContain('relay-pass');
		expect(wechat.callsTo('/cgi-bin/qrcode/create')).toHaveLength(0);
	});
});
