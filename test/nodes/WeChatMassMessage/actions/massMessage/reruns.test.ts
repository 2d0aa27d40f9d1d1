// A send re-run, retried or stopped never reaches a follower twice, and its output says what happened.
// The fake WeChat answers a repeated clientmsgid as the sendall page describes: "clientmsgid: 开发者侧群发
// msgid，长度限制64字节" and 45065 "相同 clientmsgid 已存在群发记录，返回数据中带有已存在的群发任务的 msgid"
// (https://developers.weixin.qq.com/doc/service/api/notify/message/api_sendall.html). Static data is
// kept between runs as n8n keeps it for production executions (`savedStaticData`), failed ones too.
import type { IDataObject } from 'n8n-workflow';

import { fingerprintOf } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/reachedSketch';
import { type Fixture, atChinaTime, expectEachOnce as expectEachOnceAt, openId, rows, sendToColumn, startFixture, withFakeClock } from '../../fixtures';

const SEND = '/cgi-bin/message/mass/send';
const SENDALL = '/cgi-bin/message/mass/sendall';
const DAILY_QUOTA = { errcode: 45009, errmsg: 'reach max api daily quota limit' };
const fast = { confirmWithinSeconds: 10, repeatWaitSeconds: 0.2 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const expectEachOnce = (f: Fixture, openIds: string[]) => expectEachOnceAt(f.wechat, openIds);

describe('a re-run of a partly refused send whose list changed', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());


	test('10,001 followers, the second call refused (45009), then the sheet gains followers: those not reached get it, nobody twice', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 10001 }, (_, n) => openId(n));
		f.wechat.injectAnswerAt(SEND, 2, DAILY_QUOTA);
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		expect(first.error?.message).toBe('WeChat error 45009: reach max api daily quota limit');
		expect(f.wechat.accepted).toHaveLength(1);
		const reachedFirst = f.wechat.accepted[0].recipients;

		// New followers inside the span of the accepted call (found by the sketch) and outside it (never sent to).
		const span = [...(f.wechat.accepted[0].body.touser as string[])].map(fingerprintOf).sort();
		const inSpan = (id: string) => fingerprintOf(id) > span[0] && fingerprintOf(id) < span[span.length - 1];
		const candidates = Array.from({ length: 40 }, (_, n) => openId(50000 + n));
		const added = [...candidates.filter(inSpan).slice(0, 3), ...candidates.filter((id) => !inSpan(id)).slice(0, 3)];
		expect(added).toHaveLength(6);
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...added, ...list]), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expectEachOnce(f, [...added, ...list]);
		// The first run's call is reported from memory, not made again; the rest went out now.
		expect(rerun.json[0]).toMatchObject({ sent: false, duplicate: true, remembered: true, msg_id: f.wechat.accepted[0].msgId, recipientCount: reachedFirst });
		expect(rerun.json.slice(1).every((json) => json.sent === true)).toBe(true);
		expect(rerun.json.slice(1).reduce((sum, json) => sum + Number(json.recipientCount), 0)).toBe(10001 - reachedFirst + added.length);
		expect(rerun.hints.map((hint) => hint.message)).toEqual([expect.stringMatching(/^Item 1: 1 of its \d+ calls were not made again\. WeChat already accepted this send \(msg_id \d+\) in an earlier run/)]);
	});

	test('a list that lost some followers and gained others: only the new ones get it', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 300 }, (_, n) => openId(n));
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		const changed = [...list.slice(40), ...Array.from({ length: 25 }, (_, n) => openId(900 + n))];
		await pause(200);
		const rerun = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(changed), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(2);
		expect([...(f.wechat.accepted[1].body.touser as string[])].sort()).toEqual(changed.slice(-25));
		expectEachOnce(f, [...list, ...changed.slice(-25)]);
	});

	test('the same list again: nothing is sent, and the output names the remembered call', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 5 }, (_, n) => openId(n));
		const first = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		const again = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...list].reverse()), savedStaticData: saved });
		expect(f.wechat.callsTo(SEND)).toHaveLength(1);
		expect(again.json).toEqual([
			{
				msg_id: first.json[0].msg_id,
				sent: false,
				duplicate: true,
				clientMsgId: first.json[0].clientMsgId,
				clientmsgid: first.json[0].clientMsgId,
				msgtype: 'text',
				remembered: true,
				recipientCount: 5,
				batch: 1,
				batchCount: 1,
			},
		]);
	});

	test('one new follower alone cannot be sent (WeChat takes at least 2 OpenIDs): the output and a hint say so, with the OpenID', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 5 }, (_, n) => openId(n));
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		const again = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...list, openId(77)]), savedStaticData: saved });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(again.json[1]).toMatchObject({ sent: false, notSentCount: 1, notSentOpenIds: [openId(77)] });
		expect(again.hints.map((hint) => hint.message)).toContainEqual(expect.stringContaining('Item 1: 1 follower was not sent to: no other follower on the list could go in the same call'));
	});

	test('a list that changed beyond what the sketch can trace: those in the sent part are reported, never sent again', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 2000 }, (_, n) => openId(n));
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list), savedStaticData: saved });
		const changed = [...list.slice(1000), ...Array.from({ length: 1000 }, (_, n) => openId(10000 + n))];
		const again = await f.env.n8n.run({ parameters: sendToColumn(), items: rows(changed), savedStaticData: saved });
		// Nobody twice: only new followers outside the span the first call covered can be told apart, and go out.
		const sentNow = f.wechat.accepted.slice(1).flatMap((send) => send.body.touser as string[]);
		expect(sentNow.every((id) => !list.includes(id))).toBe(true);
		expectEachOnce(f, list);
		const report = again.json[again.json.length - 1];
		expect(report).toMatchObject({ sent: false, duplicate: false, notSentCount: 2000 - sentNow.length });
		expect(String(report.notSentReason)).toContain('too much to tell who of them was reached');
		expect(again.hints.map((hint) => hint.message)).toContainEqual(expect.stringContaining(`${2000 - sentNow.length} followers were not sent to`));
	});

	test('without kept static data (a manual run) an unchanged list is still WeChat\'s repeat', async () => {
		const list = Array.from({ length: 10001 }, (_, n) => openId(n));
		await f.env.n8n.run({ parameters: sendToColumn(), items: rows(list) });
		await pause(200);
		const again = await f.env.n8n.run({ parameters: sendToColumn(), items: rows([...list].reverse()) });
		expect(again.json.map((json) => [json.errcode, json.duplicate])).toEqual([
			[45065, true],
			[45065, true],
		]);
		expectEachOnce(f, list);
	});
});

describe('n8n\'s Retry On Fail', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture({ tags: [{ id: 100, name: 'VIP', count: 120 }, { id: 101, name: 'Trial', count: 80 }] })));
	afterEach(async () => f.wechat.stop());

	test('two items, two tags; item 2 refused once: the retry reports item 1 as this execution\'s send and sends item 2, also with On Repeat: Fail', async () => {
		f.wechat.injectAnswerAt(SENDALL, 2, { errcode: 45028, errmsg: 'has no masssend quota' });
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'Hi', options: { ...fast, onRepeat: 'fail' } },
			items: [{ json: { tag: 100 } }, { json: { tag: 101 } }],
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted.map((send) => send.recipients)).toEqual([120, 80]);
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(3);
		expect(result.json[0]).toMatchObject({ errcode: 0, sent: true, duplicate: false, sentInEarlierTry: true, msg_id: f.wechat.accepted[0].msgId });
		expect(result.json[1]).toMatchObject({ errcode: 0, sent: true, duplicate: false, msg_id: f.wechat.accepted[1].msgId });
		expect(result.hints).toEqual([]);
	});

	test('Send to OpenIDs: the second call refused once, the retry makes only that one', async () => {
		const list = Array.from({ length: 10001 }, (_, n) => openId(n));
		f.wechat.injectAnswerAt(SEND, 2, { errcode: 45028, errmsg: 'has no masssend quota' });
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'Hi', options: fast },
			items: list.map((openid) => ({ json: { openid } })),
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo(SEND)).toHaveLength(3);
		expectEachOnce(f, list);
		expect(result.json.map((json) => [json.sent, json.sentInEarlierTry ?? false])).toEqual([
			[true, true],
			[true, false],
		]);
	});

	test('a retry after midnight (China time) keeps the execution\'s day, so the first try\'s send keeps its key', async () => {
		await withFakeClock(async () => {
			atChinaTime('2026-12-01T23:59:50');
			f.wechat.injectAnswerAt(SENDALL, 2, { errcode: 45028, errmsg: 'has no masssend quota' });
			// The refusal comes at 00:00:10: n8n's retry runs on the next day in China.
			f.wechat.onRequest = (call, index) => index > 0 && call.path === SENDALL && jest.setSystemTime(new Date('2026-12-02T00:00:10+08:00'));
			const result = await f.env.n8n.run({
				parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'Hi', options: fast },
				items: [{ json: { tag: 100 } }, { json: { tag: 101 } }],
				nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
			});
			expect(result.error).toBeUndefined();
			expect(f.wechat.accepted.map((send) => send.recipients)).toEqual([120, 80]);
			const keys = f.wechat.callsTo(SENDALL).map((call) => (call.body as { clientmsgid: string }).clientmsgid);
			expect(keys[2]).toBe(keys[1]);
			expect(result.json[0]).toMatchObject({ sent: true, sentInEarlierTry: true });
		});
		f.wechat.onRequest = undefined;
	});
});

describe('a lost answer', () => {
	let f: Fixture;
	afterEach(async () => f.wechat.stop());

	test('accepted, its answer lost, then 45065 with no 45066 before it: this execution\'s own send, and no hint to send it again', async () => {
		// A WeChat that answers 45065 at once, with no one-minute 45066 first: the rule does not depend on it.
		f = await startFixture({ clientMsgIdRepeatWindowMs: 0 });
		f.wechat.injectFault(SENDALL, 'dropAfterAccept');
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fast } });
		expect(f.wechat.callsTo(SENDALL).map((call) => call.fault ?? (call.answer as { errcode: number }).errcode)).toEqual(['dropAfterAccept', 45065]);
		expect(result.json[0]).toMatchObject({ errcode: 0, sent: true, duplicate: false, confirmedBy: { errcode: 45065 }, msg_id: f.wechat.accepted[0].msgId });
		expect(result.hints).toEqual([]);
	});

	const parameters = { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 0.5, repeatWaitSeconds: 0.2 } };
	/** A run to 50 followers whose call WeChat accepts while every answer is lost until the time limit. */
	async function leaveCallUnconfirmed(saved: { data: IDataObject }) {
		f = await startFixture();
		const list = Array.from({ length: 50 }, (_, n) => openId(n));
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		f.wechat.injectFault(SEND, 'drop', 1000);
		const failed = await f.env.n8n.run({ parameters, items: rows(list), savedStaticData: saved });
		f.wechat.clearFaults();
		await pause(200);
		return { list, failed };
	}

	test('an unconfirmed call is made again, to exactly its followers under its own clientmsgid, by the next run whose list holds them all', async () => {
		const saved = { data: {} };
		const { list, failed } = await leaveCallUnconfirmed(saved);
		expect(failed.error?.message).toMatch(/^WeChat did not confirm the send: it may have gone out/);
		expect(failed.error?.description).toMatch(/before midnight in China \(\d{4}-\d\d-\d\d 24:00 China time, 16:00 UTC\) cannot deliver it twice/);
		const grown = [...list, openId(500), openId(501)];
		const rerun = await f.env.n8n.run({ parameters, items: grown.map((openid) => ({ json: { openid } })), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		const ids = f.wechat.callsTo(SEND).map((call) => call.body as { clientmsgid: string; touser: string[] });
		// The unconfirmed call went again under its clientmsgid to the same 50: WeChat had it (45065), so only the two new followers got a new call.
		expect(rerun.json[0]).toMatchObject({ errcode: 45065, sent: false, duplicate: true, recipientCount: 50 });
		expect(ids.filter((call) => call.clientmsgid === ids[0].clientmsgid).every((call) => call.touser.length === 50)).toBe(true);
		expect(f.wechat.accepted).toHaveLength(2);
		expect([...(f.wechat.accepted[1].body.touser as string[])].sort()).toEqual([openId(500), openId(501)]);
		expectEachOnce(f, grown);
	});

	test('an unconfirmed call some of whose followers left the list is not made again, and holds up the calls after it: those still on it and the new ones are reported, nobody twice', async () => {
		const saved = { data: {} };
		const { list } = await leaveCallUnconfirmed(saved);
		const changed = [...list.slice(5), openId(500), openId(501)];
		const rerun = await f.env.n8n.run({ parameters, items: changed.map((openid) => ({ json: { openid } })), savedStaticData: saved });
		expect(rerun.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		const reports = rerun.json.filter((json) => json.notSentCount !== undefined);
		expect(reports.map((json) => json.notSentCount).sort()).toEqual([2, 45]);
		expect(reports.every((json) => /WeChat never confirmed it: they may or may not have it/.test(String(json.notSentReason)))).toBe(true);
		expectEachOnce(f, list);
	});
});

describe('review cases', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const parameters = (options: IDataObject = {}) => ({
		resource: 'massMessage',
		operation: 'sendToOpenIds',
		mode: 'combined',
		openIds: '={{ $json.openid }}',
		messageType: 'text',
		text: 'Hi',
		options: { confirmWithinSeconds: 0.5, repeatWaitSeconds: 0.2, ...options },
	});
	const rows = (ids: string[]) => ids.map((openid) => ({ json: { openid } }));

	test('an unconfirmed call waits until all its followers are on the list again, then goes to exactly them: nobody twice', async () => {
		const saved = { data: {} };
		const list = Array.from({ length: 50 }, (_, n) => openId(n));
		// Run 1: no attempt reaches WeChat. Run 2 (40 of the 50 on the list): the call is not made again, they are reported.
		f.wechat.injectFault(SEND, 'drop', 1000);
		await f.env.n8n.run({ parameters: parameters(), items: rows(list), savedStaticData: saved });
		f.wechat.clearFaults();
		await pause(200);
		const second = await f.env.n8n.run({ parameters: parameters({ confirmWithinSeconds: 10 }), items: rows(list.slice(10)), savedStaticData: saved });
		expect(second.json).toEqual([expect.objectContaining({ sent: false, notSentCount: 40 })]);
		expect(f.wechat.accepted).toHaveLength(0);
		// Run 3, all 50 back: the call goes again under its clientmsgid; WeChat takes it now (its answer lost, then 45065).
		f.wechat.injectFault(SEND, 'dropAfterAccept');
		await pause(200);
		const third = await f.env.n8n.run({ parameters: parameters({ confirmWithinSeconds: 10 }), items: rows(list), savedStaticData: saved });
		expect(third.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expectEachOnce(f, list);
		expect(third.json).toEqual([expect.objectContaining({ msg_id: f.wechat.accepted[0].msgId, recipientCount: 50 })]);
	});

	test('a repeat of an earlier run stays an earlier run\'s in the next try of Retry On Fail: On Repeat: Fail still fails', async () => {
		const saved = { data: {} };
		const tag = { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 10, repeatWaitSeconds: 0.2, onRepeat: 'fail' } };
		await f.env.n8n.run({ parameters: tag });
		await pause(200);
		const retried = await f.env.n8n.run({ parameters: tag, savedStaticData: saved, nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(retried.error?.message).toBe('WeChat already has this send from an earlier run: nothing was sent now');
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('a 45065 without the msg_id it should name still means WeChat has the send', async () => {
		f.wechat.injectAnswer(SENDALL, { errcode: 45065, errmsg: 'clientmsgid exist' });
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fast } });
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ errcode: 45065, sent: false, duplicate: true });
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(1);
	});
});

describe('many sends, Continue On Fail, and what an earlier run left unconfirmed', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const perItem = (options: IDataObject = {}) => ({
		resource: 'massMessage',
		operation: 'sendToOpenIds',
		mode: 'perItem',
		openIds: '={{ $json.ids }}',
		messageType: 'text',
		text: '={{ $json.text }}',
		options: { ...fast, ...options },
	});

	test('a node that made 40 sends today forgets none of them: a re-run with 2 more followers on each reaches only those', async () => {
		const saved = { data: {} };
		const texts = Array.from({ length: 40 }, (_, n) => `Offer ${n}`);
		const base = [openId(1), openId(2), openId(3)];
		await f.env.n8n.run({ parameters: perItem(), items: texts.map((text) => ({ json: { text, ids: base } })), savedStaticData: saved });
		await pause(200);
		const rerun = await f.env.n8n.run({
			parameters: perItem(),
			items: texts.map((text, n) => ({ json: { text, ids: [...base, openId(100 + 2 * n), openId(101 + 2 * n)] } })),
			savedStaticData: saved,
		});
		expect(rerun.error).toBeUndefined();
		const pairs = f.wechat.accepted.flatMap((send) => (send.body.touser as string[]).map((id) => `${(send.body.text as { content: string }).content}/${id}`));
		expect(pairs.length).toBe(new Set(pairs).size);
		expect(pairs).toHaveLength(40 * 5);
	});

	test('Continue On Fail with On Repeat: Fail: the new send is output as sent, the repeat as an error item', async () => {
		const saved = { data: {} };
		const ids = [openId(1), openId(2)];
		await f.env.n8n.run({ parameters: perItem({ onRepeat: 'fail' }), items: [{ json: { text: 'b', ids } }], savedStaticData: saved });
		const second = await f.env.n8n.run({ parameters: perItem({ onRepeat: 'fail' }), items: [{ json: { text: 'a', ids } }, { json: { text: 'b', ids } }], savedStaticData: saved, continueOnFail: true });
		expect(second.items.map((item) => [item.json.sent ?? item.json.error, item.pairedItem])).toEqual([
			[true, [{ item: 0 }]],
			['WeChat already has this send from an earlier run: nothing was sent now', [{ item: 1 }]],
		]);
		expect(f.wechat.accepted).toHaveLength(2);
	});

	test('an earlier run\'s unconfirmed call, answered 45065 after this run\'s first attempt was lost: that run\'s send, not this one\'s', async () => {
		const saved = { data: {} };
		const tag = { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: { confirmWithinSeconds: 0.5, repeatWaitSeconds: 0.2 } };
		f.wechat.injectFault(SENDALL, 'dropAfterAccept');
		f.wechat.injectFault(SENDALL, 'drop', 1000);
		const first = await f.env.n8n.run({ parameters: tag, savedStaticData: saved });
		expect(first.error?.message).toMatch(/^WeChat did not confirm the send/);
		f.wechat.clearFaults();
		await pause(200);
		f.wechat.injectFault(SENDALL, 'drop');
		const second = await f.env.n8n.run({ parameters: { ...tag, options: { ...tag.options, confirmWithinSeconds: 10 } }, savedStaticData: saved });
		expect(second.json[0]).toMatchObject({ errcode: 45065, sent: false, duplicate: true });
		expect(second.hints).toHaveLength(1);
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('Once per 24 Hours: followers reached by a later call are not sent it again when the first call turns 24 hours old', async () => {
		await withFakeClock(async () => {
			const saved = { data: {} };
			const at = atChinaTime;
			const send = (ids: string[]) =>
				f.env.n8n.run({ parameters: perItem({ repeatRule: 'oncePer24Hours' }), items: [{ json: { text: 'Weekly', ids } }], savedStaticData: saved });
			const day1 = Array.from({ length: 5 }, (_, n) => openId(n));
			at('2026-12-01T09:00:00');
			await send(day1);
			at('2026-12-02T05:00:00');
			await send([...day1, openId(10), openId(11)]);
			at('2026-12-02T09:01:00');
			await send([...day1, openId(10), openId(11), openId(20), openId(21)]);
			expect(f.wechat.accepted.map((accepted) => [...(accepted.body.touser as string[])].sort())).toEqual([day1, [openId(10), openId(11)], [openId(20), openId(21)]]);
		});
	});
});

describe('Stop', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('stopping an execution during a send ends it within a second or two, saying the send may have gone out', async () => {
		f.wechat.injectFault(SENDALL, 'drop', 10000);
		const started = Date.now();
		// The default Confirmation Time Limit (150 s) would keep it going for minutes.
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi' },
			stopWhen: pause(1500),
		});
		expect(Date.now() - started).toBeLessThan(1500 + 1500);
		const nodeError = result.run.data.resultData.runData.WeChat?.[0]?.error;
		expect(nodeError?.message).toBe('The execution was stopped during this send: it may have gone out.');
		expect(nodeError?.description).toContain('cannot deliver it twice');
	});
});
