// Sends whose outcome is unknown (dropped connection, 5xx, -1) are resolved by sending again with
// the same clientmsgid: every send ends either confirmed by WeChat with a msg_id, or failed with
// an error saying nothing was confirmed. Never lost, never delivered twice.
import { startFixture, openId, fastRepeats, type Fixture } from '../../fixtures';
import type { FaultMode } from '../../../../fake-wechat/server';

const SENDALL = '/cgi-bin/message/mass/sendall';

/** A small deterministic generator, so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

describe('exactly-once sends', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture({ clientMsgIdRepeatWindowMs: 100, sendRateWindowMs: 100 })));
	afterEach(async () => f.wechat.stop());

	test('200 sends under dropped connections, 502s and -1 before and after acceptance: exactly 200 accepted', async () => {
		const modes: FaultMode[] = ['drop', 'http502', 'busy', 'dropAfterAccept', 'http502AfterAccept', 'busyAfterAccept'];
		// WeChat's minute is 400 ms here: room for a loaded machine's latency between an attempt and its repeat.
		await f.wechat.stop();
		f = await startFixture({ clientMsgIdRepeatWindowMs: 400, sendRateWindowMs: 400 });
		f.wechat.injectRandomFaults(SENDALL, 0.3, modes, seededRandom(7));
		const items = Array.from({ length: 200 }, (_, i) => ({ json: { n: i } }));
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: '={{ "Offer " + $json.n }}', options: { confirmWithinSeconds: 20, repeatWaitSeconds: 0.45 } },
			items,
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(200);
		const texts = f.wechat.accepted.map((send) => (send.body.text as { content: string }).content).sort();
		expect(texts).toEqual(items.map((item) => `Offer ${item.json.n}`).sort());
		expect(result.json).toHaveLength(200);
		const msgIds = new Set(result.json.map((json) => json.msg_id));
		expect(msgIds).toEqual(new Set(f.wechat.accepted.map((send) => send.msgId)));
		expect(result.json.every((json) => json.duplicate === false && json.sent === true && json.errcode === 0)).toBe(true);
		const faultsPlayed = f.wechat.callsTo(SENDALL).filter((call) => call.fault !== undefined).length;
		expect(faultsPlayed).toBeGreaterThan(40);
	}, 120000);

	test('an accepted send whose answer was lost is confirmed after WeChat\'s repeat window, with its msg_id', async () => {
		f.wechat.injectFault(SENDALL, 'dropAfterAccept');
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fastRepeats },
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
		const answers = f.wechat.callsTo(SENDALL).map((call) => call.fault ?? (call.answer as { errcode: number }).errcode);
		// Repeats inside WeChat's window get 45066; the first one after it gets 45065 with the msg_id.
		expect(answers[0]).toBe('dropAfterAccept');
		expect(answers.slice(1, -1).every((answer) => answer === 45066)).toBe(true);
		expect(answers[answers.length - 1]).toBe(45065);
		// The send's own answer (errcode 0) was lost: the output says it was sent, and keeps WeChat's answer to the repeat.
		expect(result.json[0]).toMatchObject({
			errcode: 0,
			msg_id: f.wechat.accepted[0].msgId,
			sent: true,
			duplicate: false,
			confirmedBy: { errcode: 45065, errmsg: 'clientmsgid exist' },
		});
		expect(result.hints).toEqual([]);
	});

	test('when WeChat cannot be reached in time, the node fails saying nothing was confirmed', async () => {
		f.wechat.injectFault('/cgi-bin/message/mass/send', 'http502', 100);
		const result = await f.env.n8n.run({
			parameters: {
				resource: 'massMessage',
				operation: 'sendToOpenIds',
				mode: 'perItem',
				openIds: `${openId(1)},${openId(2)}`,
				messageType: 'text',
				text: 'Hi',
				options: { confirmWithinSeconds: 1, repeatWaitSeconds: 0.2 },
			},
		});
		expect(result.error?.message).toMatch(/^WeChat did not confirm the send: it may have gone out \(\d+ attempts; WeChat answered HTTP 502\)\.$/);
		expect(result.error?.description).toContain('cannot deliver it twice');
		expect(f.wechat.accepted).toHaveLength(0);
		const ids = new Set(f.wechat.callsTo('/cgi-bin/message/mass/send').map((call) => (call.body as { clientmsgid: string }).clientmsgid));
		expect(ids.size).toBe(1);
	});

	test('a success without a msg_id is not taken as confirmation', async () => {
		f.wechat.injectAnswer(SENDALL, {});
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fastRepeats } });
		expect(f.wechat.accepted).toHaveLength(1);
		expect(result.json[0]).toMatchObject({ errcode: 0, msg_id: f.wechat.accepted[0].msgId });
	});

	test('a refusal after an answer was lost does not claim that nothing was sent', async () => {
		f.wechat.injectFault(SENDALL, 'dropAfterAccept');
		f.wechat.injectAnswer(SENDALL, { errcode: 45028, errmsg: 'has no masssend quota' });
		const result = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi', options: fastRepeats } });
		expect(result.error?.message).toBe(
			'WeChat did not confirm the send: it may have gone out (2 attempts; the connection to WeChat failed (connection reset), then errcode 45028: has no masssend quota).',
		);
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('a definite WeChat error is not retried', async () => {
		f.wechat.injectAnswer(SENDALL, { errcode: 40007, errmsg: 'invalid media_id' });
		const result = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'mpnews', articleMediaId: 'NOPE', options: fastRepeats },
		});
		expect(result.error?.message).toBe('WeChat error 40007: invalid media_id');
		expect(f.wechat.callsTo(SENDALL)).toHaveLength(1);
	});
});
