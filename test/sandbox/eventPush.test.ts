// The fake WeChat pushes its events as WeChat does (test/fake-wechat/push.ts, each rule beside its page):
// MASSSENDJOBFINISH when a send's job has ended ("若群发任务提交成功，则在群发任务结束时，会向开发者在公众平台填写的
// 开发者URL（callback URL）推送事件", https://developers.weixin.qq.com/doc/service/guide/product/message/Batch_Sends.html),
// PUBLISHJOBFINISH when a publish has ended (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit),
// to the account's server URL, signed and encrypted (https://developers.weixin.qq.com/doc/service/guide/dev/push/), and
// again when no answer came within five seconds, three requests in all; `success` or an empty answer ends it
// (https://developers.weixin.qq.com/doc/service/en/guide/product/message/Passive_user_reply_message.html).
// The requests are checked by an independent decryption here and by the real trigger run by n8n-core.
import { createDecipheriv, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { FakeWeChatServer } from '../fake-wechat/server';
import type { PushMode, PushTarget } from '../fake-wechat/push';
import { TriggerHarness } from '../harness/webhook';
import { createEnvironment, type TestEnvironment } from '../harness/workflow';

const TOKEN = 'pushTestToken42';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ORIGINAL_ID = 'gh_0a1b2c3d4e5f';

interface Received {
	query: Record<string, string>;
	body: string;
	at: number;
}

/** A server URL that records what it gets and answers as told: `success`, 404, or not at all (for the first `silentFor` requests). */
class Receiver {
	readonly received: Received[] = [];
	answer: { status: number; body: string } = { status: 200, body: 'success' };
	silentFor = 0;
	private server: Server | undefined;

	async start(): Promise<string> {
		this.server = createServer((request, response) => void this.serve(request, response));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/wechat`;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
		this.received.push({ query: Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams), body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
		if (this.received.length <= this.silentFor) return;
		response.writeHead(this.answer.status, { 'content-type': 'text/plain' }).end(this.answer.body);
	}
}

const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** WeChat's decryption, written here from its page: AES-256-CBC, IV = key[0..16), 32-byte PKCS#7, 16 random bytes | length | XML | AppID. */
function decrypt(encrypted: string): { xml: string; appId: string } {
	const key = Buffer.from(`${AES_KEY}=`, 'base64');
	const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
	decipher.setAutoPadding(false);
	const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
	const plain = padded.subarray(0, padded.length - padded[padded.length - 1]);
	const length = plain.readUInt32BE(16);
	return { xml: plain.subarray(20, 20 + length).toString('utf8'), appId: plain.subarray(20 + length).toString('utf8') };
}

function field(xml: string, name: string): string | undefined {
	return new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${name}>`).exec(xml)?.[1];
}

const target = (url: string, mode: PushMode = 'safe'): PushTarget => ({ url, token: TOKEN, encodingAesKey: AES_KEY, mode, originalId: ORIGINAL_ID });

describe('the fake WeChat pushes finished sends and publishes to the account\'s server URL', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;
	let receiver: Receiver;
	let url: string;
	let sends = 0;

	beforeEach(async () => {
		wechat = await new FakeWeChatServer({ sendingDurationMs: 300, publishingDurationMs: 200 }).start();
		env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
		receiver = new Receiver();
		url = await receiver.start();
	});
	afterEach(async () => {
		await wechat.stop();
		await receiver.stop();
	});

	async function sendText(): Promise<number> {
		const result = await env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: `Spring sale ${++sends}` } });
		expect(result.error).toBeUndefined();
		return result.json[0].msg_id as number;
	}

	test('once a send is no longer SENDING: MASSSENDJOBFINISH, encrypted and signed with the account\'s Token and key', async () => {
		wechat.push.setTargets([target(url)]);
		const msgId = await sendText();
		const [send] = wechat.accepted;
		const status = await env.n8n.run({ parameters: { resource: 'massMessage', operation: 'getStatus', messageId: String(msgId) } });
		expect(status.json[0]).toMatchObject({ msg_status: 'SENDING' });
		expect(receiver.received).toEqual([]);

		await wechat.push.settled();
		expect(receiver.received).toHaveLength(1);
		const [{ query, body, at }] = receiver.received;
		expect(at).toBeGreaterThanOrEqual(send.acceptedAt + 300);
		const encrypted = field(body, 'Encrypt')!;
		expect(query).toEqual({
			signature: sha1(TOKEN, query.timestamp, query.nonce),
			timestamp: expect.stringMatching(/^\d{10}$/),
			nonce: expect.stringMatching(/^\d+$/),
			openid: expect.any(String),
			encrypt_type: 'aes',
			msg_signature: sha1(TOKEN, query.timestamp, query.nonce, encrypted),
		});
		expect(Math.abs(Number(query.timestamp) - Date.now() / 1000)).toBeLessThan(5);
		// Safe mode: only ToUserName and the ciphertext travel.
		expect(body).toBe(`<xml><ToUserName><![CDATA[${ORIGINAL_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`);

		const { xml, appId } = decrypt(encrypted);
		expect(appId).toBe(wechat.appId);
		const fields = Object.fromEntries(['ToUserName', 'MsgType', 'Event', 'MsgID', 'Status', 'TotalCount', 'FilterCount', 'SentCount', 'ErrorCount'].map((name) => [name, field(xml, name)]));
		expect(fields).toEqual({ ToUserName: ORIGINAL_ID, MsgType: 'event', Event: 'MASSSENDJOBFINISH', MsgID: String(msgId), Status: 'send success', TotalCount: '3456', FilterCount: '3456', SentCount: '3456', ErrorCount: '0' });
		expect(wechat.push.deliveries).toEqual([expect.objectContaining({ event: 'MASSSENDJOBFINISH', id: String(msgId), url, outcome: 'accepted', attempts: [expect.objectContaining({ status: 200, body: 'success' })] })]);
		// The push is WeChat calling out, not a call WeChat received.
		expect(wechat.calls.map((call) => call.path)).not.toContain(new URL(url).pathname);
	});

	test.each(['plain', 'compatible', 'safe'] as const)('in %s mode, the real trigger takes the send\'s and the publish\'s events and starts its workflow once for each', async (mode) => {
		const harness = await TriggerHarness.create({ appId: wechat.appId, token: TOKEN, encryptionMode: mode, encodingAesSecretKey: AES_KEY }, { events: 'massOrPublishFinished' });
		try {
			wechat.push.setTargets([target(await harness.listen(), mode)]);
			wechat.registerDraft('DRAFT_TWO_ARTICLES', ['Spring sale', 'Lookbook']);
			wechat.registerDraft('DRAFT_TO_PUBLISH', ['Store opening']);
			wechat.push.nextMassSendOutcomes.push({ filterCount: 3449, errorCount: 9 });
			const sent = await env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'mpnews', articleMediaId: 'DRAFT_TWO_ARTICLES' } });
			const published = await env.n8n.run({
				typeVersion: 3,
				parameters: { resource: 'draft', operation: 'publish', draftMediaId: { __rl: true, mode: 'id', value: 'DRAFT_TO_PUBLISH' }, waitUntilPublished: false },
			});
			await wechat.push.settled();

			expect(harness.errors).toEqual([]);
			// Each event goes out as its job ends (the publish after 200 ms, the send after 300 ms, each from its own start):
			// which comes first depends on how long the two runs take, so both lists are compared in event order.
			const outputs = harness.starts.map((start) => start[0][0].json).sort((a, b) => String(a.event).localeCompare(String(b.event)));
			expect(outputs).toEqual([
				expect.objectContaining({
					event: 'MASSSENDJOBFINISH',
					msgId: String(sent.json[0].msg_id),
					status: 'success',
					totalCount: 3456,
					filterCount: 3449,
					sentCount: 3440,
					errorCount: 9,
					account: ORIGINAL_ID,
					articleUrls: [expect.objectContaining({ articleIdx: 1 }), expect.objectContaining({ articleIdx: 2 })],
				}),
				expect.objectContaining({ event: 'PUBLISHJOBFINISH', publishId: published.json[0].publish_id, publishStatus: 0, articleId: expect.any(String), articleUrls: [expect.objectContaining({ articleIdx: 1 })] }),
			]);
			const deliveries = wechat.push.deliveries.map((delivery) => [delivery.event, delivery.outcome, delivery.attempts.length]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
			expect(deliveries).toEqual([
				['MASSSENDJOBFINISH', 'accepted', 1],
				['PUBLISHJOBFINISH', 'accepted', 1],
			]);
		} finally {
			await harness.close();
		}
	});

	test('a publish that failed its originality check names the failed articles, without an article_id', async () => {
		wechat.push.setTargets([target(url, 'plain')]);
		wechat.registerDraft('DRAFT_COPIED', ['Copied', 'Own']);
		wechat.publisher.nextOutcomes.push({ status: 2, failIdx: [1] });
		await env.n8n.run({ typeVersion: 3, parameters: { resource: 'draft', operation: 'publish', draftMediaId: { __rl: true, mode: 'id', value: 'DRAFT_COPIED' }, waitUntilPublished: false } });
		await wechat.push.settled();
		const [{ body }] = receiver.received;
		expect(field(body, 'Event')).toBe('PUBLISHJOBFINISH');
		expect(field(body, 'publish_status')).toBe('2');
		expect(body).toContain('<fail_idx>1</fail_idx>');
		expect(body).not.toContain('article_id');
	});

	test('no answer in time: the same request again, three in all; an answer on the second ends it', async () => {
		wechat.push.answerTimeoutMs = 250;
		wechat.push.setTargets([target(url)]);
		receiver.silentFor = 1;
		await sendText();
		await wechat.push.settled();
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[1].query).toEqual(receiver.received[0].query);
		expect(receiver.received[1].body).toBe(receiver.received[0].body);
		expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(240);
		expect(wechat.push.deliveries[0]).toMatchObject({ outcome: 'accepted', attempts: [{ error: 'no answer within 250 ms' }, { status: 200, body: 'success' }] });

		receiver.received.length = 0;
		receiver.silentFor = Infinity;
		await sendText();
		await wechat.push.settled();
		expect(receiver.received).toHaveLength(3);
		expect(wechat.push.deliveries[1]).toMatchObject({ outcome: 'unanswered', attempts: [{ error: expect.any(String) }, { error: expect.any(String) }, { error: expect.any(String) }] });
	});

	test('an empty answer is accepted too; an HTTP error is recorded, not retried, and the next URL still gets the event', async () => {
		const second = new Receiver();
		const secondUrl = await second.start();
		try {
			receiver.answer = { status: 404, body: '{"code":404,"message":"The requested webhook is not registered."}' };
			second.answer = { status: 200, body: '' };
			wechat.push.setTargets([target(url), target(secondUrl)]);
			await sendText();
			await wechat.push.settled();
			expect([receiver.received.length, second.received.length]).toEqual([1, 1]);
			expect(second.received[0].at).toBeGreaterThanOrEqual(receiver.received[0].at);
			expect(wechat.push.deliveries.map(({ url: to, outcome, attempts }) => [to, outcome, attempts.map((attempt) => attempt.status)])).toEqual([
				[url, 'refused', [404]],
				[secondUrl, 'accepted', [200]],
			]);
		} finally {
			await second.stop();
		}
	});

	test('the admin API over HTTP sets the targets and lists deliveries, never showing a Token or key', async () => {
		const admin = (method: string, path: string, body?: unknown) =>
			fetch(`${wechat.baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
		expect((await admin('PUT', '/__fake/push/targets', { targets: [target(url)] })).status).toBe(200);
		// A second URL with the first one's Token, key, mode and account.
		const added = await admin('POST', '/__fake/push/targets', { url: `${url}/second` });
		expect(await added.json()).toEqual({ targets: [{ url, mode: 'safe', originalId: ORIGINAL_ID }, { url: `${url}/second`, mode: 'safe', originalId: ORIGINAL_ID }] });
		expect((await admin('PUT', '/__fake/push/targets', { targets: [{ url, token: TOKEN, mode: 'safe', originalId: ORIGINAL_ID }] })).status).toBe(400);

		await sendText();
		await wechat.push.settled();
		const view = await (await admin('GET', '/__fake/push')).text();
		expect(JSON.parse(view)).toMatchObject({
			events: ['MASSSENDJOBFINISH', 'PUBLISHJOBFINISH', 'subscribe', 'unsubscribe', 'SCAN'],
			deliveries: [{ event: 'MASSSENDJOBFINISH', url, outcome: 'accepted' }, { url: `${url}/second`, outcome: 'accepted' }],
		});
		expect(view).not.toContain(TOKEN);
		expect(view).not.toContain(AES_KEY);
		expect(wechat.calls.filter((call) => call.path.startsWith('/__fake'))).toEqual([]);
		expect((await admin('DELETE', '/__fake/push/targets')).status).toBe(200);
		expect(wechat.push.configuredTargets).toEqual([]);
	});
});
