// The fake WeChat's QR codes with a scene and the follows, scans and unfollows they bring (test/fake-wechat/qrcodes.ts,
// each rule beside its page):
// - qrcode/create: https://developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode.html ("最长可以设置为在二维码
//   生成后的30天（即2592000秒）后过期"; "目前为最多10万个"; scene_id "临时二维码时为32位非0整型，永久二维码时最大值为100000"; scene_str
//   "长度限制为1到64").
// - showqrcode: https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
//   ("TICKET记得进行UrlEncode"; "ticket正确情况下，http 返回码是200，是一张图片"; "错误情况下（如ticket非法）返回HTTP错误码404").
// - The pushed events: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
//   (subscribe with "EventKey … qrscene_为前缀，后面为二维码的参数值" and Ticket; SCAN with the scene; unsubscribe).
import { FakeWeChatServer } from '../fake-wechat/server';
import { TriggerHarness } from '../harness/webhook';
import { createEnvironment, type TestEnvironment } from '../harness/workflow';

const TOKEN = 'qrPushToken42';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ORIGINAL_ID = 'gh_0a1b2c3d4e5f';

/**
 * Reads a baseline grayscale JPEG of flat 8×8 blocks back (ITU-T T.81: markers, the DC Huffman table, the scan): each
 * block's shade. Independent of the writer: it decodes with the tables the file carries.
 */
function readFlatBlockJpeg(jpeg: Buffer): { width: number; height: number; shades: number[] } {
	expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
	expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
	let at = 2;
	let width = 0;
	let height = 0;
	const tables = new Map<number, Map<string, number>>();
	while (jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
		const marker = jpeg[at + 1];
		const length = jpeg.readUInt16BE(at + 2);
		const body = jpeg.subarray(at + 4, at + 2 + length);
		if (marker === 0xc0) [height, width] = [body.readUInt16BE(1), body.readUInt16BE(3)];
		if (marker === 0xc4) {
			const codes = new Map<string, number>();
			let code = 0;
			let symbol = 17;
			for (let bits = 1; bits <= 16; bits++) {
				for (let n = 0; n < body[bits]; n++) codes.set((code++).toString(2).padStart(bits, '0'), body[symbol++]);
				code <<= 1;
			}
			tables.set(body[0], codes);
		}
		at += 2 + length;
	}
	const scanStart = at + 2 + jpeg.readUInt16BE(at + 2);
	const bytes: number[] = [];
	for (let i = scanStart; i < jpeg.length - 2; i++) {
		bytes.push(jpeg[i]);
		if (jpeg[i] === 0xff) i++; // a stuffed 0x00
	}
	const bits = bytes.map((byte) => byte.toString(2).padStart(8, '0')).join('');
	let cursor = 0;
	const read = (codes: Map<string, number>) => {
		for (let length = 1; length <= 16; length++) {
			const symbol = codes.get(bits.slice(cursor, cursor + length));
			if (symbol !== undefined) {
				cursor += length;
				return symbol;
			}
		}
		throw new Error(`no Huffman code at bit ${cursor}`);
	};
	const shades: number[] = [];
	let dc = 0;
	for (let block = 0; block < (width / 8) * (height / 8); block++) {
		const category = read(tables.get(0x00)!);
		const raw = category === 0 ? 0 : parseInt(bits.slice(cursor, cursor + category), 2);
		cursor += category;
		dc += category === 0 ? 0 : raw >= 1 << (category - 1) ? raw : raw - (1 << category) + 1;
		expect(read(tables.get(0x10)!)).toBe(0x00); // end of block: no AC coefficient
		shades.push(dc / 8 + 128);
	}
	return { width, height, shades };
}

describe('the fake WeChat\'s QR codes', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;
	let token: string;

	beforeEach(async () => {
		wechat = await new FakeWeChatServer().start();
		env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
		const answer = await fetch(`${wechat.baseUrl}/cgi-bin/stable_token`, {
			method: 'POST',
			body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }),
		});
		token = ((await answer.json()) as { access_token: string }).access_token;
	});
	afterEach(async () => wechat.stop());

	const create = async (body: unknown) =>
		(await (await fetch(`${wechat.baseUrl}/cgi-bin/qrcode/create?access_token=${token}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
	const image = (ticket: string) => fetch(`${wechat.baseUrl}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`);

	test('qrcode/create answers ticket, expire_seconds and url for a temporary code; ticket and url for a permanent one', async () => {
		const temporary = await create({ expire_seconds: 604800, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 123 } } });
		expect(temporary).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/), expire_seconds: 604800, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\/\w+$/) });
		const permanent = await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'test' } } });
		expect(permanent).toEqual({ ticket: expect.any(String), url: expect.any(String) });
		// Asked again for the same permanent scene: the same code (the page is silent; see qrcodes.ts).
		expect(await create({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'test' } } })).toEqual(permanent);
		// Without expire_seconds a temporary code lives 30 s (the old page; see DEFAULT_EXPIRE_SECONDS).
		expect(await create({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'x' } } })).toMatchObject({ expire_seconds: 30 });
	});

	test.each([
		['expire_seconds over 30 days', { expire_seconds: 2592001, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } }],
		['a temporary scene_id of 0', { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 0 } } }],
		['a temporary scene_id over 32 bits', { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 4294967296 } } }],
		['a permanent scene_id over 100000', { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100001 } } }],
		['a scene_str of 65 characters', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(65) } } }],
		['an empty scene_str', { action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: '' } } }],
		['an unknown action_name', { action_name: 'QR_FOREVER', action_info: { scene: { scene_id: 1 } } }],
		['a number scene given as scene_str', { action_name: 'QR_SCENE', action_info: { scene: { scene_str: '1' } } }],
	])('qrcode/create refuses %s with 40035', async (_case, body) => {
		expect(await create(body)).toEqual({ errcode: 40035, errmsg: 'invalid args' });
	});

	test('showqrcode: the image of a live ticket, without a token; 404 for an unknown, mangled or expired ticket', async () => {
		const { ticket } = (await create({ expire_seconds: 60, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 9 } } })) as { ticket: string };
		const ok = await image(ticket);
		expect([ok.status, ok.headers.get('content-type'), ok.headers.get('cache-control')]).toEqual([200, 'image/jpg', 'max-age=604800']);
		const jpeg = Buffer.from(await ok.arrayBuffer());
		const decoded = readFlatBlockJpeg(jpeg);
		expect([decoded.width, decoded.height]).toEqual([264, 264]);
		// Black and white modules only, a white quiet zone, the top-left finder's corner black.
		expect(new Set(decoded.shades.map(Math.round))).toEqual(new Set([0, 255]));
		expect(decoded.shades[0]).toBe(255);
		expect(decoded.shades[4 * 33 + 4]).toBe(0);
		// A ticket sent as it is: its "+" reads as a space, and WeChat finds no such ticket.
		expect(ticket).toMatch(/\+/);
		expect((await fetch(`${wechat.baseUrl}/cgi-bin/showqrcode?ticket=${ticket}`)).status).toBe(404);
		expect((await image('gQnot-a-ticket')).status).toBe(404);
		wechat.advanceClock(61000);
		expect((await image(ticket)).status).toBe(404);
	});

	test('a scan by someone new: they follow, and the trigger gets subscribe with the scene; a follower\'s scan is SCAN; an unfollow removes them', async () => {
		const harness = await TriggerHarness.create({ appId: wechat.appId, token: TOKEN, encryptionMode: 'safe', encodingAesSecretKey: AES_KEY }, { events: 'all' });
		try {
			wechat.push.setTargets([{ url: await harness.listen(), token: TOKEN, encodingAesKey: AES_KEY, mode: 'safe', originalId: ORIGINAL_ID }]);
			const created = await env.n8n.run({ typeVersion: 4, parameters: { resource: 'qrCode', operation: 'create', sceneStr: 'spring-2026' } });
			const ticket = created.json[0].ticket as string;

			const admin = async (path: string, body: unknown) => {
				const response = await fetch(`${wechat.baseUrl}/__fake/followers/${path}`, { method: 'POST', body: JSON.stringify(body) });
				return { status: response.status, body: (await response.json()) as Record<string, unknown> };
			};
			const first = await admin('scan', { ticket });
			expect(first).toEqual({ status: 200, body: { openid: expect.stringMatching(/^oFakeScan\d{19}$/), event: 'subscribe', scene: 'spring-2026' } });
			const openid = first.body.openid as string;
			expect(wechat.audience.isFollower(openid)).toBe(true);
			await wechat.push.settled();
			expect(await admin('scan', { ticket, openid })).toEqual({ status: 200, body: { openid, event: 'SCAN', scene: 'spring-2026' } });
			await wechat.push.settled();
			// Follower > Get Details says how they came.
			const details = await env.n8n.run({ typeVersion: 4, parameters: { resource: 'follower', operation: 'get', openIds: openid } });
			expect(details.json[0]).toMatchObject({ openid, subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene_str: 'spring-2026' });

			wechat.tags.push({ id: 101, name: 'Spring 2026', count: 0 });
			await env.n8n.run({ typeVersion: 4, parameters: { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: '101' }, openIds: openid } });
			expect(wechat.audience.membersOf(101)).toEqual([openid]);
			expect(await admin('unfollow', { openid })).toEqual({ status: 200, body: { openid, event: 'unsubscribe' } });
			await wechat.push.settled();
			expect(wechat.audience.isFollower(openid)).toBe(false);
			expect(wechat.audience.membersOf(101)).toEqual([]);
			expect(wechat.tags.find((tag) => tag.id === 101)?.count).toBe(0);

			expect(harness.errors).toEqual([]);
			const raws = harness.starts.map((start) => start[0][0].json.raw as Record<string, string>);
			expect(raws.map(({ FromUserName, MsgType, Event, EventKey, Ticket }) => ({ FromUserName, MsgType, Event, EventKey, Ticket }))).toEqual([
				{ FromUserName: openid, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_spring-2026', Ticket: ticket },
				{ FromUserName: openid, MsgType: 'event', Event: 'SCAN', EventKey: 'spring-2026', Ticket: ticket },
				{ FromUserName: openid, MsgType: 'event', Event: 'unsubscribe', EventKey: undefined, Ticket: undefined },
			]);
			expect(wechat.push.deliveries.map((delivery) => [delivery.event, delivery.id, delivery.request.query.openid, delivery.outcome])).toEqual([
				['subscribe', openid, openid, 'accepted'],
				['SCAN', openid, openid, 'accepted'],
				['unsubscribe', openid, openid, 'accepted'],
			]);
			// An unfollowed person, an expired code: refused by the admin API, nothing pushed.
			expect((await admin('unfollow', { openid })).status).toBe(400);
			wechat.advanceClock(2592001 * 1000);
			expect(await admin('scan', { ticket })).toEqual({ status: 400, body: { error: 'no live QR code has this ticket: it is unknown or has expired' } });
			expect(wechat.push.deliveries).toHaveLength(3);
		} finally {
			await harness.close();
		}
	});
});
