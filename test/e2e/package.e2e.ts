// The packed package installed into a real n8n the way n8n installs community packages, workflows
// imported and run with n8n's own CLI against the fake WeChat server, and the trigger reached over
// HTTP through n8n's webhook server. Runs once per n8n version (see scripts/e2e.sh).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FakeWeChatServer } from '../fake-wechat/server';
import { FileServer, SAMPLE_JPEG } from '../helpers/fileServer';
import { safeRequest, urlVerificationRequest, type CallbackAccount } from '../helpers/wechatCallbackSigner';
import { N8nCli, installCommunityPackage } from './n8nCli';
import { BLOG_IMAGES, allowLocalBlog } from '../../scripts/sandbox';
import { N8nServer } from './n8nServer';
import { assertE2eRuntime, runtime, tarball } from './runtime';
import { CALLBACK_CREDENTIAL, WECHAT_CREDENTIAL, chain, testCredentials, exampleWorkflow, fileNode, rowsFromUrlNode, weChatNode, type Workflow } from './workflows';

const openId = (n: number) => `oE2e${String(n).padStart(24, '0')}`;

const callbackAccount: CallbackAccount = {
	appId: 'wx0123456789abcdef',
	token: 'e2eCallbackToken42',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
	originalId: 'gh_e2e0000000001',
};

async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

describe(`n8n ${runtime.version} with the installed package`, () => {
	let wechat: FakeWeChatServer;
	let n8n: N8nCli;

	beforeAll(async () => {
		assertE2eRuntime();
		wechat = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 500 }).start();
		wechat.registerMedia('E2E_ARTICLE_MEDIA_ID', 'news');
		const userFolder = mkdtempSync(join(tmpdir(), `n8n-e2e-${runtime.version}-`));
		await installCommunityPackage(userFolder, tarball);
		n8n = new N8nCli(runtime, userFolder, await freePort());
		await n8n.importCredentials(testCredentials(wechat, callbackAccount));
	});
	afterAll(async () => wechat?.stop());

	async function runWorkflow(workflow: Workflow) {
		await n8n.importWorkflow(workflow);
		return await n8n.execute(workflow.id);
	}

	test('Speed: Set then Get, with one token for both executions', async () => {
		const set = await runWorkflow(chain('speedSet', [weChatNode('Set Speed', { resource: 'speed', operation: 'set', speed: 3 })]));
		expect(set.error).toBeUndefined();
		expect(set.items['Set Speed'].map((item) => item.json)).toEqual([{ errcode: 0, errmsg: 'ok', speed: 3, messagesPerMinute: 300000 }]);
		const get = await runWorkflow(chain('speedGet', [weChatNode('Get Speed', { resource: 'speed', operation: 'get' })]));
		expect(get.items['Get Speed'].map((item) => item.json)).toEqual([{ speed: 3, realspeed: 30, messagesPerMinute: 300000 }]);
		expect(wechat.tokenRequests()).toHaveLength(1);
	});

	test('QR Code: Create, a code with its image as binary data (qrcode/create, then showqrcode without a token)', async () => {
		const result = await runWorkflow(chain('qrCodeCreate', [{ ...weChatNode('QR', { resource: 'qrCode', operation: 'create', sceneStr: 'e2e-poster', options: { binaryPropertyName: 'qr' } }), typeVersion: 4 }]));
		expect(result.error).toBeUndefined();
		const [call] = wechat.callsTo('/cgi-bin/qrcode/create');
		expect(call.body).toEqual({ expire_seconds: 2592000, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'e2e-poster' } } });
		const answer = call.answer as { ticket: string; url: string };
		const [item] = result.items.QR;
		expect(item.json).toEqual({ ticket: answer.ticket, expire_seconds: 2592000, url: answer.url, actionName: 'QR_STR_SCENE', scene: 'e2e-poster', imageUrl: expect.stringContaining('/cgi-bin/showqrcode?ticket=') });
		expect((item as { binary?: Record<string, { mimeType: string; fileName: string; fileExtension: string }> }).binary?.qr).toMatchObject({ mimeType: 'image/jpeg', fileName: 'wechat-qrcode-e2e-poster.jpg', fileExtension: 'jpg' });
		const [image] = wechat.callsTo('/cgi-bin/showqrcode');
		expect(image).toMatchObject({ query: { ticket: answer.ticket }, answer: { status: 200 } });
		expect(image.query.access_token).toBeUndefined();
	});

	test('Send to Tag, then Get Status and Delete of that send', async () => {
		const result = await runWorkflow(
			chain('sendStatusDelete', [
				weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: 'e2e hello' }),
				weChatNode('Status', { resource: 'massMessage', operation: 'getStatus', messageId: '={{ $json.msg_id }}' }),
				weChatNode('Delete', { resource: 'massMessage', operation: 'delete', deleteBy: 'messageId', messageId: '={{ $json.msg_id }}', articleIndex: 0 }),
			]),
		);
		expect(result.error).toBeUndefined();
		const [send] = wechat.accepted.filter((accepted) => (accepted.body.text as { content?: string } | undefined)?.content === 'e2e hello');
		expect(send.body).toMatchObject({ filter: { is_to_all: false, tag_id: 100 }, msgtype: 'text', text: { content: 'e2e hello' }, send_ignore_reprint: 0 });
		expect(result.items.Send[0].json).toMatchObject({ errcode: 0, msg_id: send.msgId, duplicate: false });
		expect(result.items.Status[0].json).toEqual({ msg_id: send.msgId, msg_status: 'SEND_SUCCESS', finished: true });
		expect(result.items.Delete[0].json).toEqual({ errcode: 0, errmsg: 'ok', msg_id: send.msgId, article_idx: 0 });
	});

	test('Send to OpenIDs, one send for the OpenIDs of all rows', async () => {
		const rows = [1, 2, 3, 2, 4].map((n) => ({ name: `Follower ${n}`, openid: openId(n) }));
		const result = await runWorkflow(
			chain(
				'sendToOpenIdsCombined',
				[weChatNode('Send', { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'e2e combined' })],
				rows,
			),
		);
		expect(result.error).toBeUndefined();
		const sends = wechat.callsTo('/cgi-bin/message/mass/send').map((call) => call.body as { touser: string[]; text: { content: string } });
		expect(sends.filter((body) => body.text.content === 'e2e combined').map((body) => [...body.touser].sort())).toEqual([[openId(1), openId(2), openId(3), openId(4)]]);
		expect(result.items.Send).toHaveLength(1);
		expect(result.items.Send[0].json).toMatchObject({ errcode: 0, recipientCount: 4, batch: 1, batchCount: 1 });
		expect(result.items.Send[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 4 }]);
	});

	test('Preview to a WeChat ID', async () => {
		const result = await runWorkflow(
			chain('preview', [weChatNode('Preview', { resource: 'massMessage', operation: 'preview', previewTo: 'weChatId', weChatId: 'editor_e2e', messageType: 'mpnews', articleMediaId: 'E2E_ARTICLE_MEDIA_ID' })]),
		);
		expect(result.error).toBeUndefined();
		expect(wechat.previews).toContainEqual({ towxname: 'editor_e2e', msgtype: 'mpnews', mpnews: { media_id: 'E2E_ARTICLE_MEDIA_ID' } });
	});

	test('a version-1 node as saved before version 2: Send to Tag with a numeric Tag ID and a plain Article Media ID', async () => {
		// Version 1's Tag field was a dropdown that stored the tag ID as a number, and its Article Media ID a string;
		// version 2 stores both as resource locators. Saved version-1 workflows keep working unchanged.
		const send = { ...weChatNode('Send V1', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'mpnews', articleMediaId: 'E2E_ARTICLE_MEDIA_ID' }), typeVersion: 1 };
		const before = wechat.accepted.length;
		const result = await runWorkflow(chain('sendToTagVersion1', [send]));
		expect(result.error).toBeUndefined();
		const sends = wechat.accepted.slice(before);
		expect(sends.map((accepted) => accepted.body)).toEqual([
			expect.objectContaining({ filter: { is_to_all: false, tag_id: 100 }, msgtype: 'mpnews', mpnews: { media_id: 'E2E_ARTICLE_MEDIA_ID' } }),
		]);
		expect(result.items['Send V1'][0].json).toMatchObject({ errcode: 0, msg_id: sends[0].msgId, duplicate: false });
	});

	test('Upload a thumbnail, upload articles with it, send them', async () => {
		const result = await runWorkflow(
			chain(
				'articles',
				[
					fileNode('Cover File', 'cover.jpg', 'not really a jpeg'),
					weChatNode('Upload Cover', { resource: 'media', operation: 'upload', mediaType: 'thumb', binaryPropertyName: 'data' }),
					weChatNode('Upload Articles', {
						resource: 'media',
						operation: 'uploadArticles',
						articles: { article: [{ title: 'E2E article', thumbMediaId: '={{ $json.thumb_media_id }}', content: '<p>Body</p>', author: 'n8n' }] },
					}),
					weChatNode('Send Articles', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'mpnews', articleMediaId: '={{ $json.media_id }}' }),
				],
				[{ content: 'cover bytes' }],
			),
		);
		expect(result.error).toBeUndefined();
		const thumbId = result.items['Upload Cover'][0].json.thumb_media_id as string;
		expect(wechat.media.get(thumbId)).toMatchObject({ type: 'thumb', fileName: 'cover.jpg' });
		expect(wechat.callsTo('/cgi-bin/media/uploadnews').at(-1)?.body).toEqual({
			articles: [expect.objectContaining({ title: 'E2E article', thumb_media_id: thumbId, content: '<p>Body</p>', author: 'n8n' })],
		});
		const articleId = result.items['Upload Articles'][0].json.media_id;
		expect(result.items['Send Articles'][0].json).toMatchObject({ errcode: 0, msg_data_id: expect.any(Number) });
		expect(wechat.accepted.at(-1)?.body).toMatchObject({ filter: { is_to_all: true }, mpnews: { media_id: articleId } });
	});

	test('Upload a video and turn it into a mass-send video', async () => {
		const result = await runWorkflow(
			chain(
				'video',
				[
					fileNode('Clip File', 'clip.mp4', 'not really a video'),
					// WeChat prepares mass-send videos from permanent material only.
					weChatNode('Upload Clip', { resource: 'media', operation: 'uploadPermanent', mediaType: 'video', binaryPropertyName: 'data', videoTitle: 'Opening day' }),
					weChatNode('Mass Video', { resource: 'media', operation: 'uploadVideo', videoMediaId: '={{ $json.media_id }}', title: 'Opening day', description: 'Our new store' }),
				],
				[{ content: 'clip bytes' }],
			),
		);
		expect(result.error).toBeUndefined();
		expect(result.items['Mass Video'][0].json).toMatchObject({ type: 'video', media_id: expect.any(String) });
		expect(wechat.callsTo('/cgi-bin/media/uploadvideo').at(-1)?.body).toEqual({
			media_id: result.items['Upload Clip'][0].json.media_id,
			title: 'Opening day',
			description: 'Our new store',
		});
	});

	test('Blog post → Draft: Create → Preview → Send to Tag (the example workflow)', async () => {
		// The blog's web server, as the sandbox serves it: the post's images (one over 1 MB with a smaller copy, one from a WebP-negotiating CDN) and its cover.
		const blog = await new FileServer(BLOG_IMAGES).start();
		try {
			const workflow = exampleWorkflow('blog-post-to-wechat-article.json', 'blogPostExample01', (text) => allowLocalBlog(text.replaceAll('https://blog.example.com', blog.baseUrl), blog.baseUrl));
			expect(workflow.nodes.filter((node) => node.type === 'n8n-nodes-wechat-mass.weChatMassMessage').map((node) => node.typeVersion)).toEqual([4, 3, 3]);
			const since = { calls: wechat.calls.length, previews: wechat.previews.length, accepted: wechat.accepted.length };
			const result = await runWorkflow(workflow);
			expect(result.error).toBeUndefined();

			const calls = wechat.apiCalls().filter((call) => wechat.calls.indexOf(call) >= since.calls);
			expect(calls.map((call) => call.path)).toEqual([
				'/cgi-bin/media/uploadimg',
				'/cgi-bin/media/uploadimg',
				'/cgi-bin/media/uploadimg',
				'/cgi-bin/material/add_material',
				'/cgi-bin/draft/add',
				'/cgi-bin/message/mass/preview',
				// Send to Tag checks the tag against the account's tags first.
				'/cgi-bin/tags/get',
				'/cgi-bin/message/mass/sendall',
			]);
			// Draft: Create downloads the cover (Cover Image URL) first, then the post's images: the team photo's 2 MB original
			// refused by its size, then its 1024w copy; the emoji never.
			expect(blog.requests).toEqual(['/images/cover.jpg', '/images/chart.png', '/images/team-2560.jpg', '/images/team.jpg', '/images/office.jpg']);

			const [chartUpload, teamUpload, officeUpload, coverUpload, draftAdd] = calls;
			const hostedUrls = [chartUpload, teamUpload, officeUpload].map((call) => (call.answer as { url: string }).url);
			for (const url of hostedUrls) expect(wechat.articleImageUrls.has(url)).toBe(true);
			expect(coverUpload.query.type).toBe('image');
			const cover = coverUpload.answer as { media_id: string; url: string };
			expect(wechat.media.get(cover.media_id)).toMatchObject({ type: 'image', lifetime: 'permanent', size: SAMPLE_JPEG.length, fileName: 'cover.jpg' });

			// What draft/add received: the content links only the images WeChat hosts, which WeChat keeps.
			const [article, ...more] = (draftAdd.body as { articles: Array<Record<string, unknown>> }).articles;
			expect(more).toEqual([]);
			const content = String(article.content);
			expect([...content.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/g)].map((match) => match[1])).toEqual(hostedUrls);
			expect(content).not.toContain(blog.baseUrl);
			expect(content).toContain('alt="Sign-ups by month"');
			expect(content).toContain('<p>Sign-ups grew every month 🎉</p>');
			expect(content).not.toMatch(/noscript|data-src|srcset/);
			expect(article).toMatchObject({
				title: 'Our first quarter in numbers',
				author: 'The Team',
				digest: 'Growth, new faces and what comes next.',
				content_source_url: `${blog.baseUrl}/posts/first-quarter`,
				thumb_media_id: cover.media_id,
			});
			const draftId = (draftAdd.answer as { media_id: string }).media_id;
			expect(draftId).toEqual(expect.any(String));

			expect(wechat.previews.slice(since.previews)).toEqual([{ towxname: 'editor_wechat_id', msgtype: 'mpnews', mpnews: { media_id: draftId } }]);
			const sends = wechat.accepted.slice(since.accepted);
			expect(sends).toHaveLength(1);
			expect(sends[0]).toMatchObject({
				endpoint: 'sendall',
				body: { filter: { is_to_all: false, tag_id: 100 }, msgtype: 'mpnews', mpnews: { media_id: draftId } },
			});
			// A mass-sent draft leaves the draft box.
			expect(wechat.drafts.has(draftId)).toBe(false);

			expect(result.items['Create Draft'].map((item) => item.json)).toEqual([
				{
					media_id: draftId,
					articleCount: 1,
					hostedImages: [
						{ article: 1, sourceUrl: blog.url('/images/chart.png'), url: hostedUrls[0] },
						{ article: 1, sourceUrl: blog.url('/images/team.jpg'), url: hostedUrls[1] },
						{ article: 1, sourceUrl: blog.url('/images/office.jpg'), url: hostedUrls[2] },
					],
					imagesLeftOut: [],
					uploadedCovers: [{ article: 1, media_id: cover.media_id, url: cover.url, sourceUrl: blog.url('/images/cover.jpg') }],
				},
			]);
			expect(result.items.Preview.map((item) => item.json)).toEqual([expect.objectContaining({ errcode: 0, msg_id: (calls[5].answer as { msg_id: number }).msg_id })]);
			expect(result.items['Send to Tag'].map((item) => item.json)).toEqual([
				expect.objectContaining({ errcode: 0, msg_id: sends[0].msgId, msg_data_id: sends[0].msgDataId, duplicate: false }),
			]);
		} finally {
			await blog.stop();
		}
	});

	test('a token revoked by another system is refreshed once, persisted, and reused', async () => {
		const workflow = chain('tokenRefresh', [weChatNode('Get Speed', { resource: 'speed', operation: 'get' })]);
		await runWorkflow(workflow);
		const before = wechat.tokenRequests().length;
		wechat.revokeAllTokens();
		const refreshed = await n8n.execute(workflow.id);
		expect(refreshed.error).toBeUndefined();
		expect(wechat.tokenRequests()).toHaveLength(before + 1);
		const again = await n8n.execute(workflow.id);
		expect(again.error).toBeUndefined();
		expect(wechat.tokenRequests()).toHaveLength(before + 1);
	});

	// The App ID and secret edited in the editor: n8n keeps the hidden stored token, as it does on save.
	test('an App ID changed to another account: the next call carries a token of the new account', async () => {
		const workflow = chain('otherAccount', [weChatNode('Get Speed', { resource: 'speed', operation: 'get' })]);
		await runWorkflow(workflow);
		const [stored] = (await n8n.exportCredentialsDecrypted()).filter((credential) => credential.id === WECHAT_CREDENTIAL.id);
		expect(stored.data.accessToken).toEqual(expect.any(String));
		wechat.addAccount('wxe2esecondaccount1', 'e2e-second-account-secret-000001');
		try {
			await n8n.importCredentials([{ ...stored, data: { ...stored.data, appId: 'wxe2esecondaccount1', appSecret: 'e2e-second-account-secret-000001' } }]);
			const before = wechat.calls.length;
			const result = await n8n.execute(workflow.id);
			expect(result.error).toBeUndefined();
			const calls = wechat.calls.slice(before);
			expect(calls.map((call) => [call.path, call.appId])).toEqual([
				['/cgi-bin/stable_token', 'wxe2esecondaccount1'],
				['/cgi-bin/message/mass/speed/get', 'wxe2esecondaccount1'],
			]);
			expect(calls[1].query.access_token).not.toBe(stored.data.accessToken);
		} finally {
			await n8n.importCredentials([stored]);
		}
	});

	test('a partly refused send re-run after the sheet gained followers: those not reached get it, nobody twice', async () => {
		// The rows come from a server the test changes between the runs, as a sheet changes; the workflow and
		// its static data (where the node remembers whom it reached) stay as n8n keeps them for CLI executions.
		const sheet: Record<string, { body: Buffer; contentType: string }> = {};
		const rowsServer = await new FileServer(sheet).start();
		const setRows = (ids: string[]) => (sheet['/rows.json'] = { body: Buffer.from(JSON.stringify(ids.map((openid) => ({ openid })))), contentType: 'application/json' });
		try {
			const list = Array.from({ length: 10001 }, (_, n) => openId(100000 + n));
			setRows(list);
			const workflow = chain('rerunChangedList', [
				rowsFromUrlNode('Sheet', rowsServer.url('/rows.json')),
				weChatNode('Send', { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'e2e changed list', options: { repeatWaitSeconds: 1, confirmWithinSeconds: 30 } }),
			]);
			await n8n.importWorkflow(workflow);
			const before = wechat.accepted.length;
			wechat.injectAnswerAt('/cgi-bin/message/mass/send', 2, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
			const failed = await n8n.execute(workflow.id);
			// n8n 1.x's CLI may print a failed run that large (10,001 items) so that only its text can be read: the errcode is in either.
			expect(failed.status).toBe('error');
			expect(`${failed.error?.message ?? ''} ${JSON.stringify(failed.error ?? {})}`).toMatch(/45009/);
			expect(wechat.accepted.length - before).toBe(1);

			const added = [openId(1), openId(999999), openId(500000)];
			setRows([...added, ...list]);
			const rerun = await n8n.execute(workflow.id);
			expect(rerun.error).toBeUndefined();
			const counts = new Map<string, number>();
			for (const send of wechat.accepted.slice(before)) for (const id of send.body.touser as string[]) counts.set(id, (counts.get(id) ?? 0) + 1);
			expect([...added, ...list].filter((id) => counts.get(id) !== 1)).toEqual([]);
			expect(rerun.items.Send[0].json).toMatchObject({ sent: false, duplicate: true, remembered: true, msg_id: wechat.accepted[before].msgId });
			expect(rerun.items.Send.slice(1).every((item) => item.json.sent === true)).toBe(true);
		} finally {
			await rowsServer.stop();
		}
	});

	test('a manual run from the editor to 5 followers, then the production run with 6: nobody twice, the 6 reported with the earlier msg_id', async () => {
		// n8n keeps no static data of a manual run; its deduplication store (processed_data) it writes at once.
		const sheet: Record<string, { body: Buffer; contentType: string }> = {};
		const rowsServer = await new FileServer(sheet).start();
		const setRows = (ids: string[]) => (sheet['/rows.json'] = { body: Buffer.from(JSON.stringify(ids.map((openid) => ({ openid })))), contentType: 'application/json' });
		const server = new N8nServer(n8n);
		try {
			const five = Array.from({ length: 5 }, (_, n) => openId(700000 + n));
			setRows(five);
			const workflow = chain('manualThenProduction', [
				rowsFromUrlNode('Sheet', rowsServer.url('/rows.json')),
				{ ...weChatNode('Send', { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'e2e manual then production', options: { repeatWaitSeconds: 1, confirmWithinSeconds: 30 } }), typeVersion: 4 },
			]);
			const before = wechat.accepted.length;
			await server.start(await freePort());
			let workflowId: string;
			let manual: Awaited<ReturnType<N8nServer['runManually']>>;
			try {
				workflowId = await server.createWorkflow(workflow);
				manual = await server.runManually(workflowId);
			} finally {
				await server.stop();
			}
			expect(manual.items.Send[0].json).toMatchObject({ sent: true, recipientCount: 5 });
			setRows([...five, openId(700005)]);
			await new Promise((resolve) => setTimeout(resolve, 600));
			const production = await n8n.execute(workflowId);
			expect(production.error).toBeUndefined();
			expect(wechat.accepted.length - before).toBe(1);
			const reached = wechat.accepted.slice(before).flatMap((send) => send.body.touser as string[]);
			expect(reached.sort()).toEqual(five);
			expect(production.items.Send).toEqual([expect.objectContaining({ json: expect.objectContaining({ sent: false, notSentCount: 6, msg_id: manual.items.Send[0].json.msg_id }) })]);
		} finally {
			await rowsServer.stop();
		}
	});

	test('Tag: Create → Follower: Add Tag → Send to Tag, without Execute Once: one send for the tagged followers, paired with each item', async () => {
		const v4 = (node: ReturnType<typeof weChatNode>) => ({ ...node, typeVersion: 4 });
		const followers = Array.from({ length: 3 }, (_, n) => openId(800000 + n));
		wechat.audience.addFollowers(followers);
		const before = wechat.accepted.length;
		const result = await runWorkflow(
			chain(
				'tagChain',
				[
					v4(weChatNode('Create Tag', { resource: 'tag', operation: 'create', name: 'e2e chain' })),
					v4(weChatNode('Add Tag', { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: "={{ $('Create Tag').first().json.tag.id }}" }, openIds: "={{ $('Split Rows').all().map((row) => row.json.openid) }}" })),
					v4(weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: { __rl: true, mode: 'id', value: '={{ $json.tagid }}' }, messageType: 'text', text: 'e2e tag chain' })),
				],
				followers.map((openid) => ({ openid })),
			),
		);
		expect(result.error).toBeUndefined();
		const sends = wechat.accepted.slice(before);
		expect(sends).toHaveLength(1);
		expect(result.items.Send).toHaveLength(1);
		expect(result.items.Send[0].json).toMatchObject({ sent: true, sendTo: 'tag', tagName: 'e2e chain', msg_id: sends[0].msgId });
		expect(result.items.Send[0].pairedItem).toEqual(result.items['Add Tag'].map((_, item) => ({ item })));
	});

	test('Retry On Fail: item 2 refused once, the retry sends it and reports item 1 as this execution\'s send', async () => {
		const send = {
			...weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: '={{ $json.tag }}', messageType: 'text', text: 'e2e retry on fail', options: { onRepeat: 'fail' } }),
			retryOnFail: true,
			maxTries: 2,
			waitBetweenTries: 0,
		};
		const before = wechat.accepted.length;
		wechat.injectAnswerAt('/cgi-bin/message/mass/sendall', 2, { errcode: 45028, errmsg: 'has no masssend quota' });
		const result = await runWorkflow(chain('retryOnFail', [send], [{ tag: 2 }, { tag: 100 }]));
		expect(result.error).toBeUndefined();
		const sends = wechat.accepted.slice(before);
		expect(sends.map((accepted) => (accepted.body.filter as { tag_id: number }).tag_id)).toEqual([2, 100]);
		expect(result.items.Send.map((item) => [item.json.sent, item.json.duplicate, item.json.sentInEarlierTry ?? false])).toEqual([
			[true, false, true],
			[true, false, false],
		]);
	});

	test('Tag and Follower: create a tag, tag 120 followers from rows (3 calls), list them, send to the tag, untag, delete', async () => {
		// WeChat's rules: "粉丝openid列表，最多50个" (api_batchtagging), "标签名（30个字符以内）" counted in bytes (45158), "一个公众号最多可以创建100个标签".
		const v3 = (node: ReturnType<typeof weChatNode>, settings: { executeOnce?: boolean } = {}) => ({ ...node, typeVersion: 3, ...settings });
		const created = await runWorkflow(chain('tagCreate', [v3(weChatNode('Create Tag', { resource: 'tag', operation: 'create', name: 'e2e 春季 VIP' }))]));
		expect(created.error).toBeUndefined();
		const tag = created.items['Create Tag'][0].json.tag as { id: number; name: string };
		expect(tag.name).toBe('e2e 春季 VIP');

		const followers = Array.from({ length: 120 }, (_, n) => openId(5000 + n));
		wechat.audience.addFollowers(followers);
		const tagRef = { __rl: true, mode: 'id', value: String(tag.id) };
		const everyRow = "={{ $('Split Rows').all().map((row) => row.json.openid) }}";
		const before = wechat.calls.length;
		const result = await runWorkflow(
			chain(
				'tagLifecycle',
				[
					v3(weChatNode('Add Tag', { resource: 'follower', operation: 'addTag', tagId: tagRef, openIds: '={{ $json.openid }}' })),
					v3(weChatNode('List Tag', { resource: 'follower', operation: 'getAllInTag', tagId: tagRef, returnAll: true }), { executeOnce: true }),
					v3(weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: tagRef, messageType: 'text', text: 'e2e tag send' }), { executeOnce: true }),
					v3(weChatNode('Remove Tag', { resource: 'follower', operation: 'removeTag', tagId: tagRef, openIds: everyRow }), { executeOnce: true }),
					v3(weChatNode('Delete Tag', { resource: 'tag', operation: 'delete', tagId: tagRef }), { executeOnce: true }),
				],
				followers.map((openid, n) => ({ name: `Follower ${n}`, openid })),
			),
		);
		expect(result.error).toBeUndefined();
		const calls = wechat.calls.slice(before);
		expect(calls.filter((call) => call.path === '/cgi-bin/tags/members/batchtagging').map((call) => (call.body as { openid_list: string[] }).openid_list.length)).toEqual([40, 40, 40]);
		expect(result.items['Add Tag']).toHaveLength(120);
		expect(result.items['Add Tag'][119].json).toEqual({ tagid: tag.id, openid_list: [followers[119]], calls: [{ call: 3, openidCount: 40 }] });
		expect(result.items['List Tag'].map((item) => item.json.openid)).toEqual(followers);
		const [send] = wechat.accepted.filter((accepted) => (accepted.body.text as { content?: string } | undefined)?.content === 'e2e tag send');
		expect(send).toMatchObject({ body: { filter: { is_to_all: false, tag_id: tag.id } }, recipients: 120 });
		expect(calls.filter((call) => call.path === '/cgi-bin/tags/members/batchuntagging').map((call) => (call.body as { openid_list: string[] }).openid_list.length)).toEqual([40, 40, 40]);
		expect(result.items['Delete Tag'].map((item) => item.json)).toEqual([{ errcode: 0, errmsg: 'ok', tag: { id: tag.id } }]);
		expect(wechat.tags.some((known) => known.id === tag.id)).toBe(false);
	});

	test('Tag: Create refuses a name over 30 bytes, and a 101st tag (WeChat\'s 45056), before WeChat', async () => {
		const tooLong = await runWorkflow(chain('tagTooLong', [{ ...weChatNode('Create Tag', { resource: 'tag', operation: 'create', name: '一二三四五六七八九十一' }), typeVersion: 3 }]));
		expect(tooLong.status).toBe('error');
		expect(tooLong.error?.message).toBe('Item 1, "Name": "一二三四五六七八九十一" is 33 bytes; WeChat takes tag names of at most 30 bytes of UTF-8 (a Chinese character is 3 bytes, so 10 of them)');
		const created = wechat.tags.filter((known) => known.id > 2).length;
		for (let n = created; n < 100; n++) wechat.tags.push({ id: 1000 + n, name: `e2e filler ${n}`, count: 0 });
		const tooMany = await runWorkflow(chain('tagTooMany', [{ ...weChatNode('Create Tag', { resource: 'tag', operation: 'create', name: 'e2e 101st' }), typeVersion: 3 }]));
		expect(tooMany.status).toBe('error');
		expect(tooMany.error?.message).toBe('Item 1, "Name": the account has 100 tags; WeChat allows 100 (45056). Delete tags that are no longer used first');
		expect(wechat.tags.some((known) => known.name === 'e2e 101st')).toBe(false);
		wechat.tags.splice(0, wechat.tags.length, ...wechat.tags.filter((known) => !known.name.startsWith('e2e filler')));
	});

	test('Draft: Create → Publish → wait until published → Published Article: Get Many lists it; Get Article Stats reads its msg_data_id', async () => {
		// freepublish/submit and freepublish/get (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit, api_freepublish_get);
		// datacube/getarticleread: "msgid … 由msgid(…群发/发布接口调用后返回的msg_data_id)和index组成".
		wechat.registerMedia('E2E_COVER_IMAGE', 'image');
		const v3 = (node: ReturnType<typeof weChatNode>) => ({ ...node, typeVersion: 3 });
		const result = await runWorkflow(
			chain('publishFlow', [
				v3(weChatNode('Create Draft', { resource: 'draft', operation: 'create', articles: { article: [{ title: 'e2e publish', content: '<p>Published without a push</p>', coverMediaId: 'E2E_COVER_IMAGE' }] }, options: {} })),
				v3(weChatNode('Publish', { resource: 'draft', operation: 'publish', draftMediaId: { __rl: true, mode: 'id', value: '={{ $json.media_id }}' }, pollIntervalSeconds: 1 })),
				v3(weChatNode('Published', { resource: 'publishedArticle', operation: 'getAll', returnAll: true, includeContent: false })),
			]),
		);
		expect(result.error).toBeUndefined();
		const published = result.items.Publish[0].json;
		expect(published).toMatchObject({ errcode: 0, publish_status: 0, publishStatusMeaning: 'published', finished: true, article_id: expect.any(String), msg_data_id: expect.any(String) });
		expect(result.items.Published.map((item) => item.json.article_id)).toContain(published.article_id);

		const yesterday = new Date(Date.now() + 8 * 3600 * 1000 - 24 * 3600 * 1000).toISOString().slice(0, 10);
		wechat.articleStats.set(`${String(published.msg_data_id)}_1`, yesterday, { read: { read_user: 321 }, share: { share_user: 12 } });
		const stats = await runWorkflow(chain('articleStats', [v3(weChatNode('Stats', { resource: 'massMessage', operation: 'getArticleStats', msgDataId: String(published.msg_data_id) }))]));
		expect(stats.error).toBeUndefined();
		expect(stats.items.Stats.map((item) => item.json)).toEqual([
			{ msgid: `${String(published.msg_data_id)}_1`, msg_data_id: String(published.msg_data_id), article_index: 1, ref_date: yesterday, read: { read_user: 321 }, share: { share_user: 12 }, is_delay: false },
		]);
	});

	test('a WeChat error fails the node with its explained message', async () => {
		wechat.injectAnswer('/cgi-bin/message/mass/speed/set', { errcode: 48001, errmsg: 'api unauthorized' });
		const result = await runWorkflow(chain('speedError', [weChatNode('Set Speed', { resource: 'speed', operation: 'set', speed: 1 })]));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('WeChat error 48001: api unauthorized');
		expect(result.error?.description).toContain('verified');
		expect(result.raw).not.toContain(wechat.appSecret);
	});

	test('every example workflow imports', async () => {
		const examples = readdirSync(join(__dirname, '../../examples')).filter((file) => file.endsWith('.json'));
		expect(examples.length).toBeGreaterThanOrEqual(3);
		for (const [index, file] of examples.entries()) {
			const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as Omit<Workflow, 'id'>;
			await n8n.importWorkflow({ ...workflow, id: `example${index}0000000` });
		}
	});

	describe('the trigger, through n8n\'s webhook server', () => {
		let server: N8nServer | undefined;
		let port: number;
		let storedWeChatCredential: { id: string; name: string; type: string; data: Record<string, unknown> };
		let msgId: number;
		const webhookId = '3f1e7a52-0c9d-4b6e-8a21-e2e000000001';
		const publishWebhookId = '3f1e7a52-0c9d-4b6e-8a21-e2e000000002';
		const followWebhookId = '3f1e7a52-0c9d-4b6e-8a21-e2e000000003';

		beforeAll(async () => {
			// The started workflow looks the finished send up, so the fake server sees that it ran.
			const trigger = {
				id: 'node-trigger',
				name: 'Mass Send Finished',
				type: 'n8n-nodes-wechat-mass.weChatMassMessageTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				webhookId,
				// Max Message Age stays at its default (300 s): replay protection on.
				parameters: { events: 'massSendJobFinish' },
				credentials: { weChatCallbackApi: CALLBACK_CREDENTIAL },
			};
			const lookUp = weChatNode('Look Up', { resource: 'massMessage', operation: 'getStatus', messageId: '={{ $json.msgId }}' });
			lookUp.position = [220, 0];
			const workflow: Workflow = {
				id: 'triggerFinished01',
				name: 'e2e trigger',
				active: false,
				nodes: [trigger, lookUp],
				connections: { 'Mass Send Finished': { main: [[{ node: 'Look Up', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			};
			await n8n.importWorkflow(workflow);
			await n8n.activate(workflow.id);
			// A second trigger, for Publish Finished only, whose workflow looks the publish up.
			const publishTrigger = { ...trigger, id: 'node-publish-trigger', name: 'Publish Finished', webhookId: publishWebhookId, parameters: { events: 'publishJobFinish' } };
			const lookUpPublish = { ...weChatNode('Look Up Publish', { resource: 'publishedArticle', operation: 'getPublishStatus', publishId: '={{ $json.publishId }}' }), typeVersion: 3, position: [220, 0] as [number, number] };
			const publishWorkflow: Workflow = {
				id: 'triggerPublished1',
				name: 'e2e publish trigger',
				active: false,
				nodes: [publishTrigger, lookUpPublish],
				connections: { 'Publish Finished': { main: [[{ node: 'Look Up Publish', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			};
			await n8n.importWorkflow(publishWorkflow);
			await n8n.activate(publishWorkflow.id);
			// A third, for Follower Subscribed, whose workflow tags the new follower with tag 100.
			const followTrigger = { ...trigger, id: 'node-follow-trigger', name: 'Follower Subscribed', webhookId: followWebhookId, parameters: { events: 'subscribe' } };
			const tagFollower = {
				...weChatNode('Tag Follower', { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: '100' }, openIds: '={{ $json.openid }}' }),
				typeVersion: 4,
				position: [220, 0] as [number, number],
			};
			const followWorkflow: Workflow = {
				id: 'triggerFollowed01',
				name: 'e2e follow trigger',
				active: false,
				nodes: [followTrigger, tagFollower],
				connections: { 'Follower Subscribed': { main: [[{ node: 'Tag Follower', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			};
			await n8n.importWorkflow(followWorkflow);
			await n8n.activate(followWorkflow.id);
			// A send for the event to report; made before the server starts, since the CLI and the server share ports.
			const sent = await runWorkflow(chain('sendForTrigger', [weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'for trigger' })]));
			msgId = sent.items.Send[0].json.msg_id as number;
			[storedWeChatCredential] = (await n8n.exportCredentialsDecrypted()).filter((credential) => credential.id === WECHAT_CREDENTIAL.id);
			port = await freePort();
			server = await new N8nServer(n8n).start(port);
			// n8n answers its health check before it has registered the published workflows' webhooks.
			const deadline = Date.now() + 60000;
			while ((await fetch(url({})).then((response) => response.status)) === 404 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		});
		afterAll(async () => {
			await server?.stop();
		});

		const url = (query: Record<string, string>) => `http://127.0.0.1:${port}/webhook/${webhookId}/webhook?${new URLSearchParams(query)}`;

		// The editor's Test sends the form's fields; n8n fills in the stored token (a hidden field) itself.
		test('credential Test: a wrong secret saved over a working credential fails with 40125\'s explanation', async () => {
			expect(storedWeChatCredential.data.accessToken).toEqual(expect.any(String));
			const good = await server!.testCredential(storedWeChatCredential);
			expect(good.status).toBe('OK');
			const wrong = await server!.testCredential({ ...storedWeChatCredential, data: { ...storedWeChatCredential.data, appSecret: 'a-wrong-secret' } });
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toContain('errcode 40125');
			expect(wrong.message).toContain('The App Secret is not valid');
		});

		test('answers WeChat\'s URL check with the echostr', async () => {
			const response = await fetch(url(urlVerificationRequest(callbackAccount, 'e2e-echo-123').query));
			expect(response.status).toBe(200);
			expect(await response.text()).toBe('e2e-echo-123');
		});

		test('a signed, encrypted MASSSENDJOBFINISH starts the workflow', async () => {
			const xml =
				`<xml><ToUserName><![CDATA[${callbackAccount.originalId}]]></ToUserName><FromUserName><![CDATA[oWeChatSystem000000000000000]]></FromUserName>` +
				`<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>` +
				`<MsgID>${msgId}</MsgID><Status><![CDATA[send success]]></Status><TotalCount>100</TotalCount><FilterCount>90</FilterCount>` +
				'<SentCount>88</SentCount><ErrorCount>2</ErrorCount></xml>';
			const request = safeRequest(callbackAccount, xml);
			const before = wechat.callsTo('/cgi-bin/message/mass/get').length;
			const response = await fetch(url(request.query), { method: 'POST', body: request.body, headers: { 'Content-Type': 'text/xml' } });
			expect(response.status).toBe(200);
			expect(await response.text()).toBe('success');
			const deadline = Date.now() + 30000;
			while (wechat.callsTo('/cgi-bin/message/mass/get').length === before && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(wechat.callsTo('/cgi-bin/message/mass/get').slice(before).map((call) => call.body)).toEqual([{ msg_id: msgId }]);

			// The same request replayed, and WeChat's retry of the event (freshly signed), start nothing: n8n
			// keeps what the trigger has seen in the workflow's static data between requests.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const retry = safeRequest(callbackAccount, xml);
			for (const again of [request, retry]) {
				const answer = await fetch(url(again.query), { method: 'POST', body: again.body, headers: { 'Content-Type': 'text/xml' } });
				expect([answer.status, await answer.text()]).toEqual([200, 'success']);
			}
			await new Promise((resolve) => setTimeout(resolve, 3000));
			expect(wechat.callsTo('/cgi-bin/message/mass/get').slice(before)).toHaveLength(1);
		});

		test('a signed PUBLISHJOBFINISH starts the Publish Finished workflow once, with its typed fields', async () => {
			// The event of "发布结果事件推送" (api_freepublish_submit): PublishEventInfo with publish_id, publish_status, article_id, article_detail.
			wechat.drafts.set('E2E_PUBLISH_DRAFT', { mediaId: 'E2E_PUBLISH_DRAFT', articles: [{ title: 'e2e event', author: '', digest: '', content: '<p>x</p>', content_source_url: '', thumb_media_id: 'T', show_cover_pic: 0, need_open_comment: 0, only_fans_can_comment: 0, url: '' }], updateTime: 1 });
			const submitted = wechat.publisher.submit({ media_id: 'E2E_PUBLISH_DRAFT' }) as { publish_id: string };
			const xml =
				`<xml><ToUserName><![CDATA[${callbackAccount.originalId}]]></ToUserName><FromUserName><![CDATA[oWeChatSystem000000000000000]]></FromUserName>` +
				`<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>` +
				`<PublishEventInfo><publish_id>${submitted.publish_id}</publish_id><publish_status>0</publish_status><article_id><![CDATA[E2E_ARTICLE]]></article_id>` +
				'<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s?e2e=1]]></article_url></item></article_detail></PublishEventInfo></xml>';
			const publishUrl = (query: Record<string, string>) => `http://127.0.0.1:${port}/webhook/${publishWebhookId}/webhook?${new URLSearchParams(query)}`;
			const before = wechat.callsTo('/cgi-bin/freepublish/get').length;
			for (const request of [safeRequest(callbackAccount, xml), safeRequest(callbackAccount, xml)]) {
				const response = await fetch(publishUrl(request.query), { method: 'POST', body: request.body, headers: { 'Content-Type': 'text/xml' } });
				expect([response.status, await response.text()]).toEqual([200, 'success']);
				await new Promise((resolve) => setTimeout(resolve, 1500));
			}
			const deadline = Date.now() + 30000;
			while (wechat.callsTo('/cgi-bin/freepublish/get').length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
			await new Promise((resolve) => setTimeout(resolve, 2000));
			expect(wechat.callsTo('/cgi-bin/freepublish/get').slice(before).map((call) => call.body)).toEqual([{ publish_id: submitted.publish_id }]);
		});

		test('a follow through a QR code, pushed by the fake WeChat signed and encrypted, starts the workflow once and tags the follower', async () => {
			// qrcode/create (api_createqrcode) as QR Code > Create asks it; the scan by someone new follows the account and
			// pushes subscribe with EventKey qrscene_<scene> and the Ticket (see test/fake-wechat/qrcodes.ts and push.ts).
			const { ticket } = wechat.qrCodes.create({ expire_seconds: 2592000, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'e2e-poster' } } }) as { ticket: string };
			const followUrl = `http://127.0.0.1:${port}/webhook/${followWebhookId}/webhook`;
			wechat.push.setTargets([{ url: followUrl, token: callbackAccount.token, encodingAesKey: callbackAccount.encodingAesKey, mode: 'safe', originalId: callbackAccount.originalId }]);
			const before = wechat.callsTo('/cgi-bin/tags/members/batchtagging').length;
			const { openid, event } = wechat.qrCodes.scan(ticket);
			expect(event).toBe('subscribe');
			await wechat.push.settled();
			const [delivery] = wechat.push.deliveries.filter((entry) => entry.url === followUrl);
			expect(delivery).toMatchObject({ event: 'subscribe', outcome: 'accepted' });
			const deadline = Date.now() + 30000;
			while (wechat.callsTo('/cgi-bin/tags/members/batchtagging').length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
			expect(wechat.callsTo('/cgi-bin/tags/members/batchtagging').slice(before).map((call) => call.body)).toEqual([{ openid_list: [openid], tagid: 100 }]);
			expect(wechat.audience.tagIdsOf(openid)).toEqual([100]);

			// WeChat's retry of the same event (the same request again) starts nothing.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const again = new URL(followUrl);
			for (const [name, value] of Object.entries(delivery.request.query)) again.searchParams.set(name, value);
			const retry = await fetch(again, { method: 'POST', body: delivery.request.body, headers: { 'Content-Type': 'text/xml' } });
			expect([retry.status, await retry.text()]).toEqual([200, 'success']);
			await new Promise((resolve) => setTimeout(resolve, 3000));
			expect(wechat.callsTo('/cgi-bin/tags/members/batchtagging').slice(before)).toHaveLength(1);
			wechat.push.setTargets([]);
		});

		test('a request signed long ago is refused', async () => {
			const request = safeRequest(callbackAccount, '<xml><MsgType>event</MsgType><Event>MASSSENDJOBFINISH</Event><MsgID>1</MsgID></xml>', { timestamp: '1409304348' });
			const response = await fetch(url(request.query), { method: 'POST', body: request.body, headers: { 'Content-Type': 'text/xml' } });
			expect([response.status, await response.text()]).toEqual([403, 'timestamp outside the accepted window']);
		});

		test('a forged request is refused and starts nothing', async () => {
			const request = safeRequest({ ...callbackAccount, token: 'not-the-token' }, '<xml><MsgType>event</MsgType><Event>MASSSENDJOBFINISH</Event></xml>');
			const before = wechat.calls.length;
			const response = await fetch(url(request.query), { method: 'POST', body: request.body, headers: { 'Content-Type': 'text/xml' } });
			expect(response.status).toBe(403);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(wechat.calls.length).toBe(before);
		});
	});
});
