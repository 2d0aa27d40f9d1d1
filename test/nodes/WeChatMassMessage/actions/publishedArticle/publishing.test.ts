// Draft > Publish and Published Article against the fake's publishing (test/fake-wechat/publishing.ts), whose rules
// come from WeChat's freepublish pages (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit,
// api_freepublish_get: "0:成功, 1:发布中，2:原创失败, 3: 常规失败, 4:平台审核不通过, 5:成功后用户删除所有文章, 6: 成功后系统封禁所有文章",
// api_freepublish_batchget: count "取值在1到20之间", api_freepublishdelete: "第一篇编号为1，该字段不填或填0会删除全部文章").
import type { DraftArticleRecord } from '../../../../fake-wechat/server';
import { type Fixture, startFixture } from '../../fixtures';

const draftRef = (mediaId: string) => ({ __rl: true, mode: 'id', value: mediaId });

function article(title: string): DraftArticleRecord {
	return { title, author: '', digest: '', content: `<p>${title}</p>`, content_source_url: '', thumb_media_id: 'THUMB', show_cover_pic: 0, need_open_comment: 0, only_fans_can_comment: 0, url: '' };
}

describe('Draft > Publish and Published Article', () => {
	let f: Fixture;
	beforeEach(async () => {
		f = await startFixture({ publishingDurationMs: 300 });
		for (const [mediaId, titles] of [['DRAFT_A', ['Spring sale', 'Lookbook']], ['DRAFT_B', ['Store opening']]] as const) {
			f.wechat.drafts.set(mediaId, { mediaId, articles: titles.map(article), updateTime: 1764547200 });
		}
	});
	afterEach(async () => f.wechat.stop());

	const publish = (mediaId: string, extra: Record<string, unknown> = {}) =>
		f.env.n8n.run({ parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef(mediaId), pollIntervalSeconds: 1, ...extra } });

	test('publishes a draft and waits until WeChat has published it: publish_id, msg_data_id, article_id and its URLs', async () => {
		const result = await publish('DRAFT_A');
		expect(result.error).toBeUndefined();
		const [job] = f.wechat.publisher.jobs.values();
		expect(result.json).toEqual([
			{
				errcode: 0,
				errmsg: 'ok',
				publish_id: job.publishId,
				msg_data_id: String(job.msgDataId),
				publish_status: 0,
				publishStatusMeaning: 'published',
				finished: true,
				article_id: job.articleId,
				article_detail: { count: 2, item: [{ idx: 1, article_url: expect.stringContaining('idx=1') }, { idx: 2, article_url: expect.stringContaining('idx=2') }] },
				fail_idx: [],
				media_id: 'DRAFT_A',
			},
		]);
		expect(f.wechat.callsTo('/cgi-bin/freepublish/get').length).toBeGreaterThanOrEqual(2);
		// "被群发或发布后，该素材将从草稿箱中移除" (api_draft_add).
		expect(f.wechat.drafts.has('DRAFT_A')).toBe(false);
	});

	test('a failed publish says which articles failed and why; without waiting, only the submit', async () => {
		f.wechat.publisher.nextOutcomes.push({ status: 2, failIdx: [2] });
		const failed = await publish('DRAFT_A');
		expect(failed.json[0]).toMatchObject({ publish_status: 2, publishStatusMeaning: 'originality check failed: the articles in fail_idx were not published', failedArticles: [2], finished: true });
		const noWait = await publish('DRAFT_B', { waitUntilPublished: false });
		expect(noWait.json[0]).toEqual({ errcode: 0, errmsg: 'ok', publish_id: expect.any(String), msg_data_id: expect.any(String), media_id: 'DRAFT_B' });
		const status = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'getPublishStatus', publishId: noWait.json[0].publish_id } });
		expect(status.json[0]).toMatchObject({ publish_status: 1, publishStatusMeaning: 'publishing', finished: false });
	});

	test('a draft that is no longer in the draft box is refused with what to do, and a submit is never sent twice', async () => {
		f.wechat.injectFault('/cgi-bin/freepublish/submit', 'dropAfterAccept');
		const lost = await f.env.n8n.run({ parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef('DRAFT_A') }, continueOnFail: true });
		expect(lost.json[0].error).toContain('was not sent again');
		expect(f.wechat.callsTo('/cgi-bin/freepublish/submit')).toHaveLength(1);
		const again = await publish('DRAFT_A');
		expect(again.error?.message).toBe('WeChat error 40007: invalid media_id');
		expect(again.error?.description).toContain('already published');
	});

	test('Get Many lists the publishes, newest first, 20 per call; Get reads one; Delete removes an article, then all', async () => {
		await publish('DRAFT_A');
		await publish('DRAFT_B');
		const listed = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'getAll', returnAll: true, includeContent: false } });
		expect(listed.json.map((json) => (json.content as { news_item: Array<{ title: string }> }).news_item.map((item) => item.title))).toEqual([['Store opening'], ['Spring sale', 'Lookbook']]);
		expect(f.wechat.callsTo('/cgi-bin/freepublish/batchget').map((call) => call.body)).toEqual([{ offset: 0, count: 20, no_content: 1 }]);
		const articleId = String(listed.json[1].article_id);
		const got = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'get', articleId } });
		expect(got.json[0]).toMatchObject({ article_id: articleId, news_item: [{ title: 'Spring sale', is_deleted: false }, { title: 'Lookbook', is_deleted: false }] });
		const second = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'delete', articleId, articleIndex: 2 } });
		expect(second.json).toEqual([{ errcode: 0, errmsg: 'ok', article_id: articleId, index: 2 }]);
		const afterOne = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'get', articleId } });
		expect((afterOne.json[0].news_item as Array<{ is_deleted: boolean }>).map((item) => item.is_deleted)).toEqual([false, true]);
		await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'delete', articleId, articleIndex: 0 } });
		const remaining = await f.env.n8n.run({ parameters: { resource: 'publishedArticle', operation: 'getAll', returnAll: true } });
		expect(remaining.json.map((json) => json.article_id)).toEqual([listed.json[0].article_id]);
	});

	// "2025年7月起，个人主体账号、企业主体未认证账号及不支持认证的账号将被回收以上接口的调用权限" (https://developers.weixin.qq.com/doc/service/guide/product/publish.html).
	test('an account without the publishing API gets 48001 explained: since July 2025 not for personal or unverified accounts', async () => {
		f.wechat.injectAnswer('/cgi-bin/freepublish/submit', { errcode: 48001, errmsg: 'api unauthorized' });
		const result = await publish('DRAFT_A', { waitUntilPublished: false });
		expect(result.error?.message).toBe('WeChat error 48001: api unauthorized');
		expect(result.error?.description).toContain('July 2025');
		// The codes of the submit page's table (https://developers.weixin.qq.com/doc/service/Publish/Publish.html): "53503 该草稿未通过发布检查".
		f.wechat.injectAnswer('/cgi-bin/freepublish/submit', { errcode: 53503, errmsg: 'draft not pass publish check' });
		const unchecked = await publish('DRAFT_A', { waitUntilPublished: false });
		expect(unchecked.error?.description).toContain('did not pass WeChat\'s checks for publishing');
	});

	test('when the status cannot be read after the submit (WeChat keeps answering 502), the error says the draft was submitted, with its publish_id and msg_data_id; Retry On Fail does not submit it again', async () => {
		// Every attempt of the first try (4) fails; the second try reads the status.
		f.wechat.injectFault('/cgi-bin/freepublish/get', 'http502', 4);
		const result = await f.env.n8n.run({
			parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef('DRAFT_A'), pollIntervalSeconds: 1 },
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		const [job] = f.wechat.publisher.jobs.values();
		expect(f.wechat.callsTo('/cgi-bin/freepublish/submit')).toHaveLength(1);
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toMatchObject({ publish_id: job.publishId, publish_status: 0, finished: true });
	});

	test('the error after a submit names what was done, so a workflow with Continue On Fail can carry on from it', async () => {
		f.wechat.injectFault('/cgi-bin/freepublish/get', 'http502', 100);
		const result = await f.env.n8n.run({ parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef('DRAFT_A'), pollIntervalSeconds: 1 }, continueOnFail: true });
		const [job] = f.wechat.publisher.jobs.values();
		expect(result.json).toEqual([
			expect.objectContaining({ error: `The draft was submitted for publishing (publish_id ${job.publishId}), but its status could not be read`, publish_id: job.publishId, msg_data_id: String(job.msgDataId), media_id: 'DRAFT_A' }),
		]);
		expect(String(result.json[0].errorDescription)).toContain('WeChat answered HTTP 502 after 4 attempts.');
		expect(String(result.json[0].errorDescription)).toContain('Do not publish the draft again');
	});

	test('a Poll Interval of 0 is refused before the draft is submitted', async () => {
		const result = await f.env.n8n.run({ parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef('DRAFT_A'), pollIntervalSeconds: '={{ 0 }}' }, nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(result.error?.message).toBe('Item 1, "Poll Interval (Seconds)": must be a number of seconds from 0.1 to 86,400, got 0');
		expect(f.wechat.callsTo('/cgi-bin/freepublish/submit')).toHaveLength(0);
	});

	test('Stop while waiting for a publish ends the execution within a second, saying what was done', async () => {
		await f.wechat.stop();
		f = await startFixture({ publishingDurationMs: 60_000 });
		f.wechat.drafts.set('DRAFT_A', { mediaId: 'DRAFT_A', articles: [article('Spring sale')], updateTime: 1764547200 });
		const started = Date.now();
		const result = await f.env.n8n.run({
			parameters: { resource: 'draft', operation: 'publish', draftMediaId: draftRef('DRAFT_A'), pollIntervalSeconds: 30, timeLimitSeconds: 300 },
			stopWhen: new Promise((resolve) => setTimeout(resolve, 800)),
		});
		expect(Date.now() - started).toBeLessThan(800 + 1000);
		const nodeError = result.run.data.resultData.runData.WeChat?.[0]?.error;
		expect(nodeError?.message).toMatch(/^The draft was submitted for publishing \(publish_id \d+\)/);
		expect(nodeError?.description).toContain('The execution was stopped while waiting for the publish to finish');
	});
});
