// A stand-in for WeChat's Official Account API on 127.0.0.1: real HTTP, WeChat's token rules,
// WeChat's JSON shapes and errcodes (always with HTTP 200), the mass-message state machine, and
// fault injection. It records every call so tests can assert exactly what WeChat received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { FakeAudience, type FakeTag } from './audience';
import { FakeArticleStats, FakePublisher } from './publishing';
import { FakeEventPush, PUSH_ADMIN_PATH } from './push';
import { FOLLOWERS_ADMIN_PATH, FakeQrCodes } from './qrcodes';
import { parseMultipart } from './multipart';
import { TokenAuthority, type TokenCheck, type TokenRules } from './tokens';

export const OPENID_PATTERN = /^[A-Za-z0-9_-]{28}$/;

export interface FakeWeChatOptions {
	appId?: string;
	appSecret?: string;
	tokenLifetimeMs?: number;
	classicGraceMs?: number;
	/** When false, token requests answer 40164 as for a caller outside the IP whitelist. */
	ipWhitelisted?: boolean;
	/** WeChat answers 45066 when the same clientmsgid comes again within this window (real: 60 s). */
	clientMsgIdRepeatWindowMs?: number;
	/** The span in which WeChat takes at most 60 mass-send requests, refusing more with 45011 (real: a minute). */
	sendRateWindowMs?: number;
	/** How long a send stays SENDING before mass/get reports SEND_SUCCESS. */
	sendingDurationMs?: number;
	/** Keep request bodies in `calls` (turn off for million-recipient benchmarks). */
	recordBodies?: boolean;
	tags?: Array<{ id: number; name: string; count: number }>;
	/** How long a published draft stays "发布中" (publish_status 1). */
	publishingDurationMs?: number;
	/** The msg_id of the first accepted send (then counting up): 3147483648 unless set. */
	firstMsgId?: number;
}

export interface RecordedCall {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	/** The request body as sent, for JSON requests (numbers digit for digit). */
	text?: string;
	/** When the request arrived, on the server's clock. */
	receivedAt: number;
	/** What the server answered, or the fault it played instead. */
	answer: unknown;
	/** The App ID whose token the call carried (business endpoints) or asked for (token endpoints). */
	appId?: string;
	fault?: FaultMode;
}

/**
 * `http404Json` is what a misconfigured relay answers (JSON, but not WeChat's); `http200Html` is a relay's
 * login page, answered with HTTP 200 in place of what was asked;
 * `drop`/`http502`/`busy` fail before WeChat acts on the request; the `…AfterAccept` modes act on it
 * first and then lose the answer: the ambiguous outcomes a client cannot tell apart.
 */
export type FaultMode = 'drop' | 'http502' | 'busy' | 'dropAfterAccept' | 'http502AfterAccept' | 'busyAfterAccept' | 'http404Json' | 'http200Html';

interface Fault {
	path: string;
	mode: FaultMode | { answer: Json };
	remaining: number;
	/** Requests to let pass before this fault plays. */
	skip?: number;
}

export interface AcceptedSend {
	msgId: number;
	msgDataId?: number;
	endpoint: 'sendall' | 'send';
	clientMsgId?: string;
	body: Record<string, unknown>;
	recipients: number;
	acceptedAt: number;
}

/**
 * `permanent`: from `material/add_material` (or registered as such); `temporary`: from `media/upload`.
 * `draft`/`news`/`mpvideo` records are what `draft/add`, `uploadnews` and `uploadvideo` mint.
 */
export type MediaLifetime = 'temporary' | 'permanent';

interface MediaRecord {
	type: string;
	size: number;
	lifetime: MediaLifetime;
	fileName?: string;
	contentType?: string;
	/** Only images from `material/add_material` have one. */
	url?: string;
	/** The `description` form field of a permanent video. */
	description?: { title?: string; introduction?: string };
	/** When it was added (Unix seconds): `material/batchget_material`'s `update_time`. */
	updateTime?: number;
}

/** One article as `draft/get` answers it. */
export interface DraftArticleRecord {
	title: string;
	author: string;
	digest: string;
	content: string;
	content_source_url: string;
	thumb_media_id: string;
	show_cover_pic: 0 | 1;
	need_open_comment: 0 | 1;
	only_fans_can_comment: 0 | 1;
	url: string;
}

export interface DraftRecord {
	mediaId: string;
	articles: DraftArticleRecord[];
	updateTime: number;
}

type Json = Record<string, unknown>;
type Handler = (request: ParsedRequest) => Json;

interface ParsedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	json: Json | undefined;
	raw: Buffer;
	contentType: string;
}

const MSG_TYPES_FOR_SEND = ['mpnews', 'text', 'voice', 'image', 'mpvideo', 'wxcard'];
/** Endpoints WeChat's pages give as GET (api_gettags, api_getfans); every other one takes POST. */
const GET_PATHS = new Set(['/cgi-bin/get_api_domain_ip', '/cgi-bin/tags/get', '/cgi-bin/user/get']);
/** Where showqrcode answers: https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=TICKET (this fake serves both hosts). */
export const SHOW_QR_CODE_PATH = '/cgi-bin/showqrcode';
const KB = 1024;
const MB = 1024 * KB;

/**
 * `material/add_material` (新增永久素材), per
 * https://developers.weixin.qq.com/doc/service/api/material/permanent/api_addmaterial :
 * "图片（image）: 10M，支持bmp/png/jpeg/jpg/gif格式", "语音（voice）：2M，播放长度不超过60s，mp3/wma/wav/amr格式",
 * "视频（video）：10MB，支持MP4格式", "缩略图（thumb）：64KB，支持JPG格式". The page does not say how WeChat tells
 * a format; this fake goes by the file name's extension (errcode 40005 otherwise), as the node names files
 * by their format (helpers/mediaPayloads.ts) — a shared belief that no page confirms.
 */
const PERMANENT_MEDIA_LIMITS: Record<string, { maxBytes: number; extensions: string[] }> = {
	image: { maxBytes: 10 * MB, extensions: ['bmp', 'png', 'jpeg', 'jpg', 'gif'] },
	voice: { maxBytes: 2 * MB, extensions: ['mp3', 'wma', 'wav', 'amr'] },
	video: { maxBytes: 10 * MB, extensions: ['mp4'] },
	thumb: { maxBytes: 64 * KB, extensions: ['jpg', 'jpeg'] },
};

/**
 * `draft/add` field limits, per https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add :
 * "标题，总长度不超过32个字", "作者，总长度不超过16个字", digest "总长度不超过128个字", content "必须少于2万字符，小于1M".
 * The page names no errcode for these; the codes below are those of WeChat's global return-code table.
 */
const DRAFT_LIMITS = { title: 32, author: 16, digest: 128, contentChars: 20000, contentBytes: MB };

export class FakeWeChatServer {
	readonly appId: string;
	readonly appSecret: string;
	readonly calls: RecordedCall[] = [];
	readonly accepted: AcceptedSend[] = [];
	readonly deleted: Array<{ msgId?: number; url?: string; articleIdx: number }> = [];
	readonly previews: Json[] = [];
	readonly media = new Map<string, MediaRecord>();
	/** The draft box: drafts leave it when they are mass-sent. */
	readonly drafts = new Map<string, DraftRecord>();
	/** URLs minted by `media/uploadimg`: the only images a draft's content may keep. */
	readonly articleImageUrls = new Set<string>();
	speed = 0;
	ipWhitelisted: boolean;
	/** Followers and follower tags (see audience.ts). */
	readonly audience: FakeAudience;
	/** Publishing without a push (see publishing.ts). */
	readonly publisher: FakePublisher;
	/** Article statistics per article and day (see publishing.ts). */
	readonly articleStats: FakeArticleStats;
	/** The events WeChat pushes to the account's server URL (see push.ts). */
	readonly push: FakeEventPush;
	/** QR codes with a scene, and the follows, scans and unfollows they bring (see qrcodes.ts). */
	readonly qrCodes: FakeQrCodes;

	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	/** Official Accounts this server stands in for, by App ID: each with its own secret and tokens. */
	private readonly accounts = new Map<string, { secret: string; tokens: TokenAuthority }>();
	private readonly tokenRules: TokenRules;
	private readonly faults: Fault[] = [];
	private randomFault: { path: string; probability: number; modes: FaultMode[]; random: () => number } | undefined;
	private readonly clientMsgIds = new Map<string, { send: AcceptedSend; lastSeenAt: number }>();
	private readonly options: Required<Pick<FakeWeChatOptions, 'clientMsgIdRepeatWindowMs' | 'sendRateWindowMs' | 'sendingDurationMs' | 'recordBodies'>>;
	/** When recent mass-send requests came, for the 60-a-minute rule. */
	private readonly sendRequestTimes: number[] = [];
	private clockOffsetMs = 0;
	private nextMsgId = 3147483648;
	private nextPublishDataId = 1;
	private nextMediaId = 1;
	private port = 0;

	constructor(options: FakeWeChatOptions = {}) {
		this.appId = options.appId ?? 'wx0123456789abcdef';
		this.appSecret = options.appSecret ?? 'fake-app-secret-0123456789abcdef';
		this.ipWhitelisted = options.ipWhitelisted ?? true;
		this.nextMsgId = options.firstMsgId ?? this.nextMsgId;
		this.articleStats = new FakeArticleStats(() => this.now());
		this.publisher = new FakePublisher(this.drafts, () => this.now(), options.publishingDurationMs ?? 0, () => 2247490000 + this.nextPublishDataId++);
		this.audience = new FakeAudience(
			options.tags ?? [
				{ id: 2, name: '星标组', count: 120 },
				{ id: 100, name: 'VIP customers', count: 3456 },
			],
		);
		this.options = {
			clientMsgIdRepeatWindowMs: options.clientMsgIdRepeatWindowMs ?? 60000,
			sendRateWindowMs: options.sendRateWindowMs ?? 60000,
			sendingDurationMs: options.sendingDurationMs ?? 0,
			recordBodies: options.recordBodies ?? true,
		};
		this.push = new FakeEventPush({
			appId: this.appId,
			now: () => this.now(),
			drafts: this.drafts,
			publisher: this.publisher,
			sendingDurationMs: this.options.sendingDurationMs,
			publishingDurationMs: options.publishingDurationMs ?? 0,
		});
		this.qrCodes = new FakeQrCodes(() => this.now(), this.audience, this.push);
		const rules: TokenRules = {
			lifetimeMs: options.tokenLifetimeMs ?? 7200 * 1000,
			classicGraceMs: options.classicGraceMs ?? 300 * 1000,
			stableRenewBeforeMs: 300 * 1000,
		};
		this.tokenRules = rules;
		this.addAccount(this.appId, this.appSecret);
	}

	/** Another Official Account on the same WeChat: its own App ID, secret and tokens. */
	addAccount(appId: string, appSecret: string): void {
		this.accounts.set(appId, { secret: appSecret, tokens: new TokenAuthority(this.tokenRules, () => this.now()) });
	}

	/** The tokens of the default account (`appId`). */
	private get tokens(): TokenAuthority {
		return this.accounts.get(this.appId)!.tokens;
	}

	/** The account that issued `token`, with the token's state there. */
	private checkToken(token: string | undefined): { appId?: string; check: TokenCheck } {
		if (token === undefined || token === '') return { check: 'missing' };
		for (const [appId, account] of this.accounts) {
			if (account.tokens.issued(token)) return { appId, check: account.tokens.check(token) };
		}
		return { check: 'invalid' };
	}

	/** The account's follower tags, with their follower counts. */
	get tags(): FakeTag[] {
		return this.audience.tags;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		this.push.stop();
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	// ---- controls for tests -------------------------------------------------------------------

	/** Moves the server's clock forward, e.g. past a token's expiry. */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	/** Another system took the App ID's tokens over: every token issued so far stops working. */
	revokeAllTokens(): void {
		this.tokens.revokeAll();
	}

	/** Plays `mode` instead of answering the next `times` requests to `path`. */
	injectFault(path: string, mode: FaultMode, times = 1): void {
		this.faults.push({ path, mode, remaining: times });
	}

	/** Answers the next `times` requests to `path` with `answer` (after the token check), acting on nothing. */
	injectAnswer(path: string, answer: Json, times = 1): void {
		this.faults.push({ path, mode: { answer }, remaining: times });
	}

	/** Answers the `n`-th request to `path` from now on (1 = the next) with `answer`, acting on nothing. */
	injectAnswerAt(path: string, n: number, answer: Json): void {
		this.faults.push({ path, mode: { answer }, remaining: 1, skip: n - 1 });
	}

	/** The stable token endpoint keeps handing out its current token although API calls reject it. */
	breakCurrentStableToken(): void {
		this.tokens.breakCurrentStable();
	}

	/**
	 * The next `times` requests to `path` are acted on (a send is accepted) but their answers wait
	 * until `releaseHeldAnswers()`: a caller that dies meanwhile never learns the outcome.
	 */
	holdAnswers(path: string, times = 1): void {
		this.holds.push({ path, remaining: times });
	}

	/** Sends the answers `holdAnswers` kept back, to whoever is still connected. */
	releaseHeldAnswers(): void {
		for (const release of this.heldAnswers.splice(0)) release();
	}

	private readonly holds: Array<{ path: string; remaining: number }> = [];
	private readonly heldAnswers: Array<() => void> = [];

	/** Called for each request before it is answered, with how many requests came before it. */
	onRequest: ((call: RecordedCall, index: number) => void) | undefined;

	/** Plays one of `modes` on each request to `path` with the given probability (deterministic `random`). */
	injectRandomFaults(path: string, probability: number, modes: FaultMode[], random: () => number): void {
		this.randomFault = { path, probability, modes, random };
	}

	clearFaults(): void {
		this.faults.length = 0;
		this.randomFault = undefined;
	}

	/** Media the account already holds; permanent unless said otherwise (mass sends take only permanent media). */
	registerMedia(mediaId: string, type: string, lifetime: MediaLifetime = 'permanent', fileName?: string): void {
		const url = type === 'image' && lifetime === 'permanent' ? `http://mmbiz.qpic.cn/mmbiz_jpg/${mediaId}/0?wx_fmt=jpeg` : undefined;
		this.media.set(mediaId, { type, size: 0, lifetime, fileName, url, updateTime: Math.floor(this.now() / 1000) });
	}

	/** A draft the account already holds, e.g. written in the console's editor. */
	registerDraft(mediaId: string, titles: string[], updateTime = Math.floor(this.now() / 1000)): void {
		const articles = titles.map((title) => this.draftArticle({ title, content: `<p>${title}</p>`, thumb_media_id: 'REGISTERED_COVER' }, mediaId));
		this.drafts.set(mediaId, { mediaId, articles, updateTime });
		this.media.set(mediaId, { type: 'draft', size: 0, lifetime: 'permanent' });
	}

	callsTo(path: string): RecordedCall[] {
		return this.calls.filter((call) => call.path === path);
	}

	tokenRequests(): RecordedCall[] {
		return this.calls.filter((call) => call.path === '/cgi-bin/token' || call.path === '/cgi-bin/stable_token');
	}

	/** Calls that reached a business endpoint (not the token endpoints). */
	apiCalls(): RecordedCall[] {
		return this.calls.filter((call) => call.path !== '/cgi-bin/token' && call.path !== '/cgi-bin/stable_token');
	}

	// ---- HTTP plumbing --------------------------------------------------------------------------

	private now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const raw = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const contentType = String(req.headers['content-type'] ?? '');
		if (url.pathname.startsWith(PUSH_ADMIN_PATH)) {
			const { status, answer } = this.push.admin(req.method ?? 'GET', url.pathname, raw);
			return void sendRaw(res, status, 'application/json', JSON.stringify(answer));
		}
		if (url.pathname.startsWith(FOLLOWERS_ADMIN_PATH)) {
			const { status, answer } = this.qrCodes.admin(req.method ?? 'GET', url.pathname, raw);
			return void sendRaw(res, status, 'application/json', JSON.stringify(answer));
		}
		const request: ParsedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			json: contentType.startsWith('multipart/') ? undefined : parseJsonObject(raw),
			raw,
			contentType,
		};
		const call: RecordedCall = {
			method: request.method,
			path: request.path,
			query: request.query,
			body: this.options.recordBodies ? (request.json ?? (raw.length ? `<${raw.length} bytes>` : undefined)) : undefined,
			text: this.options.recordBodies && request.json !== undefined ? raw.toString('utf8') : undefined,
			receivedAt: this.now(),
			answer: undefined,
		};
		this.calls.push(call);
		this.onRequest?.(call, this.calls.length - 1);

		const planned = this.takeFault(request.path);
		if (planned !== undefined && typeof planned === 'object') {
			const token = request.path.includes('token') ? 'valid' : this.checkToken(request.query.access_token).check;
			return void this.answer(res, call, token === 'valid' ? planned.answer : this.route(request));
		}
		const fault = planned;
		call.fault = fault;
		if (fault === 'drop') return void res.socket?.destroy();
		if (fault === 'http502') return void sendRaw(res, 502, 'text/html', '<html><body>502 Bad Gateway</body></html>');
		if (fault === 'busy') return void this.answer(res, call, { errcode: -1, errmsg: 'system error' });
		if (fault === 'http404Json') return void sendRaw(res, 404, 'application/json', JSON.stringify({ message: 'Not Found' }));
		if (fault === 'http200Html') return void sendRaw(res, 200, 'text/html', '<html><body><form action="/login">Sign in</form></body></html>');
		if (request.path === SHOW_QR_CODE_PATH) {
			// showqrcode is mp.weixin.qq.com's, not the API's: no access token, an image or HTTP 404 (see qrcodes.ts).
			const image = request.method === 'GET' ? this.qrCodes.image(request.query.ticket) : { status: 405, headers: {}, body: Buffer.alloc(0) };
			call.answer = { status: image.status, contentType: image.headers['Content-Type'], bytes: image.body.length };
			res.writeHead(image.status, { ...image.headers, 'Content-Length': image.body.length });
			return void res.end(image.body);
		}

		const answer = this.route(request, call);
		const hold = this.holds.find((entry) => entry.path === request.path && entry.remaining > 0);
		if (hold && fault === undefined) {
			hold.remaining--;
			return void this.heldAnswers.push(() => {
				if (!res.destroyed && res.socket?.writable) this.answer(res, call, answer);
			});
		}
		if (fault === 'dropAfterAccept') return void res.socket?.destroy();
		if (fault === 'http502AfterAccept') return void sendRaw(res, 502, 'text/html', '<html><body>502 Bad Gateway</body></html>');
		if (fault === 'busyAfterAccept') return void this.answer(res, call, { errcode: -1, errmsg: 'system error' });
		this.answer(res, call, answer);
	}

	private answer(res: ServerResponse, call: RecordedCall, answer: Json): void {
		call.answer = answer;
		sendRaw(res, 200, 'application/json; encoding=utf-8', JSON.stringify(answer));
	}

	private takeFault(path: string): Fault['mode'] | undefined {
		const index = this.faults.findIndex((fault) => fault.path === path && fault.remaining > 0 && (fault.skip ?? 0) === 0);
		for (const fault of this.faults) {
			if (fault.path === path && (fault.skip ?? 0) > 0) fault.skip!--;
		}
		if (index >= 0) {
			const fault = this.faults[index];
			fault.remaining--;
			if (fault.remaining === 0) this.faults.splice(index, 1);
			return fault.mode;
		}
		const random = this.randomFault;
		if (random && random.path === path && random.random() < random.probability) {
			return random.modes[Math.floor(random.random() * random.modes.length)];
		}
		return undefined;
	}

	private route(request: ParsedRequest, call?: RecordedCall): Json {
		if (request.path === '/cgi-bin/token') return this.classicToken(request, call);
		if (request.path === '/cgi-bin/stable_token') return this.stableToken(request, call);

		const handler = this.handlers[request.path];
		if (!handler) return { errcode: 40066, errmsg: 'invalid url' };
		const { appId, check: token } = this.checkToken(request.query.access_token);
		if (call) call.appId = appId;
		if (token === 'missing') return { errcode: 41001, errmsg: 'access_token missing rid: fake' };
		if (token === 'invalid') return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest rid: fake' };
		if (token === 'expired') return { errcode: 42001, errmsg: 'access_token expired rid: fake' };
		if (request.method !== 'POST' && !GET_PATHS.has(request.path)) {
			return { errcode: 43002, errmsg: 'require POST method' };
		}
		return handler(request);
	}

	// ---- token endpoints ------------------------------------------------------------------------

	private credentialError(appid: unknown, secret: unknown): Json | undefined {
		const account = typeof appid === 'string' ? this.accounts.get(appid) : undefined;
		if (!account) return { errcode: 40013, errmsg: 'invalid appid rid: fake' };
		if (secret !== account.secret) return { errcode: 40125, errmsg: 'invalid appsecret rid: fake' };
		if (!this.ipWhitelisted) {
			return { errcode: 40164, errmsg: 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: fake' };
		}
		return undefined;
	}

	private classicToken(request: ParsedRequest, call?: RecordedCall): Json {
		if (request.method !== 'GET') return { errcode: 43001, errmsg: 'require GET method' };
		if (request.query.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
		const error = this.credentialError(request.query.appid, request.query.secret);
		if (error) return error;
		if (call) call.appId = request.query.appid;
		const { token, expiresIn } = this.accounts.get(request.query.appid)!.tokens.issueClassic();
		return { access_token: token, expires_in: expiresIn };
	}

	private stableToken(request: ParsedRequest, call?: RecordedCall): Json {
		if (request.method !== 'POST') return { errcode: 43002, errmsg: 'require POST method' };
		const body = request.json ?? {};
		if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
		const error = this.credentialError(body.appid, body.secret);
		if (error) return error;
		const appId = String(body.appid);
		if (call) call.appId = appId;
		const issue = this.accounts.get(appId)!.tokens.issueStable(body.force_refresh === true);
		if ('refused' in issue) return issue.refused;
		return { access_token: issue.token, expires_in: issue.expiresIn };
	}

	// ---- business endpoints ---------------------------------------------------------------------

	private readonly handlers: Record<string, Handler> = {
		'/cgi-bin/get_api_domain_ip': () => ({ ip_list: ['101.89.47.18', '101.91.34.103'] }),
		'/datacube/getarticleread': ({ json }) => this.articleStats.daily(json ?? {}, 'read'),
		'/datacube/getarticleshare': ({ json }) => this.articleStats.daily(json ?? {}, 'share'),
		'/cgi-bin/freepublish/submit': ({ json }) => this.push.publishSubmitted(this.publisher.submit(json ?? {})),
		'/cgi-bin/freepublish/get': ({ json }) => this.publisher.status(json ?? {}),
		'/cgi-bin/freepublish/getarticle': ({ json }) => this.publisher.article(json ?? {}),
		'/cgi-bin/freepublish/batchget': ({ json }) => this.publisher.list(json ?? {}),
		'/cgi-bin/freepublish/delete': ({ json }) => this.publisher.delete(json ?? {}),
		'/cgi-bin/tags/get': () => this.audience.list(),
		'/cgi-bin/tags/create': ({ json }) => this.audience.create(json ?? {}),
		'/cgi-bin/tags/update': ({ json }) => this.audience.update(json ?? {}),
		'/cgi-bin/tags/delete': ({ json }) => this.audience.delete(json ?? {}),
		'/cgi-bin/tags/members/batchtagging': ({ json }) => this.audience.tagging(json ?? {}, false),
		'/cgi-bin/tags/members/batchuntagging': ({ json }) => this.audience.tagging(json ?? {}, true),
		'/cgi-bin/tags/getidlist': ({ json }) => this.audience.tagIdList(json ?? {}),
		'/cgi-bin/user/tag/get': ({ json }) => this.audience.tagFans(json ?? {}),
		'/cgi-bin/user/get': ({ query }) => this.audience.followers(query),
		'/cgi-bin/user/info/batchget': ({ json }) => this.audience.batchUserInfo(json ?? {}),
		'/cgi-bin/message/mass/speed/get': () => ({ speed: this.speed, realspeed: [80, 60, 45, 30, 10][this.speed] }),
		'/cgi-bin/message/mass/speed/set': ({ json }) => {
			const speed = json?.speed;
			if (speed === undefined) return { errcode: 45084, errmsg: 'no speed' };
			if (typeof speed !== 'number' || !Number.isInteger(speed) || speed < 0 || speed > 4) {
				return { errcode: 45083, errmsg: 'invalid speed' };
			}
			this.speed = speed;
			return { errcode: 0, errmsg: 'ok' };
		},
		'/cgi-bin/message/mass/sendall': ({ json }) => this.send('sendall', json ?? {}),
		'/cgi-bin/message/mass/send': ({ json }) => this.send('send', json ?? {}),
		'/cgi-bin/message/mass/preview': ({ json }) => this.preview(json ?? {}),
		'/cgi-bin/message/mass/delete': ({ json }) => this.delete(json ?? {}),
		'/cgi-bin/message/mass/get': ({ json }) => this.status(json ?? {}),
		'/cgi-bin/media/uploadnews': ({ json }) => this.uploadNews(json ?? {}),
		'/cgi-bin/media/uploadvideo': ({ json }) => this.uploadVideo(json ?? {}),
		'/cgi-bin/media/upload': (request) => this.uploadMedia(request),
		'/cgi-bin/material/add_material': (request) => this.addMaterial(request),
		'/cgi-bin/material/batchget_material': ({ json }) => this.listMaterial(json ?? {}),
		'/cgi-bin/media/uploadimg': (request) => this.uploadArticleImage(request),
		'/cgi-bin/draft/add': ({ json }) => this.addDraft(json ?? {}),
		'/cgi-bin/draft/get': ({ json }) => this.getDraft(json ?? {}),
		'/cgi-bin/draft/batchget': ({ json }) => this.listDrafts(json ?? {}),
		'/cgi-bin/draft/delete': ({ json }) => this.deleteDraft(json ?? {}),
		'/cgi-bin/qrcode/create': ({ json }) => this.qrCodes.create(json ?? {}),
	};

	private contentError(body: Json, forPreview: boolean): Json | undefined {
		const msgtype = body.msgtype;
		if (typeof msgtype !== 'string' || !MSG_TYPES_FOR_SEND.includes(msgtype)) {
			return { errcode: 40008, errmsg: 'invalid message type' };
		}
		const mediaOf = (key: string, types: string[]): Json | undefined => {
			const content = body[key] as Json | undefined;
			const mediaId = content?.media_id;
			return typeof mediaId === 'string' ? this.sendableMediaError(mediaId, types) : { errcode: 40007, errmsg: 'invalid media_id' };
		};
		switch (msgtype) {
			case 'text': {
				const content = (body.text as Json | undefined)?.content;
				if (typeof content !== 'string' || content === '') return { errcode: 44004, errmsg: 'empty content' };
				return undefined;
			}
			case 'mpnews':
				// "对于群发和预览接口中的图文消息 (mpnews) ，请使用通过 "草稿箱 / 新建草稿" 接口获得的 media_id"
				// (https://developers.weixin.qq.com/doc/service/guide/product/message/Batch_Sends.html); legacy
				// `uploadnews` ids are still seen working.
				return mediaOf('mpnews', ['draft', 'news']);
			case 'voice':
				return mediaOf('voice', ['voice']);
			case 'mpvideo':
				return mediaOf('mpvideo', ['mpvideo']);
			case 'wxcard': {
				const cardId = (body.wxcard as Json | undefined)?.card_id;
				return typeof cardId === 'string' && cardId !== '' ? undefined : { errcode: 40056, errmsg: 'invalid card_id' };
			}
			case 'image': {
				if (forPreview) return mediaOf('image', ['image']);
				const ids = (body.images as Json | undefined)?.media_ids;
				if (!Array.isArray(ids) || ids.length < 1 || ids.length > 8) return { errcode: 40007, errmsg: 'invalid media_id' };
				for (const id of ids) {
					const error = typeof id === 'string' ? this.sendableMediaError(id, ['image']) : { errcode: 40007, errmsg: 'invalid media_id' };
					if (error) return error;
				}
				return undefined;
			}
		}
		return undefined;
	}

	/**
	 * Image, voice and video sends take permanent material: "如果是群发图片、视频等消息，则需要预先通过素材管理接口
	 * 准备好 media_id" and "本接口中所有使用到 media_id 的地方，现在都可以使用素材管理中的永久素材 media_id 了"
	 * (Batch_Sends guide above). A temporary `media/upload` id is refused with 40007, as users report
	 * (WeChat's global table also has 40128 "must be uploaded by api(cgi-bin/material/add_material)").
	 */
	private sendableMediaError(mediaId: string, types: string[]): Json | undefined {
		const known = this.media.get(mediaId);
		if (!known || known.lifetime === 'temporary') return { errcode: 40007, errmsg: 'invalid media_id' };
		// WeChat's own answer to a media ID of the wrong type.
		if (!types.includes(known.type)) return { errcode: -1, errmsg: 'system error' };
		return undefined;
	}

	private send(endpoint: 'sendall' | 'send', body: Json): Json {
		// "The group messaging interface limits requests to 60 times per minute, and requests that exceed the
		// limit are rejected" (https://developers.weixin.qq.com/doc/service/en/guide/product/message/Batch_Sends.html).
		const now = this.now();
		while (this.sendRequestTimes.length > 0 && this.sendRequestTimes[0] <= now - this.options.sendRateWindowMs) this.sendRequestTimes.shift();
		if (this.sendRequestTimes.length >= 60) return { errcode: 45011, errmsg: 'api minute-quota reach limit mustslower retry next minute' };
		this.sendRequestTimes.push(now);
		let recipients: number;
		if (endpoint === 'sendall') {
			const filter = body.filter as Json | undefined;
			if (!filter || typeof filter.is_to_all !== 'boolean') return { errcode: 40035, errmsg: 'invalid args' };
			if (filter.is_to_all) {
				recipients = this.tags.reduce((sum, tag) => sum + tag.count, 0);
			} else {
				const tag = this.tags.find((t) => t.id === filter.tag_id);
				if (!tag) return { errcode: 40152, errmsg: 'invalid group id' };
				recipients = tag.count;
			}
		} else {
			const touser = body.touser;
			if (!Array.isArray(touser) || touser.length < 2 || touser.length > 10000) {
				return { errcode: 40130, errmsg: 'invalid openid list size, at least two openid' };
			}
			if (!touser.every((openid) => typeof openid === 'string' && OPENID_PATTERN.test(openid))) {
				return { errcode: 40003, errmsg: 'invalid openid' };
			}
			recipients = touser.length;
		}
		const contentError = this.contentError(body, false);
		if (contentError) return contentError;

		const clientMsgId = body.clientmsgid;
		if (clientMsgId !== undefined) {
			if (typeof clientMsgId !== 'string' || Buffer.byteLength(clientMsgId) > 34) {
				return { errcode: 45067, errmsg: 'clientmsgid size exceeds limit' };
			}
			const seen = this.clientMsgIds.get(clientMsgId);
			const now = this.now();
			if (seen && now - seen.send.acceptedAt < 24 * 3600 * 1000) {
				const tooSoon = now - seen.lastSeenAt < this.options.clientMsgIdRepeatWindowMs;
				seen.lastSeenAt = now;
				if (tooSoon) return { errcode: 45066, errmsg: 'same clientmsgid retry too fast' };
				const answer: Json = { errcode: 45065, errmsg: 'clientmsgid exist', msg_id: seen.send.msgId };
				if (seen.send.msgDataId !== undefined) answer.msg_data_id = seen.send.msgDataId;
				return answer;
			}
		}

		const msgId = this.nextMsgId++;
		const send: AcceptedSend = {
			msgId,
			msgDataId: body.msgtype === 'mpnews' ? 2247483000 + (msgId % 1000000) : undefined,
			endpoint,
			clientMsgId: typeof clientMsgId === 'string' ? clientMsgId : undefined,
			body: this.options.recordBodies ? body : { msgtype: body.msgtype },
			recipients,
			acceptedAt: this.now(),
		};
		this.accepted.push(send);
		this.push.massSendAccepted(send);
		if (send.clientMsgId) this.clientMsgIds.set(send.clientMsgId, { send, lastSeenAt: send.acceptedAt });
		// "上传到草稿箱中的素材被群发或发布后，该素材将从草稿箱中移除" (draft/add page). The page does not say that
		// the media_id stops working for sends, so later batches of the same send still take it.
		if (body.msgtype === 'mpnews') this.drafts.delete(String((body.mpnews as Json).media_id));
		const answer: Json = { errcode: 0, errmsg: 'send job submission success', msg_id: msgId };
		if (send.msgDataId !== undefined) answer.msg_data_id = send.msgDataId;
		return answer;
	}

	private preview(body: Json): Json {
		const touser = body.touser;
		const towxname = body.towxname;
		if (touser === undefined && towxname === undefined) return { errcode: 40003, errmsg: 'invalid openid' };
		if (touser !== undefined && (typeof touser !== 'string' || !OPENID_PATTERN.test(touser))) {
			return { errcode: 40003, errmsg: 'invalid openid' };
		}
		if (towxname !== undefined && (typeof towxname !== 'string' || towxname === '')) return { errcode: 40132, errmsg: 'invalid username' };
		const contentError = this.contentError(body, true);
		if (contentError) return contentError;
		this.previews.push(body);
		return { errcode: 0, errmsg: 'preview success', msg_id: this.nextMsgId++ };
	}

	private delete(body: Json): Json {
		const articleIdx = body.article_idx ?? 0;
		if (typeof articleIdx !== 'number' || articleIdx < 0 || articleIdx > 8) return { errcode: 40035, errmsg: 'invalid args' };
		if (typeof body.url === 'string' && body.url !== '') {
			this.deleted.push({ url: body.url, articleIdx });
			return { errcode: 0, errmsg: 'ok' };
		}
		const msgId = body.msg_id;
		if (typeof msgId !== 'number' || !this.accepted.some((send) => send.msgId === msgId)) {
			return { errcode: 40059, errmsg: 'invalid msg id' };
		}
		this.deleted.push({ msgId, articleIdx });
		return { errcode: 0, errmsg: 'ok' };
	}

	private status(body: Json): Json {
		const msgId = body.msg_id;
		const send = this.accepted.find((candidate) => candidate.msgId === msgId);
		if (!send) return { errcode: 40059, errmsg: 'invalid msg id' };
		let status = this.now() - send.acceptedAt < this.options.sendingDurationMs ? 'SENDING' : 'SEND_SUCCESS';
		if (this.deleted.some((deletion) => deletion.msgId === msgId && deletion.articleIdx === 0)) status = 'DELETE';
		return { msg_id: msgId, msg_status: status };
	}

	private mintMedia(record: MediaRecord): string {
		const mediaId = `fake_${record.lifetime === 'temporary' ? 'tmp' : 'perm'}_${record.type}_${String(this.nextMediaId++).padStart(6, '0')}_${'x'.repeat(12)}`;
		this.media.set(mediaId, record);
		return mediaId;
	}

	private uploadNews(body: Json): Json {
		const articles = body.articles;
		if (!Array.isArray(articles) || articles.length < 1 || articles.length > 8) return { errcode: 40035, errmsg: 'invalid args' };
		for (const article of articles as Json[]) {
			if (typeof article.title !== 'string' || article.title === '') return { errcode: 44003, errmsg: 'empty news data' };
			if (typeof article.content !== 'string' || article.content === '') return { errcode: 44003, errmsg: 'empty news data' };
			// Its page says the cover comes from temporary media: "可以在素材管理-新增临时素材中获得"
			// (https://developers.weixin.qq.com/doc/service/api/notify/message/api_uploadnewsmsg.html).
			const thumb = this.media.get(String(article.thumb_media_id));
			if (!thumb || (thumb.type !== 'thumb' && thumb.type !== 'image')) return { errcode: 40007, errmsg: 'invalid media_id' };
		}
		return { type: 'news', media_id: this.mintMedia({ type: 'news', size: 0, lifetime: 'permanent' }), created_at: Math.floor(this.now() / 1000) };
	}

	/**
	 * Takes a permanent video: WeChat's pages for `uploadvideo` are not in its current doc tree; the
	 * Batch_Sends guide says video sends need media prepared "通过素材管理接口", and users report a
	 * temporary id refused with 40007/40128. README.md records that the pages are silent here.
	 */
	private uploadVideo(body: Json): Json {
		const source = this.media.get(String(body.media_id));
		if (!source || source.type !== 'video' || source.lifetime !== 'permanent') return { errcode: 40007, errmsg: 'invalid media_id' };
		if (typeof body.title !== 'string' || typeof body.description !== 'string') return { errcode: 40035, errmsg: 'invalid args' };
		return { type: 'video', media_id: this.mintMedia({ type: 'mpvideo', size: 0, lifetime: 'permanent' }), created_at: Math.floor(this.now() / 1000) };
	}

	private uploadMedia(request: ParsedRequest): Json {
		const type = request.query.type;
		const limits: Record<string, number> = { image: 10 << 20, voice: 2 << 20, video: 10 << 20, thumb: 64 << 10 };
		if (!(type in limits)) return { errcode: 40004, errmsg: 'invalid media type' };
		const parts = parseMultipart(request.raw, request.contentType);
		const file = parts?.find((part) => part.name === 'media' && part.fileName !== undefined);
		if (!file) return { errcode: 41005, errmsg: 'media data missing' };
		if (file.data.length > limits[type]) return { errcode: 40006, errmsg: 'invalid meida size' };
		const mediaId = this.mintMedia({ type, size: file.data.length, lifetime: 'temporary', fileName: file.fileName, contentType: file.contentType });
		const createdAt = Math.floor(this.now() / 1000);
		return type === 'thumb' ? { type, thumb_media_id: mediaId, created_at: createdAt } : { type, media_id: mediaId, created_at: createdAt };
	}

	/** 新增永久素材: see PERMANENT_MEDIA_LIMITS. Answers `{media_id, url}`, "url | 图片素材URL(仅图片返回)". */
	private addMaterial(request: ParsedRequest): Json {
		const type = request.query.type;
		const limits = PERMANENT_MEDIA_LIMITS[type];
		if (!limits) return { errcode: 40004, errmsg: 'invalid media type' };
		const parts = parseMultipart(request.raw, request.contentType) ?? [];
		const file = parts.find((part) => part.name === 'media' && part.fileName !== undefined);
		if (!file) return { errcode: 41005, errmsg: 'media data missing' };
		if (!limits.extensions.includes(extensionOf(file.fileName ?? ''))) return { errcode: 40005, errmsg: 'invalid file type' };
		if (file.data.length > limits.maxBytes) return { errcode: 40006, errmsg: 'invalid meida size' };
		let description: MediaRecord['description'];
		if (type === 'video') {
			// "素材描述信息，上传视频素材时需要": {"title":…, "introduction":…}
			const field = parts.find((part) => part.name === 'description');
			const parsed = field ? parseJsonObject(field.data) : undefined;
			if (!parsed) return { errcode: 40035, errmsg: 'invalid args: description' };
			description = { title: parsed.title as string | undefined, introduction: parsed.introduction as string | undefined };
		}
		const record: MediaRecord = { type, size: file.data.length, lifetime: 'permanent', fileName: file.fileName, contentType: file.contentType, description, updateTime: Math.floor(this.now() / 1000) };
		const mediaId = this.mintMedia(record);
		if (type !== 'image') return { media_id: mediaId };
		record.url = `http://mmbiz.qpic.cn/mmbiz_${extensionOf(file.fileName ?? '')}/${mediaId}/0?wx_fmt=${extensionOf(file.fileName ?? '')}`;
		return { media_id: mediaId, url: record.url };
	}

	/**
	 * 获取永久素材列表, per https://developers.weixin.qq.com/doc/service/api/material/permanent/api_batchgetmaterial :
	 * POST `{type, offset, count}`; type "图片（image）、视频（video）、语音 （voice）、图文（news）", offset "从全部素材的该偏移位置
	 * 开始返回，0表示从第一个素材 返回", count "返回素材的数量，取值在1到20之间"; answers `item` (`media_id`, `name`,
	 * `update_time`, `url` "图片、语音、视频素材URL"), `total_count` "该类型的素材的总数", `item_count`. The page gives no
	 * order and no errcode for a bad count: newest first here, as the console lists material, and 40035 invalid args.
	 */
	private listMaterial(body: Json): Json {
		const { type, offset, count } = body;
		if (typeof type !== 'string' || !['image', 'video', 'voice', 'news'].includes(type)) return { errcode: 40004, errmsg: 'invalid media type' };
		if (!Number.isInteger(offset) || (offset as number) < 0 || !Number.isInteger(count) || (count as number) < 1 || (count as number) > 20) {
			return { errcode: 40035, errmsg: 'invalid args' };
		}
		const all = [...this.media.entries()].filter(([, record]) => record.lifetime === 'permanent' && record.type === type).reverse();
		const item = all.slice(offset as number, (offset as number) + (count as number)).map(([mediaId, record]) => ({
			media_id: mediaId,
			name: record.fileName ?? mediaId,
			update_time: record.updateTime ?? 0,
			...(record.url ? { url: record.url } : {}),
		}));
		return { item, total_count: all.length, item_count: item.length };
	}

	/**
	 * 上传图文消息内的图片获取URL, per https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage :
	 * "图片仅支持jpg/png格式，大小必须在1MB以下"; errors "40005 invalid file type", "40009 invalid image size"; the
	 * example answer is `"url": "http://mmbiz.qpic.cn/XXXXX"`. Not a media ID, and not counted as material.
	 */
	private uploadArticleImage(request: ParsedRequest): Json {
		const parts = parseMultipart(request.raw, request.contentType) ?? [];
		const file = parts.find((part) => part.name === 'media' && part.fileName !== undefined);
		if (!file) return { errcode: 41005, errmsg: 'media data missing' };
		const extension = extensionOf(file.fileName ?? '');
		if (!['jpg', 'jpeg', 'png'].includes(extension)) return { errcode: 40005, errmsg: 'invalid file type' };
		if (file.data.length > MB) return { errcode: 40009, errmsg: 'invalid image size' };
		const url = `http://mmbiz.qpic.cn/mmbiz_${extension === 'png' ? 'png' : 'jpg'}/fakeArticleImage${String(this.nextMediaId++).padStart(6, '0')}/0`;
		this.articleImageUrls.add(url);
		return { url };
	}

	/**
	 * 新建草稿, per the draft/add page (see DRAFT_LIMITS): `thumb_media_id` "必须是永久MediaID"; in `content`
	 * "涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤" and "此处会去除JS". The page
	 * gives no maximum article count; `uploadnews`'s "一个图文消息支持1到8条图文" is kept here.
	 */
	private addDraft(body: Json): Json {
		const articles = body.articles;
		if (!Array.isArray(articles) || articles.length < 1 || articles.length > 8) return { errcode: 40035, errmsg: 'invalid args' };
		const mediaId = this.mintMedia({ type: 'draft', size: 0, lifetime: 'permanent' });
		const stored: DraftArticleRecord[] = [];
		for (const article of articles as Json[]) {
			const { title, author, digest, content } = article;
			if (typeof title !== 'string' || title === '') return this.unmint(mediaId, { errcode: 44003, errmsg: 'empty news data' });
			if (typeof content !== 'string' || content === '') return this.unmint(mediaId, { errcode: 44003, errmsg: 'empty news data' });
			if ([...title].length > DRAFT_LIMITS.title) return this.unmint(mediaId, { errcode: 45003, errmsg: 'title size out of limit' });
			if (typeof author === 'string' && [...author].length > DRAFT_LIMITS.author) return this.unmint(mediaId, { errcode: 45110, errmsg: 'author size out of limit' });
			if (typeof digest === 'string' && [...digest].length > DRAFT_LIMITS.digest) return this.unmint(mediaId, { errcode: 45004, errmsg: 'description size out of limit' });
			if (content.length >= DRAFT_LIMITS.contentChars || Buffer.byteLength(content) >= DRAFT_LIMITS.contentBytes) {
				return this.unmint(mediaId, { errcode: 45002, errmsg: 'content size out of limit' });
			}
			const cover = this.media.get(String(article.thumb_media_id));
			if (!cover || cover.lifetime !== 'permanent' || (cover.type !== 'image' && cover.type !== 'thumb')) {
				return this.unmint(mediaId, { errcode: 40007, errmsg: 'invalid media_id' });
			}
			stored.push(this.draftArticle(article, mediaId));
		}
		this.drafts.set(mediaId, { mediaId, articles: stored, updateTime: Math.floor(this.now() / 1000) });
		return { media_id: mediaId };
	}

	private unmint(mediaId: string, answer: Json): Json {
		this.media.delete(mediaId);
		return answer;
	}

	private draftArticle(article: Json, mediaId: string): DraftArticleRecord {
		const text = (value: unknown) => (typeof value === 'string' ? value : '');
		const flag = (value: unknown): 0 | 1 => (value === 1 ? 1 : 0);
		return {
			title: text(article.title),
			author: text(article.author),
			digest: text(article.digest),
			content: this.filterDraftContent(text(article.content)),
			content_source_url: text(article.content_source_url),
			thumb_media_id: text(article.thumb_media_id),
			show_cover_pic: 0,
			need_open_comment: flag(article.need_open_comment),
			only_fans_can_comment: flag(article.only_fans_can_comment),
			// "草稿的临时链接" (draft/get)
			url: `http://mp.weixin.qq.com/s?__biz=fake&tempkey=${encodeURIComponent(mediaId)}`,
		};
	}

	/** Removes scripts and every <img> whose src `media/uploadimg` did not mint, as WeChat filters them. */
	private filterDraftContent(content: string): string {
		return content
			.replace(/<script\b[\s\S]*?<\/script>/gi, '')
			.replace(/<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi, (tag) => {
				let src: string | undefined;
				for (const [, name, value] of tag.matchAll(/\s([^\s=>"']+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
					if (name.toLowerCase() === 'src') src = value.replace(/^["']|["']$/g, '').replace(/&amp;/g, '&');
				}
				return src !== undefined && this.articleImageUrls.has(src) ? tag : '';
			});
	}

	/** 获取草稿: `{media_id}` → `{news_item: [...]}`; an unknown id is "40007 | invalid media_id". */
	private getDraft(body: Json): Json {
		const draft = this.drafts.get(String(body.media_id));
		if (!draft) return { errcode: 40007, errmsg: 'invalid media_id' };
		return { news_item: draft.articles };
	}

	/**
	 * 获取草稿列表, per https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_batchget :
	 * `offset` "0表示从第一个素材返回", `count` "取值在1到20之间", `no_content` "1 表示不返回 content 字段".
	 * The page does not say in which order drafts come; this fake answers newest first, as the console shows them.
	 */
	private listDrafts(body: Json): Json {
		const { offset, count } = body;
		if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) return { errcode: 40035, errmsg: 'invalid args' };
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 20) return { errcode: 40035, errmsg: 'invalid args' };
		const newestFirst = [...this.drafts.values()].reverse().sort((a, b) => b.updateTime - a.updateTime);
		const page = newestFirst.slice(offset, offset + count);
		return {
			total_count: newestFirst.length,
			item_count: page.length,
			item: page.map((draft) => ({
				media_id: draft.mediaId,
				content: { news_item: draft.articles.map((article) => (body.no_content === 1 ? { ...article, content: undefined } : article)) },
				update_time: draft.updateTime,
			})),
		};
	}

	/** 删除草稿: "此操作不可撤销"; an unknown id is 40007. */
	private deleteDraft(body: Json): Json {
		const mediaId = String(body.media_id);
		if (!this.drafts.delete(mediaId)) return { errcode: 40007, errmsg: 'invalid media_id' };
		return { errcode: 0, errmsg: 'ok' };
	}
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function extensionOf(fileName: string): string {
	return /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1].toLowerCase() ?? '';
}

function parseJsonObject(raw: Buffer): Json | undefined {
	if (raw.length === 0) return undefined;
	try {
		const value: unknown = JSON.parse(raw.toString('utf8'));
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
	} catch {
		return undefined;
	}
}

function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}
