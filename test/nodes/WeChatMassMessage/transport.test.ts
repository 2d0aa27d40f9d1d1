// How every WeChat call gets, reuses and refreshes its access token, and how failures surface.
import { request } from 'undici';

import { WeChatOfficialAccountApi } from '../../../credentials/WeChatOfficialAccountApi.credentials';
import type { FakeWeChatOptions, FakeWeChatServer } from '../../fake-wechat/server';
import { CredentialStore } from '../../harness/credentials';
import { N8nProcess, type TestEnvironment } from '../../harness/workflow';
import { startFixture } from './fixtures';

const speedGet = { resource: 'speed', operation: 'get' };
const items = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { row: index } }));

describe('transport: access tokens', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	async function setUp(grantEndpoint: 'stable' | 'classic' = 'stable', options: FakeWeChatOptions = {}) {
		({ wechat, env } = await startFixture(options, grantEndpoint));
	}
	afterEach(async () => wechat.stop());

	const storedToken = () => env.store.get('cred-1').data.accessToken;

	test('an API Base URL that reaches nothing: the token endpoint\'s own explanation, not n8n\'s "The service refused the connection"', async () => {
		await setUp();
		const stored = env.store.get('cred-1');
		env.store.put({ ...stored, data: { ...stored.data, baseUrl: 'http://127.0.0.1:9', accessToken: '' } });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe("Could not reach WeChat's token endpoint at http://127.0.0.1:9 (connection refused). Check the credential's API Base URL and the network.");
		expect(JSON.stringify(result.error)).not.toContain(wechat.appSecret);
	});

	test('the first call fetches a token; later items and executions reuse the stored one', async () => {
		await setUp();
		for (let execution = 0; execution < 3; execution++) {
			const result = await env.n8n.run({ parameters: speedGet, items: items(4) });
			expect(result.error).toBeUndefined();
			expect(result.json).toHaveLength(4);
		}
		expect(wechat.tokenRequests()).toHaveLength(1);
		expect(wechat.callsTo('/cgi-bin/stable_token')[0].body).toEqual({
			grant_type: 'client_credential',
			appid: wechat.appId,
			secret: wechat.appSecret,
			force_refresh: false,
		});
		const token = storedToken();
		expect(typeof token).toBe('string');
		expect(wechat.apiCalls()).toHaveLength(12);
		expect(wechat.apiCalls().every((call) => call.query.access_token === token)).toBe(true);
	});

	test('processes sharing the credential store (queue-mode workers) share one token', async () => {
		await setUp();
		const worker2 = new N8nProcess(env.pkg, env.store);
		await env.n8n.run({ parameters: speedGet });
		await worker2.run({ parameters: speedGet });
		expect(wechat.tokenRequests()).toHaveLength(1);

		// Worker 1 meets a revoked token and refreshes; worker 2 then reads the new token from the store.
		wechat.revokeAllTokens();
		await env.n8n.run({ parameters: speedGet });
		await worker2.run({ parameters: speedGet });
		expect(wechat.tokenRequests()).toHaveLength(2);
		expect(env.n8n.helper.preAuthenticationRuns + worker2.helper.preAuthenticationRuns).toBe(2);
	});

	test('a token invalidated by another system mid-run is refreshed once and the call succeeds', async () => {
		await setUp();
		wechat.onRequest = (call) => {
			if (call.path === '/cgi-bin/message/mass/speed/get' && wechat.callsTo(call.path).length === 4) wechat.revokeAllTokens();
		};
		const result = await env.n8n.run({ parameters: speedGet, items: items(8) });
		expect(result.error).toBeUndefined();
		expect(result.json).toHaveLength(8);
		expect(result.json.every((json) => json.speed === 0)).toBe(true);

		const answers = wechat.callsTo('/cgi-bin/message/mass/speed/get').map((call) => (call.answer as { errcode?: number }).errcode);
		expect(answers).toEqual([undefined, undefined, undefined, 40001, undefined, undefined, undefined, undefined, undefined]);
		expect(wechat.tokenRequests()).toHaveLength(2);
		const [, fourthRetry, ...rest] = wechat.callsTo('/cgi-bin/message/mass/speed/get').slice(3);
		expect(fourthRetry.query.access_token).toBe(storedToken());
		expect(rest.every((call) => call.query.access_token === storedToken())).toBe(true);
	});

	test('an expired token (42001) is refreshed', async () => {
		await setUp();
		await env.n8n.run({ parameters: speedGet });
		wechat.advanceClock(7200 * 1000);
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get').map((call) => (call.answer as { errcode?: number }).errcode)).toEqual([
			undefined,
			42001,
			undefined,
		]);
		expect(wechat.tokenRequests()).toHaveLength(2);
	});

	test('classic mode: another system fetching a token knocks ours out; we fetch a new one', async () => {
		await setUp('classic', { classicGraceMs: 0 });
		await env.n8n.run({ parameters: speedGet });
		const other = await request(`${wechat.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${wechat.appId}&secret=${wechat.appSecret}`);
		expect(((await other.body.json()) as { access_token: string }).access_token).not.toBe(storedToken());

		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(wechat.tokenRequests().map((call) => call.path)).toEqual(['/cgi-bin/token', '/cgi-bin/token', '/cgi-bin/token']);
		expect(wechat.tokenRequests()[0].query).toEqual({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret });
	});

	test('stable mode: when the stable endpoint returns the very token WeChat rejected, it is force-refreshed', async () => {
		await setUp();
		await env.n8n.run({ parameters: speedGet });
		wechat.breakCurrentStableToken();
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		// The stored token, the rejected one handed back, the same after a pause, then the forced rotation.
		expect(wechat.callsTo('/cgi-bin/stable_token').map((call) => (call.body as { force_refresh: boolean }).force_refresh)).toEqual([
			false,
			false,
			false,
			true,
		]);
	});

	test('a token rejected again right after a refresh is not refreshed in a loop', async () => {
		await setUp();
		await env.n8n.run({ parameters: speedGet });
		wechat.injectAnswer('/cgi-bin/message/mass/speed/get', { errcode: 40001, errmsg: 'invalid credential' }, 10);
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe('WeChat error 40001: invalid credential');
		expect(result.error?.description).toContain('another system requested a new token');
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get')).toHaveLength(3);
		// The first token, then one refresh: the normal mode twice (before and after a pause) and one forced rotation.
		expect(wechat.tokenRequests().length).toBeLessThanOrEqual(4);
	});

	test('a call WeChat answers "access token missing" (41001) gets a token and is retried once', async () => {
		await setUp();
		await env.n8n.run({ parameters: speedGet });
		wechat.injectAnswer('/cgi-bin/message/mass/speed/get', { errcode: 41001, errmsg: 'access_token missing' });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get').map((call) => (call.answer as { errcode?: number }).errcode)).toEqual([undefined, 41001, undefined]);
		// A missing token is no rejected token: no forced rotation (the token fetched a moment ago serves again).
		expect(wechat.callsTo('/cgi-bin/stable_token').every((call) => (call.body as { force_refresh: boolean }).force_refresh === false)).toBe(true);
	});

	test('a wrong secret stops the node with WeChat\'s reason, before any API call', async () => {
		await setUp();
		env.store.put({ ...env.store.get('cred-1'), data: { ...env.store.get('cred-1').data, appSecret: 'not-the-secret' } });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toContain('errcode 40125');
		expect(result.error?.message).toContain('The App Secret is not valid');
		expect(wechat.apiCalls()).toHaveLength(0);
	});
});

describe('transport: a token belongs to the account it was issued for', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		({ wechat, env } = await startFixture());
	});
	afterEach(async () => wechat.stop());

	const stored = () => env.store.get('cred-1').data;
	const edit = (fields: Record<string, string>) => env.store.put({ ...env.store.get('cred-1'), data: { ...stored(), ...fields } });
	// The credential's own fields (its notice included, which n8n stores with its empty default).
	const credentialFields = new Set(new WeChatOfficialAccountApi().properties.map((property) => property.name));

	test('an App ID changed to another account: the next call carries a token of the new account', async () => {
		await env.n8n.run({ parameters: speedGet });
		expect(wechat.apiCalls()[0].appId).toBe(wechat.appId);
		const oldToken = stored().accessToken;

		wechat.addAccount('wxsecondaccount0001', 'second-account-secret-0123456789');
		edit({ appId: 'wxsecondaccount0001', appSecret: 'second-account-secret-0123456789' });
		const result = await env.n8n.run({ parameters: speedGet, items: items(3) });
		expect(result.error).toBeUndefined();

		const after = wechat.apiCalls().slice(1);
		expect(after).toHaveLength(3);
		expect(after.every((call) => call.appId === 'wxsecondaccount0001')).toBe(true);
		expect(after.some((call) => call.query.access_token === oldToken)).toBe(false);
		expect(wechat.tokenRequests().map((call) => call.appId)).toEqual([wechat.appId, 'wxsecondaccount0001']);
	});

	test('a wrong secret saved over a working credential fails at the next call, not when the old token expires', async () => {
		await env.n8n.run({ parameters: speedGet });
		edit({ appSecret: 'a-wrong-secret' });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toContain('errcode 40125');
		expect(wechat.apiCalls()).toHaveLength(1);
	});

	test('a changed API Base URL or token endpoint gets a new token before the next call', async () => {
		await env.n8n.run({ parameters: speedGet });
		edit({ baseUrl: `${wechat.baseUrl}/` });
		await env.n8n.run({ parameters: speedGet });
		expect(wechat.tokenRequests()).toHaveLength(1); // the same URL written differently is the same host

		edit({ grantEndpoint: 'classic' });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(wechat.tokenRequests().map((call) => call.path)).toEqual(['/cgi-bin/stable_token', '/cgi-bin/token']);
		expect(wechat.apiCalls().at(-1)!.query.access_token).toMatch(/^C_/);
	});

	test('a token stored without its owner (saved by an earlier version) is replaced once', async () => {
		await env.n8n.run({ parameters: speedGet });
		const { accessTokenIssuedFor: _owner, ...withoutOwner } = stored();
		env.store.put({ ...env.store.get('cred-1'), data: withoutOwner });
		await env.n8n.run({ parameters: speedGet });
		await env.n8n.run({ parameters: speedGet });
		// The token this process fetched a moment ago for the same fields serves again; it is stored with its owner now.
		expect(wechat.tokenRequests().length).toBeLessThanOrEqual(2);
		expect(stored().accessTokenIssuedFor).toMatch(/^[0-9a-f]{64}$/);
		expect(wechat.apiCalls().every((call) => call.answer !== undefined && (call.answer as { errcode?: number }).errcode === undefined)).toBe(true);
	});

	test('the owner is a digest: the stored credential holds the secret only in its own field', async () => {
		await env.n8n.run({ parameters: speedGet });
		const data = stored();
		expect(data.accessTokenIssuedFor).toMatch(/^[0-9a-f]{64}$/);
		const { appSecret, ...others } = data;
		expect(JSON.stringify(others)).not.toContain(String(appSecret));
	});

	test('after a forced rotation the stored credential holds only the credential\'s own fields', async () => {
		await env.n8n.run({ parameters: speedGet });
		wechat.breakCurrentStableToken();
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(wechat.callsTo('/cgi-bin/stable_token').map((call) => (call.body as { force_refresh: boolean }).force_refresh)).toEqual([false, false, false, true]);
		for (const write of env.store.writes) {
			expect(Object.keys(write.data).filter((key) => !credentialFields.has(key))).toEqual([]);
		}
	});
});

describe('transport: refreshes that meet each other', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		({ wechat, env } = await startFixture());
	});
	afterEach(async () => wechat.stop());

	test('20 executions in one process that find the token revoked at once: one token request', async () => {
		await env.n8n.run({ parameters: speedGet });
		wechat.revokeAllTokens();
		const results = await Promise.all(Array.from({ length: 20 }, () => env.n8n.run({ parameters: speedGet, items: items(2) })));
		expect(results.every((result) => result.error === undefined)).toBe(true);
		expect(wechat.tokenRequests()).toHaveLength(2);
	});

	test('20 executions in one process starting with no token: one token request', async () => {
		const results = await Promise.all(Array.from({ length: 20 }, () => env.n8n.run({ parameters: speedGet })));
		expect(results.every((result) => result.error === undefined)).toBe(true);
		expect(wechat.tokenRequests()).toHaveLength(1);
	});

	// Workers do not share memory: each may see the stable endpoint hand back the rejected token. WeChat
	// takes one forced rotation per 30 s ("强制刷新模式每天限用 20 次且需间隔 30 秒",
	// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken).
	const forcedAnswers = () =>
		wechat
			.callsTo('/cgi-bin/stable_token')
			.filter((call) => (call.body as { force_refresh: boolean }).force_refresh)
			.map((call) => (call.answer as { errcode?: number }).errcode ?? 0);

	async function rejectedStableToken() {
		await env.n8n.run({ parameters: speedGet });
		const rejected = String(env.store.get('cred-1').data.accessToken);
		wechat.breakCurrentStableToken();
		return rejected;
	}

	/** n8n's httpRequest helper as a worker's preAuthentication gets it; `beforeForce` runs before a forced refresh is sent. */
	function workerHelper(beforeForce: () => Promise<void> = async () => {}) {
		const httpRequest = async (options: { url: string; body?: { force_refresh?: boolean } }) => {
			if (options.body?.force_refresh) await beforeForce();
			const response = await request(options.url, { method: 'POST', body: JSON.stringify(options.body) });
			return await response.body.json();
		};
		return { helpers: { httpRequest } } as never;
	}

	const preAuthentication = (helper: never, rejected: string) =>
		env.pkg.credentialTypes
			.getByName('weChatOfficialAccountApi')
			.preAuthentication!.call(helper, { ...env.store.get('cred-1').data, accessToken: '', rejectedAccessToken: rejected });

	test('two workers that both find the rejected token handed back: one forced rotation, and both take its token', async () => {
		const rejected = await rejectedStableToken();
		const [first, second] = await Promise.all([preAuthentication(workerHelper(), rejected), preAuthentication(workerHelper(), rejected)]);
		expect(first.accessToken).toBe(second.accessToken);
		expect(first.accessToken).not.toBe(rejected);
		expect(forcedAnswers().filter((errcode) => errcode === 0)).toHaveLength(1);
		expect(first).not.toHaveProperty('rejectedAccessToken');
	});

	test('a forced rotation refused (45009) because another worker has just rotated takes that worker\'s token', async () => {
		const rejected = await rejectedStableToken();
		let otherWorkersToken: string | undefined;
		const afterOtherWorker = workerHelper(async () => {
			const response = await request(`${wechat.baseUrl}/cgi-bin/stable_token`, {
				method: 'POST',
				body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret, force_refresh: true }),
			});
			otherWorkersToken = ((await response.body.json()) as { access_token: string }).access_token;
		});
		const output = await preAuthentication(afterOtherWorker, rejected);
		expect(forcedAnswers()).toEqual([0, 45009]);
		expect(output.accessToken).toBe(otherWorkersToken);
	});
});

describe('transport: errors and retries', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		({ wechat, env } = await startFixture());
	});
	afterEach(async () => wechat.stop());

	test('a WeChat errcode becomes a node error with errcode, errmsg and an explanation', async () => {
		wechat.injectAnswer('/cgi-bin/message/mass/speed/get', { errcode: 48001, errmsg: 'api unauthorized rid: 1' });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe('WeChat error 48001: api unauthorized rid: 1');
		expect(result.error?.description).toContain('need a verified (WeChat-certified) Official Account');
		expect(result.error?.name).toBe('NodeApiError');
	});

	test('an unknown errcode still fails, with WeChat\'s errmsg', async () => {
		wechat.injectAnswer('/cgi-bin/message/mass/speed/get', { errcode: 99999, errmsg: 'something new' });
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe('WeChat error 99999: something new');
	});

	test.each([['busy'], ['http502'], ['drop']] as const)('a read is retried after %s', async (mode) => {
		wechat.injectFault('/cgi-bin/message/mass/speed/get', mode, 2);
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ speed: 0, realspeed: 80, messagesPerMinute: 800000 }]);
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get')).toHaveLength(3);
	});

	test('an HTTP 4xx that is not WeChat\'s (a relay\'s JSON) fails at once, pointing at the base URL', async () => {
		wechat.injectFault('/cgi-bin/message/mass/speed/get', 'http404Json');
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe("WeChat answered HTTP 404. Check the credential's API Base URL.");
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get')).toHaveLength(1);
	});

	test('a read gives up after a bounded number of attempts', async () => {
		wechat.injectFault('/cgi-bin/message/mass/speed/get', 'http502', 10);
		const result = await env.n8n.run({ parameters: speedGet });
		expect(result.error?.message).toBe('WeChat answered HTTP 502 after 4 attempts.');
		expect(wechat.callsTo('/cgi-bin/message/mass/speed/get')).toHaveLength(4);
	});

	test('neither the access token nor the secret appears in errors or in the execution data', async () => {
		await env.n8n.run({ parameters: speedGet });
		const token = String(env.store.get('cred-1').data.accessToken);
		wechat.injectFault('/cgi-bin/message/mass/speed/get', 'drop', 10);
		const failed = await env.n8n.run({ parameters: speedGet, continueOnFail: true });
		expect(failed.json[0].error).toBe('The connection to WeChat failed (connection reset) after 4 attempts.');

		wechat.injectFault('/cgi-bin/message/mass/speed/get', 'drop', 10);
		const stopped = await env.n8n.run({ parameters: speedGet });
		expect(stopped.error).toBeDefined();
		for (const run of [failed.run, stopped.run]) {
			const everything = JSON.stringify(run) + JSON.stringify(stopped.error, Object.getOwnPropertyNames(stopped.error));
			expect(everything).not.toContain(token);
			expect(everything).not.toContain(wechat.appSecret);
		}
	});
});

test('the credential store is what carries the token: a fresh store means a fresh token', async () => {
	const { wechat, env } = await startFixture();
	try {
		await env.n8n.run({ parameters: speedGet });
		const otherStore = new CredentialStore();
		otherStore.put({ ...env.store.get('cred-1'), data: { ...env.store.get('cred-1').data, accessToken: '' } });
		await new N8nProcess(env.pkg, otherStore).run({ parameters: speedGet });
		// The fresh store gets a token of its own stored, through preAuthentication (in one OS process
		// the token fetched a moment ago serves again); the stable endpoint would hand it the same.
		expect(wechat.tokenRequests().length).toBeLessThanOrEqual(2);
		expect(otherStore.get('cred-1').data.accessToken).toBe(env.store.get('cred-1').data.accessToken);
	} finally {
		await wechat.stop();
	}
});
