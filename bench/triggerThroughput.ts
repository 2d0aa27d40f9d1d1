// Trigger throughput: 10,000 signed MASSSENDJOBFINISH callbacks, in plain and in safe (AES) mode,
// through the WeChat Mass Message Trigger's webhook() as n8n-core calls it in-process (a
// WebhookContext per request; see test/harness/webhook.ts). Compared with the bare minimum any
// receiver must do, written with node:crypto alone: check the signature and, in safe mode, decrypt.
// In between, the trigger's own request handling without n8n (receiveCallback: checks, decryption,
// XML parsing, the output item; compiled here from the same source as dist/) separates what
// n8n-core costs per request from what the node does.
// Replay protection is on, as by default (Max Message Age 300 s): every event has its own nonce and
// MsgID, so each request adds to the trigger's memory, which persists over the rounds as n8n keeps
// it; after each request the benchmark takes what n8n would store (the whole static data, when it
// changed), outside the timing. "Trigger with static data loaded and stored" adds, inside the timing,
// what n8n's webhook server does with that static data around each request: parse it from the JSON
// it stored (into its change-noting objects) before, and write it as JSON after, when it changed
// (no database here); measured on the first 2,000 events of each round, since it is the slow part.
import './lib/environment';

import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { toCallbackSettings } from '../nodes/WeChatMassMessageTrigger/callbackCredential';
import { ReplayMemory, type ReplayState } from '../nodes/WeChatMassMessageTrigger/replayMemory';
import { receiveCallback } from '../nodes/WeChatMassMessageTrigger/callbackHandler';
import type { CallbackSettings } from '../nodes/WeChatMassMessageTrigger/types';
import { TriggerHarness } from '../test/harness/webhook';
import { PACKAGE_ROOT } from '../test/harness/workflow';
import { aesKeyOf, plainRequest, safeRequest, type CallbackAccount, type SignedRequest } from '../test/helpers/wechatCallbackSigner';
import { emitResult, log, runMain } from './lib/report';
import { median, msSince, round } from './lib/stats';

const EVENTS = Number(process.env.BENCH_TRIGGER_EVENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_TRIGGER_ROUNDS ?? 5);
const WARM_UP_EVENTS = 5_000;
/** Events per round through the trigger with its static data loaded and stored (about 2 ms each): the first of the round's events. */
const LOADED_EVENTS = Math.min(EVENTS, 2_000);

/** WeChat's own sample AppID and EncodingAESKey, as the trigger tests use. */
const ACCOUNT: CallbackAccount = {
	appId: 'wxb11529c136998cb6',
	token: 'pamtest',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
	originalId: 'gh_3f2a6b8c9d01',
};
const FINISHED = readFileSync(join(PACKAGE_ROOT, 'test/nodes/WeChatMassMessageTrigger/fixtures/finished-with-failures.xml'), 'utf8');

type Mode = 'plain' | 'safe';

function signedEvents(mode: Mode, count: number, offset: number): SignedRequest[] {
	const timestamp = String(Math.floor(Date.now() / 1000));
	return Array.from({ length: count }, (_, index) => {
		const options = { timestamp, nonce: String(1_000_000 + offset + index) };
		// Each event its own mass send: the trigger starts a workflow once per MsgID.
		const event = FINISHED.replace(/<MsgID>\d+<\/MsgID>/, `<MsgID>${3_000_000_000 + offset + index}</MsgID>`);
		return mode === 'plain' ? plainRequest(ACCOUNT, event, options) : safeRequest(ACCOUNT, event, options);
	});
}

// ---- the bare minimum, with node:crypto alone ----------------------------------------------

function sha1Hex(parts: string[]): string {
	return createHash('sha1').update(parts.sort().join('')).digest('hex');
}

function sameText(received: string, expected: string): boolean {
	const a = Buffer.from(received);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

const AES_KEY = aesKeyOf(ACCOUNT);
const APP_ID = Buffer.from(ACCOUNT.appId);

/** Signature check (and in safe mode: take the Encrypt text, check msg_signature, decrypt, unpad, check the AppID). Returns the XML. */
function bareReceive(mode: Mode, request: SignedRequest): string {
	const { timestamp, nonce } = request.query;
	if (mode === 'plain') {
		if (!sameText(request.query.signature, sha1Hex([ACCOUNT.token, timestamp, nonce]))) throw new Error('signature mismatch');
		return request.body;
	}
	const start = request.body.indexOf('<Encrypt><![CDATA[') + '<Encrypt><![CDATA['.length;
	const encrypted = request.body.slice(start, request.body.indexOf(']]></Encrypt>', start));
	if (!sameText(request.query.msg_signature, sha1Hex([ACCOUNT.token, timestamp, nonce, encrypted]))) throw new Error('msg_signature mismatch');
	const decipher = createDecipheriv('aes-256-cbc', AES_KEY, AES_KEY.subarray(0, 16));
	decipher.setAutoPadding(false);
	const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
	const content = padded.subarray(0, padded.length - padded[padded.length - 1]);
	const length = content.readUInt32BE(16);
	if (!content.subarray(20 + length).equals(APP_ID)) throw new Error('wrong AppID');
	return content.subarray(20, 20 + length).toString('utf8');
}

// ---- measurement --------------------------------------------------------------------------

/** Characters n8n would store after each request: the workflow's whole static data, whenever it changed. */
interface Stored {
	chars: number;
	largest: number;
	writes: number;
}

async function throughTrigger(harness: TriggerHarness, events: SignedRequest[], stored?: Stored): Promise<number> {
	let ns = 0n;
	for (const event of events) {
		const start = process.hrtime.bigint();
		const reply = await harness.invoke({ method: 'POST', query: event.query, body: event.body });
		ns += process.hrtime.bigint() - start;
		if (reply.status !== 200 || reply.result?.workflowData === undefined) throw new Error(`event refused: ${reply.status} ${reply.body}`);
		// Outside the timing: what n8n writes to its database after the request, as its saveStaticData does.
		const written = harness.takeStaticDataWrite();
		if (stored !== undefined && written !== undefined) {
			stored.chars += written.length;
			stored.largest = Math.max(stored.largest, written.length);
			stored.writes++;
		}
	}
	harness.starts.length = 0;
	return Number(ns) / 1e6;
}

/** The trigger's handler alone, as webhook() calls it once n8n has handed over the request and the credential. */
function throughHandler(settings: CallbackSettings, events: SignedRequest[]): number {
	const start = process.hrtime.bigint();
	// The remembered nonces and events, as n8n keeps them in the workflow's static data between requests.
	const remembered: ReplayState = {};
	const inProcess: ReplayState = {};
	for (const event of events) {
		const nowSeconds = Math.floor(Date.now() / 1000);
		const policy = { settings, eventFilter: 'massSendJobFinish' as const, maxMessageAgeSeconds: 300, nowSeconds, memory: new ReplayMemory(remembered, inProcess, nowSeconds) };
		const outcome = receiveCallback(event.query, { rawBody: Buffer.from(event.body, 'utf8') }, policy);
		if (outcome.reply.status !== 200 || outcome.output === undefined) throw new Error(`event refused: ${outcome.reply.status} ${outcome.reply.body}`);
	}
	return msSince(start);
}

function throughBareCrypto(mode: Mode, events: SignedRequest[]): number {
	const start = process.hrtime.bigint();
	let bytes = 0;
	for (const event of events) bytes += bareReceive(mode, event).length;
	const ms = msSince(start);
	if (bytes === 0) throw new Error('nothing decrypted');
	return ms;
}

async function main(): Promise<void> {
	for (const mode of ['plain', 'safe'] as const) {
		const harness = await TriggerHarness.create(
			{ appId: ACCOUNT.appId, token: ACCOUNT.token, encryptionMode: mode, encodingAesSecretKey: ACCOUNT.encodingAesKey },
			{ events: 'massSendJobFinish' },
		);
		const settings = toCallbackSettings({ appId: ACCOUNT.appId, token: ACCOUNT.token, encryptionMode: mode, encodingAesSecretKey: ACCOUNT.encodingAesKey });
		if (!settings.ok) throw new Error(settings.problems.join('; '));
		const loadingHarness = await TriggerHarness.create(
			{ appId: ACCOUNT.appId, token: ACCOUNT.token, encryptionMode: mode, encodingAesSecretKey: ACCOUNT.encodingAesKey },
			{ events: 'massSendJobFinish' },
		);
		loadingHarness.storedStaticData = '{}';
		const warmUp = signedEvents(mode, WARM_UP_EVENTS, 0);
		await throughTrigger(harness, warmUp);
		await throughTrigger(loadingHarness, warmUp.slice(0, LOADED_EVENTS));
		throughHandler(settings.settings, warmUp);
		throughBareCrypto(mode, warmUp);

		const trigger: number[] = [];
		const triggerLoading: number[] = [];
		const handler: number[] = [];
		const bare: number[] = [];
		const stored: Stored = { chars: 0, largest: 0, writes: 0 };
		for (let round = 0; round < ROUNDS; round++) {
			const events = signedEvents(mode, EVENTS, (round + 1) * EVENTS);
			trigger.push(await throughTrigger(harness, events, stored));
			triggerLoading.push(await throughTrigger(loadingHarness, events.slice(0, LOADED_EVENTS)));
			handler.push(throughHandler(settings.settings, events));
			bare.push(throughBareCrypto(mode, events));
			log(
				`${mode} round ${round + 1}: trigger ${round1(trigger.at(-1)!)} ms (${round1(triggerLoading.at(-1)!)} ms for ${LOADED_EVENTS} with static data loaded and stored), its handler alone ${round1(handler.at(-1)!)} ms, ` +
					`bare node:crypto ${round1(bare.at(-1)!)} ms for ${EVENTS} events`,
			);
		}
		const triggerMs = median(trigger);
		// Per 10,000 events, as the other figures.
		const triggerLoadingMs = (median(triggerLoading) * EVENTS) / LOADED_EVENTS;
		const handlerMs = median(handler);
		const bareMs = median(bare);
		const result = {
			mode,
			events: EVENTS,
			rounds: ROUNDS,
			triggerMs: round(triggerMs, 1),
			triggerWithStaticDataEvents: LOADED_EVENTS,
			triggerWithStaticDataMs: round(triggerLoadingMs, 1),
			handlerMs: round(handlerMs, 1),
			bareCryptoMs: round(bareMs, 1),
			triggerEventsPerSecond: Math.round((EVENTS * 1000) / triggerMs),
			triggerWithStaticDataEventsPerSecond: Math.round((EVENTS * 1000) / triggerLoadingMs),
			bareCryptoEventsPerSecond: Math.round((EVENTS * 1000) / bareMs),
			triggerPerEventUs: round((triggerMs * 1000) / EVENTS, 1),
			triggerWithStaticDataPerEventUs: round((triggerLoadingMs * 1000) / EVENTS, 1),
			handlerPerEventUs: round((handlerMs * 1000) / EVENTS, 1),
			bareCryptoPerEventUs: round((bareMs * 1000) / EVENTS, 1),
			ratioTriggerToBareCrypto: round(triggerMs / bareMs, 1),
			ratioTriggerWithStaticDataToBareCrypto: round(triggerLoadingMs / bareMs, 1),
			ratioHandlerToBareCrypto: round(handlerMs / bareMs, 1),
			staticDataCharsPerRequest: Math.round(stored.chars / (EVENTS * ROUNDS)),
			staticDataCharsLargest: stored.largest,
			staticDataWritesPerRequest: round(stored.writes / (EVENTS * ROUNDS), 2),
		};
		log(
			`${mode}: trigger ${result.triggerEventsPerSecond} events/s (${result.triggerPerEventUs} µs each; its handler alone ${result.handlerPerEventUs} µs; ` +
				`${result.triggerWithStaticDataEventsPerSecond} events/s with static data loaded and stored), ` +
				`bare node:crypto ${result.bareCryptoEventsPerSecond} events/s (${result.bareCryptoPerEventUs} µs each), ratio ${result.ratioTriggerToBareCrypto} ` +
				`(${result.ratioTriggerWithStaticDataToBareCrypto} with static data); ` +
				`static data stored per request ${result.staticDataCharsPerRequest} characters (largest ${result.staticDataCharsLargest})`,
		);
		emitResult({ benchmark: 'triggerThroughput', ...result });
	}
}

function round1(value: number): number {
	return round(value, 1);
}

runMain(main);
