// Draft > Get, Get Many and Delete, against the fake's draft box. Pages:
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_getdraft (`{media_id}` → `{news_item}`),
// …/api_draft_batchget (`offset`, `count` "取值在1到20之间", `no_content` "1 表示不返回 content 字段"),
// …/api_draft_delete ("此操作不可撤销"; an unknown id is 40007).
import { type Fixture, startFixture } from '../../fixtures';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe('the draft box', () => {
	let f: Fixture;
	beforeEach(async () => {
		f = await startFixture();
		for (let n = 1; n <= 45; n++) f.wechat.registerDraft(`DRAFT_${n}`, [`Post ${n}`, `Post ${n}, part 2`], 1_790_000_000 + n * 60);
	});
	afterEach(async () => f.wechat.stop());

	test('Get returns the draft\'s articles as WeChat gives them, with its media_id', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'get', draftMediaId: byId('DRAFT_7') } });
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo('/cgi-bin/draft/get').map((call) => call.body)).toEqual([{ media_id: 'DRAFT_7' }]);
		expect(result.json).toEqual([{ media_id: 'DRAFT_7', news_item: f.wechat.drafts.get('DRAFT_7')!.articles }]);
	});

	test('Get Many with a limit reads pages of at most 20 until it has enough, newest first', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'getAll', limit: 25 } });
		expect(f.wechat.callsTo('/cgi-bin/draft/batchget').map((call) => call.body)).toEqual([
			{ offset: 0, count: 20, no_content: 0 },
			{ offset: 20, count: 5, no_content: 0 },
		]);
		expect(result.json.map((draft) => draft.media_id)).toEqual(Array.from({ length: 25 }, (_, index) => `DRAFT_${45 - index}`));
		expect(result.json[0]).toEqual({ media_id: 'DRAFT_45', update_time: 1_790_002_700, content: { news_item: f.wechat.drafts.get('DRAFT_45')!.articles } });
	});

	test('Get Many with Return All and without content', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'getAll', returnAll: true, includeContent: false } });
		expect(f.wechat.callsTo('/cgi-bin/draft/batchget').map((call) => call.body)).toEqual([0, 20, 40].map((offset) => ({ offset, count: 20, no_content: 1 })));
		expect(result.json).toHaveLength(45);
		const articles = (result.json[0].content as { news_item: Array<Record<string, unknown>> }).news_item;
		expect(articles.map((article) => [article.title, 'content' in article])).toEqual([
			['Post 45', false],
			['Post 45, part 2', false],
		]);
	});

	test('Delete removes the draft; deleting it again is WeChat\'s 40007, explained', async () => {
		const deleted = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'delete', draftMediaId: byId('DRAFT_3') } });
		expect(deleted.json).toEqual([{ errcode: 0, errmsg: 'ok', media_id: 'DRAFT_3' }]);
		expect(f.wechat.drafts.has('DRAFT_3')).toBe(false);

		const again = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'delete', draftMediaId: byId('DRAFT_3') } });
		expect(again.error?.message).toBe('WeChat error 40007: invalid media_id');
		expect(again.error?.description).toBe('No draft with this media ID: it was already deleted, or mass-sent (WeChat removes a draft from the draft box once it is sent).');
	});

	test('a draft picked from the list is read by its media_id; an empty one is refused before anything is sent', async () => {
		const picked = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'get', draftMediaId: { __rl: true, mode: 'list', value: 'DRAFT_2', cachedResultName: 'Post 2' } } });
		expect(picked.json[0].media_id).toBe('DRAFT_2');
		const empty = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'draft', operation: 'get', draftMediaId: byId('={{ $json.id }}') }, items: [{ json: { id: ' ' } }] });
		expect(empty.error?.message).toBe('Item 1, "Draft": choose a draft, or give its media ID');
		expect(f.wechat.callsTo('/cgi-bin/draft/get')).toHaveLength(1);
	});
});
