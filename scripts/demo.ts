// The sandbox: starts the bundled fake WeChat API on 127.0.0.1 and runs real workflows through
// n8n-core with the built package, printing what the node output and what "WeChat" received.
import { FakeWeChatServer } from '../test/fake-wechat/server';
import { FileServer, SAMPLE_JPEG, SAMPLE_PNG } from '../test/helpers/fileServer';
import { createEnvironment, type WorkflowSpec } from '../test/harness/workflow';

async function main(): Promise<void> {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const wechat = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 1000 }).start(Number(process.env.FAKE_WECHAT_PORT ?? 0));
	console.log(`Fake WeChat API listening on ${wechat.baseUrl} (App ID ${wechat.appId})\n`);
	const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
	// A blog's web server, whose article links an image that WeChat would drop unless it hosts it.
	const blog = await new FileServer({ '/images/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' } }).start();
	const cover = { data: SAMPLE_JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'cover.jpg' };

	const steps: Array<{ title: string; usePreviousOutput?: boolean } & WorkflowSpec> = [
		{ title: 'Speed: Get', parameters: { resource: 'speed', operation: 'get' } },
		{ title: 'Speed: Set to level 2', parameters: { resource: 'speed', operation: 'set', speed: 2 } },
		{ title: 'Speed: Get again', parameters: { resource: 'speed', operation: 'get' } },
		{
			title: 'Mass Message: Send to Tag (text to "VIP customers")',
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: 'Spring sale starts today', options: { clientMsgId: 'spring-sale-2026' } },
		},
		{
			title: 'Mass Message: the same send again (same Client Message ID: WeChat sends nothing)',
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: 'Spring sale starts today', options: { clientMsgId: 'spring-sale-2026', repeatWaitSeconds: 1 } },
		},
		{
			title: 'Mass Message: Send to OpenIDs (one send for the OpenIDs of 3 sheet rows)',
			parameters: { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'Your order shipped' },
			items: [1, 2, 3].map((row) => ({ json: { openid: `oDemo${String(row).padStart(23, '0')}` } })),
		},
		{ title: 'Mass Message: Get Status of the first send', parameters: { resource: 'massMessage', operation: 'getStatus', messageId: '3147483648' } },
		{
			title: 'Draft: Create (the blog image hosted on WeChat, the binary cover uploaded as permanent material)',
			typeVersion: 3,
			parameters: {
				resource: 'draft',
				operation: 'create',
				articles: { article: [{ title: 'Q3 results', content: `<p>Up 20%</p><img src="${blog.url('/images/chart.png')}">`, coverBinaryField: 'cover' }] },
				// The demo's blog is on this machine: allowed by name, as images come only from public addresses otherwise.
				options: { allowedPrivateHosts: '127.0.0.1' },
			},
			items: [{ json: {}, binary: { cover } }],
		},
		{
			title: 'Mass Message: Send to Tag (that draft to "VIP customers")',
			typeVersion: 2,
			usePreviousOutput: true,
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: { __rl: true, mode: 'id', value: '100' }, messageType: 'mpnews', articleMediaId: { __rl: true, mode: 'id', value: '={{ $json.media_id }}' } },
		},
	];
	let previous: WorkflowSpec['items'];
	for (const step of steps) {
		// WeChat answers a repeated clientmsgid only after its one-minute window; the fake server's is one second.
		if (step.title.includes('same send again')) await new Promise((resolve) => setTimeout(resolve, 1100));
		const result = await env.n8n.run({ parameters: step.parameters, items: step.usePreviousOutput ? previous : step.items, typeVersion: step.typeVersion });
		previous = result.json.map((json) => ({ json }));
		console.log(`== ${step.title}`);
		console.log(result.error ? `   error: ${result.error.message}` : result.json.map((json) => `   ${JSON.stringify(json)}`).join('\n'));
	}
	console.log(`\nWeChat received ${wechat.calls.length} requests, ${wechat.tokenRequests().length} of them for an access token:`);
	for (const call of wechat.calls) console.log(`   ${call.method} ${call.path}${call.body ? ` ${redactSecret(JSON.stringify(call.body))}` : ''}`);
	await wechat.stop();
	await blog.stop();
}

function redactSecret(text: string): string {
	return text.replace(/"secret":"[^"]*"/g, '"secret":"***"');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
