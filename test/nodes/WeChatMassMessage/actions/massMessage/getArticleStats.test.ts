// Get Article Stats against the fake's statistics (test/fake-wechat/publishing.ts), from WeChat's current pages:
// datacube/getarticleread (https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getarticleread) and
// getarticleshare, which replace getarticlesummary ("本接口已停止维护"); "msgid实际上是由msgid(图文消息id,这也就是群发/发布
// 接口调用后返回的msg_data_id)和index(消息次序索引)组成"; end_date "最大值为昨日"; is_delay "数据是否有延迟".
import { type Fixture, startFixture } from '../../fixtures';

const DAY_MS = 24 * 3600 * 1000;
const chinaDate = (daysAgo: number) => new Date(Date.now() + 8 * 3600 * 1000 - daysAgo * DAY_MS).toISOString().slice(0, 10);

describe('Mass Message > Get Article Stats', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	const stats = (parameters: Record<string, unknown>, continueOnFail = false) =>
		f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'getArticleStats', ...parameters }, continueOnFail });

	test('a send\'s msg_data_id over two days: one item per article and day with WeChat\'s read and share figures, others\' articles left out', async () => {
		const [two, one] = [chinaDate(2), chinaDate(1)];
		f.wechat.articleStats.set('2247490001_1', two, { read: { read_user: 4123, read_user_source: [{ user_source: 99999999, read_user: 4123 }] }, share: { share_user: 210 } });
		f.wechat.articleStats.set('2247490001_2', two, { read: { read_user: 800 } });
		f.wechat.articleStats.set('2247490001_1', one, { read: { read_user: 950 }, share: { share_user: 31 } });
		f.wechat.articleStats.set('2247490099_1', one, { read: { read_user: 7 } });
		f.wechat.articleStats.delayedDays.add(one);
		const result = await stats({ msgDataId: '2247490001', fromDate: `${two}T00:00:00`, toDate: one });
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{ msgid: '2247490001_1', msg_data_id: '2247490001', article_index: 1, ref_date: two, read: { read_user: 4123, read_user_source: [{ user_source: 99999999, read_user: 4123 }] }, share: { share_user: 210 }, is_delay: false },
			{ msgid: '2247490001_2', msg_data_id: '2247490001', article_index: 2, ref_date: two, read: { read_user: 800 }, is_delay: false },
			{ msgid: '2247490001_1', msg_data_id: '2247490001', article_index: 1, ref_date: one, read: { read_user: 950 }, share: { share_user: 31 }, is_delay: true },
		]);
		expect(f.wechat.callsTo('/datacube/getarticleread').map((call) => call.body)).toEqual([
			{ begin_date: two, end_date: two },
			{ begin_date: one, end_date: one },
		]);
		expect(f.wechat.callsTo('/datacube/getarticleshare')).toHaveLength(2);
	});

	test('with no dates, yesterday; today or a range over 30 days fails before anything is sent, naming the field', async () => {
		f.wechat.articleStats.set('2247490001_1', chinaDate(1), { read: { read_user: 5 } });
		const yesterday = await stats({ msgDataId: '2247490001' });
		expect(yesterday.json.map((json) => json.ref_date)).toEqual([chinaDate(1)]);
		const today = await stats({ msgDataId: '2247490001', toDate: chinaDate(0) }, true);
		expect(today.json[0].error).toBe(`Item 1, "To Date": ${chinaDate(0)} is not over yet in China; WeChat gives figures up to yesterday, ${chinaDate(1)}`);
		const long = await stats({ msgDataId: '2247490001', fromDate: chinaDate(40), toDate: chinaDate(1) }, true);
		expect(long.json[0].error).toBe(`Item 1, "From Date": ${chinaDate(40)} to ${chinaDate(1)} is 40 days; read at most 30 in one run`);
		const notAnId = await stats({ msgDataId: 'msg-1' }, true);
		expect(notAnId.json[0].error).toBe('Item 1, "Message Data ID": "msg-1" is not a msg_data_id (digits)');
		expect(f.wechat.callsTo('/datacube/getarticleread')).toHaveLength(1);
	});

	test('the msg_data_id of a Draft > Publish reads the same way', async () => {
		f.wechat.drafts.set('DRAFT_S', { mediaId: 'DRAFT_S', articles: [{ title: 'Stats', author: '', digest: '', content: '<p>x</p>', content_source_url: '', thumb_media_id: 'T', show_cover_pic: 0, need_open_comment: 0, only_fans_can_comment: 0, url: '' }], updateTime: 1 });
		const published = await f.env.n8n.run({ parameters: { resource: 'draft', operation: 'publish', draftMediaId: { __rl: true, mode: 'id', value: 'DRAFT_S' }, waitUntilPublished: false } });
		const msgDataId = String(published.json[0].msg_data_id);
		f.wechat.articleStats.set(`${msgDataId}_1`, chinaDate(1), { read: { read_user: 12 } });
		const result = await stats({ msgDataId });
		expect(result.json).toEqual([{ msgid: `${msgDataId}_1`, msg_data_id: msgDataId, article_index: 1, ref_date: chinaDate(1), read: { read_user: 12 }, is_delay: false }]);
	});

	test('left at its default (yesterday) for a send made today: an item that says which days were read and why there is nothing yet, so the workflow goes on', async () => {
		const result = await stats({ msgDataId: '2247490001' });
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				msg_data_id: '2247490001',
				begin_date: chinaDate(1),
				end_date: chinaDate(1),
				is_delay: false,
				figures: false,
				reason: expect.stringContaining('WeChat counts a day once it is over in China (figures for today come tomorrow)'),
			},
		]);
		expect(result.hints.map((hint) => hint.message)).toEqual([expect.stringContaining(`WeChat has no figures for msg_data_id 2247490001 from ${chinaDate(1)} to ${chinaDate(1)} (China time)`)]);
	});
});
