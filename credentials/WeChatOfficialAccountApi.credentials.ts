import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL, fetchAccessToken } from '../nodes/WeChatMassMessage/transport/accessToken';

export class WeChatOfficialAccountApi implements ICredentialType {
	name = 'weChatOfficialAccountApi';

	displayName = 'WeChat Official Account API';

	icon = { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' } as const;

	documentationUrl = 'https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wx1234567890abcdef',
			description:
				'The AppID of the Official Account, from the WeChat Official Accounts Platform under Settings and Development > Basic Configuration',
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
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { accessToken: await fetchAccessToken(this, credentials) };
	}

	// A function rather than the generic `={{$credentials.accessToken}}`: that expression would be
	// evaluated for every request (about a tenth of the node's time per item). It sets the token on
	// the request options themselves, where the transport reads which token a call carried.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		requestOptions.qs = { ...requestOptions.qs, access_token: String(credentials.accessToken ?? '') };
		return requestOptions;
	}

	// Runs after preAuthentication has fetched a token, so a wrong App ID, secret or IP already fails
	// there with WeChat's reason. The rules below are failure conditions: the test fails when
	// body[key] equals value.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.weixin.qq.com").trim().replace(/\\/+$/, "")}}',
			url: '/cgi-bin/get_api_domain_ip',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40001, message: 'WeChat rejected the access token (40001)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40164, message: 'The IP address n8n calls from is not on the account\'s IP whitelist (40164)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 48001, message: 'This account is not authorized for the API (48001)' },
			},
		],
	};
}
