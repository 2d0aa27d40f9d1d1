import type { FakeWeChatServer } from '../../../fake-wechat/server';
import type { TestEnvironment } from '../../../harness/workflow';
import { startFixture } from '../fixtures';

describe('speed', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		({ wechat, env } = await startFixture());
	});
	afterEach(async () => wechat.stop());

	test('get returns WeChat\'s speed and realspeed, plus messages per minute', async () => {
		wechat.speed = 3;
		const result = await env.n8n.run({ parameters: { resource: 'speed', operation: 'get' } });
		expect(result.json).toEqual([{ speed: 3, realspeed: 30, messagesPerMinute: 300000 }]);
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get')[0]).toMatchObject({ method: 'POST', body: undefined });
	});

	test('set sends the chosen level and reports its real speed', async () => {
		const result = await env.n8n.run({ parameters: { resource: 'speed', operation: 'set', speed: 2 } });
		expect(result.json).toEqual([{ errcode: 0, errmsg: 'ok', speed: 2, messagesPerMinute: 450000 }]);
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/set').map((call) => call.body)).toEqual([{ speed: 2 }]);
		expect(wechat.speed).toBe(2);
	});

	test('set accepts the level as text from an expression', async () => {
		const result = await env.n8n.run({
			parameters: { resource: 'speed', operation: 'set', speed: '={{ $json.level }}' },
			items: [{ json: { level: '4' } }],
		});
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/set').map((call) => call.body)).toEqual([{ speed: 4 }]);
	});

	test('set is retried after a dropped connection, since setting a level twice changes nothing', async () => {
		wechat.injectFault('/cgi-bin/message/mass/speed/set', 'dropAfterAccept');
		const result = await env.n8n.run({ parameters: { resource: 'speed', operation: 'set', speed: 1 } });
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/set')).toHaveLength(2);
		expect(wechat.speed).toBe(1);
	});

	test('speed 5 is rejected before anything is sent', async () => {
		const result = await env.n8n.run({
			parameters: { resource: 'speed', operation: 'set', speed: '={{ $json.level }}' },
			items: [{ json: { level: 5 } }],
		});
		expect(result.error?.message).toBe('Item 1, "Speed": must be a whole number from 0 to 4, got 5');
		expect(result.error?.name).toBe('NodeOperationError');
		expect(wechat.calls).toHaveLength(0);
	});

	test('with Continue On Fail, a bad item becomes an error item paired with its input; the others go through', async () => {
		const result = await env.n8n.run({
			parameters: { resource: 'speed', operation: 'set', speed: '={{ $json.level }}' },
			items: [{ json: { level: 1 } }, { json: { level: 9 } }, { json: { level: 0 } }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ errcode: 0, errmsg: 'ok', speed: 1, messagesPerMinute: 600000 }, { item: 0 }],
			[{ error: 'Item 2, "Speed": must be a whole number from 0 to 4, got 9' }, [{ item: 1 }]],
			[{ errcode: 0, errmsg: 'ok', speed: 0, messagesPerMinute: 800000 }, { item: 2 }],
		]);
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/set').map((call) => call.body)).toEqual([{ speed: 1 }, { speed: 0 }]);
	});

	test('an unverified account gets WeChat\'s 48001 explained', async () => {
		wechat.injectAnswer('/cgi-bin/message/mass/speed/set', { errcode: 48001, errmsg: 'api unauthorized' });
		const result = await env.n8n.run({ parameters: { resource: 'speed', operation: 'set', speed: 1 } });
		expect(result.error?.message).toBe('WeChat error 48001: api unauthorized');
		expect(result.error?.description).toContain('verified');
	});
});
