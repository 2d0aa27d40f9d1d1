// Every workflow of examples/ as the sandbox offers it (scripts/sandbox.ts: its credentials, the media
// the fake WeChat API knows, the blog's images, a mail server), imported into a real n8n and run the
// way the editor's "Execute workflow" runs it: with its pinned data, against the fake WeChat API.
// One n8n server for all examples. Runs once per n8n version (see scripts/e2e.sh).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	BLOG_IMAGES,
	prepareSandboxWeChat,
	examplesWithCredentials,
	fakeWeChatCredentialData,
	sandboxCredentials,
	CREDENTIAL,
	SANDBOX_DRAFTS,
	type SandboxWorkflow,
} from '../../scripts/sandbox';
import { parseXml } from '../../nodes/WeChatMassMessageTrigger/callbackXml';
import { toMassSendJobFinishOutput } from '../../nodes/WeChatMassMessageTrigger/massSendJobFinish';
import { FakeWeChatServer } from '../fake-wechat/server';
import { MASS_NODE_TYPE } from '../harness/workflow';
import { FileServer } from '../helpers/fileServer';
import { SmtpSink } from '../helpers/smtpSink';
import { N8nCli, installCommunityPackage } from './n8nCli';
import { N8nServer, freePort, type ManualExecution, type WorkflowJson } from './n8nServer';
import { assertE2eRuntime, runtime, tarball } from './runtime';

/**
 * The callback WeChat posts when a mass send finishes, as in its documentation of MASSSENDJOBFINISH
 * (an article send to tag 100 that missed 9 followers): what notify-on-finished-send.json pins.
 */
const FINISHED_SEND_XML =
	'<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[mphelper]]></FromUserName>' +
	'<CreateTime>1775207547</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>' +
	'<MsgID>1000001625</MsgID><Status><![CDATA[send success]]></Status><TotalCount>3456</TotalCount><FilterCount>3449</FilterCount>' +
	'<SentCount>3440</SentCount><ErrorCount>9</ErrorCount>' +
	'<CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>1</CheckState></CopyrightCheckResult>' +
	'<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx>' +
	'<ArticleUrl><![CDATA[https://mp.weixin.qq.com/s?__biz=MzI0NjQ2NjA0Mw==&mid=2247483649&idx=1&sn=4f7d1c2b8e9a0d3c6b5a4e7f8d9c0b1a]]></ArticleUrl>' +
	'</item></ResultList></ArticleUrlResult></xml>';

describe(`the examples in n8n ${runtime.version}, as the sandbox opens them`, () => {
	let wechat: FakeWeChatServer;
	let blog: FileServer;
	let mail: SmtpSink;
	let n8n: N8nServer;
	const examples = new Map<string, SandboxWorkflow>();

	beforeAll(async () => {
		assertE2eRuntime();
		wechat = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 5000 }).start();
		prepareSandboxWeChat(wechat);
		blog = await new FileServer(BLOG_IMAGES).start();
		mail = await new SmtpSink().start();
		const userFolder = mkdtempSync(join(tmpdir(), `n8n-examples-${runtime.version}-`));
		await installCommunityPackage(userFolder, tarball);
		const cli = new N8nCli(runtime, userFolder, await freePort());
		await cli.importCredentials(sandboxCredentials(fakeWeChatCredentialData(wechat), mail));
		for (const { file, workflow } of examplesWithCredentials(blog.baseUrl)) {
			await cli.importWorkflow(workflow);
			examples.set(file, workflow);
		}
		n8n = new N8nServer(cli);
		await n8n.start();
	});
	afterAll(async () => {
		await n8n?.stop();
		await Promise.all([wechat?.stop(), blog?.stop(), mail?.stop()]);
	});

	function example(file: string): SandboxWorkflow {
		const workflow = examples.get(file);
		if (!workflow) throw new Error(`no example ${file}`);
		return workflow;
	}

	/** Runs an example as "Execute workflow" does, and returns the run with what the fake WeChat API received meanwhile. */
	async function run(file: string): Promise<{ execution: ManualExecution; calls: FakeWeChatServer['calls']; accepted: FakeWeChatServer['accepted'] }> {
		const since = { calls: wechat.calls.length, accepted: wechat.accepted.length };
		const execution = await n8n.runManually(example(file).id);
		expect({ status: execution.status, error: execution.error }).toEqual({ status: 'success', error: undefined });
		return { execution, calls: wechat.apiCalls().filter((call) => wechat.calls.indexOf(call) >= since.calls), accepted: wechat.accepted.slice(since.accepted) };
	}

	test('each example opens with its pinned data where its source needs an account', async () => {
		expect(readdirSync(join(__dirname, '../../examples')).filter((file) => file.endsWith('.json'))).toEqual([...examples.keys()]);
		const pinned: Record<string, string[]> = {};
		for (const [file, workflow] of examples) {
			// What the editor loads when it opens the workflow.
			const saved = await n8n.request<WorkflowJson>('GET', `/rest/workflows/${workflow.id}`);
			expect(saved.pinData ?? {}).toEqual(workflow.pinData ?? {});
			pinned[file] = Object.keys(saved.pinData ?? {});
		}
		expect(pinned).toEqual({
			// Its source is WeChat's statistics; its last node, which writes to a sheet, is pinned.
			'article-stats-to-sheet.json': ['Append to Stats Sheet'],
			// Its post is a Set node standing in for the blog: nothing to sign in to.
			'blog-post-to-wechat-article.json': [],
			'crm-customer-vip-to-tag.json': ['Customer Became VIP'],
			'crm-webhook-to-tag.json': ['Campaign Approved'],
			'notify-on-finished-send.json': ['Mass Send Finished'],
			'qr-code-follow-to-campaign-tag.json': ['Followed or Scanned'],
			'sheet-rows-to-openids.json': ['Followers Sheet'],
			'sheet-rows-to-tag.json': ['Followers Sheet'],
			'unsubscribed-follower-to-crm.json': ['Follower Unsubscribed'],
		});
	});

	test("the sandbox's WeChat credential passes n8n's credential Test", async () => {
		const result = await n8n.testCredential({ ...CREDENTIAL, type: 'weChatOfficialAccountApi', data: fakeWeChatCredentialData(wechat) });
		expect(result.status).toBe('OK');
	});

	test('sheet-rows-to-openids: the pinned rows become one Send to OpenIDs', async () => {
		const rows = example('sheet-rows-to-openids.json').pinData!['Followers Sheet'].map((item) => item.json);
		const { execution, accepted } = await run('sheet-rows-to-openids.json');
		expect(execution.ranNodes).toEqual(['Start', 'Followers Sheet', 'Send Article to Sheet OpenIDs']);
		expect(execution.items['Followers Sheet'].map((item) => item.json)).toEqual(rows);

		expect(accepted).toHaveLength(1);
		const [send] = accepted;
		expect(send.endpoint).toBe('send');
		expect([...(send.body.touser as string[])].sort()).toEqual(rows.map((row) => row.openid as string).sort());
		// The date-based Client Message ID keys the send; the call's clientmsgid is derived from it and the call's recipients.
		expect(send.body).toMatchObject({ msgtype: 'mpnews', mpnews: { media_id: 'YOUR_ARTICLE_MEDIA_ID' }, clientmsgid: expect.stringMatching(/^[\w-]{32}$/) });
		expect(execution.items['Send Article to Sheet OpenIDs'].map((item) => item.json)).toEqual([
			expect.objectContaining({ errcode: 0, msg_id: send.msgId, msg_data_id: send.msgDataId, recipientCount: rows.length }),
		]);
	});

	test('crm-webhook-to-tag: the pinned CRM request sends its campaign to its tag and waits until WeChat has finished', async () => {
		const [request] = example('crm-webhook-to-tag.json').pinData!['Campaign Approved'].map((item) => item.json);
		const body = request.body as { campaignId: string; tagId: number; articleMediaId: string };
		const { execution, calls, accepted } = await run('crm-webhook-to-tag.json');
		expect(execution.ranNodes).toEqual(['Campaign Approved', 'Send to Tag', 'Wait Until Finished']);
		expect(execution.items['Campaign Approved'].map((item) => item.json)).toEqual([request]);

		expect(accepted).toHaveLength(1);
		const [send] = accepted;
		expect(send).toMatchObject({
			endpoint: 'sendall',
			clientMsgId: body.campaignId,
			body: { filter: { is_to_all: false, tag_id: body.tagId }, msgtype: 'mpnews', mpnews: { media_id: body.articleMediaId } },
		});
		expect(calls.filter((call) => call.path === '/cgi-bin/message/mass/get').map((call) => call.body)).toEqual([{ msg_id: send.msgId }]);
		expect(execution.items['Send to Tag'].map((item) => item.json)).toEqual([expect.objectContaining({ errcode: 0, msg_id: send.msgId, duplicate: false })]);
		expect(execution.items['Wait Until Finished'].map((item) => item.json)).toEqual([{ msg_id: send.msgId, msg_status: 'SEND_SUCCESS', finished: true }]);
	});

	test('crm-customer-vip-to-tag: the pinned CRM request tags its follower VIP, and a campaign to that tag then reaches them', async () => {
		const [request] = example('crm-customer-vip-to-tag.json').pinData!['Customer Became VIP'].map((item) => item.json);
		const { openid } = request.body as { openid: string };
		const { execution, calls } = await run('crm-customer-vip-to-tag.json');
		expect(execution.ranNodes).toEqual(['Customer Became VIP', 'Tag as VIP']);
		// Add Tag checks the tag against the account's tags before tagging.
		expect(calls.map((call) => [call.path, call.body])).toEqual([
			['/cgi-bin/tags/get', undefined],
			['/cgi-bin/tags/members/batchtagging', { openid_list: [openid], tagid: 100 }],
		]);
		expect(execution.items['Tag as VIP'].map((item) => item.json)).toEqual([{ tagid: 100, openid_list: [openid], calls: [{ call: 1, openidCount: 1 }] }]);
		expect(wechat.audience.tagIdsOf(openid)).toEqual([100]);
		// Running it again (the CRM posting twice) changes nothing.
		await run('crm-customer-vip-to-tag.json');
		expect(wechat.audience.membersOf(100).filter((member) => member === openid)).toHaveLength(1);
	});

	test('sheet-rows-to-tag: the campaign tag is made once and the pinned rows tagged with it, also when run again', async () => {
		const rows = example('sheet-rows-to-tag.json').pinData!['Followers Sheet'].map((item) => item.json.openid as string);
		const first = await run('sheet-rows-to-tag.json');
		expect(first.execution.ranNodes).toEqual(['Start', 'Campaign Tag', 'Followers Sheet', 'Tag Sheet Followers']);
		const tag = first.execution.items['Campaign Tag'][0].json.tag as { id: number; name: string };
		expect(tag.name).toBe('Spring 2026');
		expect(first.calls.filter((call) => call.path === '/cgi-bin/tags/members/batchtagging').map((call) => call.body)).toEqual([{ openid_list: rows, tagid: tag.id }]);
		expect(wechat.audience.membersOf(tag.id)).toEqual(rows);
		const second = await run('sheet-rows-to-tag.json');
		expect(second.execution.items['Campaign Tag'].map((item) => item.json)).toEqual([{ tag, existing: true }]);
		expect(wechat.tags.filter((known) => known.name === 'Spring 2026')).toHaveLength(1);
		expect(wechat.audience.membersOf(tag.id)).toEqual(rows);
	});

	test('article-stats-to-sheet: yesterday\'s reads and shares of the campaign\'s send become one row per article', async () => {
		// datacube/getarticleread and getarticleshare (https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getarticleread).
		const yesterday = new Date(Date.now() + 8 * 3600 * 1000 - 24 * 3600 * 1000).toISOString().slice(0, 10);
		const { execution, calls } = await run('article-stats-to-sheet.json');
		expect(execution.ranNodes).toEqual(['Every Morning', 'Campaign Sends', 'Get Article Stats', 'Stats Row', 'Append to Stats Sheet']);
		expect(calls.map((call) => [call.path, call.body])).toEqual([
			['/datacube/getarticleread', { begin_date: yesterday, end_date: yesterday }],
			['/datacube/getarticleshare', { begin_date: yesterday, end_date: yesterday }],
		]);
		expect(execution.items['Stats Row'].map((item) => item.json)).toEqual([
			{ date: yesterday, campaign: 'spring-2026', article: 1, readers: 4123, sharers: 210, final: true },
			{ date: yesterday, campaign: 'spring-2026', article: 2, readers: 800, sharers: 0, final: true },
		]);
	});

	test('notify-on-finished-send: the pinned event is what the trigger outputs for such a callback', () => {
		const parsed = parseXml(FINISHED_SEND_XML);
		if (!parsed.ok) throw new Error(parsed.reason);
		expect(example('notify-on-finished-send.json').pinData!['Mass Send Finished']).toEqual([{ json: toMassSendJobFinishOutput(parsed.root) }]);
	});

	test('notify-on-finished-send: the pinned event with failures emails the team', async () => {
		const [event] = example('notify-on-finished-send.json').pinData!['Mass Send Finished'].map((item) => item.json);
		const before = mail.received.length;
		const { execution, calls } = await run('notify-on-finished-send.json');
		expect(execution.ranNodes).toEqual(['Mass Send Finished', 'Any Failures?', 'Alert the Team']);
		expect(execution.outputs['Any Failures?']).toEqual([[expect.objectContaining({ json: event })], []]);
		// The event carries the counts: nothing is asked of WeChat.
		expect(calls).toEqual([]);

		const emails = mail.received.slice(before);
		expect(emails).toHaveLength(1);
		const [email] = emails;
		expect({ from: email.from, to: email.to, subject: email.subject }).toEqual({
			from: 'n8n@example.com',
			to: ['wechat-team@example.com'],
			subject: '9 followers did not receive WeChat mass send 1000001625',
		});
		expect(email.text).toContain(
			'WeChat finished mass send 1000001625 for account gh_7f083739789a at 2026-04-03T09:12:27.000Z.\n\n' +
				'Status: success\nFollowers targeted: 3456\nAfter filtering: 3449\nSent: 3440\nFailed: 9\n\n' +
				'Articles:\n1. https://mp.weixin.qq.com/s?__biz=MzI0NjQ2NjA0Mw==&mid=2247483649&idx=1&sn=4f7d1c2b8e9a0d3c6b5a4e7f8d9c0b1a',
		);
	});

	test('qr-code-follow-to-campaign-tag: the pinned follow through a campaign code tags the follower with the campaign\'s tag and hands the CRM their source', async () => {
		const [event] = example('qr-code-follow-to-campaign-tag.json').pinData!['Followed or Scanned'].map((item) => item.json);
		const openid = event.openid as string;
		const first = await run('qr-code-follow-to-campaign-tag.json');
		expect(first.execution.ranNodes).toEqual(['Followed or Scanned', 'Came Through a QR Code?', 'Campaign Tag', 'Tag the Follower', 'Send to CRM']);
		const tag = first.execution.items['Campaign Tag'][0].json.tag as { id: number; name: string };
		expect(tag.name).toBe('QR spring-2026-poster');
		expect(first.calls.filter((call) => call.path === '/cgi-bin/tags/members/batchtagging').map((call) => call.body)).toEqual([{ openid_list: [openid], tagid: tag.id }]);
		expect(wechat.audience.tagIdsOf(openid)).toContain(tag.id);
		expect(first.execution.items['Send to CRM'].map((item) => item.json)).toEqual([
			{ openid, source: 'WeChat QR code', campaign: 'spring-2026-poster', newFollower: true, at: '2026-04-20T10:05:12+08:00', wechatTag: 'QR spring-2026-poster' },
		]);
		// Run again (WeChat's event once more, or a second scan): the same tag, the follower tagged once.
		const second = await run('qr-code-follow-to-campaign-tag.json');
		expect(second.execution.items['Campaign Tag'].map((item) => item.json)).toEqual([{ tag, existing: true }]);
		expect(wechat.audience.membersOf(tag.id)).toEqual([openid]);
	});

	test('unsubscribed-follower-to-crm: the pinned unfollow becomes the CRM\'s record to erase, asking nothing of WeChat', async () => {
		const [event] = example('unsubscribed-follower-to-crm.json').pinData!['Follower Unsubscribed'].map((item) => item.json);
		const { execution, calls } = await run('unsubscribed-follower-to-crm.json');
		expect(execution.ranNodes).toEqual(['Follower Unsubscribed', 'Mark Unsubscribed in CRM']);
		expect(calls).toEqual([]);
		expect(execution.items['Mark Unsubscribed in CRM'].map((item) => item.json)).toEqual([
			{ openid: event.openid, wechatStatus: 'unsubscribed', unsubscribedAt: '2026-04-21T10:05:12+08:00', eraseWeChatData: true },
		]);
	});

	test('an example imported from file in the editor (saved through the REST API) keeps its pinned data and runs', async () => {
		// The editor saves an imported file as a new workflow: the file's content, a new id.
		const imported: WorkflowJson = { ...example('notify-on-finished-send.json'), id: undefined };
		const before = mail.received.length;
		const execution = await n8n.runManually(imported);
		expect({ status: execution.status, error: execution.error }).toEqual({ status: 'success', error: undefined });
		expect(execution.ranNodes).toEqual(['Mass Send Finished', 'Any Failures?', 'Alert the Team']);
		expect(execution.items['Mass Send Finished'].map((item) => item.json)).toEqual(example('notify-on-finished-send.json').pinData!['Mass Send Finished'].map((item) => item.json));
		expect(mail.received.slice(before).map((email) => email.subject)).toEqual(['9 followers did not receive WeChat mass send 1000001625']);
	});

	test('blog-post-to-wechat-article: the post becomes a draft with its images on WeChat, previewed, then sent to the tag', async () => {
		blog.requests.length = 0;
		blog.accepts.length = 0;
		const { execution, calls, accepted } = await run('blog-post-to-wechat-article.json');
		expect(execution.ranNodes).toEqual(['Start', 'Blog Post', 'Create Draft', 'Preview', 'Send to Tag']);
		// The emoji is never downloaded; the team photo's 2 MB original is refused by its size, and its 1024w copy hosted.
		expect([...blog.requests].sort()).toEqual(['/images/chart.png', '/images/cover.jpg', '/images/office.jpg', '/images/team-2560.jpg', '/images/team.jpg']);
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
		const draftId = (calls[4].answer as { media_id: string }).media_id;
		expect((calls[4].body as { articles: Array<{ title: string }> }).articles.map((article) => article.title)).toEqual(['Our first quarter in numbers']);
		expect(calls[5].body).toEqual({ towxname: 'editor_wechat_id', msgtype: 'mpnews', mpnews: { media_id: draftId } });
		// The office photo's CDN was asked for what WeChat hosts and sent a JPEG; the <noscript> copy of the chart is gone.
		expect(blog.accepts[blog.requests.indexOf('/images/office.jpg')]).toBe('image/jpeg, image/png');
		// What draft/add got (a mass send takes the draft out of the draft box).
		const stored = (calls[4].body as { articles: Array<{ content: string }> }).articles[0].content;
		expect(stored).toContain('<p>Sign-ups grew every month 🎉</p>');
		expect(stored.match(/<img\b/g)).toHaveLength(3);
		expect(stored).not.toMatch(/noscript|blog\.example|127\.0\.0\.1|s\.w\.org|data:/);
		expect(execution.items['Create Draft'][0].json).toMatchObject({ hostedImages: [{}, {}, {}], imagesLeftOut: [] });
		expect(accepted).toEqual([expect.objectContaining({ endpoint: 'sendall', body: expect.objectContaining({ filter: { is_to_all: false, tag_id: 100 }, mpnews: { media_id: draftId } }) })]);
		expect(execution.items['Send to Tag'].map((item) => item.json)).toEqual([expect.objectContaining({ errcode: 0, msg_id: accepted[0].msgId, duplicate: false })]);
	});

	test('after the examples ran, the draft box still holds the drafts the sandbox put there, and the Article picker lists them in n8n', async () => {
		// What the editor asks n8n for when the Article field's "From Draft Box" list opens.
		const picked = await n8n.request<{ results: Array<{ name: string; value: string }> }>('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.articleMediaId',
			nodeTypeAndVersion: { name: MASS_NODE_TYPE, version: 3 },
			currentNodeParameters: { resource: 'massMessage', operation: 'sendToTag', messageType: 'mpnews' },
			credentials: { weChatOfficialAccountApi: CREDENTIAL },
			methodName: 'searchDrafts',
		});
		expect(picked.results.map((result) => result.value)).toEqual(SANDBOX_DRAFTS.map((draft) => draft.mediaId));
		expect(picked.results[0].name).toMatch(/^冬季会员日：全场 8 折 \(\+1 more\) · \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+8\)$/);
	});
});
