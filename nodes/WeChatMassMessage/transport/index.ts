import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { WeChatResult } from '../helpers/types';
import { REJECTED_TOKEN_FIELD, TOKEN_ERROR_NAME, apiBaseUrl, hasTokenForCredential } from './accessToken';
import { TOKEN_ERROR_CODES, explainErrcode } from './errorCodes';
import { jsonWithIntegers, parseJson } from './json';
import { describeNetworkError } from './networkError';
import { type MultipartFile, buildMultipartBody } from './multipart';

export const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

export type WeChatContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface WeChatRequest {
	method: IHttpRequestMethods;
	/** Path below the API base URL, e.g. `/cgi-bin/message/mass/get`. */
	path: string;
	qs?: Record<string, string>;
	body?: object;
	/** Fields of `body` that hold digits to send as JSON numbers, exactly: a msg_id may be longer than a JavaScript number holds. */
	jsonIntegerFields?: string[];
	file?: MultipartFile;
	/**
	 * True when sending the request twice cannot do anything twice (reads, or writes de-duplicated by
	 * WeChat). Only such requests are replayed after an outcome that is unknown: a dropped
	 * connection, an HTTP 5xx or errcode -1.
	 */
	idempotent: boolean;
}

/**
 * Why a request's outcome is unknown: WeChat may or may not have acted on it. `relay`: an HTTP 4xx
 * that is not WeChat's (WeChat answers errors with HTTP 200): a wrong API Base URL, or a relay that
 * may have passed the request on before failing.
 */
export type UnknownOutcome =
	| { kind: 'network'; detail: string }
	| { kind: 'http'; status: number }
	| { kind: 'relay'; status: number }
	| { kind: 'busy'; errmsg: string }
	| { kind: 'incomplete' };

export type WeChatReply<T> = { outcome: 'answered'; result: T & WeChatResult } | { outcome: 'unknown'; why: UnknownOutcome };

const READ_RETRY_DELAYS_MS = [250, 750, 2000];
/** How often a wait looks whether the execution was stopped. */
const STOP_CHECK_MS = 200;

/** The execution's cancel signal: n8n sets it when the execution is stopped (n8n 1.x and 2.x). */
export function cancelSignalOf(ctx: WeChatContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal?.() : undefined;
}

/**
 * Waits `ms`, or less when the execution is stopped meanwhile (within 0.2 s of Stop); true when it
 * was stopped. Every wait of the node goes through here: between attempts of a call, and while
 * polling a send's or a publish's status.
 */
export async function waitUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	const until = Date.now() + ms;
	while (signal?.aborted !== true) {
		const left = until - Date.now();
		if (left <= 0) return false;
		await sleep(Math.min(left, STOP_CHECK_MS));
	}
	return true;
}
const ACCESS_TOKEN_MISSING = 41001;
const REQUEST_TIMEOUT_MS = 30000;

interface Attempt {
	reply: WeChatReply<IDataObject>;
	/** The access token n8n put on the request; lets a refresh tell a stale token from a fresh one. */
	usedToken: string | undefined;
}

/**
 * One WeChat call with the credential's token, refreshing the token once if WeChat rejects it.
 * Never throws for WeChat's answers (any errcode comes back in `result`) nor for an unknown outcome:
 * callers decide what a failure means. Throws only when no access token can be had.
 */
export async function callWeChat<T>(ctx: WeChatContext, request: WeChatRequest, itemIndex = 0): Promise<WeChatReply<T>> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	// A token stored for other fields (the App ID or secret was edited since) is never used: n8n would
	// keep sending it until it expires, to the previous account.
	const first = hasTokenForCredential(credentials)
		? await attempt(ctx, request, credentials, undefined, itemIndex)
		: await attemptWithNewToken(ctx, request, credentials, undefined, itemIndex);
	const errcode = first.reply.outcome === 'answered' ? first.reply.result.errcode ?? 0 : 0;
	if (!TOKEN_ERROR_CODES.has(errcode)) {
		return first.reply as WeChatReply<T>;
	}

	// The token was rejected (expired, or replaced by another system). Unless another execution or
	// worker has already stored a new one, have n8n fetch one and store it; then retry once.
	// 41001 (no token on the request) rejects no token: nothing for a stable endpoint to rotate.
	const current = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const rejectedToken = errcode === ACCESS_TOKEN_MISSING ? undefined : first.usedToken;
	const second =
		hasTokenForCredential(current) && current.accessToken !== first.usedToken
			? await attempt(ctx, request, current, undefined, itemIndex)
			: await attemptWithNewToken(ctx, request, current, rejectedToken, itemIndex);
	return second.reply as WeChatReply<T>;
}

/**
 * The request with an emptied token, which makes n8n run the credential's preAuthentication and
 * store its token for every execution and process. `rejectedToken` is the token WeChat just refused.
 */
async function attemptWithNewToken(
	ctx: WeChatContext,
	request: WeChatRequest,
	credentials: ICredentialDataDecryptedObject,
	rejectedToken: string | undefined,
	itemIndex: number,
): Promise<Attempt> {
	const data: ICredentialDataDecryptedObject = { ...credentials, accessToken: '' };
	if (rejectedToken !== undefined) data[REJECTED_TOKEN_FIELD] = rejectedToken;
	return await attempt(ctx, request, credentials, data, itemIndex);
}

/** `credentialData`, when given, replaces what n8n would read from its store for this one request. */
async function attempt(
	ctx: WeChatContext,
	request: WeChatRequest,
	credentials: ICredentialDataDecryptedObject,
	credentialData: ICredentialDataDecryptedObject | undefined,
	itemIndex: number,
): Promise<Attempt> {
	const options = buildHttpOptions(credentials, request);
	// n8n 2.x adds the execution's signal itself; older versions need it here, so a stopped execution ends the request.
	options.abortSignal ??= cancelSignalOf(ctx);
	const node = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const additional = credentialData
		? { credentialsDecrypted: { id: node?.id ?? '', name: node?.name ?? '', type: CREDENTIAL_TYPE, data: credentialData } }
		: undefined;

	let response: { statusCode: number; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options, additional);
	} catch (error) {
		throwIfTokenUnavailable(ctx, error, itemIndex);
		return { reply: { outcome: 'unknown', why: { kind: 'network', detail: describeNetworkError(error) } }, usedToken: tokenOn(options) };
	}

	const usedToken = tokenOn(options);
	if (response.statusCode >= 500 || response.statusCode === 429) {
		return { reply: { outcome: 'unknown', why: { kind: 'http', status: response.statusCode } }, usedToken };
	}
	const result = parseBody(response.body);
	if (response.statusCode >= 400 && typeof result?.errcode !== 'number') {
		return { reply: { outcome: 'unknown', why: { kind: 'relay', status: response.statusCode } }, usedToken };
	}
	if (result === undefined) {
		return { reply: { outcome: 'unknown', why: { kind: 'http', status: response.statusCode } }, usedToken };
	}
	if (result.errcode === -1) {
		return { reply: { outcome: 'unknown', why: { kind: 'busy', errmsg: String(result.errmsg ?? 'system error') } }, usedToken };
	}
	return { reply: { outcome: 'answered', result }, usedToken };
}

function buildHttpOptions(credentials: ICredentialDataDecryptedObject, request: WeChatRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${apiBaseUrl(credentials.baseUrl)}${request.path}`,
		qs: { ...request.qs },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (request.file) {
		const multipart = buildMultipartBody(request.file);
		options.body = multipart.body;
		options.headers = { 'Content-Type': multipart.contentType };
		options.json = false;
	} else if (request.jsonIntegerFields && request.body !== undefined) {
		options.body = jsonWithIntegers(request.body, request.jsonIntegerFields);
		options.headers = { 'Content-Type': 'application/json' };
		options.json = false;
	} else {
		options.json = true;
		if (request.body !== undefined) options.body = request.body as IDataObject;
	}
	return options;
}

function tokenOn(options: IHttpRequestOptions): string | undefined {
	const token = (options.qs as IDataObject | undefined)?.access_token;
	return typeof token === 'string' ? token : undefined;
}

function parseBody(body: unknown): (WeChatResult & IDataObject) | undefined {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') value = parseJson(value);
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	return value as WeChatResult & IDataObject;
}

/** A failed token fetch (wrong secret, IP not whitelisted...) is final: say so with WeChat's reason. */
function throwIfTokenUnavailable(ctx: WeChatContext, error: unknown, itemIndex: number): void {
	let cause: unknown = error;
	for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
		if (cause.name === TOKEN_ERROR_NAME) {
			const errcode = (cause as Error & { errcode?: number }).errcode;
			throw apiError(ctx, cause.message, errcode, itemIndex);
		}
		cause = cause.cause;
	}
}

/**
 * Builds the node's error from what this module chose to say: never from the HTTP client's error,
 * whose request config holds the access token.
 */
function apiError(ctx: WeChatContext, message: string, errcode: number | undefined, itemIndex: number, httpCode?: string): NodeApiError {
	const response: JsonObject = errcode === undefined ? { message } : { message, errcode };
	return new NodeApiError(ctx.getNode(), response, { message, itemIndex, httpCode });
}

export function describeUnknownOutcome(why: UnknownOutcome): string {
	switch (why.kind) {
		case 'network':
			return `the connection to WeChat failed (${why.detail})`;
		case 'http':
			return `WeChat answered HTTP ${why.status}`;
		case 'relay':
			return `the API Base URL answered HTTP ${why.status}, which is not an answer of WeChat's (WeChat answers with HTTP 200)`;
		case 'busy':
			return `WeChat answered errcode -1 (${why.errmsg})`;
		case 'incomplete':
			return 'WeChat answered success without a msg_id';
	}
}

/** The NodeApiError for a WeChat answer with a non-zero errcode. */
export function weChatError(ctx: WeChatContext, result: WeChatResult, itemIndex: number, path?: string): NodeApiError {
	const errcode = result.errcode ?? 0;
	const errmsg = result.errmsg ?? '';
	const explanation = explainErrcode(errcode, path);
	const message = `WeChat error ${errcode}: ${errmsg}`;
	return new NodeApiError(ctx.getNode(), { errcode, errmsg } as JsonObject, {
		message,
		description: explanation ?? 'See the WeChat Official Account documentation for this errcode.',
		itemIndex,
	});
}

/**
 * A WeChat call for the operations that need no special handling of WeChat's answers: returns the
 * result when errcode is 0, throws a NodeApiError explaining the errcode otherwise. Idempotent
 * requests are retried with a short backoff when the outcome is unknown.
 */
export async function weChatApiRequest<T>(ctx: WeChatContext, request: WeChatRequest, itemIndex = 0): Promise<T & WeChatResult> {
	const reply = await callWeChatReplaying<T>(ctx, request, itemIndex);
	if (reply.outcome === 'unknown') throw unknownOutcomeError(ctx, request, reply.why, itemIndex);
	const errcode = reply.result.errcode ?? 0;
	if (errcode !== 0) throw weChatError(ctx, reply.result, itemIndex, request.path);
	return reply.result;
}

/** callWeChat, with an idempotent request replayed after a short backoff while its outcome is unknown. */
export async function callWeChatReplaying<T>(ctx: WeChatContext, request: WeChatRequest, itemIndex = 0): Promise<WeChatReply<T>> {
	const attempts = request.idempotent ? READ_RETRY_DELAYS_MS.length + 1 : 1;
	let reply = await callWeChat<T>(ctx, request, itemIndex);
	// A relay's 4xx does not go away by asking again.
	for (let n = 1; n < attempts && reply.outcome === 'unknown' && reply.why.kind !== 'relay'; n++) {
		if (await waitUnlessStopped(READ_RETRY_DELAYS_MS[n - 1], cancelSignalOf(ctx))) break;
		reply = await callWeChat<T>(ctx, request, itemIndex);
	}
	return reply;
}

/** The error for a request whose outcome stayed unknown: what failed, and whether it was sent again; `context` (what had been done before) goes into the description. */
export function unknownOutcomeError(ctx: WeChatContext, request: WeChatRequest, why: UnknownOutcome, itemIndex: number, context = ''): NodeApiError {
	if (why.kind === 'relay' && request.idempotent) {
		const message = `WeChat answered HTTP ${why.status}. Check the credential's API Base URL.`;
		return new NodeApiError(ctx.getNode(), { message }, { message, description: context.trim() || undefined, itemIndex, httpCode: String(why.status) });
	}
	const replayNote = request.idempotent
		? ` after ${READ_RETRY_DELAYS_MS.length + 1} attempts`
		: '. The request changes something, so it was not sent again: check in WeChat whether it took effect';
	const message = `${capitalize(describeUnknownOutcome(why))}${replayNote}.`;
	return new NodeApiError(ctx.getNode(), { message }, { message, description: context.trim() || undefined, itemIndex });
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How often to ask and for how long, while polling a send's or a publish's status. */
export interface Polling {
	intervalMs: number;
	limitMs: number;
}

/**
 * Asks (`read`) until `finished` says so, every `intervalMs`, for at most `limitMs`. Stop ends the
 * wait at once: the last answer is returned with `stopped`.
 */
export async function pollUntil<T>(ctx: WeChatContext, read: () => Promise<T>, finished: (answer: T) => boolean, polling: Polling): Promise<{ answer: T; checks: number; timedOut: boolean; stopped: boolean }> {
	const startedAt = Date.now();
	for (let checks = 1; ; checks++) {
		const answer = await read();
		if (finished(answer)) return { answer, checks, timedOut: false, stopped: false };
		if (Date.now() - startedAt + polling.intervalMs > polling.limitMs) return { answer, checks, timedOut: true, stopped: false };
		if (await waitUnlessStopped(polling.intervalMs, cancelSignalOf(ctx))) return { answer, checks, timedOut: false, stopped: true };
	}
}
