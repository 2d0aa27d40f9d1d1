import { startFixture, type Fixture } from '../../fixtures';

const DELETE = '/cgi-bin/message/mass/delete';
const base = { resource: 'massMessage', operation: 'delete' };

describe('Mass Message > Delete', () => {
	let f: Fixture;
	let msgId: number;
	beforeEach(async () => {
		f = await startFixture();
		const sent = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'mpnews', articleMediaId: 'NEWS_MEDIA_ID' } });
		msgId = sent.json[0].msg_id as number;
	});
	afterEach(async () => f.wechat.stop());

	test('all articles of a message, by message ID given as text', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, deleteBy: 'messageId', messageId: '={{ $json.id }}', articleIndex: 0 }, items: [{ json: { id: String(msgId) } }] });
		expect(f.wechat.callsTo(DELETE).map((call) => call.body)).toEqual([{ msg_id: msgId, article_idx: 0 }]);
		expect(result.json).toEqual([{ errcode: 0, errmsg: 'ok', msg_id: msgId, article_idx: 0 }]);
		expect(msgId).toBeGreaterThan(2 ** 31);
	});

	test('one article, by URL', async () => {
		await f.env.n8n.run({ parameters: { ...base, deleteBy: 'articleUrl', articleUrl: 'https://mp.weixin.qq.com/s/abc', articleIndex: 2 } });
		expect(f.wechat.callsTo(DELETE).map((call) => call.body)).toEqual([{ url: 'https://mp.weixin.qq.com/s/abc', article_idx: 2 }]);
	});

	test.each([
		[{ deleteBy: 'messageId', messageId: '12ab', articleIndex: 0 }, 'Item 1, "Message ID": "12ab" is not a msg_id (a positive whole number)'],
		[{ deleteBy: 'messageId', messageId: '1', articleIndex: '={{ 9 }}' }, 'Item 1, "Article": must be a whole number from 0 to 8, got 9'],
		[{ deleteBy: 'articleUrl', articleUrl: 'mp.weixin.qq.com/s/x', articleIndex: 0 }, 'Item 1, "Article URL": "mp.weixin.qq.com/s/x" is not a URL'],
	])('refuses %j before sending', async (fields, message) => {
		const result = await f.env.n8n.run({ parameters: { ...base, ...fields } });
		expect(result.error?.message).toBe(message);
		expect(f.wechat.callsTo(DELETE)).toHaveLength(0);
	});

	test('is retried when WeChat is busy, since deleting twice changes nothing', async () => {
		f.wechat.injectFault(DELETE, 'busy', 2);
		const result = await f.env.n8n.run({ parameters: { ...base, deleteBy: 'messageId', messageId: String(msgId), articleIndex: 0 } });
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo(DELETE)).toHaveLength(3);
	});

	test('an unknown message ID gets WeChat\'s 40059 explained', async () => {
		const result = await f.env.n8n.run({ parameters: { ...base, deleteBy: 'messageId', messageId: '999', articleIndex: 0 } });
		expect(result.error?.message).toBe('WeChat error 40059: invalid msg id');
		expect(result.error?.description).toContain('does not exist');
	});
});
