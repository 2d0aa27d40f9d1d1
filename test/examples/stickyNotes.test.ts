// Examples whose source needs an account (Google Sheets, a CRM's webhook, WeChat's push) open with pinned data; a sticky
// note on the canvas says what is pinned and how to use the real source, so the pinned node does not look broken.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../harness/workflow';

interface ExampleFile {
	nodes: Array<{ name: string; type: string; position: [number, number]; parameters: { content?: string } }>;
	pinData?: Record<string, unknown>;
}

const examples = readdirSync(join(PACKAGE_ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', file), 'utf8')) as ExampleFile] as const);

test('every example with pinned data has a sticky note per pinned node, saying it is pinned and what to do to use the real source', () => {
	const noted: Record<string, string[]> = {};
	for (const [file, example] of examples) {
		const stickies = example.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => node.parameters.content ?? '');
		noted[file] = Object.keys(example.pinData ?? {}).filter((pinned) => stickies.some((content) => content.startsWith(`## Pinned: ${pinned}\n`) && /\bunpin/i.test(content)));
		expect(stickies).toHaveLength(noted[file].length);
	}
	// Every pinned node has its note (which examples pin what is specified in test/e2e/examples.e2e.ts).
	for (const [file, example] of examples) expect(noted[file]).toEqual(Object.keys(example.pinData ?? {}));
	expect(Object.values(noted).flat().length).toBeGreaterThan(0);
});

test('the sticky notes sit above the workflow, covering no node', () => {
	for (const [, example] of examples) {
		for (const sticky of example.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote')) {
			const { width = 240, height = 160 } = sticky.parameters as { width?: number; height?: number };
			const [left, top] = sticky.position;
			const covered = example.nodes.filter(
				(node) => node !== sticky && node.position[0] + 100 > left && node.position[0] < left + width && node.position[1] + 100 > top && node.position[1] < top + height,
			);
			expect(covered.map((node) => node.name)).toEqual([]);
		}
	}
});
