import { startFixture } from './fixtures';

test('the Tag dropdown lists the account\'s tags with their follower counts', async () => {
	const { wechat, env } = await startFixture();
	try {
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

test('n8n finds each node\'s codex (categories, aliases) in the built package', async () => {
	const { loader } = await (await import('../../harness/workflow')).loadPackage();
	const codex = (name: string) => (loader.types.nodes.find((node) => node.name === name) as { codex?: { categories?: string[]; alias?: string[] } }).codex;
	expect(codex('weChatMassMessage')).toMatchObject({ categories: ['Communication', 'Marketing'], alias: expect.arrayContaining(['群发']) });
	expect(codex('weChatMassMessageTrigger')?.alias).toEqual(expect.arrayContaining(['群发']));
});
