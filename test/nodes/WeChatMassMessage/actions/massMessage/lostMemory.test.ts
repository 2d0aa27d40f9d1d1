// Nobody gets a send twice when n8n has lost or overwritten what the node remembers: a manual run
// from the editor (n8n keeps no static data of it), two executions that overlap (each saves its own
// copy; the last one wins), a queue-mode worker starting from an older copy. WeChat's clientmsgid
// decides: "相同 clientmsgid 已存在群发记录，返回数据中带有已存在的群发任务的 msgid" (45065, sendall and send,
// https://developers.weixin.qq.com/doc/service/api/notify/message/api_sendall.html and
// https://developers.weixin.qq.com/doc/service/api/notify/message/api_send.html). The fake keeps that
// rule by clientmsgid alone, as the pages give it.
import type { IDataObject } from 'n8n-workflow';

import { fingerprintOf } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/reachedSketch';
import type { ExecutionResult } from '../../../../harness/workflow';
import { type Fixture, atChinaTime, expectEachOnce, expectNobodyTwice, openId, pause, rows, sendToColumn, startFixture, withFakeClock } from '../../fixtures';

const SEND = '/cgi-bin/message/mass/send';
const SENDALL = '/cgi-bin/message/mass/sendall';
const fast = { confirmWithinSeconds: 10, repeatWaitSeconds: 0.2 };
const ids = (from: number, count: number) => Array.from({ length: count }, (_, n) => openId(from + n));

/** The output items that report followers not sent to, and how many they count. */
const notSent = (result: ExecutionResult) => result.json.filter((json) => json.notSentCount !== undefined);
const notSentTotal = (result: ExecutionResult) => notSent(result).reduce((sum, json) => sum + Number(json.notSentCount), 0);

const copy = (saved: { data: IDataObject }) => ({ data: JSON.parse(JSON.stringify(saved.data)) as IDataObject });

async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 5000) throw new Error('timed out');
		await pause(10);
	}
}

describe('a send whose memory n8n lost or overwrote', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('a manual run to 5 followers, then the production run the same day with 6: nobody twice, and the 6 are reported with the earlier msg_id', async () => {
		const five = ids(0, 5);
		// A manual run: n8n keeps none of its static data.
		const manual = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five) });
		expect(manual.json[0]).toMatchObject({ sent: true, recipientCount: 5 });
		await pause(200);
		const production = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five, openId(5)]), savedStaticData: { data: {} } });
		expect(production.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expectEachOnce(f.wechat, five);
		expect(notSentTotal(production)).toBe(6);
		const [report] = notSent(production);
		expect(report).toMatchObject({ sent: false, msg_id: manual.json[0].msg_id });
		expect(String(report.notSentReason)).toMatch(/earlier or concurrent run/);
		expect(production.hints.map((hint) => hint.message)).toContainEqual(expect.stringContaining('6 followers were not sent to'));
	});

	test('the same list again without memory: WeChat\'s repeat, known to be the same followers, so the output says they have it', async () => {
		const five = ids(0, 5);
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five) });
		await pause(200);
		const again = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five].reverse()) });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(again.json).toEqual([expect.objectContaining({ sent: false, duplicate: true, msg_id: first.json[0].msg_id, recipientCount: 5 })]);
	});

	test('execution B (another message) overwrites the memory execution A left; A again with one follower more: nobody twice', async () => {
		const saved = { data: {} };
		const five = ids(0, 5);
		// B's send is accepted but its answer waits, so B ends after A and saves its older copy.
		f.wechat.holdAnswers(SEND);
		const b = f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(100, 3), { text: 'Article B' }), savedStaticData: saved });
		await until(() => f.wechat.accepted.length === 1);
		const a = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expect(a.json[0]).toMatchObject({ sent: true });
		f.wechat.releaseHeldAnswers();
		expect((await b).json[0]).toMatchObject({ sent: true });
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five, openId(5)]), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(2);
		expectEachOnce(f.wechat, [...five, ...ids(100, 3)]);
		expect(notSentTotal(rerun)).toBe(6);
	});

	test('two runs of the same send at the same moment whose lists differ by one: nobody twice, the run that lost says whom it did not send to', async () => {
		const five = ids(0, 5);
		const [one, two] = await Promise.all([
			f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: { data: {} } }),
			f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five, openId(5)]), savedStaticData: { data: {} } }),
		]);
		expect(f.wechat.accepted).toHaveLength(1);
		expectNobodyTwice(f.wechat);
		const [winner, loser] = one.json[0].sent === true ? [one, two] : [two, one];
		expect(winner.json[0]).toMatchObject({ sent: true });
		expect(loser.json.some((json) => json.sent === true)).toBe(false);
		expect(notSentTotal(loser)).toBe(loser === one ? 5 : 6);
	});

	test('a queue-mode worker starting from an older copy of the memory: the call the other worker made is not made again', async () => {
		const older = { data: {} };
		const newer = { data: {} };
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(0, 5)), savedStaticData: newer });
		await pause(200);
		const stale = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(0, 7)), savedStaticData: older });
		expect(stale.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expectEachOnce(f.wechat, ids(0, 5));
		expect(notSentTotal(stale)).toBe(7);
	});
});

describe('a send whose key has no day (Once per 24 Hours, a Client Message ID), going on past 24 hours', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test.each([
		['Once per 24 Hours', { repeatRule: 'oncePer24Hours' }],
		['a Client Message ID', { clientMsgId: 'weekly-digest' }],
	])('%s: once WeChat has forgotten the first call, a run without memory does not start the send again while a later call is held', async (_rule, options) => {
		await withFakeClock(async () => {
			const at = atChinaTime;
			const saved = { data: {} };
			at('2026-12-01T09:00:00');
			await f.env.n8n.run({ parameters: sendToColumn(options), items: rows(ids(0, 5)), savedStaticData: saved });
			at('2026-12-02T05:00:00');
			await f.env.n8n.run({ parameters: sendToColumn(options), items: rows(ids(0, 7)), savedStaticData: saved });
			expect(f.wechat.accepted).toHaveLength(2);
			// 25 hours after the first call: WeChat has forgotten it, not the second (4 hours old). A manual run, with no memory:
			at('2026-12-02T10:00:00');
			const manual = await f.env.n8n.run({ parameters: sendToColumn(options), items: rows(ids(0, 7)) });
			expect(f.wechat.accepted).toHaveLength(2);
			expectEachOnce(f.wechat, ids(0, 7));
			expect(notSentTotal(manual)).toBe(7);
		});
	});
});

describe('an outcome is unknown unless WeChat said no', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('accepted, its answer lost, the repeat answered by a relay\'s HTTP 404: the error says the send may have gone out, and a re-run with one follower more reaches nobody twice', async () => {
		const saved = { data: {} };
		const five = ids(0, 5);
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		f.wechat.injectFault(SEND, 'http404Json');
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expect(first.error?.message).toMatch(/may have gone out/);
		expect(`${first.error?.message} ${first.error?.description}`).toMatch(/HTTP 404/);
		expect(f.wechat.accepted).toHaveLength(1);
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five, openId(5)]), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expectEachOnce(f.wechat, five);
		expect(rerun.json[0]).toMatchObject({ duplicate: true, msg_id: f.wechat.accepted[0].msgId, recipientCount: 5 });
		expect(notSent(rerun)).toEqual([expect.objectContaining({ notSentCount: 1, notSentOpenIds: [openId(5)] })]);
	});

	test('accepted, its answer lost, then the token cannot be refreshed: the error says the send may have gone out', async () => {
		const saved = { data: {} };
		const five = ids(0, 5);
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		let sends = 0;
		f.wechat.onRequest = (call) => {
			// Before the repeat of the attempt whose answer was lost, another system takes the tokens over,
			// and the token endpoint refuses this machine.
			if (call.path === SEND && ++sends === 2) {
				f.wechat.revokeAllTokens();
				f.wechat.ipWhitelisted = false;
			}
		};
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expect(first.error?.message).toMatch(/may have gone out/);
		expect(first.error?.message).toMatch(/no access token/);
		expect(f.wechat.accepted).toHaveLength(1);
		f.wechat.onRequest = undefined;
		f.wechat.ipWhitelisted = true;
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...five, openId(5), openId(6)]), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expectEachOnce(f.wechat, [...five, openId(5), openId(6)]);
	});

	test('a relay\'s HTTP 404 on the first attempt: not "nothing was sent", since the relay may have passed it on', async () => {
		f.wechat.injectFault(SENDALL, 'http404Json');
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fast } });
		expect(result.error?.message).not.toMatch(/nothing was sent/i);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/API Base URL/);
		expect(result.error?.description).toMatch(/may have/);
	});
});

describe('items that make the same send are one send', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const toTag = (options: IDataObject = {}) => ({ resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'Spring sale', options: { ...fast, ...options } });

	test('Tag: Create → Follower: Add Tag → Send to Tag: one item per tagged follower makes one send, paired with every item', async () => {
		const items = ids(0, 3).map((openid) => ({ json: { openid, tag: 100 } }));
		const result = await f.env.n8n.run({ parameters: toTag(), items });
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expect(result.items).toEqual([expect.objectContaining({ pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }] })]);
		expect(result.json[0]).toMatchObject({ sent: true, msg_id: f.wechat.accepted[0].msgId, tagId: 100, tagName: 'VIP customers', msgtype: 'text' });
	});

	test('a Client Message ID per item for the same message to the same tag is refused before anything is sent, without advice to give each item its own key', async () => {
		const items = ids(0, 3).map((openid) => ({ json: { openid, tag: 100 } }));
		const result = await f.env.n8n.run({ parameters: toTag({ clientMsgId: '={{ "spring-" + $itemIndex }}' }), items });
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(0);
		expect(result.error?.message).toMatch(/^Item 2, "Client Message ID": .*item 1/);
		expect(result.error?.message).not.toMatch(/own Client Message ID|new Client Message ID/);
	});
});

describe('If Already Sent: Fail the Item, with Continue On Fail, keeps every outcome', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('10,001 followers, the second call refused (45009) in the first run and again in the re-run: the refused call is an error item, nobody is said to have it who does not', async () => {
		const saved = { data: {} };
		const list = ids(0, 10001);
		const quota = { errcode: 45009, errmsg: 'reach max api daily quota limit' };
		f.wechat.injectAnswerAt(SEND, 2, quota);
		const first = await f.env.n8n.run({ parameters: sendToColumn({ onRepeat: 'fail' }), items: rows(list), savedStaticData: saved, continueOnFail: true });
		expect(first.json.map((json) => json.errcode ?? 0)).toEqual([0, 45009]);
		const reachedFirst = f.wechat.accepted[0].recipients;
		await pause(200);
		f.wechat.injectAnswerAt(SEND, 1, quota);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn({ onRepeat: 'fail' }), items: rows(list), savedStaticData: saved, continueOnFail: true });
		expect(f.wechat.accepted).toHaveLength(1);
		const refused = rerun.json.filter((json) => json.errcode === 45009);
		expect(refused).toEqual([expect.objectContaining({ notSentCount: 10001 - reachedFirst })]);
		const told = rerun.json.filter((json) => json.duplicate === true);
		expect(told).toEqual([expect.objectContaining({ recipientCount: reachedFirst, msg_id: f.wechat.accepted[0].msgId })]);
		expect(rerun.json.some((json) => String(json.error ?? '').includes('already has this send'))).toBe(false);
	});
});

describe('whatever the node remembers, nobody twice', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('60 runs of one send, the list changing, the memory kept, lost, replaced by an older copy, or two runs at once, answers lost now and then', async () => {
		// A small deterministic generator, so a failure can be replayed.
		let seed = 20261207;
		const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
		f.wechat.injectRandomFaults(SEND, 0.15, ['dropAfterAccept', 'drop', 'http502AfterAccept', 'busy'], random);
		const copies: Array<{ data: IDataObject }> = [{ data: {} }];
		let list = ids(0, 20);
		for (let step = 0; step < 60; step++) {
			const change = random();
			if (change < 0.4) list = [...list, ...ids(1000 + step * 10, 1 + Math.floor(random() * 4))];
			else if (change < 0.5) list = list.filter(() => random() > 0.1);
			const memory = random();
			const saved = memory < 0.5 ? copies[copies.length - 1] : memory < 0.65 ? { data: {} } : memory < 0.8 ? copies[Math.floor(random() * copies.length)] : undefined;
			const run = (people: string[], copy: { data: IDataObject } | undefined) =>
				f.env.n8n.run({ parameters: sendToColumn({ confirmWithinSeconds: 3 }), items: rows(people), savedStaticData: copy, continueOnFail: true });
			if (random() < 0.15) {
				const other = [...list, ...ids(5000 + step, 1)];
				await Promise.all([run(list, saved ?? { data: {} }), run(other, { data: JSON.parse(JSON.stringify(saved?.data ?? {})) as IDataObject })]);
			} else await run(list, saved);
			if (saved !== undefined && copies.length < 8) copies.push({ data: JSON.parse(JSON.stringify(saved.data)) as IDataObject });
			expectNobodyTwice(f.wechat);
			await pause(160);
		}
		expect(f.wechat.accepted.length).toBeGreaterThan(3);
	}, 120000);
});

describe('a place in a send is taken only after every place before it is known', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('a refused call leaves its place free for another run: the next run with memory makes its call there, and collides with what a manual run put there', async () => {
		const saved = { data: {} };
		const five = ids(0, 5);
		f.wechat.injectAnswer(SEND, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const refused = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expect(refused.error?.message).toMatch(/45009/);
		const manual = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five) });
		expect(manual.json[0]).toMatchObject({ sent: true });
		await pause(200);
		const production = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expect(production.json.some((json) => json.sent === true)).toBe(false);
		expectEachOnce(f.wechat, five);
	});

	test('a call refused mid-send stops the calls after it (with Continue On Fail too): they wait, so that nobody fills its place unseen', async () => {
		const saved = { data: {} };
		const list = ids(0, 20000);
		f.wechat.injectAnswerAt(SEND, 2, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved, continueOnFail: true });
		expect(f.wechat.callsTo(SEND)).toHaveLength(2);
		expect(first.json.map((json) => json.errcode ?? (json.notSentCount !== undefined ? 'waiting' : 0))).toEqual([0, 45009, 'waiting']);
		const accountedFor = first.json.reduce((sum, json) => sum + Number(json.notSentCount ?? json.recipientCount ?? 0), 0);
		expect(accountedFor).toBe(20000);
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expectEachOnce(f.wechat, list);
	});

	test.each([
		['WeChat refuses the repeat (45009)', (f: Fixture) => f.wechat.injectAnswer(SEND, { errcode: 45009, errmsg: 'reach max api daily quota limit' })],
		['no access token can be had', (f: Fixture) => (f.wechat.revokeAllTokens(), (f.wechat.ipWhitelisted = false))],
	])('an unconfirmed call made again stays unconfirmed when %s: a refusal now does not undo the attempt that may have gone out', async (_case, refuse) => {
		const saved = { data: {} };
		const five = ids(0, 5);
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		f.wechat.injectFault(SEND, 'http404Json');
		expect((await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved })).error?.message).toMatch(/may have gone out/);
		await pause(200);
		refuse(f);
		expect((await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved })).error).toBeDefined();
		f.wechat.ipWhitelisted = true;
		await pause(200);
		const third = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(five), savedStaticData: saved });
		expectEachOnce(f.wechat, five);
		expect(third.json[0]).toMatchObject({ duplicate: true, recipientCount: 5 });
	});
});

describe("n8n's deduplication store: read, then written back, with no lock", () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('two overlapping runs both told "new": the one WeChat answers 45065 does not take the other\'s call for its own list, and the next run from its memory reaches nobody twice', async () => {
		f.env.deduplication.roundTripMs = 40;
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(100, 2), { text: 'Earlier' }) });
		await pause(200);
		const [copyA, copyB] = [{ data: {} }, { data: {} }];
		const [a, b] = await Promise.all([
			f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(0, 7)), savedStaticData: copyA }),
			f.env.n8n.run({ parameters: sendToColumn(), items: rows([...ids(0, 5), ...ids(10, 2)]), savedStaticData: copyB }),
		]);
		const loser = a.json[0].sent === true ? { result: b, saved: copyB } : { result: a, saved: copyA };
		expect(loser.result.json.filter((json) => json.duplicate === true && json.notSentCount === undefined)).toEqual([]);
		await pause(200);
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...ids(0, 7), ...ids(10, 2)]), savedStaticData: copy(loser.saved) });
		expectNobodyTwice(f.wechat);
	});

	test('when the store cannot be written, nothing is sent and the error says why and that running again is safe', async () => {
		f.env.deduplication.failWith = new Error('SQLITE_BUSY: database is locked');
		const toOpenIds = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(0, 7)), savedStaticData: { data: {} } });
		const toAll = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fast } });
		expect(f.wechat.callsTo(SEND)).toHaveLength(0);
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(0);
		for (const result of [toOpenIds, toAll]) {
			expect(result.error?.message).toMatch(/^n8n's deduplication store could not be used: nothing was sent/);
			expect(result.error?.description).toContain('SQLITE_BUSY');
		}
	});

	test("this run's own call, accepted with its answer lost while an overlapping run attempted its place with other followers: output as may have gone out, not as another run's", async () => {
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		let b: Promise<ExecutionResult> | undefined;
		f.wechat.onRequest = (call) => {
			if (call.path === SEND && b === undefined) b = f.env.n8n.run({ parameters: sendToColumn(), items: rows(ids(0, 6)), savedStaticData: { data: {} } });
		};
		const a = await f.env.n8n.run({ parameters: sendToColumn({ repeatWaitSeconds: 2 }), items: rows(ids(0, 5)), savedStaticData: { data: {} }, continueOnFail: true });
		await b;
		f.wechat.onRequest = undefined;
		expect([...(f.wechat.accepted[0].body.touser as string[])].sort()).toEqual(ids(0, 5));
		expect(notSent(a).filter((json) => json.error === undefined)).toEqual([]);
		expect(a.json[0]).toMatchObject({ sent: false, mayHaveGoneOut: true });
	});
});

describe('a Client Message ID used again for another message', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('WeChat\'s 45065 for the earlier message is not reported as the new one delivered', async () => {
		f.wechat.registerMedia('VOICE_2', 'voice');
		const voice = (mediaId: string) => ({ ...sendToColumn({ clientMsgId: 'promo' }), messageType: 'voice', voiceMediaId: mediaId });
		await f.env.n8n.run({ parameters: voice('VOICE_MEDIA_ID'), items: rows(ids(0, 5)), savedStaticData: { data: {} } });
		await pause(200);
		const edited = await f.env.n8n.run({ parameters: voice('VOICE_2'), items: rows(ids(0, 5)), savedStaticData: { data: {} } });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(edited.json.filter((json) => json.duplicate === true && json.notSentCount === undefined)).toEqual([]);
		expect(notSentTotal(edited)).toBe(5);
	});
});

describe('memory left by the previous version of the node', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('an unconfirmed call whose attempts went to fewer followers: WeChat\'s 45065 counts none of them as reached; they are reported', async () => {
		// WeChat took the previous version's second attempt, to 3 of the call's 5 followers.
		const token = (await (
			await fetch(`${f.wechat.baseUrl}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: f.wechat.appId, secret: f.wechat.appSecret }) })
		).json()) as { access_token: string };
		const oldId = 'old-version-call-0000000000000';
		await fetch(`${f.wechat.baseUrl}${SEND}?access_token=${token.access_token}`, {
			method: 'POST',
			body: JSON.stringify({ touser: ids(0, 3), msgtype: 'text', text: { content: 'Spring sale' }, clientmsgid: oldId, send_ignore_reprint: 0 }),
		});
		await pause(200);
		const members = ids(0, 5).map(fingerprintOf).sort();
		const now = Date.now();
		const call = { clientmsgid: oldId, status: 'unconfirmed', executionId: 'old', at: now, range: [members[0], members[4]], members, inEveryAttempt: ids(0, 3).map(fingerprintOf).sort() };
		const saved = { data: { 'node:WeChat': { massSends: { sends: { promo: { key: 'promo', updatedAt: now, calls: [call] } } } } } as IDataObject };
		const run = await f.env.n8n.run({ parameters: sendToColumn({ clientMsgId: 'promo' }), items: rows(ids(0, 5)), savedStaticData: saved });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(run.json.filter((json) => json.duplicate === true && json.notSentCount === undefined)).toEqual([]);
		expect(notSentTotal(run)).toBe(5);
	});
});
