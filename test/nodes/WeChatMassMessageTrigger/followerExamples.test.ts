// examples/qr-code-follow-to-campaign-tag.json and unsubscribed-follower-to-crm.json: their pinned events are what the
// trigger really outputs for such events (signed and encrypted as WeChat sends them), with the examples' own Events
// setting, and the campaign tag's name comes out of the trigger's scene. test/e2e/examples.e2e.ts runs them in n8n.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { TRIGGER_NODE_TYPE, TriggerHarness } from '../../harness/webhook';
import { PACKAGE_ROOT } from '../../harness/workflow';
import { safeRequest } from '../../helpers/wechatCallbackSigner';
import { ACCOUNT, credentialFor } from './fixtures';

interface Example {
	nodes: Array<INode & { parameters: IDataObject }>;
	pinData: Record<string, Array<{ json: IDataObject }>>;
}

const read = (file: string) => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', file), 'utf8')) as Example;

/** The XML WeChat sent for a pinned event, from its raw fields in WeChat's order. */
function xmlOf(raw: Record<string, string>): string {
	return `<xml>${Object.entries(raw)
		.map(([name, value]) => (name === 'CreateTime' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`))
		.join('')}</xml>`;
}

describe.each([
	['qr-code-follow-to-campaign-tag.json', 'subscribeOrScan'],
	['unsubscribed-follower-to-crm.json', 'unsubscribe'],
])('%s', (file, events) => {
	const example = read(file);
	const trigger = example.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!;
	const [pinned] = example.pinData[trigger.name];

	it(`listens to ${events}, and its pinned event is the trigger's output for that event`, async () => {
		expect(trigger.parameters.events).toBe(events);
		// The pinned event is months old: Max Message Age refuses requests signed that long ago, not events created then.
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), trigger.parameters);
		const signed = safeRequest(ACCOUNT, xmlOf(pinned.json.raw as Record<string, string>));
		const reply = await harness.invoke({ method: 'POST', query: signed.query, body: signed.body });
		expect([reply.status, reply.body]).toEqual([200, 'success']);
		expect(harness.starts.map((start) => start[0].map((item) => item.json))).toEqual([[pinned.json]]);
	});
});

test('the campaign tag is named after the scene of the QR code the follower came through', async () => {
	const example = read('qr-code-follow-to-campaign-tag.json');
	const tagNode = example.nodes.find((node) => node.name === 'Campaign Tag')!;
	const [pinned] = example.pinData['Followed or Scanned'];
	const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
	const name = harness.workflow.expression.getParameterValue(String(tagNode.parameters.name), null, 0, 0, harness.node.name, [pinned], 'webhook', {});
	expect(name).toBe('QR spring-2026-poster');
	expect(Buffer.byteLength(String(name))).toBeLessThanOrEqual(30);
	// A scene may be 64 characters; a tag name at most 30 bytes (tags/create): a long scene is shortened, not refused.
	const long = { ...pinned, json: { ...pinned.json, scene: 'campaign-'.repeat(7) + 'x' } };
	const shortened = harness.workflow.expression.getParameterValue(String(tagNode.parameters.name), null, 0, 0, harness.node.name, [long], 'webhook', {});
	expect(shortened).toBe(`QR ${'campaign-'.repeat(3)}`);
	expect(Buffer.byteLength(String(shortened))).toBe(30);
});
