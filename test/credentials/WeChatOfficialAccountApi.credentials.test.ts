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
		const tokenPath = grantEndpoint === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token';
		expect(wechat.tokenRequests().map((call) => call.path)).toEqual([tokenPath]);
		expect(wechat.callsTo('/cgi-bin/get_api_domain_ip')).toHaveLength(1);
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

	test('fails when WeChat rejects the fetched token', async () => {
		wechat.injectAnswer('/cgi-bin/get_api_domain_ip', { errcode: 40001, errmsg: 'invalid credential' });
		const result = await testCredential(credential());
		expect(result).toEqual({ status: 'Error', message: 'WeChat rejected the access token (40001)' });
	});

	test('fails with a clear message when the base URL does not reach WeChat', async () => {
		const result = await testCredential(credential({ baseUrl: 'http://127.0.0.1:9' }));
		expect(result.status).toBe('Error');
		expect(result.message).toContain("Could not reach WeChat's token endpoint at http://127.0.0.1:9");
		expect(result.message).not.toContain(wechat.appSecret);
	});
});
