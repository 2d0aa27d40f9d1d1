import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import type { AccessTokenResponse, StableTokenRequest, TokenEndpoint } from '../helpers/types';
import { explainErrcode } from './errorCodes';
import { parseJson } from './json';

export const DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

/**
 * Set by the transport, next to an emptied access token, when WeChat rejected that token. A stable
 * token endpoint keeps answering with the same token until it expires, so if it hands back exactly
 * this one, the only way to a working token is a forced rotation.
 */
export const REJECTED_TOKEN_FIELD = 'rejectedAccessToken';

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

export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return (text === '' ? DEFAULT_BASE_URL : text).replace(/\/+$/, '');
}

function tokenEndpointOf(credentials: ICredentialDataDecryptedObject): TokenEndpoint {
	return credentials.grantEndpoint === 'classic' ? 'classic' : 'stable';
}

/**
 * Asks WeChat for an access token with the credential's App ID and secret. Runs as the credential's
 * preAuthentication, so n8n stores the result in the credential for every process and execution.
 */
export async function fetchAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const appid = String(credentials.appId ?? '').trim();
	const secret = String(credentials.appSecret ?? '').trim();
	if (appid === '' || secret === '') {
		throw new WeChatTokenError('The WeChat credential needs both an App ID and an App Secret.');
	}
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);

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
	const rejected = credentials[REJECTED_TOKEN_FIELD];
	if (typeof rejected === 'string' && rejected !== '' && rejected === token) {
		return tokenFrom(await stable(true));
	}
	return token;
}

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
			failure = error instanceof Error && 'code' in error ? String(error.code) : 'network error';
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
export function callerIpFrom(errmsg: string): string | undefined {
	return /invalid ip ([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
}
