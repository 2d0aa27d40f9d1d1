import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_BASE_URL,
	TOKEN_OWNER_FIELD,
	hasTokenForCredential,
	isTokenRequest,
	issueTokenForCredential,
} from '../nodes/WeChatMassMessage/transport/accessToken';
import { WECHAT_CONSOLE } from '../nodes/WeChatMassMessage/helpers/weChatConsole';
import { explainErrcode } from '../nodes/WeChatMassMessage/transport/errorCodes';
import { DEFAULT_QR_CODE_IMAGE_BASE_URL, QR_CODE_IMAGE_BASE_URL_FIELD } from '../nodes/WeChatMassMessage/transport/qrCodeImage';

export class WeChatOfficialAccountApi implements ICredentialType {
	name = 'weChatOfficialAccountApi';

	displayName = 'WeChat Official Account API';

	icon = { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-wechat-mass/n8n-nodes-wechat-mass#credential-wechat-official-account-api';

	properties: INodeProperties[] = [
		{
			displayName: `Before the first call, add the public IP address n8n calls WeChat from in the ${WECHAT_CONSOLE.ipWhitelist}: WeChat refuses any other address (error 40164). App ID and App Secret are on the same Basic Information page; App Secret under Development Key (开发密钥).`,
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wx1234567890abcdef',
			description: `The AppID of the Official Account, from the ${WECHAT_CONSOLE.appId}`,
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The AppSecret from the same page. Resetting it there invalidates the old one.',
		},
		{
			displayName: 'Token Endpoint',
			name: 'grantEndpoint',
			type: 'options',
			default: 'stable',
			options: [
				{
					name: 'Stable (Recommended)',
					value: 'stable',
					description:
						'Uses stable_token: every system sharing this App ID gets the same token, so n8n never knocks another system\'s token out',
				},
				{
					name: 'Classic',
					value: 'classic',
					description:
						'Uses cgi-bin/token: each new token invalidates the previous one within minutes, breaking any other system that uses this App ID',
				},
			],
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'WeChat\'s API host. Regional hosts: https://api2.weixin.qq.com, https://sh.api.weixin.qq.com, https://sz.api.weixin.qq.com, https://hk.api.weixin.qq.com. If your n8n has no fixed IP for WeChat\'s IP whitelist, enter the URL of a relay that forwards to WeChat from a whitelisted IP.',
		},
		{
			displayName: 'QR Code Image Base URL',
			name: QR_CODE_IMAGE_BASE_URL_FIELD,
			type: 'string',
			default: DEFAULT_QR_CODE_IMAGE_BASE_URL,
			description:
				'Where QR Code > Create downloads the image of a new code (showqrcode). WeChat serves it from https://mp.weixin.qq.com without an access token; change it only for a relay or a test server.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Issued For',
			name: TOKEN_OWNER_FIELD,
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await issueTokenForCredential(this, credentials);
	}

	// A function rather than the generic `={{$credentials.accessToken}}`: that expression would be
	// evaluated for every request (about a tenth of the node's time per item). It sets the token on
	// the request options themselves, where the transport reads which token a call carried. A token
	// issued for other fields (the App ID or secret was changed since) is never sent, nor any token to
	// the token endpoints (the Test request).
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		if (!hasTokenForCredential(credentials) || isTokenRequest(requestOptions.url)) return requestOptions;
		requestOptions.qs = { ...requestOptions.qs, access_token: String(credentials.accessToken) };
		return requestOptions;
	}

	// Test asks WeChat's stable token endpoint for a token with the App ID and secret as entered: n8n
	// runs preAuthentication for a test only when no token is stored, so a test of the stored token would
	// pass after a wrong secret was saved over a working one. The normal mode changes no token, and the
	// stable family is independent of the classic one, so Test disturbs no system using the App ID.
	// Each rule FAILS the test when body[key] equals value.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{String($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "")}}`,
			url: '/cgi-bin/stable_token',
			method: 'POST',
			json: true,
			body: {
				grant_type: 'client_credential',
				appid: '={{String($credentials.appId ?? "").trim()}}',
				secret: '={{String($credentials.appSecret ?? "").trim()}}',
				force_refresh: false,
			},
		},
		rules: [
			...CREDENTIAL_TEST_ERRCODES.map((errcode) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'errcode',
					value: errcode,
					message: `WeChat refused the token request (errcode ${errcode}). ${explainErrcode(errcode) ?? ''}`.trim(),
				},
			})),
			{
				// Any other refusal (a frozen secret, a spent quota, WeChat busy...): an answer without a token.
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'access_token',
					value: undefined,
					message: `WeChat gave no access token. Check the App ID, the App Secret (not reset or frozen) and the IP whitelist in the ${WECHAT_CONSOLE.appId}; the node shows WeChat's errcode when it runs.`,
				},
			},
		],
	};
}

/** WeChat's errcodes for a token request whose App ID, secret or caller IP it refuses, or that lacks one. */
const CREDENTIAL_TEST_ERRCODES = [40013, 40125, 40164, 41002, 41004];
