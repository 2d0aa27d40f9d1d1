import { createCipheriv } from 'node:crypto';

import {
	aesKeyFromEncodingAesKey,
	callbackSignature,
	decryptCallbackMessage,
	signatureMatches,
} from '../../../nodes/WeChatMassMessageTrigger/callbackCrypto';
import { aesKeyOf, encryptMessage, wechatSignature } from '../../helpers/wechatCallbackSigner';
import { ACCOUNT } from './fixtures';

// Computed outside JavaScript: `printf '1409304348pamtestxxxxxx' | sha1sum`, and the ciphertext with
// `openssl enc -aes-256-cbc -nopad` over 16 bytes "0123456789abcdef" | length | KNOWN_XML | AppID | 9 bytes of 0x09.
const KNOWN_SIGNATURE = '76480565cbe296026c53aaacd1ad523a1ddba24f';
const KNOWN_XML =
	'<xml><ToUserName><![CDATA[gh_3f2a6b8c9d01]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>3147483654</MsgID><Status><![CDATA[send success]]></Status></xml>';
const KNOWN_CIPHERTEXT =
	'Q3stYC6hdFzMh9T8HCvyDBL+kxSwQhR9jCWdBIG4vfliMJi6BBjcymgu6pvKyxX4Yfz1w9F8HBh9cUxLa5VDHQ7Ix9on3XQhhbV9bpXUFGCvv2AbxxANEQ4t3vwVoJMYhn9a5OW++qU/6yLwnaSadabONMNiI0hBBj7RwEWKshrftGFUfmZB4OKkJHHJtZDk9AW18H6Q0zcC2R8Z+KG4iylXvGxuaaba9P7I5NoZLAqQXKKde8J53QUbj+k3uSVWIqKkNnhu5fiSv6uHCVXxYNTjijb1/LipeNpcwsp6LUPH5Mr/XDbISqqNshtF+en8CC0ng1+P/n5VWtXURgixYQ==';
const KNOWN_MSG_SIGNATURE = '2914cf1353238eb3243d95665633249a870d8112';

const aesKey = aesKeyOf(ACCOUNT);

/** Encrypts arbitrary plaintext bytes with the account's key, for messages WeChat would never produce. */
function encryptRaw(plaintext: Buffer, key: Buffer = aesKey): string {
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

function wechatPlaintext(xml: string, appId: string, padTo = 32): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(Buffer.byteLength(xml), 0);
	const body = Buffer.concat([Buffer.alloc(16, 7), length, Buffer.from(xml), Buffer.from(appId)]);
	const pad = padTo - (body.length % padTo);
	return Buffer.concat([body, Buffer.alloc(pad, pad)]);
}

describe('signatures', () => {
	it('match the known answer for token, timestamp and nonce', () => {
		expect(callbackSignature([ACCOUNT.token, '1409304348', 'xxxxxx'])).toBe(KNOWN_SIGNATURE);
		expect(wechatSignature(ACCOUNT.token, '1409304348', 'xxxxxx')).toBe(KNOWN_SIGNATURE);
	});

	it('match the known msg_signature, which also covers the ciphertext', () => {
		expect(callbackSignature([ACCOUNT.token, '1409304348', 'xxxxxx', KNOWN_CIPHERTEXT])).toBe(KNOWN_MSG_SIGNATURE);
	});

	it('do not depend on the order the parts are given in', () => {
		expect(callbackSignature(['xxxxxx', '1409304348', ACCOUNT.token])).toBe(KNOWN_SIGNATURE);
	});

	it('are accepted only when they match, in either letter case', () => {
		const parts = [ACCOUNT.token, '1409304348', 'xxxxxx'];
		expect(signatureMatches(parts, KNOWN_SIGNATURE)).toBe(true);
		expect(signatureMatches(parts, KNOWN_SIGNATURE.toUpperCase())).toBe(true);
		expect(signatureMatches(parts, `${KNOWN_SIGNATURE.slice(0, 39)}0`)).toBe(false);
		expect(signatureMatches(parts, KNOWN_SIGNATURE.slice(0, 39))).toBe(false);
		expect(signatureMatches(parts, `${KNOWN_SIGNATURE}0`)).toBe(false);
		expect(signatureMatches(parts, '')).toBe(false);
		expect(signatureMatches([ACCOUNT.token, '1409304349', 'xxxxxx'], KNOWN_SIGNATURE)).toBe(false);
	});
});

describe('aesKeyFromEncodingAesKey', () => {
	it('turns 43 base64 characters into the 32-byte key', () => {
		expect(aesKeyFromEncodingAesKey(ACCOUNT.encodingAesKey)?.toString('hex')).toBe(aesKey.toString('hex'));
		expect(aesKey).toHaveLength(32);
	});

	it.each([
		['42 characters', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF'],
		['44 characters', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'],
		['a character outside base64', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF!'],
		['an empty key', ''],
	])('refuses %s', (_case, key) => {
		expect(aesKeyFromEncodingAesKey(key)).toBeUndefined();
	});
});

describe('decryptCallbackMessage', () => {
	it('decrypts the known ciphertext', () => {
		expect(decryptCallbackMessage(KNOWN_CIPHERTEXT, aesKey, ACCOUNT.appId)).toEqual({ ok: true, xml: KNOWN_XML });
	});

	it('is read from the same ciphertext the test signer produces, so the signer can stand in for WeChat', () => {
		expect(encryptMessage(KNOWN_XML, ACCOUNT, { randomPrefix: Buffer.from('0123456789abcdef') })).toBe(KNOWN_CIPHERTEXT);
	});

	it('reads what the independent signer encrypts, including multi-byte text', () => {
		const xml = '<xml><Content><![CDATA[群发完成 ✓]]></Content></xml>';
		expect(decryptCallbackMessage(encryptMessage(xml, ACCOUNT), aesKey, ACCOUNT.appId)).toEqual({ ok: true, xml });
	});

	it('accepts every padding length from 1 to 32 bytes', () => {
		for (let extra = 0; extra < 32; extra += 1) {
			const xml = `<xml>${'x'.repeat(extra)}</xml>`;
			expect(decryptCallbackMessage(encryptMessage(xml, ACCOUNT), aesKey, ACCOUNT.appId)).toEqual({ ok: true, xml });
		}
	});

	it('refuses a message encrypted for another AppID with 403', () => {
		const encrypted = encryptMessage('<xml/>', ACCOUNT, { appIdInCiphertext: 'wx0000000000000000' });
		expect(decryptCallbackMessage(encrypted, aesKey, ACCOUNT.appId)).toEqual({ ok: false, status: 403, reason: 'the message was encrypted for another AppID' });
	});

	it('refuses an AppID that only starts like the expected one', () => {
		const encrypted = encryptRaw(wechatPlaintext('<xml/>', `${ACCOUNT.appId}x`));
		expect(decryptCallbackMessage(encrypted, aesKey, ACCOUNT.appId)).toMatchObject({ ok: false, status: 403 });
	});

	it.each([
		['text that is not base64', 'not base64!', 'Encrypt is not valid base64'],
		['base64 with a missing character', KNOWN_CIPHERTEXT.slice(1), 'Encrypt is not valid base64'],
		['base64 with whitespace', `${KNOWN_CIPHERTEXT.slice(0, 8)} ${KNOWN_CIPHERTEXT.slice(8)}`, 'Encrypt is not valid base64'],
		['an empty ciphertext', '', 'Encrypt is not valid base64'],
		['a ciphertext that is not whole blocks', Buffer.alloc(33).toString('base64'), 'ciphertext is not a whole number of AES blocks'],
		['a ciphertext cut by a block', Buffer.from(KNOWN_CIPHERTEXT, 'base64').subarray(0, 240).toString('base64'), 'bad padding'],
	])('refuses %s with 400', (_case, encrypted, reason) => {
		expect(decryptCallbackMessage(encrypted, aesKey, ACCOUNT.appId)).toEqual({ ok: false, status: 400, reason });
	});

	it('refuses padding bytes that disagree, and padding longer than WeChat uses', () => {
		const inconsistent = wechatPlaintext('<xml/>', ACCOUNT.appId);
		inconsistent[inconsistent.length - 2] ^= 1;
		expect(decryptCallbackMessage(encryptRaw(inconsistent), aesKey, ACCOUNT.appId)).toMatchObject({ reason: 'bad padding' });

		const body = wechatPlaintext('<xml/>', ACCOUNT.appId).subarray(0, 16 + 4 + 6 + ACCOUNT.appId.length);
		const tooLong = Buffer.concat([body, Buffer.alloc(96 - body.length, 96 - body.length)]);
		expect(tooLong.readUInt8(tooLong.length - 1)).toBeGreaterThan(32);
		expect(decryptCallbackMessage(encryptRaw(tooLong), aesKey, ACCOUNT.appId)).toMatchObject({ reason: 'bad padding' });

		const zero = Buffer.alloc(32, 0);
		expect(decryptCallbackMessage(encryptRaw(zero), aesKey, ACCOUNT.appId)).toMatchObject({ reason: 'bad padding' });
	});

	it('refuses a message whose length field points past its end', () => {
		const plaintext = wechatPlaintext('<xml/>', ACCOUNT.appId);
		plaintext.writeUInt32BE(0xffffffff, 16);
		expect(decryptCallbackMessage(encryptRaw(plaintext), aesKey, ACCOUNT.appId)).toEqual({
			ok: false,
			status: 400,
			reason: 'decrypted message is truncated',
		});
	});

	it('refuses a message too short to hold the random prefix and the length', () => {
		expect(decryptCallbackMessage(encryptRaw(Buffer.alloc(32, 32)), aesKey, ACCOUNT.appId)).toMatchObject({ reason: 'decrypted message is truncated' });
		expect(decryptCallbackMessage(encryptRaw(Buffer.concat([Buffer.alloc(19), Buffer.alloc(13, 13)])), aesKey, ACCOUNT.appId)).toMatchObject({
			reason: 'decrypted message is truncated',
		});
	});

	it('refuses a ciphertext made with another key', () => {
		const otherKey = Buffer.alloc(32, 1);
		const result = decryptCallbackMessage(encryptRaw(wechatPlaintext(KNOWN_XML, ACCOUNT.appId), otherKey), aesKey, ACCOUNT.appId);
		expect(result.ok).toBe(false);
	});
});
