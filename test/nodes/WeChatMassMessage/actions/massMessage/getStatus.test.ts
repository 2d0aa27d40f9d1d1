import { startFixture, type Fixture } from '../../fixtures';

const GET = '/cgi-bin/message/mass/get';
const base = { resource: 'massMessage', operation: 'getStatus' };

describe('Mass Message > Get Status', () => {
	let f: Fixture;
	let msgId: number;
	beforeEach(async () => {
		f = await startFixture({ sendingDurationMs: 600 });
		const sent = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi' } });
		msgId = sent.json[0].msg_id as number;
	});
	afterEach(async () => f.wechat.stop());

	test('returns WeChat\'s status once', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, messageId: String(msgId) } });
		expect(f.wechat.callsTo(GET).map((call) => call.body)).toEqual([{ msg_id: msgId }]);
		expect(result.json).toEqual([{ msg_id: msgId, msg_status: 'SENDING', finished: false }]);
		expect(result.hints).toEqual([]);
	});

	test('can wait until the send is no longer SENDING', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, messageId: String(msgId), waitUntilFinished: true, pollIntervalSeconds: 0.2, timeLimitSeconds: 10 } });
		expect(result.json).toEqual([{ msg_id: msgId, msg_status: 'SEND_SUCCESS', finished: true }]);
		expect(f.wechat.callsTo(GET).length).toBeGreaterThanOrEqual(2);
	});

	test('stops waiting at the time limit and says so', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, messageId: String(msgId), waitUntilFinished: true, pollIntervalSeconds: 0.2, timeLimitSeconds: 0.3 } });
		expect(result.json).toEqual([{ msg_id: msgId, msg_status: 'SENDING', finished: false, waitTimedOut: true, checks: expect.any(Number) }]);
		const checks = result.json[0].checks as number;
		expect(result.hints).toEqual([
			{
				message: `Item 1: stopped waiting at the Time Limit (0.3 s) after ${checks} ${checks === 1 ? 'check' : 'checks'}: WeChat still reports SENDING. Run Get Status again later, or let the WeChat Mass Message Trigger start a workflow when the send finishes.`,
				location: 'outputPane',
			},
		]);
	});

	test('reports a deleted message as DELETE', async () => {
		await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'delete', deleteBy: 'messageId', messageId: String(msgId), articleIndex: 0 } });
		const result = await f.env.n8n.run({ parameters: { ...base, messageId: String(msgId) } });
		expect(result.json[0]).toMatchObject({ msg_status: 'DELETE', finished: true });
	});

	test('a msg_id longer than a JavaScript number holds (the trigger gives msgId as text) goes to WeChat digit for digit', async () => {
		const long = '31474836480000000000123';
		await f.env.n8n.run({ parameters: { ...base, messageId: long } });
		await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'delete', deleteBy: 'messageId', messageId: long, articleIndex: 0 } });
		expect(f.wechat.callsTo(GET).map((call) => call.text)).toEqual([`{"msg_id":${long}}`]);
		expect(f.wechat.callsTo('/cgi-bin/message/mass/delete').map((call) => call.text)).toEqual([`{"msg_id":${long},"article_idx":0}`]);
	});
});
