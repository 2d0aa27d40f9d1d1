import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { MASS_NODE_TYPE, N8N_INSTANCE_URLS, loadPackage } from '../../harness/workflow';
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

describe('the pickers of version 2 (listSearch)', () => {
	test('the draft box lists drafts newest first, 20 at a time, with the first title, how many more articles and when (China time, said so)', async () => {
		const { wechat, env } = await startFixture();
		try {
			for (let n = 1; n <= 25; n++) wechat.registerDraft(`DRAFT_${n}`, n % 5 === 0 ? [`Post ${n}`, 'Extra'] : [`Post ${n}`], 1_790_000_000 + n * 3600);
			const first = await env.n8n.listSearch('searchDrafts', { resource: 'massMessage', operation: 'sendToTag' });
			expect(first.results).toHaveLength(20);
			expect(first.results.slice(0, 2)).toEqual([
				{ name: 'Post 25 (+1 more) · 2026-09-22 23:13 (UTC+8)', value: 'DRAFT_25', url: expect.stringContaining('tempkey=DRAFT_25') },
				{ name: 'Post 24 · 2026-09-22 22:13 (UTC+8)', value: 'DRAFT_24', url: expect.stringContaining('tempkey=DRAFT_24') },
			]);
			expect(first.paginationToken).toBe('20');
			const second = await env.n8n.listSearch('searchDrafts', {}, undefined, first.paginationToken);
			expect(second.results.map((result) => result.value)).toEqual(['DRAFT_5', 'DRAFT_4', 'DRAFT_3', 'DRAFT_2', 'DRAFT_1']);
			expect(second.paginationToken).toBeUndefined();
			// A picker asks for titles only.
			expect(wechat.callsTo('/cgi-bin/draft/batchget').map((call) => call.body)).toEqual([
				{ offset: 0, count: 20, no_content: 1 },
				{ offset: 20, count: 20, no_content: 1 },
			]);
		} finally {
			await wechat.stop();
		}
	});

	test('searching the draft box matches any article\'s title, case-insensitively, across pages, and names the article it matched', async () => {
		const { wechat, env } = await startFixture();
		try {
			for (let n = 1; n <= 45; n++) wechat.registerDraft(`DRAFT_${n}`, [`Weekly ${n}`, n === 3 ? 'Spring SALE recap' : 'Notes'], 1_790_000_000 + n);
			const found = await env.n8n.listSearch('searchDrafts', {}, 'spring sale');
			expect(found).toEqual({ results: [{ name: 'Weekly 3 (+1 more; article 2: Spring SALE recap) · 2026-09-21 22:13 (UTC+8)', value: 'DRAFT_3', url: expect.any(String) }] });
			expect(wechat.callsTo('/cgi-bin/draft/batchget')).toHaveLength(3);
		} finally {
			await wechat.stop();
		}
	});

	test('the cover picker lists the account\'s permanent images newest first, 20 at a time (material/batchget_material\'s count is 1 to 20), and finds them by name', async () => {
		// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_batchgetmaterial
		const { wechat, env } = await startFixture();
		try {
			for (let n = 1; n <= 22; n++) wechat.registerMedia(`IMAGE_${n}`, 'image', 'permanent', n === 2 ? 'Spring-Poster.png' : `photo-${n}.jpg`);
			wechat.registerMedia('VIDEO_1', 'video');
			const first = await env.n8n.listSearch('searchPermanentImages', { resource: 'draft', operation: 'create' });
			expect(first.results).toHaveLength(20);
			expect(first.results[0]).toEqual({ name: expect.stringMatching(/^photo-22\.jpg · \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+8\)$/), value: 'IMAGE_22', url: expect.stringContaining('IMAGE_22') });
			expect(first.paginationToken).toBe('20');
			const second = await env.n8n.listSearch('searchPermanentImages', {}, undefined, first.paginationToken);
			expect(second).toEqual({ results: [expect.objectContaining({ value: 'IMAGE_2' }), expect.objectContaining({ value: 'IMAGE_1' })] });
			// IMAGE_2 is on the second page: a search reads on until it has 20 matches or WeChat has no more.
			expect((await env.n8n.listSearch('searchPermanentImages', {}, 'spring-poster')).results.map((result) => result.value)).toEqual(['IMAGE_2']);
			expect(wechat.callsTo('/cgi-bin/material/batchget_material').map((call) => call.body)).toEqual([
				{ type: 'image', offset: 0, count: 20 },
				{ type: 'image', offset: 20, count: 20 },
				{ type: 'image', offset: 0, count: 20 },
				{ type: 'image', offset: 20, count: 20 },
			]);
		} finally {
			await wechat.stop();
		}
	});

	test('the tag picker lists tags by name and finds them by name or ID', async () => {
		const { wechat, env } = await startFixture();
		try {
			expect(await env.n8n.listSearch('searchTags', {})).toEqual({
				results: [
					{ name: '星标组', value: '2' },
					{ name: 'VIP customers', value: '100' },
				],
			});
			expect((await env.n8n.listSearch('searchTags', {}, 'vip')).results.map((result) => result.value)).toEqual(['100']);
			expect((await env.n8n.listSearch('searchTags', {}, '2')).results.map((result) => result.value)).toEqual(['2']);
		} finally {
			await wechat.stop();
		}
	});
});

describe('before a credential is chosen, as when a new node opens', () => {
	/** The editor's context for a node whose credential is not set yet. */
	async function editorWithoutCredential(typeVersion: number) {
		const { nodeTypes } = await loadPackage();
		const node: INode = {
			id: 'wechat',
			name: 'WeChat',
			type: MASS_NODE_TYPE,
			typeVersion,
			position: [0, 0],
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag' },
		};
		const workflow = new Workflow({ id: 'wf-1', nodes: [node], connections: {}, active: false, nodeTypes, staticData: {} });
		const additionalData = { ...N8N_INSTANCE_URLS } as unknown as IWorkflowExecuteAdditionalData;
		return { context: new LoadOptionsContext(workflow, node, additionalData, 'parameters'), methods: nodeTypes.getByNameAndVersion(MASS_NODE_TYPE, typeVersion).methods! };
	}

	const chooseCredential = expect.objectContaining({
		message: 'Choose a WeChat Official Account credential first: this list comes from the account',
		description: expect.stringContaining('Credential to connect with'),
	});

	test.each(['searchTags', 'searchDrafts', 'searchPermanentImages'])('the %s picker asks for the credential instead of failing with n8n\'s "no credentials set"', async (method) => {
		const { context, methods } = await editorWithoutCredential(2);
		await expect(methods.listSearch![method].call(context)).rejects.toEqual(chooseCredential);
	});

	test('so does the Tag dropdown of version 1', async () => {
		const { context, methods } = await editorWithoutCredential(1);
		await expect(methods.loadOptions!.getTags.call(context)).rejects.toEqual(chooseCredential);
	});
});
