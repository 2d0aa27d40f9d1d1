// examples/notify-on-finished-send.json must import into n8n and its expressions must work on what
// the trigger really emits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { TRIGGER_NODE_TYPE, TriggerHarness } from '../../harness/webhook';
import { PACKAGE_ROOT } from '../../harness/workflow';
import { safeRequest } from '../../helpers/wechatCallbackSigner';
import { ACCOUNT, credentialFor, readFixture } from './fixtures';

interface ExampleWorkflow {
	name: string;
	nodes: Array<INode & { parameters: IDataObject }>;
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const example = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'notify-on-finished-send.json'), 'utf8')) as ExampleWorkflow;
const byName = new Map(example.nodes.map((node) => [node.name, node]));
const trigger = example.nodes.find((node) => node.type === TRIGGER_NODE_TYPE)!;
const condition = (byName.get('Any Failures?')!.parameters.conditions as { conditions: Array<{ leftValue: string; rightValue: number; operator: IDataObject }> })
	.conditions[0];
const email = byName.get('Alert the Team')!;

/** The trigger's item for a finished send, produced by the trigger itself. */
async function emittedItem(fixture: 'finished-with-failures' | 'blocked-for-copyright'): Promise<{ harness: TriggerHarness; item: INodeExecutionData }> {
	const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), trigger.parameters);
	const signed = safeRequest(ACCOUNT, readFixture(fixture));
	await harness.invoke({ method: 'POST', query: signed.query, body: signed.body });
	return { harness, item: harness.starts[0][0][0] };
}

function evaluate(harness: TriggerHarness, expression: string, item: INodeExecutionData): unknown {
	return harness.workflow.expression.getParameterValue(expression, null, 0, 0, harness.node.name, [item], 'webhook', {});
}

describe('the example workflow', () => {
	it('has the shape n8n imports: ids, names, types, versions, positions, parameters', () => {
		for (const node of example.nodes) {
			expect(node).toEqual(
				expect.objectContaining({ id: expect.any(String), name: expect.any(String), type: expect.any(String), typeVersion: expect.any(Number), parameters: expect.any(Object) }),
			);
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
		}
		expect(new Set(example.nodes.map((node) => node.id)).size).toBe(example.nodes.length);
		// The sticky note says what is pinned on the trigger and how real events reach it.
		expect(example.nodes.map((node) => node.type)).toEqual([TRIGGER_NODE_TYPE, 'n8n-nodes-base.if', 'n8n-nodes-base.emailSend', 'n8n-nodes-base.stickyNote']);
	});

	it('connects trigger to IF and the IF\'s true branch to the notification, by node name', () => {
		for (const [from, { main }] of Object.entries(example.connections)) {
			expect(byName.has(from)).toBe(true);
			for (const target of main.flat()) expect(byName.has(target.node)).toBe(true);
		}
		expect(example.connections[trigger.name].main[0][0].node).toBe('Any Failures?');
		expect(example.connections['Any Failures?'].main[0][0].node).toBe('Alert the Team');
	});

	it('sets only parameters the trigger declares', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'));
		const declared = harness.description.properties.map((property) => property.name);
		expect(Object.keys(trigger.parameters).every((name) => declared.includes(name))).toBe(true);
	});

	it('takes the IF\'s true branch for a send with failures and the false branch without', async () => {
		expect(condition).toMatchObject({ rightValue: 0, operator: { type: 'number', operation: 'gt' } });
		const withFailures = await emittedItem('finished-with-failures');
		expect(evaluate(withFailures.harness, condition.leftValue, withFailures.item)).toBe(1200);
		const blocked = await emittedItem('blocked-for-copyright');
		expect(evaluate(blocked.harness, condition.leftValue, blocked.item)).toBe(0);
	});

	it('writes the notification from the trigger\'s fields', async () => {
		const { harness, item } = await emittedItem('finished-with-failures');
		expect(evaluate(harness, String(email.parameters.subject), item)).toBe('1200 followers did not receive WeChat mass send 3147483654');
		expect(evaluate(harness, String(email.parameters.text), item)).toBe(
			[
				'WeChat finished mass send 3147483654 for account gh_3f2a6b8c9d01 at 2025-11-27T12:11:00.000Z.',
				'',
				'Status: success',
				'Followers targeted: 100000',
				'After filtering: 99200',
				'Sent: 98000',
				'Failed: 1200',
				'',
				'Articles:',
				'1. https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=1',
				'2. https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=2',
			].join('\n'),
		);
	});
});
