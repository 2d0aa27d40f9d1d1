import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { WeChatResult } from '../helpers/types';
import { TOKEN_ERROR_NAME, fetchAccessToken, normalizeBaseUrl } from './accessToken';
import { explainErrcode } from './errorCodes';

/**
 * The credential's Test button. n8n's own request test would reuse the token stored in the
 * credential, so a wrong App Secret saved over a working one would test green; this asks WeChat for
 * a token with the App ID and secret as entered, then makes one read-only call with it.
 */
export async function testWeChatCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const helper = legacyRequestHelper(this);
	let token: string;
	try {
		token = await fetchAccessToken(helper, data);
	} catch (error) {
		const said = error instanceof Error && error.name === TOKEN_ERROR_NAME;
		return { status: 'Error', message: said ? error.message : 'The token request failed unexpectedly.' };
	}

	let result: WeChatResult;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- n8n gives credential tests no other HTTP helper
		result = (await this.helpers.request({
			uri: `${normalizeBaseUrl(data.baseUrl)}/cgi-bin/get_api_domain_ip`,
			qs: { access_token: token },
			json: true,
			timeout: 15000,
		})) as WeChatResult;
	} catch {
		return { status: 'Error', message: 'WeChat issued a token, but the test call with it failed to reach WeChat. Check the API Base URL.' };
	}
	const errcode = result?.errcode ?? 0;
	if (errcode !== 0) {
		const explanation = explainErrcode(errcode) ?? 'See the WeChat Official Account documentation for this errcode.';
		return { status: 'Error', message: `WeChat issued a token but refused a call with it (errcode ${errcode}: ${result.errmsg ?? ''}). ${explanation}` };
	}
	return { status: 'OK', message: 'WeChat accepted the App ID and App Secret' };
}

/** Credential tests get n8n's older `request` helper only; the token code speaks `httpRequest`. */
function legacyRequestHelper(ctx: ICredentialTestFunctions): IHttpRequestHelper {
	const httpRequest = async (options: IHttpRequestOptions) =>
		await ctx.helpers.request({
			uri: options.url,
			method: options.method ?? 'GET',
			qs: options.qs,
			body: options.body,
			json: options.json,
			timeout: options.timeout,
		});
	return { helpers: { httpRequest } as IHttpRequestHelper['helpers'] };
}
