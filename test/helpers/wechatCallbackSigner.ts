// Builds callback requests the way WeChat's servers do, written from WeChat's documentation and
// independent of the trigger's code: the tests only trust what both sides agree on.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface CallbackAccount {
	appId: string;
	token: string;
	/** 43 characters; the AES key is base64decode(encodingAesKey + '='). */
	encodingAesKey: string;
	/** The account's original id, WeChat's ToUserName. */
	originalId: string;
}

export type Query = Record<string, string>;

export interface SignedRequest {
	query: Query;
	body: string;
}

export interface SigningOptions {
	timestamp?: string;
	nonce?: string;
	/** The 16 random bytes WeChat puts in front of the message; fixed only for known-answer tests. */
	randomPrefix?: Buffer;
	/** Encrypt for this AppID instead of the account's. */
	appIdInCiphertext?: string;
}

export function nowTimestamp(): string {
	return String(Math.floor(Date.now() / 1000));
}

/** sha1 over the parameters sorted in dictionary order and joined, as lowercase hex. */
export function wechatSignature(...parameters: string[]): string {
	const sorted = parameters.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return createHash('sha1').update(sorted.join(''), 'utf8').digest('hex');
}

export function aesKeyOf(account: Pick<CallbackAccount, 'encodingAesKey'>): Buffer {
	return Buffer.from(`${account.encodingAesKey}=`, 'base64');
}

/** WeChat's plaintext layout, PKCS#7-padded to a multiple of 32 bytes, AES-256-CBC with IV = key[0..16). */
export function encryptMessage(xml: string, account: CallbackAccount, options: SigningOptions = {}): string {
	const message = Buffer.from(xml, 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(message.length, 0);
	const unpadded = Buffer.concat([
		options.randomPrefix ?? randomBytes(16),
		length,
		message,
		Buffer.from(options.appIdInCiphertext ?? account.appId, 'utf8'),
	]);
	const padLength = 32 - (unpadded.length % 32);
	const plaintext = Buffer.concat([unpadded, Buffer.alloc(padLength, padLength)]);
	const key = aesKeyOf(account);
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

function signedQuery(account: CallbackAccount, options: SigningOptions): { timestamp: string; nonce: string; signature: string } {
	const timestamp = options.timestamp ?? nowTimestamp();
	const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
	return { timestamp, nonce, signature: wechatSignature(account.token, timestamp, nonce) };
}

/** The GET WeChat sends when the Server Configuration is submitted. */
export function urlVerificationRequest(account: CallbackAccount, echostr: string, options: SigningOptions = {}): { query: Query } {
	return { query: { ...signedQuery(account, options), echostr } };
}

/** Plain-text mode: the XML as is; the signature covers only token, timestamp and nonce. */
export function plainRequest(account: CallbackAccount, xml: string, options: SigningOptions = {}): SignedRequest {
	return { query: { ...signedQuery(account, options), openid: 'oFollowerOpenId0000000000000' }, body: xml };
}

function encryptedQuery(account: CallbackAccount, encrypted: string, options: SigningOptions): Query {
	const query = signedQuery(account, options);
	return {
		...query,
		openid: 'oFollowerOpenId0000000000000',
		encrypt_type: 'aes',
		msg_signature: wechatSignature(account.token, query.timestamp, query.nonce, encrypted),
	};
}

/** Safe mode: only ToUserName and the ciphertext travel in the body. */
export function safeRequest(account: CallbackAccount, xml: string, options: SigningOptions = {}): SignedRequest {
	const encrypted = encryptMessage(xml, account, options);
	return {
		query: encryptedQuery(account, encrypted, options),
		body: `<xml><ToUserName><![CDATA[${account.originalId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
	};
}

/**
 * Compatible mode: the plain fields and the ciphertext side by side. `plainXml` lets a test put
 * different (unauthenticated) plain fields next to the encrypted message.
 */
export function compatibleRequest(account: CallbackAccount, xml: string, options: SigningOptions & { plainXml?: string } = {}): SignedRequest {
	const encrypted = encryptMessage(xml, account, options);
	const plain = options.plainXml ?? xml;
	const closing = plain.lastIndexOf('</xml>');
	return {
		query: encryptedQuery(account, encrypted, options),
		body: `${plain.slice(0, closing)}<Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
	};
}

/** Re-signs a request whose ciphertext a test replaced, so only the ciphertext is wrong. */
export function withEncrypt(account: CallbackAccount, encrypted: string, options: SigningOptions = {}): SignedRequest {
	return {
		query: encryptedQuery(account, encrypted, options),
		body: `<xml><ToUserName><![CDATA[${account.originalId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
	};
}
