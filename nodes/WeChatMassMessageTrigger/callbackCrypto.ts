// WeChat's callback signatures and message encryption (消息加解密), as WeChat documents them:
// signature = hex sha1 of the sorted, concatenated strings; messages are AES-256-CBC with the key
// from the EncodingAESKey, the key's first 16 bytes as IV, and PKCS#7 padding to 32-byte blocks.

import { createDecipheriv, createHash, timingSafeEqual } from 'crypto';

const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const AES_BLOCK_BYTES = 16;
const WECHAT_PADDING_BLOCK_BYTES = 32;
const RANDOM_PREFIX_BYTES = 16;
const LENGTH_FIELD_BYTES = 4;

/** `signature` (token, timestamp, nonce) or `msg_signature` (the same plus the Encrypt text). */
export function callbackSignature(parts: readonly string[]): string {
	return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of a received signature with the one computed from `parts`. */
export function signatureMatches(parts: readonly string[], received: string): boolean {
	const expected = Buffer.from(callbackSignature(parts), 'utf8');
	const actual = Buffer.from(received.toLowerCase(), 'utf8');
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The 32-byte AES key an EncodingAESKey stands for, or undefined when it is not 43 base64 characters. */
export function aesKeyFromEncodingAesKey(encodingAesKey: string): Buffer | undefined {
	if (!ENCODING_AES_KEY.test(encodingAesKey)) return undefined;
	const key = Buffer.from(`${encodingAesKey}=`, 'base64');
	return key.length === 32 ? key : undefined;
}

export type DecryptResult = { ok: true; xml: string } | { ok: false; status: 400 | 403; reason: string };

function rejected(status: 400 | 403, reason: string): DecryptResult {
	return { ok: false, status, reason };
}

/**
 * Decrypts the `Encrypt` text of a safe- or compatible-mode callback. The plaintext is
 * 16 random bytes | 4-byte big-endian length L | L bytes of XML | the AppID it was sent for.
 */
export function decryptCallbackMessage(encrypted: string, aesKey: Buffer, appId: string): DecryptResult {
	if (encrypted.length === 0 || !BASE64.test(encrypted)) return rejected(400, 'Encrypt is not valid base64');
	const ciphertext = Buffer.from(encrypted, 'base64');
	if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
		return rejected(400, 'ciphertext is not a whole number of AES blocks');
	}

	const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, AES_BLOCK_BYTES));
	decipher.setAutoPadding(false);
	const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);

	const padding = padded[padded.length - 1];
	if (padding < 1 || padding > WECHAT_PADDING_BLOCK_BYTES || padding > padded.length) return rejected(400, 'bad padding');
	for (let index = padded.length - padding; index < padded.length; index += 1) {
		if (padded[index] !== padding) return rejected(400, 'bad padding');
	}
	const content = padded.subarray(0, padded.length - padding);

	const headerBytes = RANDOM_PREFIX_BYTES + LENGTH_FIELD_BYTES;
	if (content.length < headerBytes) return rejected(400, 'decrypted message is truncated');
	const xmlLength = content.readUInt32BE(RANDOM_PREFIX_BYTES);
	if (xmlLength > content.length - headerBytes) return rejected(400, 'decrypted message is truncated');

	const receivedAppId = content.subarray(headerBytes + xmlLength);
	const expectedAppId = Buffer.from(appId, 'utf8');
	if (receivedAppId.length !== expectedAppId.length || !timingSafeEqual(receivedAppId, expectedAppId)) {
		return rejected(403, 'the message was encrypted for another AppID');
	}
	return { ok: true, xml: content.subarray(headerBytes, headerBytes + xmlLength).toString('utf8') };
}
