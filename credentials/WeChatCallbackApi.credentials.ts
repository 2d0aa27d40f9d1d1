import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { WECHAT_CONSOLE } from '../nodes/WeChatMassMessage/helpers/weChatConsole';

// WeChat has no API that confirms a Token or EncodingAESKey (it proves them by calling the server
// URL), so this credential has no `test` request: the WeChat Mass Message Trigger tests it with
// `testedBy`, applying the format rules WeChat's console enforces.
export class WeChatCallbackApi implements ICredentialType {
	name = 'weChatCallbackApi';

	displayName = 'WeChat Official Account Callback API';

	icon = { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-wechat-mass/n8n-nodes-wechat-mass#trigger-wechat-mass-message-trigger';

	properties: INodeProperties[] = [
		{
			displayName: `Enter the values of the account's message push configuration: ${WECHAT_CONSOLE.messagePush}`,
			name: 'serverConfigurationNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName:
				'WeChat offers no way to check a Token or EncodingAESKey: Test checks that they have the form WeChat\'s console accepts (n8n then says "Connection tested successfully"). WeChat checks them against the trigger when you submit the message push configuration.',
			name: 'testNotice',
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
			description: 'The AppID (开发者ID) of the account, shown under Basic Information (基础信息) on the WeChat Developer Platform. Encrypted messages name the account they were encrypted for; others are refused.',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Token (令牌) of the message push configuration: 3 to 32 letters or digits. WeChat signs every request with it.',
		},
		{
			displayName: 'Message Encryption Mode',
			name: 'encryptionMode',
			type: 'options',
			default: 'safe',
			description: 'The Message Encryption Mode (消息加解密方式) chosen in the message push configuration. Requests in any other mode are refused.',
			options: [
				{
					name: 'Plain Text',
					value: 'plain',
					description:
						'明文模式: messages are not encrypted. The signature covers only the timestamp and nonce, not the message, so prefer safe mode.',
				},
				{
					name: 'Compatible',
					value: 'compatible',
					description: '兼容模式: messages carry plain and encrypted copies; only the encrypted copy is trusted',
				},
				{
					name: 'Safe (Recommended)',
					value: 'safe',
					description: '安全模式: messages are encrypted with the EncodingAESKey and the signature covers the ciphertext',
				},
			],
		},
		{
			displayName: 'EncodingAESKey',
			name: 'encodingAesSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The EncodingAESKey (消息加解密密钥) of the message push configuration: 43 letters or digits',
			displayOptions: { show: { encryptionMode: ['compatible', 'safe'] } },
		},
	];
}
