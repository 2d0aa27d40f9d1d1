// Version 2 turned Article and Tag into pickers (resource locators). Workflows saved with version 1 hold
// plain values (a string, the tag dropdown's number) and keep working; version 2 takes both shapes.
import type { IDataObject } from 'n8n-workflow';

import { type Fixture, startFixture } from '../fixtures';

const articleToTag = (tagId: unknown, articleMediaId: unknown): IDataObject => ({
	resource: 'massMessage',
	operation: 'sendToTag',
	sendTo: 'tag',
	tagId,
	messageType: 'mpnews',
	articleMediaId,
} as IDataObject);

describe('node versions', () => {
	let f: Fixture;
	beforeEach(async () => {
		f = await startFixture();
		f.wechat.registerDraft('DRAFT_A', ['Spring sale']);
	});
	afterEach(async () => f.wechat.stop());

	test.each([
		['version 1 with the values it saved', 1, 100, 'DRAFT_A'],
		['version 2 with picked values', 2, { __rl: true, mode: 'list', value: '100', cachedResultName: 'VIP customers' }, { __rl: true, mode: 'list', value: 'DRAFT_A' }],
		['version 2 with IDs typed in', 2, { __rl: true, mode: 'id', value: ' 100 ' }, { __rl: true, mode: 'id', value: '={{ "DRAFT_A" }}' }],
		['version 2 given plain values, as an older version saved them', 2, 100, 'DRAFT_A'],
	])('%s sends the draft to the tag', async (_case, typeVersion, tagId, articleMediaId) => {
		const result = await f.env.n8n.run({ typeVersion, parameters: articleToTag(tagId, articleMediaId) });
		expect(result.error).toBeUndefined();
		expect(f.wechat.accepted.map((send) => [send.body.filter, send.body.mpnews])).toEqual([[{ is_to_all: false, tag_id: 100 }, { media_id: 'DRAFT_A' }]]);
	});

	test.each([
		[1, '={{ "" }}', 'Item 1, "Tag Name or ID": choose a tag, or set Send To to All Followers'],
		// n8n itself refuses a literal empty or non-numeric ID; values from expressions reach the node.
		[2, { __rl: true, mode: 'id', value: '={{ "" }}' }, 'Item 1, "Tag": choose a tag, or set Send To to All Followers'],
		[2, { __rl: true, mode: 'id', value: '={{ "vip" }}' }, 'Item 1, "Tag": "vip" is not a tag ID'],
	])('version %i: an empty or non-numeric tag from an expression is refused, named as that version shows it', async (typeVersion, tagId, message) => {
		const result = await f.env.n8n.run({ typeVersion, parameters: articleToTag(tagId, 'DRAFT_A') });
		expect(result.error?.message).toBe(message);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});

	test.each([
		[3, 'the clientmsgid WeChat got', (clientmsgid: string) => clientmsgid],
		[4, 'the key the user gave, empty when derived', () => ''],
	])('version %i outputs as clientMsgId %s, and what WeChat got as clientmsgid', async (typeVersion, _what, expected) => {
		const result = await f.env.n8n.run({ typeVersion, parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Hi' } });
		const clientmsgid = (f.wechat.accepted[0].body as { clientmsgid: string }).clientmsgid;
		expect(result.json[0]).toMatchObject({ clientMsgId: expected(clientmsgid), clientmsgid });
	});

	test('version 1 keeps Media > Upload (temporary) as its default operation; version 2 defaults to Upload Permanent', async () => {
		const png = { json: {}, binary: { data: { data: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), mimeType: 'image/png', fileName: 'a.png' } } };
		await f.env.n8n.run({ typeVersion: 1, parameters: { resource: 'media' }, items: [png] });
		await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'media' }, items: [png] });
		expect(f.wechat.apiCalls().map((call) => call.path)).toEqual(['/cgi-bin/media/upload', '/cgi-bin/material/add_material']);
	});
});
