import { createHash } from 'crypto';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { AccessTokenResponse, StableTokenRequest, TokenEndpoint } from '../helpers/types';
import { normalizeBaseUrl } from './baseUrl';
import { explainErrcode } from './errorCodes';
import { parseJson } from './json';
import { describeNetworkError } from './networkError';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

/**
 * Set by the transport, next to an emptied access token, when WeChat rejected that token. A stable
 * token endpoint keeps answering with the same token until it expires, so if it hands back exactly
 * this one, the only way to a working token is a forced rotation. It travels only in the data the
 * transport hands to n8n for one request: preAuthentication takes it out before n8n stores the data.
 */
export const REJECTED_TOKEN_FIELD = 'rejectedAccessToken';

/** The credential's hidden field that says which App ID, secret, endpoint and base URL the stored token was issued for. */
export const TOKEN_OWNER_FIELD = 'accessTokenIssuedFor';

export const TOKEN_ERROR_NAME = 'WeChatTokenError';

/** A failure to get an access token; carries WeChat's errcode when WeChat answered. */
export class WeChatTokenError extends Error {
	readonly errcode: number | undefined;

	constructor(message: string, errcode?: number) {
		super(message);
		this.name = TOKEN_ERROR_NAME;
		this.errcode = errcode;
	}
}

/** The credential's API Base URL, checked (transport/baseUrl.ts). */
export function apiBaseUrl(value: unknown): string {
	return normalizeBaseUrl(value, DEFAULT_BASE_URL, 'API Base URL');
}

function tokenEndpointOf(credentials: ICredentialDataDecryptedObject): TokenEndpoint {
	return credentials.grantEndpoint === 'classic' ? 'classic' : 'stable';
}

/**
 * A digest of everything a token belongs to. Stored next to the token, it tells a token issued for
 * the credential as it is now from one left over from before an edit (another App ID, a new secret,
 * another endpoint or host), which n8n would otherwise keep using. A SHA-256 digest, never the secret.
 */
export function tokenOwnerOf(credentials: ICredentialDataDecryptedObject): string {
	const fields = [
		String(credentials.appId ?? '').trim(),
		String(credentials.appSecret ?? '').trim(),
		tokenEndpointOf(credentials),
		apiBaseUrl(credentials.baseUrl),
	];
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Whether a request goes to one of WeChat's token endpoints, which take an App ID and secret, not a token. */
export function isTokenRequest(url: string | undefined): boolean {
	return /\/cgi-bin\/(stable_)?token(\?|$)/.test(url ?? '');
}

/** True when the credential holds a token issued for its current App ID, secret, endpoint and base URL. */
export function hasTokenForCredential(credentials: ICredentialDataDecryptedObject): boolean {
	const token = credentials.accessToken;
	return typeof token === 'string' && token !== '' && credentials[TOKEN_OWNER_FIELD] === tokenOwnerOf(credentials);
}

/**
 * The credential's preAuthentication: a new token and whom it belongs to, for n8n to store. Takes
 * the transport's rejected-token note out of `credentials` first: n8n 1.x stores this very object.
 */
export async function issueTokenForCredential(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<ICredentialDataDecryptedObject> {
	const rejected = typeof credentials[REJECTED_TOKEN_FIELD] === 'string' ? String(credentials[REJECTED_TOKEN_FIELD]) : undefined;
	delete credentials[REJECTED_TOKEN_FIELD];
	const owner = tokenOwnerOf(credentials);
	const key = `${owner}\n${rejected ?? ''}`;
	const now = Date.now();
	for (const [staleKey, recent] of recentTokenFetches) {
		if (now - recent.startedAt > RECENT_FETCH_REUSE_MS) recentTokenFetches.delete(staleKey);
	}
	let recent = recentTokenFetches.get(key);
	if (recent === undefined) {
		const entry = { fetching: fetchAccessToken(helper, credentials, rejected), startedAt: now };
		recentTokenFetches.set(key, entry);
		entry.fetching.catch(() => recentTokenFetches.get(key) === entry && recentTokenFetches.delete(key));
		recent = entry;
	}
	return { accessToken: await recent.fetching, [TOKEN_OWNER_FIELD]: owner };
}

/**
 * Token requests of this process in the last minute, by whom the token is for and which token was
 * rejected: executions that need a new token at about the same moment (n8n runs preAuthentication
 * for each, and stores its result a little later) share one request. A token rejected since has
 * another key. Only a saving: processes (queue-mode workers) each make their own, and the stable
 * endpoint hands them the same token.
 */
const recentTokenFetches = new Map<string, { fetching: Promise<string>; startedAt: number }>();
const RECENT_FETCH_REUSE_MS = 60 * 1000;

/**
 * Asks WeChat for an access token with the credential's App ID and secret. `rejected` is a token
 * WeChat just refused: a stable endpoint that hands it back is made to rotate it.
 */
async function fetchAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	rejected?: string,
): Promise<string> {
	const appid = String(credentials.appId ?? '').trim();
	const secret = String(credentials.appSecret ?? '').trim();
	if (appid === '' || secret === '') {
		throw new WeChatTokenError('The WeChat credential needs both an App ID and an App Secret.');
	}
	const baseUrl = apiBaseUrl(credentials.baseUrl);

	if (tokenEndpointOf(credentials) === 'classic') {
		const response = await requestToken(helper, {
			method: 'GET',
			url: `${baseUrl}/cgi-bin/token`,
			qs: { grant_type: 'client_credential', appid, secret },
		});
		return tokenFrom(response);
	}

	const stable = (force_refresh: boolean) =>
		requestToken(helper, {
			method: 'POST',
			url: `${baseUrl}/cgi-bin/stable_token`,
			body: { grant_type: 'client_credential', appid, secret, force_refresh } satisfies StableTokenRequest,
		});
	const token = tokenFrom(await stable(false));
	if (rejected === undefined || rejected === '' || rejected !== token) return token;
	// Other processes (queue-mode workers) that met the same rejected token are at this point too, and
	// WeChat takes one forced rotation per 30 s. After a random pause, the first to wake rotates; the
	// others find its token in the normal mode.
	await sleep(Math.random() * FORCED_REFRESH_SPREAD_MS);
	const afterPause = tokenFrom(await stable(false));
	if (afterPause !== rejected) return afterPause;
	const forced = await stable(true);
	if ((forced.errcode ?? 0) !== 0) {
		// WeChat takes one forced rotation per 30 s and 20 a day ("强制刷新模式每天限用 20 次且需间隔 30 秒",
		// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken; the page names no
		// errcode for a refusal): another process (a queue-mode worker) may just have rotated, and the
		// normal mode then hands out the token it got.
		const current = tokenFrom(await stable(false));
		if (current !== rejected) return current;
	}
	return tokenFrom(forced);
}

const FORCED_REFRESH_SPREAD_MS = 2000;

interface TokenRequest {
	method: 'GET' | 'POST';
	url: string;
	qs?: Record<string, string>;
	body?: StableTokenRequest;
}

async function requestToken(helper: IHttpRequestHelper, request: TokenRequest): Promise<AccessTokenResponse> {
	// The request carries the App Secret: never pass the HTTP client's error (and its config) on.
	let failure: string | undefined;
	const response: unknown = await helper.helpers
		.httpRequest({ ...request, json: true, timeout: 15000 })
		.catch((error: unknown) => {
			failure = describeNetworkError(error);
			return undefined;
		});
	if (failure !== undefined) {
		throw new WeChatTokenError(
			`Could not reach WeChat's token endpoint at ${new URL(request.url).origin} (${failure}). Check the credential's API Base URL and the network.`,
		);
	}
	return parseTokenResponse(response);
}

function parseTokenResponse(response: unknown): AccessTokenResponse {
	const value = typeof response === 'string' ? parseJson(response) : response;
	if (value === null || typeof value !== 'object') {
		throw new WeChatTokenError('WeChat\'s token endpoint did not answer with JSON. Check the credential\'s API Base URL.');
	}
	return value as AccessTokenResponse;
}

function tokenFrom(response: AccessTokenResponse): string {
	const errcode = response.errcode ?? 0;
	if (errcode !== 0 || typeof response.access_token !== 'string' || response.access_token === '') {
		const errmsg = response.errmsg ?? 'no access_token in the answer';
		const explanation = explainErrcode(errcode) ?? 'Check the App ID, App Secret and token endpoint.';
		const ip = errcode === 40164 ? callerIpFrom(errmsg) : undefined;
		const ipNote = ip ? ` WeChat saw the request coming from ${ip}.` : '';
		throw new WeChatTokenError(
			`WeChat refused the access token request (errcode ${errcode}: ${errmsg}). ${explanation}${ipNote}`,
			errcode,
		);
	}
	return response.access_token;
}

/** WeChat's 40164 errmsg reads "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: ...". */
function callerIpFrom(errmsg: string): string | undefined {
	return /invalid ip ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
}
