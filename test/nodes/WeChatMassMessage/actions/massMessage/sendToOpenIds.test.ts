import { startFixture, openId, type Fixture } from '../../fixtures';

const SEND = '/cgi-bin/message/mass/send';
const base = { resource: 'massMessage', operation: 'sendToOpenIds', messageType: 'text', text: 'Hi' };

describe('Mass Message > Send to OpenIDs', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const touser = () => f.wechat.callsTo(SEND).map((call) => (call.body as { touser: string[] }).touser);

	describe('one send per item', () => {
		test('each item\'s list, given as an array or as text, is one send paired with its item', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, mode: 'perItem', openIds: '={{ $json.ids }}', text: '={{ $json.text }}' },
				items: [{ json: { ids: [openId(1), openId(2)], text: 'Hi A' } }, { json: { ids: `${openId(3)}\n${openId(4)}, ${openId(3)}`, text: 'Hi B' } }],
			});
			expect(result.error).toBeUndefined();
			expect(touser().map((list) => [...list].sort())).toEqual([
				[openId(1), openId(2)],
				[openId(3), openId(4)],
			]);
			expect(f.wechat.callsTo(SEND)[0].body).toEqual({
				touser: expect.arrayContaining([openId(1), openId(2)]),
				msgtype: 'text',
				text: { content: 'Hi A' },
				send_ignore_reprint: 0,
				clientmsgid: expect.any(String),
			});
			expect(result.items.map((item) => [item.json.recipientCount, item.json.batch, item.json.batchCount, item.pairedItem])).toEqual([
				[2, 1, 1, [{ item: 0 }]],
				[2, 1, 1, [{ item: 1 }]],
			]);
			expect(result.json[0]).toMatchObject({ errcode: 0, msg_id: f.wechat.accepted[0].msgId, duplicate: false });
		});

		test('more than three malformed OpenIDs are counted', async () => {
			const result = await f.env.n8n.run({ parameters: { ...base, mode: 'perItem', openIds: 'a,b,c,d,e' } });
			expect(result.error?.message).toBe('Item 1, "OpenIDs": "a", "b", "c" and 2 more are not OpenIDs (28 letters, digits, - or _)');
		});

		test('a single OpenID is refused with a pointer to Preview', async () => {
			const result = await f.env.n8n.run({ parameters: { ...base, mode: 'perItem', openIds: openId(1) } });
			expect(result.error?.message).toBe('Item 1, "OpenIDs": WeChat sends a mass message to at least 2 OpenIDs; to message one person, use the Preview operation');
			expect(f.wechat.calls).toHaveLength(0);
		});

		test('malformed OpenIDs are named, before anything is sent', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, mode: 'perItem', openIds: '={{ $json.ids }}' },
				items: [{ json: { ids: [openId(1), openId(2)] } }, { json: { ids: [openId(3), 'bad-1', 'also bad', openId(4)] } }],
			});
			expect(result.error?.message).toBe('Item 2, "OpenIDs": "bad-1", "also", "bad" are not OpenIDs (28 letters, digits, - or _)');
			expect(f.wechat.calls).toHaveLength(0);
		});
	});

	describe('one send for all items', () => {
		test('collects the OpenIDs of all items, without repeats, into one send paired with every item', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, mode: 'combined', openIds: '={{ $json.openid }}' },
				items: [1, 2, 1, 3].map((n) => ({ json: { openid: openId(n) } })),
			});
			expect(touser().map((list) => [...list].sort())).toEqual([[openId(1), openId(2), openId(3)]]);
			expect(result.items).toHaveLength(1);
			expect(result.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
		});

		test('25,000 input items make 4 sends (4 parts of the fingerprints\' range) with the right recipients', async () => {
			const items = Array.from({ length: 25000 }, (_, i) => ({ json: { openid: openId(i) } }));
			const result = await f.env.n8n.run({ parameters: { ...base, mode: 'combined', openIds: '={{ $json.openid }}' }, items });
			expect(result.error).toBeUndefined();
			const sent = touser();
			expect(sent).toHaveLength(4);
			// A follower's call depends on its fingerprint alone: about a quarter each, never over 10,000.
			for (const list of sent) expect(list.length).toBeGreaterThan(5500);
			expect(sent.flat().sort()).toEqual(items.map((item) => item.json.openid).sort());
			expect(result.json.map((json) => [json.batch, json.batchCount, json.recipientCount])).toEqual(sent.map((list, n) => [n + 1, 4, list.length]));
			const indexOf = new Map(items.map((item, index) => [item.json.openid, index]));
			expect(result.items[1].pairedItem).toEqual(sent[1].map((id) => indexOf.get(id)!).sort((a, b) => a - b).map((item) => ({ item })));
			const ids = f.wechat.callsTo(SEND).map((call) => (call.body as { clientmsgid: string }).clientmsgid);
			expect(new Set(ids).size).toBe(4);
		});

		test('a user key gives each call its own clientmsgid from the key and its recipients, the same on every run', async () => {
			const items = Array.from({ length: 10001 }, (_, i) => ({ json: { openid: openId(i) } }));
			const parameters = { ...base, mode: 'combined', openIds: '={{ $json.openid }}', options: { clientMsgId: 'newsletter-48' } };
			await f.env.n8n.run({ parameters, items });
			const ids = f.wechat.callsTo(SEND).map((call) => (call.body as { clientmsgid: string }).clientmsgid);
			expect(ids).toHaveLength(2);
			expect(ids[1]).not.toBe(ids[0]);
			f.wechat.calls.length = 0;
			await new Promise((resolve) => setTimeout(resolve, 200));
			const again = await f.env.n8n.run({ parameters, items: [...items].reverse() });
			expect(f.wechat.callsTo(SEND).map((call) => (call.body as { clientmsgid: string }).clientmsgid)).toEqual(ids);
			expect(again.json.map((json) => [json.errcode, json.duplicate])).toEqual([
				[45065, true],
				[45065, true],
			]);
			expect(f.wechat.accepted).toHaveLength(2);
		});

		test('one recipient in total is refused with a pointer to Preview', async () => {
			const result = await f.env.n8n.run({
				parameters: { ...base, mode: 'combined', openIds: '={{ $json.openid }}' },
				items: [{ json: { openid: openId(1) } }, { json: { openid: openId(1) } }],
			});
			expect(result.error?.message).toContain('to message one person, use the Preview operation');
			expect(f.wechat.calls).toHaveLength(0);
		});
	});

	test('fewer than 2 valid OpenIDs per WeChat (40130) is explained', async () => {
		f.wechat.injectAnswer(SEND, { errcode: 40130, errmsg: 'invalid openid list size' });
		const result = await f.env.n8n.run({ parameters: { ...base, mode: 'perItem', openIds: `${openId(1)},${openId(2)}` } });
		expect(result.error?.description).toContain('use the Preview operation');
	});
});
