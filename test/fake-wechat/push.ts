// The fake WeChat's event push (消息与事件推送): when a mass send or a publish has finished, WeChat POSTs an
// event to the server URL configured for the account, signed with its Token and, in compatible or safe mode,
// encrypted with its EncodingAESKey. The signing and encryption are test/helpers/wechatCallbackSigner.ts, written
// from WeChat's pages and independent of the trigger's code. Each rule is cited beside it:
//
// - Where and how: https://developers.weixin.qq.com/doc/service/guide/dev/push/ : "URL是开发者用来接收微信消息和事件的
//   接口URL"; "明文模式 … 兼容模式：明文、密文共存 … 安全模式：使用消息加解密，纯密文"; "数据格式：消息体的格式，仅支持 XML".
// - When a mass send has finished: Batch_Sends "事件推送群发结果"
//   (https://developers.weixin.qq.com/doc/service/guide/product/message/Batch_Sends.html): "若群发任务提交成功，则在群发任务
//   结束时，会向开发者在公众平台填写的开发者URL（callback URL）推送事件" (Event MASSSENDJOBFINISH with MsgID, Status,
//   TotalCount, FilterCount, SentCount, ErrorCount, CopyrightCheckResult, ArticleUrlResult).
// - When a publish has finished: freepublish/submit "发布结果的事件推送"
//   (https://developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit): "若发布任务提交成功，则在发布任务结束
//   时，会向开发者在公众平台填写的开发者URL（callback URL）推送事件" (Event PUBLISHJOBFINISH, PublishEventInfo).
// - The answer and the retries: the service account's passive-reply page, English edition
//   (https://developers.weixin.qq.com/doc/service/en/guide/product/message/Passive_user_reply_message.html): "After the
//   WeChat server does not receive a response within five seconds, it will break the connection and re-launch the
//   request, a total of three retries"; its Chinese text (the Official Account copy,
//   https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html): "1、直接回复
//   success（推荐方式） 2、直接回复空串 … 这样微信服务器才不会对此作任何处理，并且不会发起重试".
//   The fake reads "a total of three retries" (总共重试三次) as three requests in all (readers differ: some count 1 + 3),
//   each the same request. The pages speak only of no answer within five seconds; another answer (an HTTP error, other
//   text) is recorded as refused and not retried, since they do not say that WeChat retries it.
// - Follows, unfollows and scans of a QR code with a scene: "关注/取消关注事件" and "扫描带参数二维码事件" of the event push
//   page (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html; the service
//   account's copy sits under https://developers.weixin.qq.com/doc/service/guide/dev/push/): "用户在关注与取消关注公众号时，
//   微信会把这个事件推送到开发者填写的URL", Event "subscribe(订阅)、unsubscribe(取消订阅)"; a follow through a code:
//   "EventKey 事件KEY值，qrscene_为前缀，后面为二维码的参数值", "Ticket 二维码的ticket，可用来换取二维码图片"; a scan by a follower:
//   Event "SCAN", "EventKey 事件KEY值，是一个32位无符号整数，即创建二维码时的二维码scene_id" (a code with scene_str carries the
//   string, as the QR code page's "带场景值扫描事件" implies). "FromUserName 发送方帐号（一个OpenID）": the follower.
import type { DraftRecord } from './server';
import type { FakePublisher, PublishJob } from './publishing';
import { compatibleRequest, plainRequest, safeRequest, type CallbackAccount, type SignedRequest } from '../helpers/wechatCallbackSigner';

type Json = Record<string, unknown>;

export type PushMode = 'plain' | 'compatible' | 'safe';

/** A server URL configured for the account, with the Token, EncodingAESKey and mode set beside it in WeChat's console. */
export interface PushTarget {
	url: string;
	token: string;
	/** 43 letters or digits; needed in compatible and safe mode. */
	encodingAesKey?: string;
	mode: PushMode;
	/** The account's original id (gh_…), the events' ToUserName. */
	originalId: string;
}

/** What a follower's action pushes (see the page cited above). */
export const FOLLOWER_EVENTS = ['subscribe', 'unsubscribe', 'SCAN'] as const;
export type FollowerEvent = (typeof FOLLOWER_EVENTS)[number];

/** The events the fake pushes, one entry per kind: a simulation of another event adds its kind here. */
export const PUSHED_EVENTS = ['MASSSENDJOBFINISH', 'PUBLISHJOBFINISH', ...FOLLOWER_EVENTS] as const;
export type PushedEvent = (typeof PUSHED_EVENTS)[number];

export interface PushAttempt {
	/** When the request went out, on the fake's clock. */
	at: number;
	/** The HTTP status of the answer; absent when none came in time. */
	status?: number;
	/** The answer's body (at most 200 characters). */
	body?: string;
	/** Why no answer came (time-out, connection refused…). */
	error?: string;
}

/** One event pushed to one target, with every request WeChat made for it and what each got. */
export interface PushDelivery {
	event: PushedEvent;
	/** The mass send's msg_id, the publish's publish_id, or the follower's OpenID. */
	id: string;
	url: string;
	mode: PushMode;
	/** The event as WeChat writes it, before signing and encryption. */
	xml: string;
	/** What went over the wire: the query string and the body (no Token or key in either). */
	request: SignedRequest;
	attempts: PushAttempt[];
	/** `accepted`: answered `success` or nothing; `refused`: another answer; `unanswered`: no answer to any attempt. */
	outcome: 'pending' | 'accepted' | 'refused' | 'unanswered';
}

/** What a finished mass send reports; every field defaults to a send that reached everyone it targeted. */
export interface MassSendOutcome {
	/** `send success`, `send fail` or `err(N)`. */
	status?: string;
	filterCount?: number;
	errorCount?: number;
}

interface AcceptedSendInfo {
	msgId: number;
	msgDataId?: number;
	body: Record<string, unknown>;
	recipients: number;
	acceptedAt: number;
}

export interface EventPushOptions {
	appId: string;
	now: () => number;
	/** The draft box, to find a sent draft's articles (it leaves the box as the send is accepted). */
	drafts: Map<string, DraftRecord>;
	publisher: FakePublisher;
	/** How long a send stays SENDING (the fake's mass/get rule); its event follows. */
	sendingDurationMs: number;
	/** How long a publish stays "发布中"; its event follows. */
	publishingDurationMs: number;
}

/** The sender WeChat names in these events: the pages' samples show an OpenID-like id. */
const EVENT_SENDER = 'oWeChatMassSendNotifier00000';
export const PUSH_ADMIN_PATH = '/__fake/push';
const PUSH_MODES: readonly PushMode[] = ['plain', 'compatible', 'safe'];

export class FakeEventPush {
	/** Every event pushed, one entry per target, in the order they were pushed. */
	readonly deliveries: PushDelivery[] = [];
	/** What the next finished mass sends report, in order (then: everyone reached). */
	nextMassSendOutcomes: MassSendOutcome[] = [];
	/** What every finished mass send reports when `nextMassSendOutcomes` is empty. */
	massSendOutcome: (send: { recipients: number }) => MassSendOutcome = () => ({});
	/** How long WeChat waits for an answer: "五秒". */
	answerTimeoutMs = 5000;
	/** Requests in all for one event and target: "总共重试三次". */
	attempts = 3;
	/** Called when a delivery has ended, whatever its outcome. */
	onDelivered: ((delivery: PushDelivery) => void) | undefined;

	private targets: PushTarget[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly running = new Set<Promise<void>>();
	private readonly aborts = new Set<AbortController>();
	private stopped = false;

	constructor(private readonly options: EventPushOptions) {}

	/** Replaces the account's push targets; events go to each, in this order, one after the other. */
	setTargets(targets: PushTarget[]): void {
		for (const target of targets) checkTarget(target);
		this.targets = targets.map((target) => ({ ...target }));
	}

	addTarget(target: PushTarget): void {
		checkTarget(target);
		this.targets.push({ ...target });
	}

	/** The targets without their Token and EncodingAESKey. */
	get configuredTargets(): Array<Pick<PushTarget, 'url' | 'mode' | 'originalId'>> {
		return this.targets.map(({ url, mode, originalId }) => ({ url, mode, originalId }));
	}

	/** Resolves once every event scheduled so far has been delivered (or given up on). */
	async settled(): Promise<void> {
		while (this.timers.size > 0 || this.running.size > 0) {
			if (this.running.size > 0) await Promise.all([...this.running]);
			else await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const abort of this.aborts) abort.abort();
	}

	/** A send was accepted: its event goes out when the fake's mass/get turns it from SENDING to SEND_SUCCESS. */
	massSendAccepted(send: AcceptedSendInfo): void {
		const mediaId = (send.body.mpnews as Json | undefined)?.media_id;
		const articles = send.body.msgtype !== 'mpnews' ? 0 : (this.options.drafts.get(String(mediaId))?.articles.length ?? 1);
		const outcome = this.nextMassSendOutcomes.shift() ?? this.massSendOutcome(send);
		this.schedule(send.acceptedAt + this.options.sendingDurationMs, () => ({
			event: 'MASSSENDJOBFINISH',
			id: String(send.msgId),
			xml: massSendJobFinishXml(this.eventHeader('MASSSENDJOBFINISH'), send, articles, outcome),
		}));
	}

	/** A publish was submitted (freepublish/submit's answer, passed through): its event goes out when the job has ended. */
	publishSubmitted(answer: Json): Json {
		const job = answer.errcode === 0 ? this.options.publisher.jobs.get(String(answer.publish_id)) : undefined;
		if (job !== undefined) this.schedulePublish(job);
		return answer;
	}

	/**
	 * A follower followed, unfollowed or scanned a code: the event goes out at once, from the follower. `qrCode`: the
	 * code's scene and ticket, for a follow through a code (EventKey "qrscene_" + scene) and a scan (EventKey the scene).
	 */
	followerEvent(openId: string, event: FollowerEvent, qrCode?: { scene: string | number; ticket: string }): void {
		const eventKey = qrCode === undefined ? '' : event === 'subscribe' ? `qrscene_${qrCode.scene}` : String(qrCode.scene);
		const fields = qrCode === undefined ? '' : `<EventKey>${cdata(eventKey)}</EventKey><Ticket>${cdata(qrCode.ticket)}</Ticket>`;
		this.schedule(this.options.now(), () => ({ event, id: openId, xml: `${this.eventHeader(event, openId)}${fields}`, sender: openId }));
	}

	private schedulePublish(job: PublishJob): void {
		this.schedule(job.submittedAt + this.options.publishingDurationMs, () => ({
			event: 'PUBLISHJOBFINISH',
			id: job.publishId,
			xml: publishJobFinishXml(this.eventHeader('PUBLISHJOBFINISH'), job, (idx) => this.options.publisher.articleUrl(job, idx)),
		}));
	}

	private eventHeader(event: PushedEvent, sender = EVENT_SENDER): string {
		// ToUserName is written per target (each names its account's original id), CreateTime when the event goes out.
		return (
			`<FromUserName><![CDATA[${sender}]]></FromUserName><CreateTime>${Math.floor(this.options.now() / 1000)}</CreateTime>` +
			`<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>`
		);
	}

	private schedule(finishAt: number, build: () => { event: PushedEvent; id: string; xml: string; sender?: string }): void {
		if (this.targets.length === 0 || this.stopped) return;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			const { event, id, xml, sender } = build();
			const delivering = this.deliverToAll(event, id, xml, sender);
			this.running.add(delivering);
			void delivering.finally(() => this.running.delete(delivering));
		}, Math.max(0, finishAt - this.options.now()));
		timer.unref();
		this.timers.add(timer);
	}

	private async deliverToAll(event: PushedEvent, id: string, body: string, sender = EVENT_SENDER): Promise<void> {
		for (const target of [...this.targets]) {
			if (this.stopped) return;
			const xml = `<xml><ToUserName><![CDATA[${target.originalId}]]></ToUserName>${body}</xml>`;
			const account: CallbackAccount = { appId: this.options.appId, token: target.token, encodingAesKey: target.encodingAesKey ?? '', originalId: target.originalId };
			const signed = target.mode === 'plain' ? plainRequest(account, xml) : target.mode === 'compatible' ? compatibleRequest(account, xml) : safeRequest(account, xml);
			// WeChat names the event's sender in the query too; it is outside the signature.
			const request: SignedRequest = { query: { ...signed.query, openid: sender }, body: signed.body };
			const delivery: PushDelivery = { event, id, url: target.url, mode: target.mode, xml, request, attempts: [], outcome: 'pending' };
			this.deliveries.push(delivery);
			await this.deliver(delivery);
			this.onDelivered?.(delivery);
		}
	}

	private async deliver(delivery: PushDelivery): Promise<void> {
		const url = new URL(delivery.url);
		for (const [name, value] of Object.entries(delivery.request.query)) url.searchParams.set(name, value);
		for (let attempt = 1; attempt <= this.attempts && !this.stopped; attempt++) {
			const startedAt = Date.now();
			const abort = new AbortController();
			this.aborts.add(abort);
			const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.answerTimeoutMs} ms`)), this.answerTimeoutMs);
			const record: PushAttempt = { at: this.options.now() };
			delivery.attempts.push(record);
			try {
				const response = await fetch(url, { method: 'POST', body: delivery.request.body, headers: { 'content-type': 'text/xml' }, signal: abort.signal });
				const text = await response.text();
				record.status = response.status;
				record.body = text.slice(0, 200);
				delivery.outcome = response.status === 200 && (text === 'success' || text === '') ? 'accepted' : 'refused';
				return;
			} catch (error) {
				record.error = abort.signal.aborted ? `no answer within ${this.answerTimeoutMs} ms` : errorText(error);
			} finally {
				clearTimeout(timer);
				this.aborts.delete(abort);
			}
			// A refused connection is no answer either: the next request comes when the five seconds are over.
			const rest = this.answerTimeoutMs - (Date.now() - startedAt);
			if (attempt < this.attempts && rest > 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, rest));
		}
		delivery.outcome = 'unanswered';
	}

	/**
	 * The fake's admin API, for a sandbox user or a test in another process (never WeChat's):
	 * GET /__fake/push → the events it pushes, the targets (without Token or key) and deliveries; PUT /__fake/push/targets {targets: [...]} replaces
	 * the targets; POST /__fake/push/targets {url, token?, encodingAesKey?, mode?, originalId?} adds one, taking what it
	 * leaves out from the first target; DELETE /__fake/push/targets removes them all.
	 */
	admin(method: string, path: string, raw: Buffer): { status: number; answer: Json } {
		try {
			if (path === PUSH_ADMIN_PATH && method === 'GET') return { status: 200, answer: this.adminView() };
			if (path === `${PUSH_ADMIN_PATH}/targets`) {
				if (method === 'DELETE') this.targets = [];
				else if (method === 'PUT') this.setTargets(readTargets(parseJson(raw).targets));
				else if (method === 'POST') this.addTarget({ ...this.targets[0], ...(parseJson(raw) as Partial<PushTarget>) } as PushTarget);
				else return { status: 405, answer: { error: `${method} is not allowed here` } };
				return { status: 200, answer: { targets: this.configuredTargets } };
			}
			return { status: 404, answer: { error: `no ${path} here: ${PUSH_ADMIN_PATH} and ${PUSH_ADMIN_PATH}/targets` } };
		} catch (error) {
			return { status: 400, answer: { error: errorText(error) } };
		}
	}

	private adminView(): Json {
		return {
			events: PUSHED_EVENTS,
			targets: this.configuredTargets,
			deliveries: this.deliveries.map(({ event, id, url, mode, attempts, outcome }) => ({ event, id, url, mode, outcome, attempts })),
		};
	}
}

/**
 * MASSSENDJOBFINISH as the Batch_Sends page shows it. The fake's own choices where the page leaves it open: a send
 * that reached everyone has FilterCount = SentCount = TotalCount (the recipients the send targeted) and ErrorCount 0,
 * and SentCount + ErrorCount = FilterCount otherwise; an article send is "未被判为转载" (CheckState 1) with one URL per
 * article; other sends carry empty blocks with CheckState 0, as events users posted show.
 */
function massSendJobFinishXml(header: string, send: AcceptedSendInfo, articles: number, outcome: MassSendOutcome): string {
	const total = send.recipients;
	const filter = outcome.filterCount ?? total;
	const errors = outcome.errorCount ?? 0;
	const urls = Array.from({ length: articles }, (_, index) =>
		`<item><ArticleIdx>${index + 1}</ArticleIdx><ArticleUrl>${cdata(`https://mp.weixin.qq.com/s?__biz=MzFake&mid=${send.msgDataId ?? send.msgId}&idx=${index + 1}&sn=${send.msgId}`)}</ArticleUrl></item>`,
	).join('');
	return (
		`${header}<MsgID>${send.msgId}</MsgID><Status>${cdata(outcome.status ?? 'send success')}</Status>` +
		`<TotalCount>${total}</TotalCount><FilterCount>${filter}</FilterCount><SentCount>${Math.max(0, filter - errors)}</SentCount><ErrorCount>${errors}</ErrorCount>` +
		`<CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>${articles > 0 ? 1 : 0}</CheckState></CopyrightCheckResult>` +
		`<ArticleUrlResult><Count>${articles}</Count><ResultList>${urls}</ResultList></ArticleUrlResult>`
	);
}

/** PUBLISHJOBFINISH as the freepublish/submit page shows it: article_id and article_detail when published, fail_idx per failed article. */
function publishJobFinishXml(header: string, job: PublishJob, articleUrl: (idx: number) => string): string {
	let info = `<publish_id>${job.publishId}</publish_id><publish_status>${job.outcome}</publish_status>`;
	if (job.outcome === 0) {
		const items = job.articles.map((_, index) => `<item><idx>${index + 1}</idx><article_url>${cdata(articleUrl(index + 1))}</article_url></item>`).join('');
		info += `<article_id>${cdata(job.articleId ?? '')}</article_id><article_detail><count>${job.articles.length}</count>${items}</article_detail>`;
	}
	for (const idx of job.failIdx) info += `<fail_idx>${idx}</fail_idx>`;
	return `${header}<PublishEventInfo>${info}</PublishEventInfo>`;
}

function cdata(text: string): string {
	return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function checkTarget(target: PushTarget): void {
	if (typeof target.url !== 'string' || !/^https?:\/\//.test(target.url)) throw new Error('a push target needs an http:// or https:// url');
	if (typeof target.token !== 'string' || target.token === '') throw new Error('a push target needs the token set with it');
	if (!PUSH_MODES.includes(target.mode)) throw new Error(`a push target's mode is one of ${PUSH_MODES.join(', ')}`);
	if (target.mode !== 'plain' && !/^[A-Za-z0-9]{43}$/.test(target.encodingAesKey ?? '')) throw new Error('compatible and safe mode need a 43-character encodingAesKey');
	if (typeof target.originalId !== 'string' || target.originalId === '') throw new Error("a push target needs the account's originalId (gh_…)");
}

function readTargets(value: unknown): PushTarget[] {
	if (!Array.isArray(value)) throw new Error('targets must be an array');
	return value as PushTarget[];
}

function parseJson(raw: Buffer): Json {
	const value: unknown = JSON.parse(raw.toString('utf8') || '{}');
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the body must be a JSON object');
	return value as Json;
}

function errorText(error: unknown): string {
	const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
	return cause ?? (error instanceof Error ? error.message : String(error));
}
