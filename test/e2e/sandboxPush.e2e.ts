// The sandbox's loop in a real n8n: the examples imported and the trigger examples published as scripts/sandbox.ts
// does, its fake WeChat pushing to their test and production URLs (configureSandboxPush). A send made by one
// workflow makes WeChat push MASSSENDJOBFINISH when the send has finished (Batch_Sends "事件推送群发结果",
// https://developers.weixin.qq.com/doc/service/guide/product/message/Batch_Sends.html), and that event starts the
// published trigger workflow exactly once. Runs once per n8n version (see scripts/e2e.sh).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	BLOG_IMAGES,
	TRIGGER_NODE_TYPE,
	configureSandboxPush,
	examplesToActivate,
	examplesWithCredentials,
	fakeWeChatCredentialData,
	prepareSandboxWeChat,
	sandboxCredentials,
	sandboxWeChatOptions,
	type SandboxPushTarget,
	type SandboxWorkflow,
} from '../../scripts/sandbox';
import { FakeWeChatServer } from '../fake-wechat/server';
import { FileServer } from '../helpers/fileServer';
import { SmtpSink } from '../helpers/smtpSink';
import { N8nCli, installCommunityPackage } from './n8nCli';
import { N8nServer, freePort } from './n8nServer';
import { assertE2eRuntime, runtime, tarball } from './runtime';

interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

describe(`the sandbox's WeChat pushes to the published trigger example in n8n ${runtime.version}`, () => {
	let wechat: FakeWeChatServer;
	let blog: FileServer;
	let mail: SmtpSink;
	let n8n: N8nServer;
	let examples: SandboxWorkflow[];
	let targets: SandboxPushTarget[];

	beforeAll(async () => {
		assertE2eRuntime();
		wechat = await new FakeWeChatServer(sandboxWeChatOptions(Date.now())).start();
		prepareSandboxWeChat(wechat);
		blog = await new FileServer(BLOG_IMAGES).start();
		mail = await new SmtpSink().start();
		const userFolder = mkdtempSync(join(tmpdir(), `n8n-sandbox-push-${runtime.version}-`));
		await installCommunityPackage(userFolder, tarball);
		const cli = new N8nCli(runtime, userFolder, await freePort());
		await cli.importCredentials(sandboxCredentials(fakeWeChatCredentialData(wechat), mail));
		examples = examplesWithCredentials(blog.baseUrl).map(({ workflow }) => workflow);
		for (const workflow of examples) await cli.importWorkflow(workflow);
		for (const workflow of examplesToActivate(examples)) await cli.activate(workflow.id);
		n8n = new N8nServer(cli);
		await n8n.start();
		targets = configureSandboxPush(wechat, n8n.baseUrl, examples);
	});
	afterAll(async () => {
		wechat?.push.stop();
		await n8n?.stop();
		await Promise.all([wechat?.stop(), blog?.stop(), mail?.stop()]);
	});

	function example(name: string): SandboxWorkflow {
		const workflow = examples.find((candidate) => candidate.name === name);
		if (!workflow) throw new Error(`no example named ${name}`);
		return workflow;
	}

	async function executionsOf(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await n8n.request<{ results: ExecutionSummary[] }>('GET', `/rest/executions?filter=${filter}`);
		return answer.results;
	}

	test("a send made by the CRM example starts the published notify example once, from WeChat's push to its production URL", async () => {
		const notify = example('Notify the team when a WeChat mass send finishes with failures');
		const followExamples = [
			example('Tag followers who come through a campaign QR code, and tell the CRM where they came from'),
			example('Tell the CRM when a follower unfollows the WeChat account'),
		];
		expect(examplesToActivate(examples).map((workflow) => workflow.id)).toEqual([notify, ...followExamples].map((workflow) => workflow.id));
		expect(notify.nodes.filter((node) => node.type === TRIGGER_NODE_TYPE)).toHaveLength(1);
		expect(await executionsOf(notify.id)).toEqual([]);
		const mailBefore = mail.received.length;

		// The CRM example sends its campaign to its tag (pinned request) and waits until WeChat has finished it.
		const crm = examples.find((workflow) => workflow.nodes.some((node) => node.name === 'Campaign Approved'))!;
		const run = await n8n.runManually(crm.id);
		expect({ status: run.status, error: run.error }).toEqual({ status: 'success', error: undefined });
		const [send] = wechat.accepted;
		expect(run.items['Send to Tag'].map((item) => item.json)).toEqual([expect.objectContaining({ msg_id: send.msgId })]);

		await wechat.push.settled();
		// Nobody listens on the test URLs (the editor's "Test this trigger" is not waiting): n8n answers 404 and WeChat
		// does not repeat it. Each published workflow's production URL answers success, the follow examples' too (they
		// do not listen for finished sends, and answer so that WeChat stops).
		expect(targets.map((target) => target.kind)).toEqual(['test', 'production', 'test', 'production', 'test', 'production']);
		expect(wechat.push.deliveries.map((delivery) => ({ event: delivery.event, id: delivery.id, url: delivery.url, outcome: delivery.outcome, status: delivery.attempts.map((attempt) => attempt.status) }))).toEqual(
			targets.map((target) => ({
				event: 'MASSSENDJOBFINISH',
				id: String(send.msgId),
				url: target.url,
				...(target.kind === 'test' ? { outcome: 'refused', status: [404] } : { outcome: 'accepted', status: [200] }),
			})),
		);

		// The notify example ran once, for this send (its trigger's output: the event's counts, 1 in 400 not reached).
		const deadline = Date.now() + 60000;
		let executions = await executionsOf(notify.id);
		while ((executions.length === 0 || executions.some((execution) => execution.status === 'running' || execution.status === 'new')) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			executions = await executionsOf(notify.id);
		}
		expect(executions.map(({ status, mode }) => ({ status, mode }))).toEqual([{ status: 'success', mode: 'webhook' }]);
		const execution = await n8n.waitForExecution(executions[0].id);
		const recipients = send.recipients;
		const failed = Math.ceil(recipients / 400);
		expect(execution.items['Mass Send Finished'].map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'MASSSENDJOBFINISH', msgId: String(send.msgId), totalCount: recipients, sentCount: recipients - failed, errorCount: failed }),
		]);
		expect(mail.received.slice(mailBefore).map((email) => email.subject)).toEqual([`${failed} followers did not receive WeChat mass send ${send.msgId}`]);
		for (const workflow of followExamples) expect(await executionsOf(workflow.id)).toEqual([]);
	});
});
