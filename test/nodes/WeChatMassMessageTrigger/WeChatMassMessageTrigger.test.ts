// The trigger as n8n runs it: loaded from dist/ by n8n-core, served over real HTTP, with every
// request signed and encrypted by an independent implementation of WeChat's scheme.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CredentialTestContext } from 'n8n-core';
import type { ICredentialTestFunction, IDataObject, INodeParameters } from 'n8n-workflow';

import { TriggerHarness, sendOverHttp, type CallbackCredentialData, type CallbackRequestSpec, type TriggerReply } from '../../harness/webhook';
import {
	compatibleRequest,
	encryptMessage,
	nowTimestamp,
	plainRequest,
	safeRequest,
	urlVerificationRequest,
	withEncrypt,
	type CallbackAccount,
	type SignedRequest,
} from '../../helpers/wechatCallbackSigner';
import { PACKAGE_NAME, PACKAGE_ROOT } from '../../harness/workflow';
import { GENERATION_SIZE, KEY_LENGTH, type Generation, type ReplayState } from '../../../nodes/WeChatMassMessageTrigger/replayMemory';
import { ACCOUNT, FINISHED_COPYRIGHT_CHECK, credentialFor, readFixture } from './fixtures';

const FINISHED = readFixture('finished-with-failures');
const SUBSCRIBE = readFixture('subscribe');
const OTHER_TOKEN: CallbackAccount = { ...ACCOUNT, token: 'someoneElse42' };
const OTHER_KEY: CallbackAccount = { ...ACCOUNT, encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };

/** The item the trigger emits for FINISHED: the output format, field by field. */
const FINISHED_ITEM: IDataObject = {
	event: 'MASSSENDJOBFINISH',
	msgId: '3147483654',
	statusText: 'send success',
	status: 'success',
	errorCode: null,
	errorReason: null,
	totalCount: 100000,
	filterCount: 99200,
	sentCount: 98000,
	errorCount: 1200,
	copyrightCheck: FINISHED_COPYRIGHT_CHECK,
	articleUrls: [
		{ articleIdx: 1, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=1' },
		{ articleIdx: 2, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=2' },
	],
	account: 'gh_3f2a6b8c9d01',
	fromUserName: 'oSystemMassSendNotifier000000',
	time: '2025-11-27T12:11:00.000Z',
	raw: expect.objectContaining({ MsgID: '3147483654', TotalCount: '100000', CopyrightCheckResult: expect.any(Object) }),
};

function post(signed: SignedRequest): CallbackRequestSpec {
	return { method: 'POST', query: signed.query, body: signed.body };
}

interface Served {
	harness: TriggerHarness;
	url: string;
	send(spec: CallbackRequestSpec): Promise<TriggerReply>;
}

/** A workflow holding the trigger, served on 127.0.0.1 for the tests of one describe block. */
function serveTrigger(credential: CallbackCredentialData, parameters: INodeParameters = {}): Served {
	const served = {} as Served;
	beforeAll(async () => {
		served.harness = await TriggerHarness.create(credential, parameters);
		served.url = await served.harness.listen();
		served.send = async (spec) => await sendOverHttp(served.url, spec);
	});
	afterEach(() => {
		expect(served.harness.errors).toEqual([]);
		served.harness.starts.length = 0;
		// Each test is its own delivery history; the tests of the replay memory send repeats within one test.
		served.harness.forgetRemembered();
	});
	afterAll(async () => await served.harness.close());
	return served;
}

describe('in safe mode', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'safe'));

	it('answers WeChat\'s URL check with the echostr as plain text', async () => {
		const reply = await trigger.send({ method: 'GET', ...urlVerificationRequest(ACCOUNT, '8231734498712349871') });
		expect(reply).toEqual({ status: 200, body: '8231734498712349871', contentType: 'text/plain; charset=utf-8' });
		expect(trigger.harness.starts).toHaveLength(0);
	});

	it('refuses a URL check signed with another token', async () => {
		const reply = await trigger.send({ method: 'GET', ...urlVerificationRequest(OTHER_TOKEN, '1') });
		expect(reply).toMatchObject({ status: 403, body: 'signature mismatch' });
	});

	it('refuses a URL check without an echostr', async () => {
		const { query } = urlVerificationRequest(ACCOUNT, '1');
		delete query.echostr;
		expect(await trigger.send({ method: 'GET', query })).toMatchObject({ status: 400, body: 'missing echostr' });
	});

	it('answers success and starts the workflow with the finished send as one item', async () => {
		const reply = await trigger.send(post(safeRequest(ACCOUNT, FINISHED)));
		expect(reply).toEqual({ status: 200, body: 'success', contentType: 'text/plain; charset=utf-8' });
		expect(trigger.harness.starts).toHaveLength(1);
		const [[items]] = trigger.harness.starts;
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(FINISHED_ITEM);
	});

	it('reads a review-stopped send with its reason', async () => {
		await trigger.send(post(safeRequest(ACCOUNT, readFixture('blocked-for-copyright'))));
		expect(trigger.harness.starts[0][0][0].json).toMatchObject({
			status: 'error',
			errorCode: 20013,
			errorReason: 'copyright infringement suspected',
			copyrightCheck: { checkState: 3, checkStateMeaning: 'judged a reprint: not sent' },
		});
	});

	it('answers success to other events without starting the workflow', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, SUBSCRIBE)))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(0);
	});

	describe('refuses, without starting the workflow,', () => {
		afterEach(() => expect(trigger.harness.starts).toHaveLength(0));

		it('a msg_signature made with another token', async () => {
			expect(await trigger.send(post(safeRequest(OTHER_TOKEN, FINISHED)))).toMatchObject({ status: 403, body: 'msg_signature mismatch' });
		});

		it('a ciphertext swapped for another one under the same msg_signature', async () => {
			const genuine = safeRequest(ACCOUNT, SUBSCRIBE);
			const swapped = safeRequest(ACCOUNT, FINISHED);
			expect(await trigger.send({ method: 'POST', query: genuine.query, body: swapped.body })).toMatchObject({
				status: 403,
				body: 'msg_signature mismatch',
			});
		});

		it('a missing msg_signature', async () => {
			const { query, body } = safeRequest(ACCOUNT, FINISHED);
			delete query.msg_signature;
			expect(await trigger.send({ method: 'POST', query, body })).toMatchObject({ status: 400, body: 'missing msg_signature' });
		});

		it('a message encrypted for another AppID', async () => {
			const reply = await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { appIdInCiphertext: 'wx0123456789abcdef' })));
			expect(reply).toMatchObject({ status: 403, body: 'the message was encrypted for another AppID' });
		});

		it('a message encrypted with another EncodingAESKey', async () => {
			const encrypted = encryptMessage(FINISHED, OTHER_KEY);
			const reply = await trigger.send(post(withEncrypt(ACCOUNT, encrypted)));
			expect(reply.status).toBe(400);
		});

		it('broken base64', async () => {
			const reply = await trigger.send(post(withEncrypt(ACCOUNT, `${encryptMessage(FINISHED, ACCOUNT)}%`)));
			expect(reply).toMatchObject({ status: 400, body: 'Encrypt is not valid base64' });
		});

		it('a truncated ciphertext', async () => {
			const ciphertext = Buffer.from(encryptMessage(FINISHED, ACCOUNT), 'base64');
			const reply = await trigger.send(post(withEncrypt(ACCOUNT, ciphertext.subarray(0, ciphertext.length - 32).toString('base64'))));
			expect(reply).toMatchObject({ status: 400 });
			expect(['bad padding', 'decrypted message is truncated', 'the message was encrypted for another AppID']).toContain(reply.body);
		});

		it('malformed XML inside a genuine ciphertext', async () => {
			const reply = await trigger.send(post(safeRequest(ACCOUNT, FINISHED.replace('</MsgID>', '</MsgId>'))));
			expect(reply).toMatchObject({ status: 400, body: expect.stringMatching(/^the decrypted message is not well-formed XML: closing tag/) });
		});

		it('a body that is not XML', async () => {
			const { query } = safeRequest(ACCOUNT, FINISHED);
			expect(await trigger.send({ method: 'POST', query, body: '{"Encrypt": "x"}' })).toMatchObject({
				status: 400,
				body: 'the body is not well-formed XML: text outside the root element at offset 0',
			});
		});

		it('an envelope without Encrypt', async () => {
			const { query } = safeRequest(ACCOUNT, FINISHED);
			expect(await trigger.send({ method: 'POST', query, body: FINISHED })).toMatchObject({ status: 400, body: 'no Encrypt element in the body' });
		});

		it('a plain-text request, whose signature would not cover the message', async () => {
			expect(await trigger.send(post(plainRequest(ACCOUNT, FINISHED)))).toMatchObject({
				status: 400,
				body: 'expected an encrypted message (encrypt_type=aes) in safe mode',
			});
		});

		it('a parameter given twice', async () => {
			const { query, body } = safeRequest(ACCOUNT, FINISHED);
			const reply = await trigger.send({ method: 'POST', query: { ...query, nonce: [query.nonce, '2'] }, body });
			expect(reply).toMatchObject({ status: 400, body: 'nonce must be given once' });
		});

		it('a timestamp that is not a number', async () => {
			const reply = await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp: '12e9' })));
			expect(reply).toMatchObject({ status: 400, body: 'timestamp must be a number of seconds' });
		});

		it('a request without a body', async () => {
			const { query } = safeRequest(ACCOUNT, FINISHED);
			expect(await trigger.send({ method: 'POST', query })).toMatchObject({ status: 400, body: 'no XML body (the raw request body is not available)' });
		});

		it('a body over 1 MB, with 413', async () => {
			const signed = safeRequest(ACCOUNT, FINISHED);
			const body = signed.body.replace('<xml>', `<xml>${' '.repeat(1024 * 1024 + 1 - signed.body.length)}`);
			expect(Buffer.byteLength(body)).toBe(1024 * 1024 + 1);
			expect(await trigger.send({ method: 'POST', query: signed.query, body })).toMatchObject({ status: 413, body: 'body too large' });
		});
	});

	it('accepts a body of exactly 1 MB', async () => {
		const signed = safeRequest(ACCOUNT, FINISHED);
		const body = signed.body.replace('<xml>', `<xml>${' '.repeat(1024 * 1024 - signed.body.length)}`);
		expect(Buffer.byteLength(body)).toBe(1024 * 1024);
		expect(await trigger.send({ method: 'POST', query: signed.query, body })).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(1);
	});
});

describe('the Events option', () => {
	// WeChat pushes PUBLISHJOBFINISH to the same URL as MASSSENDJOBFINISH ("发布结果事件推送", api_freepublish_submit).
	const publishOnly = serveTrigger(credentialFor(ACCOUNT, 'safe'), { events: 'publishJobFinish' });
	const both = serveTrigger(credentialFor(ACCOUNT, 'safe'), { events: 'massOrPublishFinished' });
	const massOnly = serveTrigger(credentialFor(ACCOUNT, 'safe'));

	it('Publish Finished starts the workflow once for a signed PUBLISHJOBFINISH, typed, and not for a mass send', async () => {
		const signed = safeRequest(ACCOUNT, readFixture('publish-finished'));
		expect(await publishOnly.send(post(signed))).toMatchObject({ status: 200, body: 'success' });
		// WeChat's retry of the same event, with a new nonce, starts nothing.
		await publishOnly.send(post(safeRequest(ACCOUNT, readFixture('publish-finished'))));
		await publishOnly.send(post(safeRequest(ACCOUNT, FINISHED)));
		expect(publishOnly.harness.starts).toHaveLength(1);
		expect(publishOnly.harness.starts[0][0][0].json).toMatchObject({ event: 'PUBLISHJOBFINISH', publishId: '2247503051', publishStatus: 0, publishStatusMeaning: 'published' });
	});

	it('Mass Send or Publish Finished starts it for both; the default, Mass Send Finished, not for a publish', async () => {
		await both.send(post(safeRequest(ACCOUNT, readFixture('publish-failed'))));
		await both.send(post(safeRequest(ACCOUNT, FINISHED)));
		expect(both.harness.starts.map((start) => start[0][0].json.event)).toEqual(['PUBLISHJOBFINISH', 'MASSSENDJOBFINISH']);
		await massOnly.send(post(safeRequest(ACCOUNT, readFixture('publish-finished'))));
		expect(massOnly.harness.starts).toHaveLength(0);
	});
});

describe('in compatible mode', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'compatible'));

	it('answers the URL check', async () => {
		expect(await trigger.send({ method: 'GET', ...urlVerificationRequest(ACCOUNT, 'compat') })).toMatchObject({ status: 200, body: 'compat' });
	});

	it('starts the workflow from the encrypted copy of a body that also has the plain fields', async () => {
		const signed = compatibleRequest(ACCOUNT, FINISHED);
		expect(signed.body).toContain('<MsgID>3147483654</MsgID>');
		expect(signed.body).toContain('<Encrypt>');
		expect(await trigger.send(post(signed))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts[0][0][0].json).toEqual(FINISHED_ITEM);
	});

	it('ignores plain fields that differ from the encrypted message, since nothing authenticates them', async () => {
		const forgedPlain = FINISHED.replace('<ErrorCount>1200</ErrorCount>', '<ErrorCount>0</ErrorCount>');
		await trigger.send(post(compatibleRequest(ACCOUNT, FINISHED, { plainXml: forgedPlain })));
		expect(trigger.harness.starts[0][0][0].json).toMatchObject({ errorCount: 1200 });
	});

	it('refuses a request whose msg_signature does not match', async () => {
		expect(await trigger.send(post(compatibleRequest(OTHER_TOKEN, FINISHED)))).toMatchObject({ status: 403 });
		expect(trigger.harness.starts).toHaveLength(0);
	});
});

describe('in plain-text mode', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'plain'));
	afterEach(() => {
		trigger.harness.bodyDelivery = 'rawBody';
	});

	it('answers the URL check', async () => {
		expect(await trigger.send({ method: 'GET', ...urlVerificationRequest(ACCOUNT, 'plain-check') })).toMatchObject({ status: 200, body: 'plain-check' });
	});

	it('starts the workflow with the XML signed by the token', async () => {
		expect(await trigger.send(post(plainRequest(ACCOUNT, FINISHED)))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts[0][0][0].json).toEqual(FINISHED_ITEM);
	});

	it('reads the XML from a string body when no raw body is available', async () => {
		trigger.harness.bodyDelivery = 'stringBody';
		expect(await trigger.send(post(plainRequest(ACCOUNT, FINISHED)))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts[0][0][0].json).toEqual(FINISHED_ITEM);
	});

	it('refuses a signature made with another token', async () => {
		expect(await trigger.send(post(plainRequest(OTHER_TOKEN, FINISHED)))).toMatchObject({ status: 403, body: 'signature mismatch' });
		expect(trigger.harness.starts).toHaveLength(0);
	});

	it('refuses a request without a signature', async () => {
		const { query, body } = plainRequest(ACCOUNT, FINISHED);
		delete query.signature;
		expect(await trigger.send({ method: 'POST', query, body })).toMatchObject({ status: 400, body: 'missing signature' });
	});

	it('refuses an encrypted message it has no mode for', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, FINISHED)))).toMatchObject({
			status: 400,
			body: 'the message is encrypted, but the credential is set to plain mode',
		});
		expect(trigger.harness.starts).toHaveLength(0);
	});

	it('refuses XML whose root is not <xml>', async () => {
		const reply = await trigger.send(post(plainRequest(ACCOUNT, '<message><Event>MASSSENDJOBFINISH</Event></message>')));
		expect(reply).toMatchObject({ status: 400, body: 'the body is not a WeChat message (root element is not <xml>)' });
	});
});

describe('with the replay guard at 300 seconds', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'safe'), { maxMessageAge: 300 });
	const secondsAgo = (seconds: number) => String(Number(nowTimestamp()) - seconds);

	it('accepts a fresh request', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp: secondsAgo(250) })))).toMatchObject({ status: 200 });
		expect(trigger.harness.starts).toHaveLength(1);
	});

	it('refuses a request older than the window, and one dated too far ahead', async () => {
		for (const timestamp of [secondsAgo(400), secondsAgo(-400)]) {
			expect(await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp })))).toMatchObject({
				status: 403,
				body: 'timestamp outside the accepted window',
			});
		}
		expect(await trigger.send({ method: 'GET', ...urlVerificationRequest(ACCOUNT, 'old', { timestamp: secondsAgo(400) }) })).toMatchObject({ status: 403 });
		expect(trigger.harness.starts).toHaveLength(0);
	});
});

describe('in plain mode, where the signature does not cover the message', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'plain'));

	it('a captured signature with another body (a forged event) starts nothing', async () => {
		const genuine = plainRequest(ACCOUNT, FINISHED);
		const forged = FINISHED.replace('<MsgID>3147483654</MsgID>', '<MsgID>3147480000</MsgID>').replace('<ErrorCount>1200</ErrorCount>', '<ErrorCount>0</ErrorCount>');
		expect(await trigger.send(post(genuine))).toMatchObject({ status: 200, body: 'success' });
		expect(await trigger.send(post({ query: genuine.query, body: forged }))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(1);
	});
});

describe('with the replay guard turned off (Max Message Age 0)', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'safe'), { maxMessageAge: 0 });

	it('accepts a request from any time', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp: '1409304348' })))).toMatchObject({ status: 200 });
		expect(trigger.harness.starts).toHaveLength(1);
	});

	it('still starts a replay of it only once', async () => {
		const request = post(safeRequest(ACCOUNT, FINISHED, { timestamp: '1409304348' }));
		expect(await trigger.send(request)).toMatchObject({ status: 200, body: 'success' });
		expect(await trigger.send(request)).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(1);
	});
});

describe('replay protection, on by default', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'safe'));
	const secondsAgo = (seconds: number) => String(Number(nowTimestamp()) - seconds);
	const finishedSend = (msgId: number) => FINISHED.replace('<MsgID>3147483654</MsgID>', `<MsgID>${msgId}</MsgID>`);
	const keysHeld = (generations: { current: Generation; previous?: Generation } | undefined) =>
		[generations?.current, generations?.previous].flatMap((generation) => Object.keys(generation?.seen ?? {}));

	it('refuses a request signed years ago', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp: '1409304348' })))).toMatchObject({
			status: 403,
			body: 'timestamp outside the accepted window',
		});
		expect(trigger.harness.starts).toHaveLength(0);
	});

	it('the same request twice: one start, both answered success', async () => {
		const request = post(safeRequest(ACCOUNT, FINISHED));
		expect(await trigger.send(request)).toMatchObject({ status: 200, body: 'success' });
		expect(await trigger.send(request)).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(1);
	});

	it('WeChat\'s retry pattern, the same event three times within 15 s, each freshly signed: one start, all answered success', async () => {
		const replies = [];
		for (const [offset, nonce] of [[0, '1001'], [5, '1002'], [10, '1003']] as const) {
			replies.push(await trigger.send(post(safeRequest(ACCOUNT, FINISHED, { timestamp: secondsAgo(15 - offset), nonce }))));
		}
		expect(replies.map((reply) => [reply.status, reply.body])).toEqual([
			[200, 'success'],
			[200, 'success'],
			[200, 'success'],
		]);
		expect(trigger.harness.starts).toHaveLength(1);
	});

	it('another mass send (another MsgID) starts the workflow again', async () => {
		await trigger.send(post(safeRequest(ACCOUNT, FINISHED)));
		await trigger.send(post(safeRequest(ACCOUNT, FINISHED.replace('<MsgID>3147483654</MsgID>', '<MsgID>3147483655</MsgID>'))));
		expect(trigger.harness.starts).toHaveLength(2);
	});

	it('refuses to echo an echostr that is not one WeChat sends', async () => {
		for (const echostr of ['<script>alert(1)</script>', '<html><body>hi</body></html>', 'a b', 'x'.repeat(129)]) {
			expect(await trigger.send({ method: 'GET', ...urlVerificationRequest(ACCOUNT, echostr) })).toMatchObject({
				status: 400,
				body: 'echostr is not one WeChat sends (letters, digits, - or _, at most 128)',
			});
		}
	});

	it('remembers a bounded number of requests and events in the workflow\'s static data, under short keys; the latest are still known', async () => {
		const requests = Array.from({ length: 1010 }, (_, n) => post(safeRequest(ACCOUNT, finishedSend(4_000_000_000 + n), { nonce: String(50_000 + n) })));
		for (const request of requests) await trigger.send(request);
		expect(trigger.harness.starts).toHaveLength(1010);
		const remembered = trigger.harness.remembered as ReplayState;
		// At least a generation's worth of the latest, at most two generations.
		for (const [field, size] of [['nonceGenerations', GENERATION_SIZE.nonces], ['eventGenerations', GENERATION_SIZE.events]] as const) {
			expect(keysHeld(remembered[field]).length).toBeGreaterThanOrEqual(size);
			expect(keysHeld(remembered[field]).length).toBeLessThanOrEqual(2 * size);
		}
		expect([...keysHeld(remembered.nonceGenerations), ...keysHeld(remembered.eventGenerations)].every((key) => key.length === KEY_LENGTH)).toBe(true);
		// The last request again, and WeChat's retry of its event (freshly signed).
		await trigger.send(requests[1009]);
		await trigger.send(post(safeRequest(ACCOUNT, finishedSend(4_000_001_009))));
		expect(trigger.harness.starts).toHaveLength(1010);
	});

	it('WeChat\'s retry after the event\'s generation has ended (full), and the replay of its first request, start nothing', async () => {
		const first = post(safeRequest(ACCOUNT, FINISHED));
		await trigger.harness.invoke(first);
		for (let n = 0; n < GENERATION_SIZE.events; n++) await trigger.harness.invoke(post(safeRequest(ACCOUNT, finishedSend(5_000_000_000 + n))));
		expect(trigger.harness.starts).toHaveLength(1 + GENERATION_SIZE.events);
		// The generation holding the first event is now the previous one.
		const events = (trigger.harness.remembered as ReplayState).eventGenerations;
		expect([events?.previous?.size, events?.current.size]).toEqual([GENERATION_SIZE.events, 1]);
		expect(await trigger.harness.invoke(post(safeRequest(ACCOUNT, FINISHED)))).toMatchObject({ status: 200, body: 'success' });
		expect(await trigger.harness.invoke(first)).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts).toHaveLength(1 + GENERATION_SIZE.events);
	});

	it('WeChat\'s retry after the event\'s generation has ended (a day old) starts nothing; the same event after 24 hours starts again', async () => {
		const start = Number(nowTimestamp());
		let clock = start;
		jest.spyOn(Date, 'now').mockImplementation(() => clock * 1000);
		const at = async (seconds: number, msgId: number, nonce: string) => {
			clock = start + seconds;
			return await trigger.harness.invoke(post(safeRequest(ACCOUNT, finishedSend(msgId), { timestamp: String(clock), nonce })));
		};
		try {
			await at(0, 6_000_000_001, '1');
			await at(86_395, 6_000_000_002, '2');
			// Another event, more than a day after the generation began: it begins the next one.
			await at(86_402, 6_000_000_003, '3');
			expect((trigger.harness.remembered as ReplayState).eventGenerations?.current.since).toBe(start + 86_402);
			expect(trigger.harness.starts).toHaveLength(3);
			// WeChat's retry of the second event, from the generation before.
			expect(await at(86_405, 6_000_000_002, '4')).toMatchObject({ status: 200, body: 'success' });
			expect(trigger.harness.starts).toHaveLength(3);
			await at(86_405, 6_000_000_001, '5');
			expect(trigger.harness.starts).toHaveLength(4);
		} finally {
			jest.restoreAllMocks();
		}
	});

	it('a workflow saved with version 0.1 keeps its protection after the upgrade: its request and event start nothing again', async () => {
		const saved = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'static-data-0.1.json'), 'utf8')) as {
			storedAt: number;
			staticData: IDataObject;
			massSend: { query: Record<string, string>; body: string };
		};
		const clock = saved.storedAt + 20;
		jest.spyOn(Date, 'now').mockImplementation(() => clock * 1000);
		trigger.harness.storedStaticData = JSON.stringify(saved.staticData);
		try {
			expect(await trigger.harness.invoke(post(saved.massSend))).toMatchObject({ status: 200, body: 'success' });
			// WeChat's retry of that event, freshly signed after the upgrade.
			expect(await trigger.harness.invoke(post(safeRequest(ACCOUNT, FINISHED, { timestamp: String(clock) })))).toMatchObject({ status: 200, body: 'success' });
			expect(trigger.harness.starts).toHaveLength(0);
			await trigger.harness.invoke(post(safeRequest(ACCOUNT, finishedSend(8_000_000_000), { timestamp: String(clock) })));
			expect(trigger.harness.starts).toHaveLength(1);
			const stored = (JSON.parse(trigger.harness.storedStaticData) as Record<string, ReplayState>)['node:WeChat Mass Message Trigger'];
			expect(Object.keys(stored).sort()).toEqual(['eventGenerations', 'nonceGenerations']);
		} finally {
			jest.restoreAllMocks();
			trigger.harness.storedStaticData = undefined;
			trigger.harness.staticDataWrites.length = 0;
		}
	});

	it('what n8n stores after each request stays under 27,000 characters however many arrive, and a replay stores nothing', async () => {
		// As n8n's webhook server does: the static data loaded for each request, stored when it changed.
		trigger.harness.storedStaticData = '{}';
		try {
			const requests = Array.from({ length: 2_000 }, (_, n) => post(safeRequest(ACCOUNT, finishedSend(7_000_000_000 + n), { nonce: String(70_000 + n) })));
			for (const request of requests) await trigger.harness.invoke(request);
			expect(trigger.harness.starts).toHaveLength(2_000);
			expect(trigger.harness.staticDataWrites).toHaveLength(2_000);
			expect(Math.max(...trigger.harness.staticDataWrites)).toBeLessThan(27_000);
			await trigger.harness.invoke(requests[1_999]);
			await trigger.harness.invoke(requests[1_500]);
			expect(trigger.harness.staticDataWrites).toHaveLength(2_000);
			expect(trigger.harness.starts).toHaveLength(2_000);
		} finally {
			trigger.harness.storedStaticData = undefined;
			trigger.harness.staticDataWrites.length = 0;
		}
	});
});

describe('passing every event through', () => {
	const trigger = serveTrigger(credentialFor(ACCOUNT, 'safe'), { events: 'all' });

	it('starts the workflow for other events with their common fields and raw XML', async () => {
		expect(await trigger.send(post(safeRequest(ACCOUNT, SUBSCRIBE)))).toMatchObject({ status: 200, body: 'success' });
		expect(trigger.harness.starts[0][0][0].json).toEqual({
			msgType: 'event',
			event: 'subscribe',
			account: 'gh_3f2a6b8c9d01',
			fromUserName: 'oFollowerOpenId0000000000000',
			time: '2025-11-27T12:03:20.000Z',
			raw: { ToUserName: 'gh_3f2a6b8c9d01', FromUserName: 'oFollowerOpenId0000000000000', CreateTime: '1764245000', MsgType: 'event', Event: 'subscribe' },
		});
	});

	it('still gives a finished send its typed fields', async () => {
		await trigger.send(post(safeRequest(ACCOUNT, FINISHED)));
		expect(trigger.harness.starts[0][0][0].json).toEqual(FINISHED_ITEM);
	});
});

describe('secrets', () => {
	const secrets = [ACCOUNT.token, ACCOUNT.encodingAesKey];

	it('appear in no reply and no output, whatever is sent', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events: 'all' });
		const requests: CallbackRequestSpec[] = [
			post(safeRequest(ACCOUNT, FINISHED)),
			post(safeRequest(OTHER_TOKEN, FINISHED)),
			post(safeRequest(ACCOUNT, FINISHED, { appIdInCiphertext: 'wx0000000000000000' })),
			post(withEncrypt(ACCOUNT, encryptMessage(FINISHED, OTHER_KEY))),
			post(safeRequest(ACCOUNT, '<xml><broken></xml>')),
			post(plainRequest(ACCOUNT, FINISHED)),
			{ method: 'GET', ...urlVerificationRequest(OTHER_TOKEN, 'x') },
		];
		const seen: string[] = [];
		for (const spec of requests) {
			const reply = await harness.invoke(spec);
			seen.push(reply.body, JSON.stringify(reply.result?.workflowData ?? null));
		}
		expect(harness.starts).toHaveLength(1);
		for (const secret of secrets) expect(seen.join('\n')).not.toContain(secret);
	});

	it('stay out of the error n8n shows when the credential itself is unusable', async () => {
		const harness = await TriggerHarness.create({ ...credentialFor(ACCOUNT, 'safe'), encodingAesSecretKey: `${ACCOUNT.encodingAesKey}x` });
		const reply = await harness.invoke(post(safeRequest(ACCOUNT, FINISHED)));
		expect(reply.status).toBe(500);
		expect(harness.starts).toHaveLength(0);
		expect(harness.errors).toHaveLength(1);
		const error = harness.errors[0] as Error;
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toBe('The WeChat callback credential cannot be used: the EncodingAESKey must be 43 letters or digits in safe mode');
		for (const secret of secrets) expect(JSON.stringify({ message: error.message, description: (error as { description?: string }).description })).not.toContain(secret);
	});
});

describe('activation', () => {
	it('succeeds with a usable credential: nothing is registered with WeChat', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		await expect(harness.activate()).resolves.toBeUndefined();
	});

	it('fails with a clear message when the credential cannot verify WeChat\'s requests', async () => {
		const harness = await TriggerHarness.create({ ...credentialFor(ACCOUNT, 'compatible'), token: ' ', encodingAesSecretKey: '' });
		await expect(harness.activate()).rejects.toThrow(
			'The WeChat callback credential cannot be used: the Token is empty; the EncodingAESKey must be 43 letters or digits in compatible mode',
		);
	});

	it('needs no EncodingAESKey in plain-text mode', async () => {
		const harness = await TriggerHarness.create({ ...credentialFor(ACCOUNT, 'plain'), encodingAesSecretKey: '' });
		await expect(harness.activate()).resolves.toBeUndefined();
	});
});

describe('the credential test (testedBy)', () => {
	let credentialTest: ICredentialTestFunction;

	beforeAll(async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		const testedBy = harness.description.credentials?.find((credential) => credential.name === 'weChatCallbackApi')?.testedBy;
		expect(typeof testedBy).toBe('string');
		credentialTest = harness.nodeTypeMethods.credentialTest![testedBy as string];
	});

	async function test(data: CallbackCredentialData) {
		return await credentialTest.call(new CredentialTestContext(), { id: 'c', name: 'WeChat callback', type: 'weChatCallbackApi', data });
	}

	it('passes the values WeChat\'s console accepts', async () => {
		expect(await test(credentialFor(ACCOUNT, 'safe'))).toEqual({
			status: 'OK',
			message: 'The values have the format WeChat uses. WeChat checks them against this trigger when the message push configuration is submitted.',
		});
		expect((await test({ ...credentialFor(ACCOUNT, 'plain'), encodingAesSecretKey: '' })).status).toBe('OK');
	});

	it.each([
		['a Token with punctuation', { token: 'pam-test!' }, 'the Token must be 3 to 32 letters or digits'],
		['a Token that is too short', { token: 'ab' }, 'the Token must be 3 to 32 letters or digits'],
		['an EncodingAESKey of 42 characters', { encodingAesSecretKey: ACCOUNT.encodingAesKey.slice(1) }, 'the EncodingAESKey must be 43 letters or digits in safe mode'],
		['an EncodingAESKey with base64 punctuation', { encodingAesSecretKey: `${ACCOUNT.encodingAesKey.slice(1)}+` }, 'the EncodingAESKey must be 43 letters or digits'],
		['an AppID that is not one', { appId: 'gh_3f2a6b8c9d01' }, 'the AppID should be "wx" followed by 16 letters or digits'],
		['an empty AppID', { appId: '' }, 'the AppID is empty'],
	])('fails %s, naming the field but not its value', async (_case, change, problem) => {
		const data = { ...credentialFor(ACCOUNT, 'safe'), ...change };
		const result = await test(data);
		expect(result).toEqual({ status: 'Error', message: `Not what WeChat's console accepts: ${problem}` });
		for (const value of Object.values(change)) if (value !== '') expect(result.message).not.toContain(value);
	});
});

describe('the node as n8n loads it', () => {
	it('is a trigger with GET and POST on one webhook path and no input', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		const { description } = harness;
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks?.map((webhook) => [webhook.httpMethod, webhook.path, webhook.responseMode])).toEqual([
			['GET', 'webhook', 'onReceived'],
			['POST', 'webhook', 'onReceived'],
		]);
	});

	it('has a codex naming it, with the aliases people search for', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		const codex = JSON.parse(
			readFileSync(join(PACKAGE_ROOT, 'nodes', 'WeChatMassMessageTrigger', 'WeChatMassMessageTrigger.node.json'), 'utf8'),
		) as { node: string; alias: string[]; categories: string[] };
		expect(codex.node).toBe(`${PACKAGE_NAME}.${harness.description.name}`);
		expect(codex.alias).toEqual(expect.arrayContaining(['微信', '群发', 'WeChat', 'MASSSENDJOBFINISH']));
		expect(codex.categories).toEqual(['Communication', 'Marketing']);
	});
});

describe('the replay guard and filter defaults', () => {
	it('are on (300 seconds) and mass-send-only', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		const defaults = Object.fromEntries(harness.description.properties.map((property) => [property.name, property.default]));
		expect(defaults).toMatchObject({ events: 'massSendJobFinish', maxMessageAge: 300 });
	});
});

it('starts once per event over HTTP even when requests arrive together', async () => {
	const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
	const url = await harness.listen();
	const finishedSend = (n: number) => FINISHED.replace('<MsgID>3147483654</MsgID>', `<MsgID>${3_147_490_000 + (n % 10)}</MsgID>`);
	try {
		// 20 requests for 10 mass sends, each sent twice at once.
		const replies = await Promise.all(Array.from({ length: 20 }, async (_, n) => await sendOverHttp(url, post(safeRequest(ACCOUNT, finishedSend(n))))));
		expect(replies.every((reply) => reply.status === 200 && reply.body === 'success')).toBe(true);
		expect(harness.starts).toHaveLength(10);
		expect(harness.errors).toEqual([]);
	} finally {
		await harness.close();
	}
});
