// Tag: Create, Get Many, Update and Delete against the fake's tags, whose rules come from WeChat's pages
// (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_createtag, api_gettags, api_updatetag,
// api_deletetag, and the old https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
// for the error codes: 45056 over 100 tags, 45057 over 100,000 followers, 45058 tags 0/1/2, 45157, 45158 over 30 bytes).
import { type Fixture, startFixture } from '../../fixtures';

const tagRef = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });

describe('Tag', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('Create gives WeChat\'s {"tag":{"id","name"}}; Get Many lists it with its follower count', async () => {
		const created = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: '广东 VIP' } });
		expect(created.json).toEqual([{ tag: { id: 101, name: '广东 VIP' }, existing: false }]);
		expect(f.wechat.callsTo('/cgi-bin/tags/create').map((call) => call.body)).toEqual([{ tag: { name: '广东 VIP' } }]);
		const listed = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'getAll' } });
		expect(listed.json).toEqual([
			{ id: 2, name: '星标组', count: 120 },
			{ id: 100, name: 'VIP customers', count: 3456 },
			{ id: 101, name: '广东 VIP', count: 0 },
		]);
	});

	test('a name over 30 bytes of UTF-8 fails before anything is sent, counting a Chinese character as 3', async () => {
		const result = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: '一二三四五六七八九十十一' } });
		expect(result.error?.message).toBe(
			'Item 1, "Name": "一二三四五六七八九十十一" is 36 bytes; WeChat takes tag names of at most 30 bytes of UTF-8 (a Chinese character is 3 bytes, so 10 of them)',
		);
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(0);
		const ten = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: '一二三四五六七八九十' } });
		expect(ten.error).toBeUndefined();
	});

	test('a 101st tag is refused before anything is made, with what to do (tag 2, WeChat\'s own, does not count)', async () => {
		for (let n = 0; n < 98; n++) f.wechat.tags.push({ id: 200 + n, name: `Campaign ${n}`, count: 0 });
		const result = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: '={{ $json.name }}' }, items: [{ json: { name: 'The 100th' } }, { json: { name: 'One too many' } }], continueOnFail: true });
		expect(result.json[0]).toEqual({ tag: { id: expect.any(Number), name: 'The 100th' }, existing: false });
		expect(result.json[1].error).toBe('Item 2, "Name": the account has 99 tags and this run makes 1 more; WeChat allows 100 (45056). Delete tags that are no longer used first');
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(1);
	});

	test('WeChat\'s own 45056 (another run made tags meanwhile) is explained', async () => {
		for (let n = 0; n < 98; n++) f.wechat.tags.push({ id: 200 + n, name: `Campaign ${n}`, count: 0 });
		// Another run makes the 100th tag after this run read the account's tags.
		f.wechat.onRequest = (call) => call.path === '/cgi-bin/tags/create' && f.wechat.tags.push({ id: 999, name: 'Made elsewhere', count: 0 });
		const result = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'One too many' }, continueOnFail: true });
		f.wechat.onRequest = undefined;
		expect(result.json[0]).toMatchObject({ errcode: 45056, error: expect.stringContaining('WeChat error 45056') });
		expect(result.json[0].errorDescription).toContain('The account has 100 tags, the most WeChat allows');
	});

	test('items that make the same new tag: the first makes it, the later ones are told it exists', async () => {
		const result = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring' }, items: [{ json: {} }, { json: {} }] });
		expect(result.json).toEqual([
			{ tag: { id: 101, name: 'Spring' }, existing: false },
			{ tag: { id: 101, name: 'Spring' }, existing: false },
		]);
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(1);
	});

	test('a name already taken gives the existing tag by default, so running again is harmless; with Fail, the item is refused before any tag is made', async () => {
		const again = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'VIP customers' } });
		expect(again.json).toEqual([{ tag: { id: 100, name: 'VIP customers' }, existing: true }]);
		const fail = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: '={{ $json.name }}', ifNameTaken: 'fail' }, items: [{ json: { name: 'New' } }, { json: { name: 'VIP customers' } }] });
		expect(fail.error?.message).toBe('Item 2, "Name": the account already has a tag named "VIP customers" (ID 100), and If the Name Is Taken is Fail');
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(0);
		expect(f.wechat.tags).toHaveLength(2);
	});

	test('a create whose answer was lost is settled by looking the name up: one tag, not two', async () => {
		f.wechat.injectFault('/cgi-bin/tags/create', 'dropAfterAccept');
		const result = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring' } });
		expect(result.json).toEqual([{ tag: { id: 101, name: 'Spring' }, existing: false }]);
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(1);
		expect(f.wechat.tags.filter((tag) => tag.name === 'Spring')).toHaveLength(1);
	});

	test('Update renames; WeChat\'s own tags 0, 1 and 2 are refused before anything is sent', async () => {
		const renamed = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'update', tagId: tagRef(100), name: 'VIP 2027' } });
		expect(renamed.json).toEqual([{ errcode: 0, errmsg: 'ok', tag: { id: 100, name: 'VIP 2027' } }]);
		expect(f.wechat.tags.find((tag) => tag.id === 100)?.name).toBe('VIP 2027');
		const system = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'update', tagId: tagRef(2), name: 'Stars' } });
		expect(system.error?.message).toBe('Item 1, "Tag": tag 2 is one of WeChat\'s own (0 untagged, 1 blacklist, 2 starred), which cannot be renamed or deleted');
		expect(f.wechat.callsTo('/cgi-bin/tags/update')).toHaveLength(1);
	});

	test('Delete removes the tag; a tag with more than 100,000 followers is refused (45057) with how to empty it first', async () => {
		f.wechat.tags.push({ id: 300, name: 'Everyone 2025', count: 100_001 });
		const deleted = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'delete', tagId: tagRef(100) } });
		expect(deleted.json).toEqual([{ errcode: 0, errmsg: 'ok', tag: { id: 100 } }]);
		const big = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'delete', tagId: tagRef(300) }, continueOnFail: true });
		expect(big.json[0]).toMatchObject({ errcode: 45057 });
		expect(big.json[0].errorDescription).toContain('Remove the tag from followers (Follower > Remove Tag');
		expect(f.wechat.tags.map((tag) => tag.id)).toEqual([2, 300]);
	});

	test('a create whose answer was lost is settled by looking the name up, and says the tag is new; a tag that was there before is output as existing without a create', async () => {
		f.wechat.injectFault('/cgi-bin/tags/create', 'dropAfterAccept');
		const lost = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring' } });
		expect(lost.json).toEqual([{ tag: { id: 101, name: 'Spring' }, existing: false }]);
		const again = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring' } });
		expect(again.json).toEqual([{ tag: { id: 101, name: 'Spring' }, existing: true }]);
		expect(f.wechat.callsTo('/cgi-bin/tags/create')).toHaveLength(1);
	});
});
