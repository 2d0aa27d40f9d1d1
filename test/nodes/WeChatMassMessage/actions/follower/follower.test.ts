// Follower: Add Tag, Remove Tag, Get Many, Get Many in a Tag, Get Tags and Get against the fake's followers.
// The rules: "粉丝openid列表，最多50个" and "标签功能目前支持公众号为用户打上最多20个标签" (api_batchtagging,
// https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_batchtagging); "一次拉取调用最多拉取10000个关注者的OpenID"
// (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_getfans); "最多支持一次拉取100条"
// (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_batchuserinfo); 40003 for an OpenID that
// does not follow, 49003 for another account's, 45059 over 20 tags (old User_Tag_Management page).
import type { IDataObject } from 'n8n-workflow';

import { generatedOpenId } from '../../../../fake-wechat/audience';
import { type Fixture, startFixture } from '../../fixtures';

const tagRef = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });
const followers = (count: number, from = 0) => Array.from({ length: count }, (_, index) => generatedOpenId(from + index));
const itemsOf = (openIds: string[]) => openIds.map((openid) => ({ json: { openid } }));

describe('Follower', () => {
	let f: Fixture;
	beforeEach(async () => {
		f = await startFixture();
		f.wechat.audience.generateFollowers(25_000);
	});
	afterEach(async () => f.wechat.stop());

	const tagging = (operation: 'addTag' | 'removeTag', tagId: number, items: Array<{ json: IDataObject }>, continueOnFail = false) =>
		f.env.n8n.run({ parameters: { resource: 'follower', operation, tagId: tagRef(tagId), openIds: '={{ $json.openid }}' }, items, continueOnFail });

	test('Add Tag: 120 followers from 120 items go in 3 calls of at most 50; each item says which call carried it', async () => {
		const openIds = followers(120);
		const result = await tagging('addTag', 100, itemsOf(openIds));
		expect(result.error).toBeUndefined();
		const calls = f.wechat.callsTo('/cgi-bin/tags/members/batchtagging').map((call) => call.body as { openid_list: string[]; tagid: number });
		expect(calls.map((call) => [call.tagid, call.openid_list.length])).toEqual([
			[100, 40],
			[100, 40],
			[100, 40],
		]);
		expect(calls.flatMap((call) => call.openid_list)).toEqual(openIds);
		expect(result.json[0]).toEqual({ tagid: 100, openid_list: [openIds[0]], calls: [{ call: 1, openidCount: 40 }] });
		expect(result.json[119]).toEqual({ tagid: 100, openid_list: [openIds[119]], calls: [{ call: 3, openidCount: 40 }] });
		expect(f.wechat.audience.membersOf(100)).toEqual(openIds);
		expect(f.wechat.tags.find((tag) => tag.id === 100)?.count).toBe(3456 + 120);
	});

	test('an OpenID in several items, or in a list, goes to WeChat once; running the step again changes nothing', async () => {
		const [a, b, c] = followers(3);
		const items = [{ json: { openid: `${a}, ${b}` } }, { json: { openid: [b, c] } }, { json: { openid: a } }];
		const first = await tagging('addTag', 100, items);
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchtagging').map((call) => (call.body as { openid_list: string[] }).openid_list)).toEqual([[a, b, c]]);
		expect(first.json.map((json) => json.openid_list)).toEqual([[a, b], [b, c], [a]]);
		const again = await tagging('addTag', 100, items);
		expect(again.error).toBeUndefined();
		expect(f.wechat.audience.membersOf(100)).toEqual([a, b, c]);
		expect(f.wechat.tags.find((tag) => tag.id === 100)?.count).toBe(3456 + 3);
	});

	test('a call whose answer was lost is made again: tagging twice is tagging once', async () => {
		f.wechat.injectFault('/cgi-bin/tags/members/batchtagging', 'dropAfterAccept');
		const result = await tagging('addTag', 100, itemsOf(followers(2)));
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchtagging')).toHaveLength(2);
		expect(f.wechat.audience.membersOf(100)).toHaveLength(2);
	});

	test('an OpenID that is not one fails its item before anything is sent, naming item and field', async () => {
		const result = await tagging('addTag', 100, [{ json: { openid: generatedOpenId(1) } }, { json: { openid: 'not-an-openid' } }]);
		expect(result.error?.message).toBe('Item 2, "OpenIDs": "not-an-openid" is not an OpenID (28 letters, digits, - or _)');
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchtagging')).toHaveLength(0);
	});

	test('followers WeChat refuses (not following, another account\'s, 20 tags already) are found by splitting the call; the rest are tagged', async () => {
		const openIds = followers(50);
		const stranger = 'oStranger0000000000000000001';
		const foreign = 'oForeign00000000000000000001';
		f.wechat.audience.foreignOpenIds.add(foreign);
		f.wechat.audience.addFollowers([foreign]);
		for (let tag = 0; tag < 20; tag++) {
			f.wechat.tags.push({ id: 400 + tag, name: `T${tag}`, count: 0 });
			f.wechat.audience.tagging({ openid_list: [openIds[7]], tagid: 400 + tag }, false);
		}
		const items = itemsOf([...openIds.slice(0, 10), stranger, foreign, ...openIds.slice(10)]);
		const result = await tagging('addTag', 100, items, true);
		const refused = result.json.filter((json) => json.error !== undefined);
		expect(refused.map((json) => [json.openid_list, (json.refused as Array<{ errcode: number }>)[0].errcode])).toEqual([
			[[openIds[7]], 45059],
			[[stranger], 40003],
			[[foreign], 49003],
		]);
		expect(refused[0].error).toBe('Item 8, "OpenIDs": WeChat refused 1 of 1 follower');
		expect(refused[0].errorDescription).toBe(
			`${openIds[7]} (errcode 45059 fans tag count exceeds the limit: A follower already carries 20 tags, the most WeChat allows. Remove one of their tags first.). The other followers were tagged; running the step again is harmless.`,
		);
		expect(f.wechat.audience.membersOf(100).sort()).toEqual(openIds.filter((openId) => openId !== openIds[7]).sort());
		// 52 OpenIDs in 2 calls, each refused and split down to the three followers.
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchtagging').length).toBeLessThan(2 + 3 * 2 * Math.ceil(Math.log2(50)));
	});

	test('without Continue On Fail a refused follower fails the node after the others were tagged, saying re-running is harmless', async () => {
		const result = await tagging('addTag', 100, itemsOf([generatedOpenId(0), 'oStranger0000000000000000001']));
		expect(result.error?.message).toBe('Item 2, "OpenIDs": WeChat refused 1 of 1 follower');
		expect(result.error?.description).toContain('oStranger0000000000000000001 (errcode 40003 invalid openid');
		expect(f.wechat.audience.membersOf(100)).toEqual([generatedOpenId(0)]);
	});

	test('a tag that does not exist is refused before anything is sent, naming the account\'s tags', async () => {
		const result = await tagging('addTag', 999, itemsOf(followers(3)));
		expect(result.error?.message).toBe('Item 1, "Tag": the account has no tag 999 (its tags: 2 星标组, 100 VIP customers)');
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchtagging')).toHaveLength(0);
	});

	test('a tag deleted meanwhile: WeChat\'s 45159 in the message, how many were done in the description; with Continue On Fail, only that tag\'s items fail', async () => {
		f.wechat.tags.push({ id: 300, name: 'Gone soon', count: 0 });
		// Another run deletes tag 300 after this run read the account's tags.
		f.wechat.onRequest = (call) => {
			const gone = f.wechat.tags.findIndex((tag) => tag.id === 300);
			if (call.path === '/cgi-bin/tags/members/batchtagging' && gone >= 0) f.wechat.tags.splice(gone, 1);
		};
		const result = await f.env.n8n.run({
			parameters: { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: '={{ $json.tag }}' }, openIds: '={{ $json.openid }}' },
			items: [{ json: { tag: 300, openid: generatedOpenId(1) } }, { json: { tag: 100, openid: generatedOpenId(2) } }],
			typeVersion: 4,
			continueOnFail: true,
		});
		f.wechat.onRequest = undefined;
		expect(result.json[0]).toMatchObject({ error: 'WeChat error 45159: invalid tag id', errcode: 45159, errmsg: 'invalid tag id' });
		expect(result.json[0].errorDescription).toMatch(/^Tag 300: 0 of the 1 followers were tagged before; running the step again is harmless\./);
		expect(result.json[1]).toMatchObject({ tagid: 100, openid_list: [generatedOpenId(2)] });
	});

	test('Remove Tag takes the tag from followers who have it, in calls of at most 50', async () => {
		const openIds = followers(60);
		await tagging('addTag', 100, itemsOf(openIds));
		const result = await tagging('removeTag', 100, itemsOf(openIds.slice(0, 55)));
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo('/cgi-bin/tags/members/batchuntagging').map((call) => (call.body as { openid_list: string[] }).openid_list.length)).toEqual([28, 27]);
		expect(f.wechat.audience.membersOf(100)).toEqual(openIds.slice(55));
	});

	test('Get Many pages through user/get by next_openid: Return All reads 25,000 followers in 3 pages and stops at the end', async () => {
		const all = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAll', returnAll: true } });
		expect(all.json).toHaveLength(25_000);
		expect(all.json[0]).toEqual({ openid: generatedOpenId(0) });
		expect(all.json[24_999]).toEqual({ openid: generatedOpenId(24_999) });
		// The third page's next_openid is its last OpenID, as followers report; the call after it answers count 0.
		expect(f.wechat.callsTo('/cgi-bin/user/get').map((call) => call.query.next_openid ?? '')).toEqual(['', generatedOpenId(9_999), generatedOpenId(19_999), generatedOpenId(24_999)]);
		const limited = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAll', returnAll: false, limit: 3, options: { startAfter: generatedOpenId(9) } } });
		expect(limited.json).toEqual([{ openid: generatedOpenId(10) }, { openid: generatedOpenId(11) }, { openid: generatedOpenId(12) }]);
	});

	test('Get Many with Continue On Fail: a page that fails mid-way keeps the followers read, then an error item with the next_openid to continue from', async () => {
		// 25,000 followers (see beforeEach): the first page answers, then every attempt at the second fails.
		f.wechat.injectAnswerAt('/cgi-bin/user/get', 2, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const result = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAll', returnAll: true }, continueOnFail: true });
		expect(result.json).toHaveLength(10_001);
		const failed = result.json[10_000];
		expect(failed).toMatchObject({ error: 'WeChat error 45009: reach max api daily quota limit', errcode: 45009, followersRead: 10_000, next_openid: generatedOpenId(9_999) });
		expect(String(failed.errorDescription)).toContain(`To continue, set Options > Start After OpenID to ${generatedOpenId(9_999)}.`);
		const resumed = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAll', returnAll: true, options: { startAfter: failed.next_openid } } });
		expect(resumed.json).toHaveLength(15_000);
	});

	test('Get Many in a Tag lists the tag\'s followers; Get Tags gives a follower\'s tagid_list', async () => {
		const openIds = followers(120);
		await tagging('addTag', 100, itemsOf(openIds));
		const inTag = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAllInTag', tagId: tagRef(100), returnAll: true } });
		expect(inTag.json).toEqual(openIds.map((openid) => ({ openid, tagid: 100 })));
		expect(f.wechat.callsTo('/cgi-bin/user/tag/get')[0]).toMatchObject({ method: 'POST', body: { tagid: 100, next_openid: '' } });
		const tags = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getTags', openId: openIds[5] } });
		expect(tags.json).toEqual([{ openid: openIds[5], tagid_list: [100] }]);
	});

	test('Get reads 150 followers from items in 2 calls of at most 100; one not following fails only its item with Continue On Fail', async () => {
		const openIds = followers(150);
		const items = itemsOf([...openIds.slice(0, 70), 'oStranger0000000000000000001', ...openIds.slice(70)]);
		const result = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'get', openIds: '={{ $json.openid }}', lang: 'en' }, items, continueOnFail: true });
		expect(result.json).toHaveLength(151);
		expect(result.json[0]).toMatchObject({ subscribe: 1, openid: openIds[0], tagid_list: [], subscribe_scene: 'ADD_SCENE_QR_CODE' });
		expect(result.json[70]).toMatchObject({ openid: 'oStranger0000000000000000001', errcode: 40003 });
		const calls = f.wechat.callsTo('/cgi-bin/user/info/batchget').map((call) => (call.body as { user_list: Array<{ lang: string }> }).user_list);
		expect(calls[0]).toHaveLength(76);
		expect(calls.every((list) => list.length <= 100 && list.every((entry) => entry.lang === 'en'))).toBe(true);
	});
});

test('the whole path: create a tag, tag 120 followers from items (3 calls), list them, send to the tag, untag, delete', async () => {
	const f = await startFixture();
	try {
		f.wechat.audience.generateFollowers(120);
		const openIds = followers(120);
		const created = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring VIP' } });
		const tagId = (created.json[0].tag as { id: number }).id;
		const tagged = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'addTag', tagId: tagRef(tagId), openIds: '={{ $json.openid }}' }, items: itemsOf(openIds) });
		expect(new Set(tagged.json.flatMap((json) => (json.calls as Array<{ call: number }>).map((call) => call.call)))).toEqual(new Set([1, 2, 3]));
		const listed = await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'getAllInTag', tagId: tagRef(tagId), returnAll: true } });
		expect(listed.json.map((json) => json.openid)).toEqual(openIds);
		const sent = await f.env.n8n.run({
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: tagRef(tagId), messageType: 'text', text: 'Spring sale for our VIPs' },
		});
		expect(sent.error).toBeUndefined();
		expect(f.wechat.accepted.map((send) => [send.body.filter, send.recipients])).toEqual([[{ is_to_all: false, tag_id: tagId }, 120]]);
		await f.env.n8n.run({ parameters: { resource: 'follower', operation: 'removeTag', tagId: tagRef(tagId), openIds: '={{ $json.openid }}' }, items: itemsOf(openIds) });
		expect(f.wechat.tags.find((tag) => tag.id === tagId)?.count).toBe(0);
		const deleted = await f.env.n8n.run({ parameters: { resource: 'tag', operation: 'delete', tagId: tagRef(tagId) } });
		expect(deleted.json).toEqual([{ errcode: 0, errmsg: 'ok', tag: { id: tagId } }]);
		expect(f.wechat.tags.some((tag) => tag.id === tagId)).toBe(false);
	} finally {
		await f.wechat.stop();
	}
});
