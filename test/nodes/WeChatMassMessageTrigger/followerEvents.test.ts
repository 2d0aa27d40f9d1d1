// Follows, unfollows and scans of a QR code with a scene, as the event push page gives them
// (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html, "关注/取消关注事件" and
// "扫描带参数二维码事件"): signed and encrypted as WeChat does, through the real trigger run by n8n-core.
import { TriggerHarness } from '../../harness/webhook';
import { safeRequest } from '../../helpers/wechatCallbackSigner';
import { ACCOUNT, credentialFor } from './fixtures';

const FOLLOWER = 'oFollowerOpenId0000000000001';
const TICKET = 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw==';

/** An event as the page's samples write it, from FOLLOWER, created `at` (Unix seconds). */
function eventXml(event: string, extra = '', at = Math.floor(Date.now() / 1000)): string {
	return (
		`<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[${FOLLOWER}]]></FromUserName>` +
		`<CreateTime>${at}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${extra}</xml>`
	);
}
const qrFields = (eventKey: string) => `<EventKey><![CDATA[${eventKey}]]></EventKey><Ticket><![CDATA[${TICKET}]]></Ticket>`;

async function deliver(events: string, xml: string) {
	const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events });
	const signed = safeRequest(ACCOUNT, xml);
	const reply = await harness.invoke({ method: 'POST', query: signed.query, body: signed.body });
	return { harness, reply, started: harness.starts.map((start) => start[0].map((item) => item.json)) };
}

describe('the trigger\'s follower events', () => {
	test('Follower Subscribed, through a code: the scene without "qrscene_", the ticket, the time in UTC and in China', async () => {
		// 2026-11-30T16:05:12Z is 2026-12-01 00:05:12 in China: the day differs.
		const at = Date.UTC(2026, 10, 30, 16, 5, 12) / 1000;
		const { reply, started } = await deliver('subscribe', eventXml('subscribe', qrFields('qrscene_spring-2026'), at));
		expect([reply.status, reply.body]).toEqual([200, 'success']);
		expect(started).toEqual([
			[
				{
					event: 'subscribe',
					openid: FOLLOWER,
					scene: 'spring-2026',
					ticket: TICKET,
					time: '2026-11-30T16:05:12.000Z',
					timeChina: '2026-12-01T00:05:12+08:00',
					account: ACCOUNT.originalId,
					raw: { ToUserName: ACCOUNT.originalId, FromUserName: FOLLOWER, CreateTime: String(at), MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_spring-2026', Ticket: TICKET },
				},
			],
		]);
	});

	test('a CreateTime beyond what a date holds gives no time, and the follow still starts the workflow (once)', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events: 'subscribe' });
		const signed = safeRequest(ACCOUNT, eventXml('subscribe', qrFields('qrscene_spring-2026'), 99999999999999));
		// WeChat retries a callback not answered in time: the retry, too, is answered and starts nothing more.
		for (let attempt = 0; attempt < 2; attempt++) {
			const reply = await harness.invoke({ method: 'POST', query: signed.query, body: signed.body });
			expect([reply.status, reply.body]).toEqual([200, 'success']);
		}
		expect(harness.starts.map((start) => start[0].map((item) => item.json))).toEqual([
			[expect.objectContaining({ event: 'subscribe', openid: FOLLOWER, scene: 'spring-2026', time: null, timeChina: null })],
		]);
	});

	test.each([
		['no EventKey', ''],
		['an empty EventKey', '<EventKey><![CDATA[]]></EventKey>'],
		['a WeChat Pay order as EventKey', '<EventKey><![CDATA[last_trade_no_4002752001201704258347703919]]></EventKey>'],
	])('Follower Subscribed with %s: no scene, no ticket', async (_case, extra) => {
		const { started } = await deliver('subscribe', eventXml('subscribe', extra));
		expect(started).toEqual([[expect.objectContaining({ event: 'subscribe', openid: FOLLOWER, scene: null, ticket: null })]]);
	});

	test('QR Code Scanned: a follower\'s SCAN, its EventKey the scene as it is', async () => {
		const { started } = await deliver('scan', eventXml('SCAN', qrFields('123123')));
		expect(started).toEqual([[expect.objectContaining({ event: 'SCAN', openid: FOLLOWER, scene: '123123', ticket: TICKET })]]);
	});

	test('Follower Unsubscribed: the follower, no scene', async () => {
		const { started } = await deliver('unsubscribe', eventXml('unsubscribe', '<EventKey><![CDATA[]]></EventKey>'));
		expect(started).toEqual([[expect.objectContaining({ event: 'unsubscribe', openid: FOLLOWER, scene: null, ticket: null, account: ACCOUNT.originalId })]]);
	});

	test('Follower Subscribed or QR Code Scanned starts on both, not on an unfollow', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events: 'subscribeOrScan' });
		const at = Math.floor(Date.now() / 1000);
		for (const xml of [eventXml('subscribe', qrFields('qrscene_7'), at), eventXml('SCAN', qrFields('7'), at + 1), eventXml('unsubscribe', '', at + 2)]) {
			const signed = safeRequest(ACCOUNT, xml);
			const reply = await harness.invoke({ method: 'POST', query: signed.query, body: signed.body });
			expect([reply.status, reply.body]).toEqual([200, 'success']);
		}
		expect(harness.starts.map((start) => start[0][0].json.event)).toEqual(['subscribe', 'SCAN']);
	});

	test.each([
		['massSendJobFinish', 'subscribe'],
		['subscribe', 'unsubscribe'],
		['unsubscribe', 'SCAN'],
		['scan', 'subscribe'],
	])('with Events %s, a %s event is answered success and starts nothing', async (events, event) => {
		const { reply, started } = await deliver(events, eventXml(event, event === 'unsubscribe' ? '' : qrFields(event === 'SCAN' ? '5' : 'qrscene_5')));
		expect([reply.status, reply.body, started]).toEqual([200, 'success', []]);
	});

	test('All Events keeps its general shape for a follow, as before', async () => {
		const { started } = await deliver('all', eventXml('subscribe', qrFields('qrscene_5')));
		expect(started).toEqual([[expect.objectContaining({ msgType: 'event', event: 'subscribe', fromUserName: FOLLOWER })]]);
	});

	test('WeChat\'s retries ("推荐使用FromUserName + CreateTime 排重") and a replay start the workflow once', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events: 'subscribe' });
		const xml = eventXml('subscribe', qrFields('qrscene_spring-2026'));
		const first = safeRequest(ACCOUNT, xml);
		// A retry is the same event, freshly signed (a new nonce); a replay is the same request again.
		for (const request of [first, safeRequest(ACCOUNT, xml), first, safeRequest(ACCOUNT, xml)]) {
			const reply = await harness.invoke({ method: 'POST', query: request.query, body: request.body });
			expect([reply.status, reply.body]).toEqual([200, 'success']);
		}
		expect(harness.starts).toHaveLength(1);
		// The same follower following again later is another event.
		const later = safeRequest(ACCOUNT, eventXml('subscribe', qrFields('qrscene_spring-2026'), Math.floor(Date.now() / 1000) + 5));
		await harness.invoke({ method: 'POST', query: later.query, body: later.body });
		expect(harness.starts).toHaveLength(2);
	});
});
