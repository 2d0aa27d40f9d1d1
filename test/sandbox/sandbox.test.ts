// The sandbox (scripts/sandbox.ts) points its fake WeChat's event push at the examples' WeChat triggers: the test URL
// (answered while the editor listens) and the production URL (the published workflow), signed and encrypted with
// the callback credential it gives n8n. Here the trigger of notify-on-finished-send, with that credential, is run by
// n8n-core behind both URLs.
import { join, relative } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import {
	SandboxLog,
	TRIGGER_NODE_TYPE,
	configureSandboxPush,
	describeDelivery,
	examplesToActivate,
	examplesWithCredentials,
	prepareSandboxWeChat,
	sandboxCredentials,
	sandboxFolder,
	sandboxPushTargets,
	sandboxWeChatOptions,
	testPushesInFlight,
} from '../../scripts/sandbox';
import { FakeWeChatServer } from '../fake-wechat/server';
import { TriggerHarness, type CallbackCredentialData } from '../harness/webhook';
import { PACKAGE_ROOT, createEnvironment } from '../harness/workflow';
import { SmtpSink } from '../helpers/smtpSink';

const examples = examplesWithCredentials().map(({ workflow }) => workflow);
const notify = examples.find((workflow) => workflow.name === 'Notify the team when a WeChat mass send finishes with failures')!;
const notifyTrigger = notify.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!;

test('the examples a WeChat event starts are published, and the push goes to their test URL, then their production URL', () => {
	const started = [
		notify,
		examples.find((workflow) => workflow.name === 'Tag followers who come through a campaign QR code, and tell the CRM where they came from')!,
		examples.find((workflow) => workflow.name === 'Tell the CRM when a follower unfollows the WeChat account')!,
	];
	expect(examplesToActivate(examples).map((workflow) => workflow.name)).toEqual(started.map((workflow) => workflow.name));
	expect(sandboxPushTargets('http://localhost:5678', examples).map(({ url, kind, workflow, mode }) => ({ url, kind, workflow, mode }))).toEqual(
		started.flatMap((workflow) => {
			const { webhookId } = workflow.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!;
			return [
				{ url: `http://localhost:5678/webhook-test/${webhookId}/webhook`, kind: 'test', workflow: workflow.name, mode: 'safe' },
				{ url: `http://localhost:5678/webhook/${webhookId}/webhook`, kind: 'production', workflow: workflow.name, mode: 'safe' },
			];
		}),
	);
});

test('a send in the sandbox reaches the notify example\'s trigger, with the credential the sandbox gives it, and starts it once', async () => {
	const wechat = await new FakeWeChatServer().start();
	const mail = await new SmtpSink().start();
	const [, callback] = sandboxCredentials({ appId: wechat.appId }, mail) as Array<{ data: CallbackCredentialData }>;
	const harness = await TriggerHarness.create(callback.data, notifyTrigger.parameters as INodeParameters);
	try {
		prepareSandboxWeChat(wechat);
		// The harness serves any path, as n8n would serve both the test URL (while listening) and the production URL.
		const origin = new URL(await harness.listen()).origin;
		const targets = configureSandboxPush(wechat, origin, examples);
		const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
		const sent = await env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: 'Spring sale' } });
		await wechat.push.settled();

		expect(harness.errors).toEqual([]);
		// 3456 followers in the tag; the sandbox's WeChat reports 1 in 400 as not reached.
		expect(harness.starts.map((start) => start[0][0].json)).toEqual([
			expect.objectContaining({ event: 'MASSSENDJOBFINISH', msgId: String(sent.json[0].msg_id), totalCount: 3456, sentCount: 3447, errorCount: 9, account: 'gh_5a4db0c0ffee' }),
		]);
		// Here both URLs reach one trigger with one memory: the copy at the production URL is answered success, nothing started.
		expect(wechat.push.deliveries.map((delivery) => [delivery.url, delivery.outcome])).toEqual(targets.map((target) => [target.url, 'accepted']));
		expect(describeDelivery(wechat.push.deliveries[0], targets)).toBe(
			`WeChat pushed MASSSENDJOBFINISH (mass send ${String(sent.json[0].msg_id)} finished) to the trigger of "${notify.name}" (its test URL: the editor was listening): answered success`,
		);
		expect(describeDelivery({ ...wechat.push.deliveries[0], outcome: 'refused', attempts: [{ at: 0, status: 404, body: 'not registered' }] }, targets)).toBeUndefined();
	} finally {
		await harness.close();
		await wechat.stop();
		await mail.stop();
	}
});

test("the sandbox's n8n folder is outside the repository, one per checkout, so that the package n8n loads there finds n8n's n8n-workflow, not the repository's", () => {
	const folder = sandboxFolder(PACKAGE_ROOT, '/home/someone/.cache/n8n-nodes-wechat-mass');
	expect(folder).toMatch(/^\/home\/someone\/\.cache\/n8n-nodes-wechat-mass\/sandbox\/[^/]+-[0-9a-f]{8}$/);
	expect(relative(PACKAGE_ROOT, sandboxFolder(PACKAGE_ROOT)).startsWith('..')).toBe(true);
	expect(sandboxFolder(join(PACKAGE_ROOT, 'other-checkout'), '/cache')).not.toBe(sandboxFolder(PACKAGE_ROOT, '/cache'));
});

describe("the sandbox's terminal, n8n's output", () => {
	const [testTarget, productionTarget] = sandboxPushTargets('http://localhost:5678', examples);
	const unknownWebhook = `Received request for unknown webhook: The requested webhook "${notifyTrigger.webhookId}/webhook" is not registered.`;

	test("n8n's line for a push to a test URL nobody listens on is left out while that push is under way, and only then", () => {
		let inFlight: string[] = [testTarget.url];
		const log = new SandboxLog(() => inFlight);
		expect(log.shows(unknownWebhook)).toBe(false);
		inFlight = [];
		// The same line when the sandbox's WeChat is not pushing there: a request from elsewhere, shown.
		expect(log.shows('Editor is now accessible via:')).toBe(true);
		expect(log.shows(unknownWebhook)).toBe(true);
		expect(new SandboxLog(() => [testTarget.url]).shows('Received request for unknown webhook: The requested webhook "another-id/webhook" is not registered.')).toBe(true);
	});

	test('a line n8n repeats at once is shown once; a stack trace and the same line later are shown', () => {
		let clock = 0;
		const log = new SandboxLog(() => [], () => clock);
		const error = 'Item 1, "Tag": the account has no tag 999 (its tags: 2 星标组, 100 VIP customers)';
		const stack = ['TypeError: Cannot read properties of undefined', '    at run (/x/y.js:1:1)', '    at next (/x/y.js:2:2)', ''];
		expect([error, error, ...stack, ''].map((line) => log.shows(line))).toEqual([true, false, true, true, true, true, true]);
		clock = 10000;
		expect(log.shows(error)).toBe(true);
	});

	test('the test URLs with a push under way are those of pending deliveries to test targets', () => {
		const delivery = (url: string, outcome: 'pending' | 'refused') => ({ ...({} as Parameters<typeof testPushesInFlight>[0][number]), url, outcome });
		const targets = [testTarget, productionTarget];
		expect(testPushesInFlight([delivery(testTarget.url, 'pending'), delivery(productionTarget.url, 'pending')], targets)).toEqual([testTarget.url]);
		expect(testPushesInFlight([delivery(testTarget.url, 'refused')], targets)).toEqual([]);
	});
});

test("a sandbox started again sends with msg_ids its trigger has not seen, since n8n keeps the trigger's memory of events across starts", async () => {
	const msgIds: number[] = [];
	for (const startedAt of [Date.now(), Date.now() + 60_000]) {
		const wechat = await new FakeWeChatServer(sandboxWeChatOptions(startedAt)).start();
		try {
			const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
			const sent = await env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: 100, messageType: 'text', text: 'Spring sale' } });
			msgIds.push(Number(sent.json[0].msg_id));
		} finally {
			await wechat.stop();
		}
	}
	expect(msgIds[1]).toBeGreaterThan(msgIds[0]);
	expect(msgIds.every((id) => Number.isSafeInteger(id))).toBe(true);
});
