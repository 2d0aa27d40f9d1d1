import { FakeWeChatServer } from '../../fake-wechat/server';
import { createEnvironment } from '../../harness/workflow';

test('the Tag dropdown lists the account\'s tags with their follower counts', async () => {
	const wechat = await new FakeWeChatServer().start();
	try {
		const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
		const options = await env.n8n.loadOptions('getTags', { resource: 'massMessage', operation: 'sendToTag' });
		expect(options).toEqual([
			{ name: '星标组 (120 followers)', value: 2, description: 'Tag ID 2' },
			{ name: 'VIP customers (3,456 followers)', value: 100, description: 'Tag ID 100' },
		]);
		expect(wechat.callsTo('/cgi-bin/tags/get')).toHaveLength(1);
	} finally {
		await wechat.stop();
	}
});
