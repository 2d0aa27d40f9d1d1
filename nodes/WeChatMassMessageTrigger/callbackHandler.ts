// Everything between an incoming request and the trigger's reply, without n8n: which parameters
// WeChat sends, in which order they are checked, and what each failure answers. Never throws for
// anything a request contains.

import { decryptCallbackMessage, signatureMatches } from './callbackCrypto';
import { childText, parseXml } from './callbackXml';
import { followerEventOf, toFollowerEventOutput } from './followerEvents';
import { isMassSendJobFinish, toCallbackEventOutput, toMassSendJobFinishOutput } from './massSendJobFinish';
import { isPublishJobFinish, publishIdOf, toPublishJobFinishOutput } from './publishJobFinish';
import { DEFAULT_NONCE_MEMORY_SECONDS, type ReplayMemory } from './replayMemory';
import type {
	CallbackEventOutput,
	CallbackReply,
	CallbackRequest,
	CallbackSettings,
	EventFilter,
	FollowerEventOutput,
	MassSendJobFinishOutput,
	PublishJobFinishOutput,
	XmlElement,
} from './types';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PARAMETER_LENGTH = 512;
/** WeChat's echostr is a short random string of digits: letters, digits, - and _ are let through, never HTML or script. */
const ECHOSTR_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export type CallbackOutcome = {
	reply: CallbackReply;
	/** Present when the request is genuine and passes the event filter: the item that starts the workflow. */
	output?: MassSendJobFinishOutput | PublishJobFinishOutput | FollowerEventOutput | CallbackEventOutput;
};

export type CallbackPolicy = {
	settings: CallbackSettings;
	eventFilter: EventFilter;
	/** Reject requests whose timestamp is further than this from now; 0 turns the check off. */
	maxMessageAgeSeconds: number;
	nowSeconds: number;
	/** Requests and events seen before: a replay or a repeated delivery starts nothing. */
	memory: ReplayMemory;
};

type Step<T> = { ok: true; value: T } | { ok: false; outcome: CallbackOutcome };

function reject(status: number, reason: string): { ok: false; outcome: CallbackOutcome } {
	return { ok: false, outcome: { reply: { status, body: reason } } };
}

const ACCEPTED: CallbackReply = { status: 200, body: 'success' };

function readParameters<Name extends string>(query: object, names: readonly Name[]): Step<Record<Name, string>> {
	const parameters = {} as Record<Name, string>;
	for (const name of names) {
		const value = optionalParameter(query, name);
		if (value === undefined || value === '') return reject(400, `missing ${name}`);
		if (typeof value !== 'string') return reject(400, `${name} must be given once`);
		if (value.length > MAX_PARAMETER_LENGTH) return reject(400, `${name} is too long`);
		parameters[name] = value;
	}
	return { ok: true, value: parameters };
}

/** The parameters a signed request carries: its own ones plus the timestamp and nonce every signature covers. */
function readSignedParameters<Name extends string>(query: object, names: readonly Name[]): Step<Record<Name | 'timestamp' | 'nonce', string>> {
	const parameters = readParameters<Name | 'timestamp' | 'nonce'>(query, [...names, 'timestamp', 'nonce']);
	if (parameters.ok && !/^\d{1,12}$/.test(parameters.value.timestamp)) return reject(400, 'timestamp must be a number of seconds');
	return parameters;
}

function optionalParameter(query: object, name: string): unknown {
	return Object.prototype.hasOwnProperty.call(query, name) ? (query as Record<string, unknown>)[name] : undefined;
}

function checkAge(timestamp: string, policy: CallbackPolicy): Step<true> {
	if (policy.maxMessageAgeSeconds > 0 && Math.abs(policy.nowSeconds - Number(timestamp)) > policy.maxMessageAgeSeconds) {
		return reject(403, 'timestamp outside the accepted window');
	}
	return { ok: true, value: true };
}

/** GET with signature, timestamp, nonce and echostr: how WeChat checks the URL when the Server Configuration is saved. */
export function answerUrlVerification(query: object, policy: CallbackPolicy): CallbackOutcome {
	const parameters = readSignedParameters(query, ['signature', 'echostr'] as const);
	if (!parameters.ok) return parameters.outcome;
	const { signature, timestamp, nonce, echostr } = parameters.value;
	if (!signatureMatches([policy.settings.token, timestamp, nonce], signature)) return reject(403, 'signature mismatch').outcome;
	const age = checkAge(timestamp, policy);
	if (!age.ok) return age.outcome;
	// The signature covers only timestamp and nonce, so any captured triple would echo anything back.
	if (!ECHOSTR_PATTERN.test(echostr)) return reject(400, 'echostr is not one WeChat sends (letters, digits, - or _, at most 128)').outcome;
	return { reply: { status: 200, body: echostr } };
}

function readBody(request: CallbackRequest): Step<string> {
	const { rawBody, body } = request;
	let bytes: Buffer | undefined;
	if (Buffer.isBuffer(rawBody) && rawBody.length > 0) bytes = rawBody;
	else if (typeof body === 'string' && body !== '') bytes = Buffer.from(body, 'utf8');
	else if (Buffer.isBuffer(body) && body.length > 0) bytes = body;
	if (bytes === undefined) return reject(400, 'no XML body (the raw request body is not available)');
	if (bytes.length > MAX_BODY_BYTES) return reject(413, 'body too large');
	return { ok: true, value: bytes.toString('utf8') };
}

function readMessage(xml: string, what: string): Step<XmlElement> {
	const parsed = parseXml(xml);
	if (!parsed.ok) return reject(400, `${what} is not well-formed XML: ${parsed.reason}`);
	if (parsed.root.name !== 'xml') return reject(400, `${what} is not a WeChat message (root element is not <xml>)`);
	return { ok: true, value: parsed.root };
}

type SignedMessage = { message: XmlElement; timestamp: string; nonce: string };

function receivePlain(query: object, request: CallbackRequest, policy: CallbackPolicy): Step<SignedMessage> {
	const parameters = readSignedParameters(query, ['signature'] as const);
	if (!parameters.ok) return parameters;
	const { signature, timestamp, nonce } = parameters.value;
	const body = readBody(request);
	if (!body.ok) return body;
	if (!signatureMatches([policy.settings.token, timestamp, nonce], signature)) return reject(403, 'signature mismatch');
	const age = checkAge(timestamp, policy);
	if (!age.ok) return age;
	const message = readMessage(body.value, 'the body');
	return message.ok ? { ok: true, value: { message: message.value, timestamp, nonce } } : message;
}

function receiveEncrypted(query: object, request: CallbackRequest, policy: CallbackPolicy): Step<SignedMessage> {
	const { aesKey, appId, token } = policy.settings;
	if (aesKey === undefined) return reject(400, 'the credential has no EncodingAESKey for encrypted messages');
	const parameters = readSignedParameters(query, ['msg_signature'] as const);
	if (!parameters.ok) return parameters;
	const { msg_signature: messageSignature, timestamp, nonce } = parameters.value;
	const body = readBody(request);
	if (!body.ok) return body;
	const envelope = readMessage(body.value, 'the body');
	if (!envelope.ok) return envelope;
	const encrypted = childText(envelope.value, 'Encrypt');
	if (encrypted === undefined) return reject(400, 'no Encrypt element in the body');
	if (!signatureMatches([token, timestamp, nonce, encrypted], messageSignature)) return reject(403, 'msg_signature mismatch');
	const age = checkAge(timestamp, policy);
	if (!age.ok) return age;
	const decrypted = decryptCallbackMessage(encrypted, aesKey, appId);
	if (!decrypted.ok) return reject(decrypted.status, decrypted.reason);
	// In compatible mode the envelope also carries the fields in plain text; only the decrypted copy is authenticated.
	const message = readMessage(decrypted.xml, 'the decrypted message');
	return message.ok ? { ok: true, value: { message: message.value, timestamp, nonce } } : message;
}

/** What makes two deliveries the same event: a mass send's MsgID, a publish's publish_id; else sender, time and message id or event. */
function eventKey(message: XmlElement): string {
	const massSendId = isMassSendJobFinish(message) ? childText(message, 'MsgID') ?? childText(message, 'MsgId') : undefined;
	if (massSendId) return `MASSSENDJOBFINISH:${massSendId}`;
	const publishId = isPublishJobFinish(message) ? publishIdOf(message) : undefined;
	if (publishId) return `PUBLISHJOBFINISH:${publishId}`;
	const parts = ['FromUserName', 'CreateTime', 'MsgId', 'MsgID', 'Event', 'EventKey'].map((name) => childText(message, name) ?? '');
	return parts.join('|');
}

/** POST: an event or message pushed by WeChat, in the account's encryption mode. */
export function receiveCallback(query: object, request: CallbackRequest, policy: CallbackPolicy): CallbackOutcome {
	const encryptType = optionalParameter(query, 'encrypt_type');
	const isEncrypted = encryptType === 'aes';
	if (encryptType !== undefined && encryptType !== 'aes' && encryptType !== 'raw') return reject(400, 'unknown encrypt_type').outcome;

	let signed: Step<SignedMessage>;
	if (policy.settings.encryptionMode === 'plain') {
		if (isEncrypted) return reject(400, 'the message is encrypted, but the credential is set to plain mode').outcome;
		signed = receivePlain(query, request, policy);
	} else {
		if (!isEncrypted) return reject(400, `expected an encrypted message (encrypt_type=aes) in ${policy.settings.encryptionMode} mode`).outcome;
		signed = receiveEncrypted(query, request, policy);
	}
	if (!signed.ok) return signed.outcome;
	const { message, timestamp, nonce } = signed.value;

	// A request seen before (a replay, or WeChat's own retry of it) and an event already accepted are
	// answered success, so WeChat stops retrying, and start nothing.
	// A timestamp accepted up to Max Message Age ahead of now can be replayed until that long after now.
	const nonceMemorySeconds = policy.maxMessageAgeSeconds > 0 ? 2 * policy.maxMessageAgeSeconds + 1 : DEFAULT_NONCE_MEMORY_SECONDS;
	if (!policy.memory.isNewRequest(timestamp, nonce, nonceMemorySeconds)) return { reply: ACCEPTED };
	if (!startsWorkflow(message, policy.eventFilter) || !policy.memory.isNewEvent(eventKey(message))) return { reply: ACCEPTED };
	return { reply: ACCEPTED, output: outputFor(message, policy.eventFilter) };
}

/** The item for an accepted callback: typed for the events the filter names; All Events keeps its general shape for follows. */
function outputFor(message: XmlElement, filter: EventFilter): CallbackOutcome['output'] {
	if (isMassSendJobFinish(message)) return toMassSendJobFinishOutput(message);
	if (isPublishJobFinish(message)) return toPublishJobFinishOutput(message);
	const followerEvent = followerEventOf(message);
	if (followerEvent !== undefined && filter !== 'all') return toFollowerEventOutput(message, followerEvent);
	return toCallbackEventOutput(message);
}

/** Whether the Events option lets this callback start the workflow. */
function startsWorkflow(message: XmlElement, filter: EventFilter): boolean {
	switch (filter) {
		case 'all':
			return true;
		case 'massSendJobFinish':
			return isMassSendJobFinish(message);
		case 'publishJobFinish':
			return isPublishJobFinish(message);
		case 'massOrPublishFinished':
			return isMassSendJobFinish(message) || isPublishJobFinish(message);
		case 'subscribe':
			return followerEventOf(message) === 'subscribe';
		case 'unsubscribe':
			return followerEventOf(message) === 'unsubscribe';
		case 'scan':
			return followerEventOf(message) === 'SCAN';
		case 'subscribeOrScan': {
			const event = followerEventOf(message);
			return event === 'subscribe' || event === 'SCAN';
		}
	}
}
