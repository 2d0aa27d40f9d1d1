// Reading and checking the weChatCallbackApi credential. Problems are described without the values.

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { aesKeyFromEncodingAesKey } from './callbackCrypto';
import type { CallbackSettings, EncryptionMode } from './types';

export const CALLBACK_CREDENTIAL_TYPE = 'weChatCallbackApi';

const ENCRYPTION_MODES: readonly EncryptionMode[] = ['plain', 'compatible', 'safe'];

type CallbackCredentialFields = {
	appId: string;
	token: string;
	encryptionMode: string;
	encodingAesSecretKey: string;
};

function readFields(data: ICredentialDataDecryptedObject): CallbackCredentialFields {
	const text = (name: keyof CallbackCredentialFields): string => {
		const value = data[name];
		return typeof value === 'string' ? value.trim() : '';
	};
	return {
		appId: text('appId'),
		token: text('token'),
		encryptionMode: text('encryptionMode'),
		encodingAesSecretKey: text('encodingAesSecretKey'),
	};
}

function isEncryptionMode(value: string): value is EncryptionMode {
	return (ENCRYPTION_MODES as readonly string[]).includes(value);
}

export type SettingsResult = { ok: true; settings: CallbackSettings } | { ok: false; problems: string[] };

/** What the trigger needs to verify and decrypt callbacks; problems only for what would make that impossible. */
export function toCallbackSettings(data: ICredentialDataDecryptedObject): SettingsResult {
	const fields = readFields(data);
	const problems: string[] = [];
	if (fields.appId === '') problems.push('the AppID is empty');
	if (fields.token === '') problems.push('the Token is empty');
	if (!isEncryptionMode(fields.encryptionMode)) problems.push('the message encryption mode is not plain, compatible or safe');
	const encryptionMode = isEncryptionMode(fields.encryptionMode) ? fields.encryptionMode : 'safe';
	const aesKey = encryptionMode === 'plain' ? undefined : aesKeyFromEncodingAesKey(fields.encodingAesSecretKey);
	if (encryptionMode !== 'plain' && aesKey === undefined) {
		problems.push(`the EncodingAESKey must be 43 letters or digits in ${encryptionMode} mode`);
	}
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, settings: { appId: fields.appId, token: fields.token, encryptionMode, aesKey } };
}

/**
 * The checks WeChat's console applies when the Server Configuration is saved, so a credential that
 * passes here is one WeChat accepts. WeChat offers no API to confirm a Token or EncodingAESKey: it
 * proves them by calling the server's URL, which the trigger answers once the workflow is active.
 */
export function describeCredentialProblems(data: ICredentialDataDecryptedObject): string[] {
	const fields = readFields(data);
	const settings = toCallbackSettings(data);
	const problems = settings.ok ? [] : [...settings.problems];
	if (fields.appId !== '' && !/^wx[0-9A-Za-z]{16}$/.test(fields.appId)) {
		problems.push('the AppID should be "wx" followed by 16 letters or digits');
	}
	if (fields.token !== '' && !/^[A-Za-z0-9]{3,32}$/.test(fields.token)) problems.push('the Token must be 3 to 32 letters or digits');
	// Decodable keys with + or / work for decryption, but WeChat's console only ever issues letters and digits.
	const isDecodableKey = aesKeyFromEncodingAesKey(fields.encodingAesSecretKey) !== undefined;
	if (fields.encryptionMode !== 'plain' && isDecodableKey && !/^[A-Za-z0-9]{43}$/.test(fields.encodingAesSecretKey)) {
		problems.push('the EncodingAESKey must be 43 letters or digits');
	}
	return problems;
}
