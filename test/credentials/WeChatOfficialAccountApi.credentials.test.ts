import { request } from 'undici';

import { FakeWeChatServer } from '../fake-wechat/server';
import { testCredential } from '../harness/credentialTest';

describe('WeChat Official Account API credential: the Test button', () => {
	let wechat: FakeWeChatServer;

	beforeEach(async () => {
		wechat = await new FakeWeChatServer().start();
	});
	afterEach(async () => wechat.stop());

	const credential = (overrides: Record<string, string> = {}) => ({
		appId: wechat.appId,
		appSecret: wechat.appSecret,
		grantEndpoint: 'stable',
		baseUrl: wechat.baseUrl,
		accessToken: '',
		...overrides,
	});

	test.each(['stable', 'classic'])('passes with a good App ID and secret (%s endpoint)', async (grantEndpoint) => {
		const result = await testCredential(credential({ grantEndpoint }));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		// n8n fetched the credential's token first (none was stored), then the test asked the stable endpoint.
		const tokenPath = grantEndpoint === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token';
		expect(wechat.tokenRequests().map((call) => call.path)).toEqual([tokenPath, '/cgi-bin/stable_token']);
	});

	test('tolerates a trailing slash on the API base URL', async () => {
		const result = await testCredential(credential({ baseUrl: `${wechat.baseUrl}/` }));
		expect(result.status).toBe('OK');
	});

	test('fails on a wrong secret, saying which field is wrong and never showing the secret', async () => {
		const result = await testCredential(credential({ appSecret: 'wrong-secret-123' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('errcode 40125');
		expect(result.message).toContain('The App Secret is not valid');
		expect(result.message).not.toContain('wrong-secret-123');
	});

	test('fails on a wrong App ID', async () => {
		const result = await testCredential(credential({ appId: 'wx-not-mine' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('errcode 40013');
		expect(result.message).toContain('The App ID is not valid');
	});

	test('fails when the caller IP is not whitelisted, naming the IP WeChat saw', async () => {
		wechat.ipWhitelisted = false;
		const result = await testCredential(credential());
		expect(result.status).toBe('Error');
		expect(result.message).toContain('errcode 40164');
		expect(result.message).toContain('IP Whitelist');
		expect(result.message).toContain('WeChat saw the request coming from 203.0.113.7');
	});

	// n8n hands the Test button the stored data, hidden token included, and then runs no
	// preAuthentication: the test request itself asks WeChat for a token with the fields as entered.
	test('a wrong secret saved over a working credential fails with 40125\'s explanation, although a token is stored', async () => {
		const good = await testCredential(credential());
		expect(good.status).toBe('OK');
		const response = await request(`${wechat.baseUrl}/cgi-bin/stable_token`, {
			method: 'POST',
			body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }),
		});
		const stableToken = ((await response.body.json()) as { access_token: string }).access_token;

		const result = await testCredential(credential({ appSecret: 'a-wrong-secret', accessToken: stableToken }));
		expect(result.status).toBe('Error');
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('errcode 40125') });
		expect(result.message).toContain('The App Secret is not valid');
		expect(result.message).not.toContain(stableToken);
		expect(wechat.callsTo('/cgi-bin/stable_token').at(-1)!.body).toEqual({
			grant_type: 'client_credential',
			appid: wechat.appId,
			secret: 'a-wrong-secret',
			force_refresh: false,
		});
	});

	test('a classic-endpoint credential is tested through the stable endpoint, which leaves classic tokens alone', async () => {
		const response = await request(`${wechat.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${wechat.appId}&secret=${wechat.appSecret}`);
		const classicToken = ((await response.body.json()) as { access_token: string }).access_token;
		const result = await testCredential(credential({ grantEndpoint: 'classic', accessToken: classicToken, appSecret: 'a-wrong-secret' }));
		expect(result.message).toContain('errcode 40125');
		expect(wechat.tokenRequests().map((call) => call.path)).toEqual(['/cgi-bin/token', '/cgi-bin/stable_token']);
	});

	test('an App ID changed to an account that does not exist fails, although a token is stored', async () => {
		const result = await testCredential(credential({ appId: 'wx-not-mine', accessToken: 'S_token-of-the-previous-account' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('errcode 40013');
		expect(result.message).toContain('The App ID is not valid');
	});

	test('Test never forces a rotation of the shared stable token', async () => {
		await testCredential(credential());
		await testCredential(credential());
		// Each test: n8n's preAuthentication (no token stored), then the test request; none forced.
		const forceFlags = wechat.callsTo('/cgi-bin/stable_token').map((call) => (call.body as { force_refresh: boolean }).force_refresh);
		expect(forceFlags.length).toBeGreaterThanOrEqual(3);
		expect(forceFlags.every((flag) => flag === false)).toBe(true);
	});

	test('fails on any other refusal too, such as a frozen secret, instead of saying the connection works', async () => {
		const stored = credential({ accessToken: 'S_stored-token' });
		wechat.injectAnswer('/cgi-bin/stable_token', { errcode: 40243, errmsg: 'AppSecret is frozen' });
		const result = await testCredential(stored);
		expect(result.status).toBe('Error');
		expect(result.message).toContain('WeChat gave no access token');
	});

	test('the test request carries no access token: it goes to the token endpoint', async () => {
		const response = await request(`${wechat.baseUrl}/cgi-bin/stable_token`, {
			method: 'POST',
			body: JSON.stringify({ grant_type: 'client_credential', appid: wechat.appId, secret: wechat.appSecret }),
		});
		const stableToken = ((await response.body.json()) as { access_token: string }).access_token;
		const stored = credential({ accessToken: stableToken });
		const { tokenOwnerOf } = await import('../../nodes/WeChatMassMessage/transport/accessToken');
		const result = await testCredential({ ...stored, accessTokenIssuedFor: tokenOwnerOf(stored) });
		expect(result.status).toBe('OK');
		expect(wechat.callsTo('/cgi-bin/stable_token').at(-1)!.query).toEqual({});
	});

	test('fails with a clear message when the base URL does not reach WeChat', async () => {
		const result = await testCredential(credential({ baseUrl: 'http://127.0.0.1:9' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain("Could not reach WeChat's token endpoint at http://127.0.0.1:9");
		expect(result.message).not.toContain(wechat.appSecret);
	});
});
