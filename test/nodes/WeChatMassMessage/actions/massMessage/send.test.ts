// How a send is keyed, batched and de-duplicated (actions/massMessage/send.ts), against the fake
// WeChat's clientmsgid rules: a repeat within 24 hours is answered 45065 with the original msg_id,
// within its repeat window 45066. WeChat's Batch_Sends guide
// (https://developers.weixin.qq.com/doc/service/en/guide/product/message/Batch_Sends.html): "Developers can
// actively set up clientmsgid to avoid repeated push" and "The group messaging interface limits requests to
// 60 times per minute, and requests that exceed the limit are rejected". The 24-hour check and the
// original msg_id in the answer are from copies of the older page; the current pages do not say.
import type { IDataObject } from 'n8n-workflow';

import { planCalls } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/send';
import { fingerprintOf } from '../../../../../nodes/WeChatMassMessage/actions/massMessage/reachedSketch';
import { MassSendPacer } from '../../../../../nodes/WeChatMassMessage/transport/exactlyOnceSend';
import { chinaDay } from '../../../../../nodes/WeChatMassMessage/helpers/chinaTime';
import { FAKE_CLOCK_ONLY, type Fixture, atChinaTime, fastRepeats, openId, startFixture } from '../../fixtures';

const SEND = '/cgi-bin/message/mass/send';
const SENDALL = '/cgi-bin/message/mass/sendall';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fingerprints = (from: number, count: number) => Array.from({ length: count }, (_, n) => fingerprintOf(openId(from + n)));

describe('planCalls', () => {
	test('one call up to 10,000; above, one call per part of the fingerprints\' range, 2, 4, 8... parts of at most 8,000 on average, none over 10,000', () => {
		expect(planCalls(fingerprints(0, 10_000).sort())).toHaveLength(1);
		for (const [count, parts] of [
			[10_001, 2],
			[16_000, 2],
			[16_001, 4],
			[25_000, 4],
			[100_000, 16],
		]) {
			const calls = planCalls(fingerprints(0, count).sort());
			expect(calls).toHaveLength(parts);
			expect(calls.every((call) => call.length <= 10_000 && call.length >= 2)).toBe(true);
			expect(calls.flat()).toEqual(fingerprints(0, count).sort());
		}
	});

	test('one follower more changes one call, not every call after it', () => {
		const before = planCalls(fingerprints(0, 30_000).sort());
		const after = planCalls([...fingerprints(0, 30_000), fingerprintOf('oAAAAAAAAAAAAAAAAAAAAAAAAAAA')].sort());
		const unchanged = after.filter((call) => before.some((old) => old.join() === call.join()));
		expect(unchanged).toHaveLength(before.length - 1);
	});

	test('a follower stays in the same part while the list grows or shrinks by a few percent', () => {
		const list = fingerprints(0, 40_000);
		const callOf = (calls: string[][]) => new Map(calls.flatMap((call, index) => call.map((fingerprint) => [fingerprint, index] as const)));
		const base = callOf(planCalls([...list].sort()));
		for (const changed of [planCalls([...list, ...fingerprints(90_000, 1_200)].sort()), planCalls(list.slice(1_000).sort())]) {
			const now = callOf(changed);
			expect(list.filter((fingerprint) => now.has(fingerprint) && now.get(fingerprint) !== base.get(fingerprint))).toEqual([]);
		}
	});
});

describe('sends keyed by what they send, whatever the input order', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test.each([3, 10001, 25000])('%i OpenIDs, then the same list reordered with repeats and spaces: one delivery per batch, identical batches', async (count) => {
		const ids = Array.from({ length: count }, (_, n) => openId(n));
		const shuffled = [...ids].reverse().map((id, n) => (n % 7 === 0 ? ` ${id} ` : id));
		shuffled.push(ids[0], ids[count - 1]);
		const parameters = { resource: 'massMessage', operation: 'sendToOpenIds', openIds: '={{ $json.ids }}', messageType: 'text', text: 'Hi', options: fastRepeats };

		const first = await f.env.n8n.run({ parameters, items: [{ json: { ids } }] });
		await pause(200);
		const again = await f.env.n8n.run({ parameters, items: [{ json: { ids: shuffled } }] });

		const calls = f.wechat.callsTo(SEND).map((call) => call.body as { touser: string[]; clientmsgid: string });
		// One call up to 10,000; above, one per part of the fingerprints' range (see planCalls).
		const batches = planCalls(ids.map(fingerprintOf).sort()).length;
		expect(calls).toHaveLength(2 * batches);
		expect(calls.slice(batches).map((call) => [call.clientmsgid, call.touser])).toEqual(calls.slice(0, batches).map((call) => [call.clientmsgid, call.touser]));
		expect(calls.slice(0, batches).flatMap((call) => call.touser).sort()).toEqual([...ids].sort());
		expect(calls.every((call) => call.touser.length <= 10000)).toBe(true);
		expect(f.wechat.accepted).toHaveLength(batches);
		expect(first.json.map((json) => json.sent)).toEqual(Array(batches).fill(true));
		expect(again.json.map((json) => [json.sent, json.duplicate])).toEqual(Array(batches).fill([false, true]));
	});

	test('Text is sent exactly as written; only an empty or all-blank text is refused', async () => {
		await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: '  Hi\n\n' } });
		expect((f.wechat.callsTo(SENDALL)[0].body as { text: { content: string } }).text.content).toBe('  Hi\n\n');
		const blank = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: '={{ " \\n " }}' } });
		expect(blank.error?.message).toBe('Item 1, "Text": is required');
	});
});

describe('the same send twice in one run', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const perItem = { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'perItem', openIds: '={{ $json.ids }}', messageType: 'text', text: '={{ $json.text }}' };
	const items = [
		{ json: { ids: [openId(1), openId(2)], text: 'A' } },
		{ json: { ids: [openId(3), openId(4)], text: 'A' } },
		{ json: { ids: [openId(2), openId(1)], text: 'A' } },
	];

	test('One Send per Item: items with the same message are one send, so a follower on two items gets it once', async () => {
		const result = await f.env.n8n.run({ parameters: perItem, items });
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		expect((f.wechat.callsTo(SEND)[0].body as { touser: string[] }).touser.sort()).toEqual([openId(1), openId(2), openId(3), openId(4)]);
		expect(result.items.map((item) => [item.json.sent, item.json.recipientCount, item.pairedItem])).toEqual([[true, 4, [{ item: 0 }, { item: 1 }]]]);
	});

	test('One Send per Item: the same Client Message ID on two different messages is refused before anything is sent', async () => {
		const result = await f.env.n8n.run({
			parameters: { ...perItem, options: { clientMsgId: 'promo-1' } },
			items: [{ json: { ids: [openId(1), openId(2)], text: 'A' } }, { json: { ids: [openId(3), openId(4)], text: 'B' } }],
		});
		expect(result.error?.message).toBe(
			'Item 2, "Client Message ID": "promo-1" is also the key of item 1, which sends another message or to other followers; WeChat would take this send as a repeat of that one and send nothing',
		);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});

	test('Send to Tag or All: items with the same message to the same audience are one send, paired with each of them', async () => {
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: '={{ $json.text }}' },
			items: [{ json: { text: 'A' } }, { json: { text: 'B' } }, { json: { text: 'A' } }],
		});
		expect(result.items.map((item) => [item.json.sent, item.pairedItem])).toEqual([
			[true, [{ item: 0 }, { item: 2 }]],
			[true, [{ item: 1 }]],
		]);
		expect(f.wechat.accepted).toHaveLength(2);
	});

	test('One Send per Item: the same message under two Client Message IDs to overlapping lists is refused, with Continue On Fail as an error item', async () => {
		const result = await f.env.n8n.run({
			parameters: { ...perItem, options: { clientMsgId: '={{ $json.key }}' } },
			items: [{ json: { ids: [openId(1), openId(2)], text: 'A', key: 'k1' } }, { json: { ids: [openId(2), openId(3)], text: 'A', key: 'k2' } }],
			continueOnFail: true,
		});
		expect(result.json.map((json) => json.sent ?? json.error)).toEqual([
			true,
			'Item 2, "Client Message ID": the same message as item 1 to 1 follower on both lists, under another Client Message ID: they would get it twice. To send it once, give these items the same Client Message ID, or leave it empty',
		]);
		expect(f.wechat.accepted).toHaveLength(1);
	});
});

describe('a daily schedule', () => {
	let f: Fixture;
	const at = atChinaTime;
	beforeEach(async () => {
		// Only the clock is simulated (the node's and the fake WeChat's, which share this process); timers stay real.
		jest.useFakeTimers({ doNotFake: [...FAKE_CLOCK_ONLY.doNotFake] });
		at('2026-12-01T09:00:00');
		f = await startFixture();
	});
	afterEach(async () => {
		await f.wechat.stop();
		jest.useRealTimers();
	});

	const reminder = (options: IDataObject = {}) => ({
		resource: 'massMessage',
		operation: 'sendToTag',
		sendTo: 'all',
		messageType: 'text',
		text: 'Daily reminder',
		options: { ...fastRepeats, ...options },
	});

	test('sends every day, even when the next run starts earlier than 24 hours later; a re-run the same day sends nothing and says so', async () => {
		const day1 = await f.env.n8n.run({ parameters: reminder() });
		at('2026-12-01T15:00:00');
		const rerun = await f.env.n8n.run({ parameters: reminder() });
		at('2026-12-02T08:59:00');
		const day2 = await f.env.n8n.run({ parameters: reminder() });
		at('2026-12-03T08:58:00');
		const day3 = await f.env.n8n.run({ parameters: reminder() });

		expect([day1, rerun, day2, day3].map((run) => [run.json[0].sent, run.json[0].duplicate])).toEqual([
			[true, false],
			[false, true],
			[true, false],
			[true, false],
		]);
		expect(f.wechat.accepted).toHaveLength(3);
		expect(rerun.json[0]).toMatchObject({ errcode: 45065, msg_id: day1.json[0].msg_id });
		expect(rerun.hints).toEqual([
			{
				message: `Item 1: nothing was sent now. WeChat already accepted this send (msg_id ${day1.json[0].msg_id}) in an earlier run within the last 24 hours, and its followers have it: the same message to the same followers from this node today (China time). It goes out again tomorrow.`,
				location: 'outputPane',
			},
		]);
		expect([day1, day2, day3].every((run) => run.hints.length === 0)).toBe(true);
	});

	test('under "Once per 24 Hours" the next morning\'s run is WeChat\'s repeat', async () => {
		await f.env.n8n.run({ parameters: reminder({ repeatRule: 'oncePer24Hours' }) });
		at('2026-12-02T08:59:00');
		const next = await f.env.n8n.run({ parameters: reminder({ repeatRule: 'oncePer24Hours' }) });
		expect(next.json[0]).toMatchObject({ sent: false, duplicate: true });
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('On Repeat "Fail the Item" turns a repeat into an error that says nothing was sent', async () => {
		const day1 = await f.env.n8n.run({ parameters: reminder({ onRepeat: 'fail' }) });
		at('2026-12-01T10:00:00');
		const rerun = await f.env.n8n.run({ parameters: reminder({ onRepeat: 'fail' }) });
		expect(rerun.error?.message).toBe('WeChat already has this send from an earlier run: nothing was sent now');
		expect(rerun.error?.description).toContain(`msg_id ${day1.json[0].msg_id}`);
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('the day is China\'s: 23:59 and 00:01 Beijing time are different days, whatever the server\'s time zone', () => {
		expect(chinaDay(Date.parse('2026-12-01T23:59:00+08:00'))).toBe('2026-12-01');
		expect(chinaDay(Date.parse('2026-12-02T00:01:00+08:00'))).toBe('2026-12-02');
		expect(chinaDay(Date.parse('2026-12-01T16:30:00Z'))).toBe('2026-12-02');
	});
});

describe('what WeChat\'s answers mean', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const hi = (options: IDataObject = {}) => ({ resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: { ...fastRepeats, ...options } });

	test('a 45065 after an attempt whose answer was lost is this call\'s own send: nobody is told to send it again', async () => {
		// The first attempt of the second run never reached WeChat, which no client can tell from an answer lost
		// after acceptance: a 45065 after it counts as this run's own, with WeChat's answer in confirmedBy.
		const first = await f.env.n8n.run({ parameters: hi() });
		await pause(200);
		f.wechat.injectFault(SENDALL, 'drop');
		const again = await f.env.n8n.run({ parameters: hi() });
		expect(again.json[0]).toMatchObject({ errcode: 0, msg_id: first.json[0].msg_id, sent: true, duplicate: false, confirmedBy: { errcode: 45065 } });
		expect(again.hints).toEqual([]);
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('-1 again and again stops after 5 answers, saying what -1 means on a send and what re-running is safe for', async () => {
		f.wechat.injectFault(SENDALL, 'busy', 100);
		// The default Confirmation Time Limit is 150 s: the send stops long before it.
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi' } });
		expect(result.error?.message).toBe('WeChat answered errcode -1 (system error) 5 times in a row to this send.');
		expect(result.error?.description).toContain('-1 usually means the media ID does not fit the message type');
		// A -1 may follow an accepted send, so the error does not claim that nothing went out, and says what re-running is safe for.
		expect(result.error?.description).toContain('WeChat may still have taken one of the attempts');
		expect(result.error?.description).toContain('cannot deliver it twice');
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(5);
	});

	test('45066 on the first attempt (an earlier run sent the same within the minute): a duplicate, not this run\'s send', async () => {
		const first = await f.env.n8n.run({ parameters: hi() });
		const again = await f.env.n8n.run({ parameters: hi() });
		expect(f.wechat.callsTo(SENDALL).map((call) => (call.answer as { errcode: number }).errcode)).toEqual([0, 45066, 45065]);
		expect(again.json[0]).toMatchObject({ errcode: 45065, msg_id: first.json[0].msg_id, sent: false, duplicate: true });
		expect(again.hints).toHaveLength(1);
	});

	test('a lost answer, then 45011 until WeChat\'s minute has passed, then 45065: this run\'s own send, not a duplicate', async () => {
		f.wechat.injectFault(SENDALL, 'dropAfterAccept');
		f.wechat.injectAnswer(SENDALL, { errcode: 45011, errmsg: 'api minute-quota reach limit mustslower retry next minute' });
		const result = await f.env.n8n.run({ parameters: hi() });
		expect(f.wechat.callsTo(SENDALL).map((call) => call.fault ?? (call.answer as { errcode: number }).errcode)).toEqual(['dropAfterAccept', 45011, 45065]);
		expect(result.json[0]).toMatchObject({ errcode: 0, sent: true, duplicate: false, confirmedBy: { errcode: 45065 } });
		expect(result.hints).toEqual([]);
	});

	test('45011 (60 sends a minute) waits and repeats with the same clientmsgid', async () => {
		f.wechat.injectAnswer(SENDALL, { errcode: 45011, errmsg: 'api minute-quota reach limit mustslower retry next minute' });
		const result = await f.env.n8n.run({ parameters: hi() });
		expect(result.json[0]).toMatchObject({ errcode: 0, sent: true });
		const ids = f.wechat.callsTo(SENDALL).map((call) => (call.body as { clientmsgid: string }).clientmsgid);
		expect(ids).toHaveLength(2);
		expect(ids[1]).toBe(ids[0]);
	});
});

test('one run makes at most 60 send requests a minute', async () => {
	let now = 0;
	const waits: number[] = [];
	const pacer = new MassSendPacer(
		() => now,
		async (ms) => {
			waits.push(ms);
			now += ms;
		},
	);
	for (let n = 0; n < 125; n++) {
		await pacer.beforeRequest(60000);
		now += 100;
	}
	// Requests 61 and 121 each wait for the minute that began with request 1 and 61.
	expect(waits).toEqual([60000 - 6000, 60000 - 6000]);
});

test('a run over WeChat\'s 60 sends a minute is paced, so the fake WeChat refuses none of its 130 sends', async () => {
	// The fake's "minute" is 200 ms and the node's 500 ms: a send delayed on its way by up to 300 ms
	// (a busy machine) still arrives outside the fake's window.
	const f = await startFixture({ sendRateWindowMs: 200, clientMsgIdRepeatWindowMs: 200 });
	try {
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: '={{ "Note " + $json.n }}', options: { repeatWaitSeconds: 0.5, confirmWithinSeconds: 10 } },
			items: Array.from({ length: 130 }, (_, n) => ({ json: { n } })),
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(130);
		const calls = f.wechat.callsTo(SENDALL);
		expect(calls.filter((call) => (call.answer as { errcode?: number }).errcode === 45011)).toHaveLength(0);
		// The pace is the node's: request 62 left at least a minute (Repeat Wait, 500 ms here) after request 2
		// (request 1 waited for the access token); what arrives is later by the requests' travel time.
		expect(calls[61].receivedAt - calls[1].receivedAt).toBeGreaterThanOrEqual(400);
	} finally {
		await f.wechat.stop();
	}
});

test('a large audience is sorted in buckets with pauses, into exactly a plain sort', async () => {
	const { sortPaced } = await import('../../../../../nodes/WeChatMassMessage/actions/massMessage/send');
	const { EventLoopPacer } = await import('../../../../../nodes/WeChatMassMessage/helpers/eventLoop');
	// 123,457 distinct values in no particular order (an odd multiplier modulo 2^32 repeats no value).
	const ids = Array.from({ length: 123_457 }, (_, n) => ((n * 2654435761) % 4294967296).toString(16).padStart(16, '0'));
	const pacer = new EventLoopPacer(0, 20_000);
	let pauses = 0;
	const pause = pacer.pause.bind(pacer);
	pacer.pause = async () => {
		pauses++;
		await pause();
	};
	expect(await sortPaced(ids, pacer)).toEqual([...ids].sort());
	expect(pauses).toBeGreaterThan(0);
});
