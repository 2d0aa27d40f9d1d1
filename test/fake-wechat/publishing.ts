// The fake WeChat's publishing (发布能力): a draft published without a push to followers, its job's
// status, and the published articles, each rule from WeChat's pages under
// https://developers.weixin.qq.com/doc/service/api/public/ (freepublish), cited beside it.
import type { DraftArticleRecord, DraftRecord } from './server';

type Json = Record<string, unknown>;

export interface PublishJob {
	publishId: string;
	msgDataId: number;
	mediaId: string;
	articles: DraftArticleRecord[];
	submittedAt: number;
	/** The status the job reaches once it is no longer publishing (0 success; 2, 3, 4 failures). */
	outcome: number;
	/** Which articles (1-based) failed, for outcomes 2 and 3. */
	failIdx: number[];
	articleId?: string;
	deleted: Set<number>;
}

/**
 * publish_status of freepublish/get (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_get):
 * "0:成功, 1:发布中，2:原创失败, 3: 常规失败, 4:平台审核不通过, 5:成功后用户删除所有文章, 6: 成功后系统封禁所有文章".
 */
export const PUBLISHING = 1;

export class FakePublisher {
	readonly jobs = new Map<string, PublishJob>();
	/** What the next submitted jobs end in (a test sets it): 0 unless told. */
	nextOutcomes: Array<{ status: number; failIdx?: number[] }> = [];
	private nextPublishId = 100000001;

	constructor(
		private readonly drafts: Map<string, DraftRecord>,
		private readonly now: () => number,
		/** How long a job stays "发布中" (1) before it ends. */
		private readonly publishingMs: number,
		private readonly nextMsgDataId: () => number,
	) {}

	/**
	 * freepublish/submit (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit):
	 * {"media_id"} → {"errcode":0,"errmsg":"ok","publish_id":"100000001","msg_data_id":"2247483651"}: the page types both as
	 * string (its subscription copy gives publish_id as int; the old page's example is a string). The draft
	 * leaves the draft box: "被群发或发布后，该素材将从草稿箱中移除" (api_draft_add). An unknown draft: 40007.
	 */
	submit(body: Json): Json {
		const mediaId = String(body.media_id ?? '');
		const draft = this.drafts.get(mediaId);
		if (!draft) return { errcode: 40007, errmsg: 'invalid media_id' };
		this.drafts.delete(mediaId);
		const planned = this.nextOutcomes.shift() ?? { status: 0 };
		const job: PublishJob = {
			publishId: String(this.nextPublishId++),
			msgDataId: this.nextMsgDataId(),
			mediaId,
			articles: draft.articles,
			submittedAt: this.now(),
			outcome: planned.status,
			failIdx: planned.failIdx ?? [],
			deleted: new Set(),
		};
		if (job.outcome === 0) job.articleId = `ARTICLE_${job.publishId}_${job.mediaId.slice(0, 8)}`;
		this.jobs.set(job.publishId, job);
		return { errcode: 0, errmsg: 'ok', publish_id: job.publishId, msg_data_id: String(job.msgDataId) };
	}

	private statusOf(job: PublishJob): number {
		if (this.now() - job.submittedAt < this.publishingMs) return PUBLISHING;
		if (job.outcome === 0 && job.deleted.size >= job.articles.length) return 5;
		return job.outcome;
	}

	/** The job as PUBLISHJOBFINISH reports it (and freepublish/get answers). */
	articleUrl(job: PublishJob, idx: number): string {
		return `https://mp.weixin.qq.com/s?__biz=MzFake&mid=${job.msgDataId}&idx=${idx}&sn=${job.publishId}`;
	}

	/**
	 * freepublish/get (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_get):
	 * {"publish_id"} → publish_id, publish_status, article_id, article_detail {count, item [{idx, article_url}]}, fail_idx.
	 */
	status(body: Json): Json {
		const job = this.jobs.get(String(body.publish_id ?? ''));
		if (!job) return { errcode: 53600, errmsg: 'invalid publish_id' };
		const status = this.statusOf(job);
		const answer: Json = { publish_id: job.publishId, publish_status: status };
		if (status === 0 || status === 5 || status === 6) {
			answer.article_id = job.articleId;
			const live = job.articles.map((_, index) => index + 1).filter((idx) => !job.deleted.has(idx));
			answer.article_detail = { count: live.length, item: live.map((idx) => ({ idx, article_url: this.articleUrl(job, idx) })) };
		}
		answer.fail_idx = status === 2 || status === 3 ? job.failIdx : [];
		return answer;
	}

	private published(): PublishJob[] {
		return [...this.jobs.values()].filter((job) => job.articleId !== undefined && this.statusOf(job) === 0);
	}

	/** freepublish/getarticle (https://developers.weixin.qq.com/doc/service/api/public/api_freepublishgetarticle): {"article_id"} → {news_item: [...]}. */
	article(body: Json): Json {
		const job = [...this.jobs.values()].find((candidate) => candidate.articleId !== undefined && candidate.articleId === body.article_id);
		if (!job || this.statusOf(job) !== 0) return { errcode: 53600, errmsg: 'invalid article_id' };
		return { news_item: job.articles.map((article, index) => ({ ...article, url: this.articleUrl(job, index + 1), is_deleted: job.deleted.has(index + 1) })) };
	}

	/**
	 * freepublish/batchget (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_batchget):
	 * offset, count "取值在1到20之间", no_content → total_count, item_count, item [{article_id, content {news_item}, update_time}].
	 * The page does not say in which order: newest first here, as the draft box.
	 */
	list(body: Json): Json {
		const { offset, count } = body;
		if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return { errcode: 40035, errmsg: 'invalid args' };
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 20) return { errcode: 40035, errmsg: 'invalid args' };
		const newestFirst = this.published().reverse();
		const page = newestFirst.slice(offset, offset + count);
		return {
			total_count: newestFirst.length,
			item_count: page.length,
			item: page.map((job) => ({
				article_id: job.articleId,
				content: {
					news_item: job.articles.map((article, index) => ({
						...(body.no_content === 1 ? { ...article, content: undefined } : article),
						url: this.articleUrl(job, index + 1),
						is_deleted: job.deleted.has(index + 1),
					})),
				},
				update_time: Math.floor(job.submittedAt / 1000),
			})),
		};
	}

	/**
	 * freepublish/delete (https://developers.weixin.qq.com/doc/service/api/public/api_freepublishdelete):
	 * {"article_id","index"}: "要删除的文章在图文消息中的位置，第一篇编号为1，该字段不填或填0会删除全部文章"; "此操作不可逆".
	 */
	delete(body: Json): Json {
		const job = [...this.jobs.values()].find((candidate) => candidate.articleId !== undefined && candidate.articleId === body.article_id);
		if (!job || this.statusOf(job) !== 0) return { errcode: 53600, errmsg: 'invalid article_id' };
		const index = body.index === undefined ? 0 : body.index;
		if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > job.articles.length) return { errcode: 40035, errmsg: 'invalid args' };
		if (index === 0) for (let idx = 1; idx <= job.articles.length; idx++) job.deleted.add(idx);
		else job.deleted.add(index);
		return { errcode: 0, errmsg: 'ok' };
	}
}

/**
 * The fake's article statistics (数据统计 > 图文分析), per article (`msgid` = "<msg_data_id>_<index>", "由msgid(图文
 * 消息id,这也就是群发/发布接口调用后返回的msg_data_id)和index(消息次序索引)组成") and day, as a test sets them:
 * datacube/getarticleread (https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getarticleread: "获取某天所有被
 * 阅读过的发表内容的阅读指标", list [{ref_date, msgid, detail {read_user, read_user_source, ...}}], is_delay) and
 * datacube/getarticleshare (api_getarticleshare, the same shape for shares). end_date "最大值为昨日"; the pages shown give no
 * maximum span, and users report one day ("我测试只可知1天的数据"): here a span over one day is 61501, a date after
 * yesterday (China time) or not YYYY-MM-DD 61500, the codes of WeChat's global table.
 */
export class FakeArticleStats {
	private readonly days = new Map<string, Map<string, { read?: Json; share?: Json }>>();
	/** Days WeChat has not finished counting: their answers carry is_delay true. */
	readonly delayedDays = new Set<string>();

	constructor(private readonly now: () => number) {}

	set(msgid: string, date: string, figures: { read?: Json; share?: Json }): void {
		const byDay = this.days.get(date) ?? new Map<string, { read?: Json; share?: Json }>();
		byDay.set(msgid, { ...byDay.get(msgid), ...figures });
		this.days.set(date, byDay);
	}

	private yesterdayInChina(): string {
		return new Date(this.now() + 8 * 3600 * 1000 - 24 * 3600 * 1000).toISOString().slice(0, 10);
	}

	daily(body: Json, kind: 'read' | 'share'): Json {
		const { begin_date: begin, end_date: end } = body;
		if (typeof begin !== 'string' || typeof end !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(begin) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) return { errcode: 61500, errmsg: 'date format error' };
		if (end > this.yesterdayInChina() || begin > end) return { errcode: 61500, errmsg: 'date format error' };
		if (begin !== end) return { errcode: 61501, errmsg: 'date range error' };
		const list = [...(this.days.get(begin) ?? new Map<string, { read?: Json; share?: Json }>())].flatMap(([msgid, figures]) =>
			figures[kind] === undefined ? [] : [{ ref_date: begin, msgid, detail: figures[kind] }],
		);
		return { list, is_delay: this.delayedDays.has(begin) };
	}
}
