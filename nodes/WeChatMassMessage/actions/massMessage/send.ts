// The one place that decides how a mass send is keyed, batched and de-duplicated, for Send to Tag
// or All and Send to OpenIDs: which calls a send needs, given what the node remembers of its earlier
// calls (sendMemory.ts), and what each call's outcome means in the output.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { chinaDay } from '../../helpers/chinaTime';
import type { EventLoopPacer } from '../../helpers/eventLoop';
import { type PreparedOrFailed, addOutputHint, asNodeError, errorItem } from '../../helpers/items';
import { MAX_OPENIDS_PER_SEND, MIN_OPENIDS_PER_SEND, splitEvenly } from '../../helpers/recipients';
import type { MessageBody, SendAllRequest, SendResponse, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import {
	type ConfirmedSend,
	MAX_CLIENT_MSG_ID_BYTES,
	type MassSendPacer,
	UnconfirmedSendError,
	deriveClientMsgId,
	sendExactlyOnce,
} from '../../transport/exactlyOnceSend';
import type { SendSettings } from './messageContent';
import { type Fingerprint, ReachedSketch, TRACEABLE_CHANGES, fingerprintOf } from './reachedSketch';
import { type RememberedCall, SendMemory } from './sendMemory';

const SENDALL = '/cgi-bin/message/mass/sendall';
const SEND = '/cgi-bin/message/mass/send';

/** Checks a user-given Client Message ID; an empty one is derived later. */
export function checkClientMsgId(this: IExecuteFunctions, settings: SendSettings, itemIndex: number): void {
	const bytes = Buffer.byteLength(settings.clientMsgId, 'utf8');
	if (bytes > MAX_CLIENT_MSG_ID_BYTES) {
		throw inputError.call(this, itemIndex, 'Client Message ID', `must be at most ${MAX_CLIENT_MSG_ID_BYTES} bytes, got ${bytes}`);
	}
}

/**
 * The day this execution keys its sends by: the day in China when the execution began. n8n (1.x and
 * 2.x) records that moment once per execution and keeps it for Retry On Fail and for a retried
 * execution, so a send that starts at 23:59 and is retried at 00:01 keeps its key.
 */
export function sendDayOf(ctx: IExecuteFunctions): string {
	const establishedAt = ctx.getExecutionContext?.()?.establishedAt;
	return chinaDay(typeof establishedAt === 'number' ? establishedAt : Date.now());
}

/**
 * The key of a send: what makes two sends the same send. The user's Client Message ID as given; else
 * derived from the workflow, the node, the message (for Send to Tag or All: and its audience) and,
 * under the Once per Day rule, the day this execution keys by. The same send made again, by Retry On
 * Fail, a re-run or a trigger firing twice, has the same key. Send to Tag or All sends it as its
 * clientmsgid; Send to OpenIDs derives each call's clientmsgid from it and the call's recipients.
 */
export function sendKeyOf(this: IExecuteFunctions, settings: SendSettings, message: MessageBody | SendAllRequest, day: string): string {
	if (settings.clientMsgId !== '') return settings.clientMsgId;
	const when = settings.repeatRule === 'oncePerDay' ? day : '';
	return deriveClientMsgId([this.getWorkflow().id ?? '', this.getNode().name, JSON.stringify({ ...message, clientmsgid: undefined }), when]);
}

/** What running the send again is safe for, as every error of a send that may have gone out says it. */
function rerunNote(settings: SendSettings, day: string): string {
	const safe = 'cannot deliver it twice: WeChat answers with the msg_id of what it accepted.';
	if (settings.clientMsgId !== '') return `Running it again with Client Message ID "${settings.clientMsgId}" within 24 hours ${safe}`;
	if (settings.repeatRule === 'oncePer24Hours') return `Running this node again with the same message and recipients within 24 hours ${safe}`;
	return (
		`Running this node again with the same message and recipients before midnight in China (${day} 24:00 China time, 16:00 UTC) ${safe} ` +
		'n8n\'s Retry On Fail keeps this execution\'s day; a new execution after midnight is a new day\'s send.'
	);
}

export interface KeyedSend {
	itemIndex: number;
	/** The key of the send, see sendKeyOf. */
	key: string;
	/** The message itself, to tell two items with the same Client Message ID but different messages apart. */
	message: string;
	userKey: boolean;
}

/**
 * Two items with the same key would make WeChat drop the second as a repeat of the first (Send to
 * Tag or All), or give the same followers two different messages under one key (Send to OpenIDs):
 * the later item is refused before anything is sent. With Continue On Fail it becomes an error and
 * the other items go on. Items of Send to OpenIDs with the same message and key are one send (see
 * groupSameSends), and so are let through.
 */
export function refuseRepeatsInRun<T extends KeyedSend>(ctx: IExecuteFunctions, sends: Array<PreparedOrFailed<T>>, sameMessageIsOneSend: boolean): Array<PreparedOrFailed<T>> {
	const firstOf = new Map<string, T>();
	return sends.map((send) => {
		if ('error' in send) return send;
		const first = firstOf.get(send.key);
		if (first === undefined) {
			firstOf.set(send.key, send);
			return send;
		}
		if (sameMessageIsOneSend && first.message === send.message) return send;
		const error = send.userKey
			? inputError.call(ctx, send.itemIndex, 'Client Message ID', `"${send.key}" is also the key of item ${first.itemIndex + 1}; WeChat would treat this send as a repeat of that one and skip it`)
			: inputError.call(
					ctx,
					send.itemIndex,
					'Message',
					`same message to the same recipients as item ${first.itemIndex + 1}; WeChat would deliver it once. Remove the repeat, or give each item its own Client Message ID`,
				);
		if (!ctx.continueOnFail()) throw error;
		return { itemIndex: send.itemIndex, error };
	});
}

/**
 * WeChat's answers while a send waits for an administrator's confirmation (API mass-send protection,
 * 群发保护): 89505 when the send enters the confirmation, 89504 while it is still waiting.
 */
const AWAITING_ADMIN_CONFIRMATION: ReadonlySet<number> = new Set([89504, 89505]);

/** The errcode and errmsg of WeChat's answer an error was made from, when there is one. */
function weChatAnswerIn(error: unknown): { errcode: number; errmsg?: string } | undefined {
	const answer = (error as { errorResponse?: { errcode?: unknown; errmsg?: unknown } }).errorResponse;
	if (typeof answer?.errcode !== 'number') return undefined;
	return typeof answer.errmsg === 'string' ? { errcode: answer.errcode, errmsg: answer.errmsg } : { errcode: answer.errcode };
}

/** Where a call's outcome came from, for its output item and what the node remembers. */
type CallOutcome =
	| { kind: 'sent'; json: IDataObject; unsure?: Fingerprint[] }
	| { kind: 'earlierRun'; json: IDataObject; msgId: number | undefined; unsure?: Fingerprint[] }
	| { kind: 'awaitingConfirmation'; json: IDataObject };

interface CallToMake {
	path: typeof SENDALL | typeof SEND;
	body: SendAllRequest | SendToOpenIdsRequest;
	/** OpenID sends: the call's recipients' fingerprints and their span, to remember them by. */
	fingerprints?: Fingerprint[];
	range?: [Fingerprint, Fingerprint];
	/** An unconfirmed call of an earlier try or run, made again with its own clientmsgid. */
	settles?: RememberedCall;
}

/**
 * Whom the attempts under one clientmsgid went to: WeChat took at most one of them. An unconfirmed
 * call made again goes to those of its followers still on the list, so its attempts can differ.
 */
function attemptedRecipients(call: CallToMake): { anyAttempt: Fingerprint[]; everyAttempt: Fingerprint[] } {
	const now = call.fingerprints ?? [];
	if (call.settles?.members === undefined) return { anyAttempt: now, everyAttempt: now };
	const inNow = new Set(now);
	return {
		anyAttempt: [...new Set([...call.settles.members, ...now])],
		everyAttempt: (call.settles.inEveryAttempt ?? call.settles.members).filter((fingerprint) => inNow.has(fingerprint)),
	};
}

/**
 * One call, confirmed exactly once, and remembered: accepted (with the followers it reached added
 * to `sketch`), or unconfirmed when it may have gone out. A 45065 (WeChat already had the
 * clientmsgid) is this send's own when an earlier attempt's answer was lost or this execution made
 * the call before (Retry On Fail); only a 45065 to the very first attempt of a call this execution
 * never made names an earlier run's send.
 */
async function makeCall(
	ctx: IExecuteFunctions,
	memory: SendMemory,
	key: string,
	call: CallToMake,
	settings: SendSettings,
	day: string,
	pacer: MassSendPacer,
	itemIndex: number,
	sketch?: ReachedSketch,
): Promise<CallOutcome> {
	const clientMsgId = call.body.clientmsgid;
	const options = { confirmWithinMs: settings.confirmWithinSeconds * 1000, repeatWaitMs: settings.repeatWaitSeconds * 1000, rerunNote: rerunNote(settings, day) };
	const attempted = attemptedRecipients(call);
	const remember = (status: RememberedCall['status'], byThisExecution: boolean, result?: SendResponse, reached: Fingerprint[] = [], mayHaveMissed: Fingerprint[] = []) => {
		for (const fingerprint of reached) sketch?.add(fingerprint);
		const unconfirmedMembers =
			status === 'unconfirmed' && call.fingerprints
				? {
						members: attempted.anyAttempt,
						...(attempted.everyAttempt.length < attempted.anyAttempt.length ? { inEveryAttempt: attempted.everyAttempt } : {}),
					}
				: {};
		memory.record(
			key,
			{
				clientmsgid: clientMsgId,
				status,
				...(result?.msg_id !== undefined ? { msg_id: result.msg_id } : {}),
				...(result?.msg_data_id !== undefined ? { msg_data_id: result.msg_data_id } : {}),
				...(call.fingerprints ? { recipients: reached.length || call.fingerprints.length } : {}),
				...(call.range ? { range: call.range } : {}),
				...unconfirmedMembers,
				...(mayHaveMissed.length > 0 ? { mayHaveMissed } : {}),
			},
			byThisExecution,
			sketch?.toStored(),
		);
	};
	let confirmed: ConfirmedSend;
	try {
		confirmed = await sendExactlyOnce(ctx, call.path, call.body, options, pacer, itemIndex);
	} catch (error) {
		const answer = weChatAnswerIn(error);
		if (answer !== undefined && AWAITING_ADMIN_CONFIRMATION.has(answer.errcode)) {
			// Held for the admin: it may still go out, so it is not made again under another key.
			remember('unconfirmed', true);
			addOutputHint(
				ctx,
				`Item ${itemIndex + 1}: not sent yet. WeChat holds this send until an administrator of the account confirms it in WeChat ` +
					'(API mass-send protection, 群发保护); if nobody confirms within 30 minutes, or it is rejected, it is not sent. ' +
					'The protection is switched off in the Official Accounts Platform under Settings > Security Center > Risk Operation Protection (设置 > 安全中心 > 风险操作保护).',
			);
			return { kind: 'awaitingConfirmation', json: { ...answer, sent: false, duplicate: false, awaitingConfirmation: true, clientMsgId } };
		}
		// An earlier run's unconfirmed call stays that run's: its attempt is the one WeChat may have taken.
		if (error instanceof UnconfirmedSendError) remember('unconfirmed', call.settles === undefined || memory.isThisExecutions(call.settles));
		throw asNodeError(ctx, error, itemIndex);
	}
	const { errcode, errmsg } = confirmed.result;
	if (!confirmed.answeredAsRepeat) {
		remember('accepted', true, confirmed.result, call.fingerprints);
		return { kind: 'sent', json: { ...confirmed.result, sent: true, duplicate: false, clientMsgId } };
	}
	// WeChat took one of the attempts under this clientmsgid: everyone any attempt went to counts as
	// reached (never sent it again); those some attempt left out may not have it, and are reported.
	const inEvery = new Set(attempted.everyAttempt);
	const unsure = attempted.anyAttempt.filter((fingerprint) => !inEvery.has(fingerprint));
	// An earlier run's unconfirmed call answered 45065 is that run's send, whatever became of this run's attempts.
	const earlierRunsCall = call.settles !== undefined && !memory.isThisExecutions(call.settles);
	const own = !earlierRunsCall && (confirmed.answerLostBefore || memory.isThisExecutions(memory.call(key, clientMsgId)));
	remember('accepted', own, confirmed.result, attempted.anyAttempt, unsure);
	if (own) {
		return { kind: 'sent', json: { ...confirmed.result, errcode: 0, errmsg: 'ok', sent: true, duplicate: false, clientMsgId, confirmedBy: { errcode, errmsg } }, unsure };
	}
	return { kind: 'earlierRun', json: { ...confirmed.result, sent: false, duplicate: true, clientMsgId }, msgId: confirmed.result.msg_id, unsure };
}

/** The output of a call the node remembers as accepted, without asking WeChat again. */
function rememberedOutput(memory: SendMemory, call: RememberedCall): CallOutcome {
	const ids = { ...(call.msg_id !== undefined ? { msg_id: call.msg_id } : {}), ...(call.msg_data_id !== undefined ? { msg_data_id: call.msg_data_id } : {}) };
	if (memory.isThisExecutions(call)) {
		// Made by an earlier try of this execution (Retry On Fail): this execution's own send.
		return { kind: 'sent', json: { errcode: 0, errmsg: 'ok', ...ids, sent: true, duplicate: false, clientMsgId: call.clientmsgid, sentInEarlierTry: true } };
	}
	return { kind: 'earlierRun', json: { ...ids, sent: false, duplicate: true, clientMsgId: call.clientmsgid, remembered: true }, msgId: call.msg_id };
}

function repeatReason(settings: SendSettings, msgIds: Array<number | undefined>): string {
	const ids = msgIds.map((id) => id ?? 'unknown').join(', ');
	const original = `WeChat already accepted this send (msg_id ${ids}) in an earlier run within the last 24 hours, and its followers have it`;
	if (settings.clientMsgId !== '') return `${original}: it had the same Client Message ID "${settings.clientMsgId}".`;
	return settings.repeatRule === 'oncePerDay'
		? `${original}: the same message to the same followers from this node today (China time). It goes out again tomorrow.`
		: `${original}: the same message to the same followers from this node.`;
}

/** Turns repeats of an earlier run into a hint, or (If Already Sent: Fail the Item) into an error when nothing at all was sent now. */
function reportRepeats(ctx: IExecuteFunctions, settings: SendSettings, outcomes: CallOutcome[], itemIndex: number): void {
	const repeats = outcomes.filter((outcome): outcome is Extract<CallOutcome, { kind: 'earlierRun' }> => outcome.kind === 'earlierRun');
	if (repeats.length === 0) return;
	const why = repeatReason(
		settings,
		repeats.map((repeat) => repeat.msgId),
	);
	if (settings.onRepeat === 'fail' && repeats.length === outcomes.length) {
		const message = 'WeChat already has this send from an earlier run: nothing was sent now';
		const response: JsonObject = { message, errcode: 45065, msg_id: repeats[0].msgId ?? null, clientmsgid: String(repeats[0].json.clientMsgId) };
		throw new NodeApiError(ctx.getNode(), response, { message, description: why, itemIndex });
	}
	const part = repeats.length === outcomes.length ? 'nothing was sent now' : `${repeats.length} of its ${outcomes.length} calls were not made again`;
	addOutputHint(ctx, `Item ${itemIndex + 1}: ${part}. ${why}`);
}

// ---- Send to Tag or All ------------------------------------------------------------------------

export interface TagSend extends KeyedSend {
	body: SendAllRequest;
	settings: SendSettings;
	day: string;
}

/** One Send to Tag or All: its clientmsgid is its key, so a repeat in this execution or an earlier one is never sent twice. */
export async function sendToTagOnce(ctx: IExecuteFunctions, send: TagSend, pacer: MassSendPacer): Promise<IDataObject> {
	const memory = SendMemory.of(ctx);
	const remembered = memory.call(send.key, send.body.clientmsgid);
	const outcome =
		remembered?.status === 'accepted'
			? rememberedOutput(memory, remembered)
			: await makeCall(ctx, memory, send.key, { path: SENDALL, body: send.body, settles: remembered }, send.settings, send.day, pacer, send.itemIndex);
	reportRepeats(ctx, send.settings, [outcome], send.itemIndex);
	return outcome.json;
}

// ---- Send to OpenIDs ----------------------------------------------------------------------------

export interface OpenIdSend extends KeyedSend {
	settings: SendSettings;
	day: string;
	/** The body of every call but its recipients and clientmsgid. */
	template: SendToOpenIdsRequest;
	/** Every recipient (trimmed, without repeats) and the first input item it came from. */
	recipients: Map<string, number>;
}

/**
 * Items of One Send per Item with the same key and message are one send to all their OpenIDs, with
 * the strictest of their options: If Already Sent: Fail the Item if any item says so, the longest waits.
 */
export function groupSameSends(sends: OpenIdSend[]): OpenIdSend[] {
	const byKey = new Map<string, OpenIdSend>();
	for (const send of sends) {
		const first = byKey.get(send.key);
		if (first === undefined) {
			byKey.set(send.key, { ...send, settings: { ...send.settings }, recipients: new Map(send.recipients) });
			continue;
		}
		for (const [openId, item] of send.recipients) if (!first.recipients.has(openId)) first.recipients.set(openId, item);
		if (send.settings.onRepeat === 'fail') first.settings.onRepeat = 'fail';
		first.settings.confirmWithinSeconds = Math.max(first.settings.confirmWithinSeconds, send.settings.confirmWithinSeconds);
		first.settings.repeatWaitSeconds = Math.max(first.settings.repeatWaitSeconds, send.settings.repeatWaitSeconds);
	}
	return [...byKey.values()];
}

/** Followers per call on average when a list is split: far enough below 10,000 that chance never makes a call larger. */
const TARGET_PER_CALL = 9000;

/**
 * The calls for the followers not reached yet, sorted by fingerprint. A follower's call depends on
 * the follower, not on its neighbours: with n followers, the fingerprints are cut into ceil(n / 9,000)
 * equal shares of their whole range, so one follower more or less changes one call (until n crosses a
 * multiple of 9,000). Each call is a contiguous stretch of the sorted list; its span is what it is
 * remembered by.
 */
export function planCalls(sorted: Fingerprint[]): Fingerprint[][] {
	if (sorted.length <= MAX_OPENIDS_PER_SEND) return sorted.length === 0 ? [] : [sorted];
	const shares = Math.ceil(sorted.length / TARGET_PER_CALL);
	const shareOf = (fingerprint: Fingerprint) => Math.floor((Number.parseInt(fingerprint.slice(0, 8), 16) * shares) / 2 ** 32);
	const runs: Fingerprint[][] = [];
	for (const fingerprint of sorted) {
		const last = runs[runs.length - 1];
		if (last !== undefined && shareOf(last[0]) === shareOf(fingerprint)) last.push(fingerprint);
		else runs.push([fingerprint]);
	}
	const calls = runs.flatMap((run) => splitEvenly(run, MAX_OPENIDS_PER_SEND));
	// WeChat takes at least 2 OpenIDs a call: a lone follower joins a neighbouring call with room.
	for (let index = 0; index < calls.length; index++) {
		if (calls[index].length >= MIN_OPENIDS_PER_SEND) continue;
		const into = [index + 1, index - 1].find((neighbour) => neighbour >= 0 && neighbour < calls.length && calls[neighbour].length < MAX_OPENIDS_PER_SEND);
		if (into === undefined) continue;
		calls[into] = into > index ? [...calls[index], ...calls[into]] : [...calls[into], ...calls[index]];
		calls.splice(index--, 1);
	}
	return calls;
}

interface OpenIdPlan {
	/** Accepted calls that reached followers on today's list. */
	remembered: Array<{ call: RememberedCall; sourceItems: number[] }>;
	/** Unconfirmed calls to make again with their own clientmsgid, to those of their followers still on the list. */
	settle: Array<{ call: RememberedCall; openIds: string[] }>;
	/** Followers the node cannot say anything about, and why: never sent, always reported. */
	notSent: Array<{ openIds: string[]; reason: string }>;
	calls: Fingerprint[][];
	byFingerprint: Map<Fingerprint, string>;
	sketch: ReachedSketch;
}

type Range = [Fingerprint, Fingerprint];

/** The fingerprints (sorted) that fall in any of the ranges, and those that do not, in one pass. */
function splitByRanges(sorted: Fingerprint[], ranges: Range[]): { inside: Fingerprint[]; outside: Fingerprint[] } {
	const merged: Range[] = [];
	for (const range of [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
		const last = merged[merged.length - 1];
		if (last !== undefined && range[0] <= last[1]) {
			if (range[1] > last[1]) last[1] = range[1];
		} else merged.push([range[0], range[1]]);
	}
	const inside: Fingerprint[] = [];
	const outside: Fingerprint[] = [];
	let at = 0;
	for (const fingerprint of sorted) {
		while (at < merged.length && merged[at][1] < fingerprint) at++;
		(at < merged.length && merged[at][0] <= fingerprint ? inside : outside).push(fingerprint);
	}
	return { inside, outside };
}

/** The first index in `sorted` at which `value` could be inserted. */
function lowerBound(sorted: Fingerprint[], value: Fingerprint): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (sorted[middle] < value) low = middle + 1;
		else high = middle;
	}
	return low;
}

/**
 * Who of today's list this send has not reached yet. Without memory: everyone. With it, a follower
 * whose fingerprint falls in the span of an accepted call was on the list then, and so reached, unless
 * the sketch of everyone reached, minus the sketch of those on today's list in those spans, names them
 * as added since. Followers of unconfirmed calls are left to those calls.
 */
async function planOpenIdSend(ctx: IExecuteFunctions, memory: SendMemory, send: OpenIdSend, pacer: EventLoopPacer): Promise<OpenIdPlan> {
	const byFingerprint = new Map<Fingerprint, string>();
	for (const openId of send.recipients.keys()) {
		const fingerprint = fingerprintOf(openId);
		const other = byFingerprint.get(fingerprint);
		// 64 bits: two of a million OpenIDs share one about once in 30 million sends. Said, never skipped.
		if (other !== undefined) throw inputError.call(ctx, send.itemIndex, 'OpenIDs', `${other} and ${openId} share a fingerprint; send one of them separately`);
		byFingerprint.set(fingerprint, openId);
		if (pacer.due()) await pacer.pause();
	}
	const remembered = memory.send(send.key);
	const accepted = remembered?.calls.filter((call) => call.status === 'accepted' && Array.isArray(call.range)) ?? [];
	const unconfirmed = remembered?.calls.filter((call) => call.status === 'unconfirmed' && Array.isArray(call.members)) ?? [];
	const stored = ReachedSketch.fromStored(remembered?.sketch);
	const plan: OpenIdPlan = { remembered: [], settle: [], notSent: [], calls: [], byFingerprint, sketch: stored ?? ReachedSketch.empty() };

	const leftToUnconfirmed = new Set<Fingerprint>();
	for (const call of unconfirmed) {
		const present = call.members!.filter((fingerprint) => byFingerprint.has(fingerprint));
		for (const fingerprint of present) leftToUnconfirmed.add(fingerprint);
		const openIds = present.map((fingerprint) => byFingerprint.get(fingerprint)!);
		if (openIds.length >= MIN_OPENIDS_PER_SEND) plan.settle.push({ call, openIds });
		else if (openIds.length > 0) {
			plan.notSent.push({
				openIds,
				reason: `a call of this send (clientmsgid "${call.clientmsgid}") may have reached them, and WeChat never confirmed it; it can be checked only with at least ${MIN_OPENIDS_PER_SEND} of its followers on the list`,
			});
		}
	}

	const all = await sortPaced([...byFingerprint.keys()].filter((fingerprint) => !leftToUnconfirmed.has(fingerprint)), pacer);
	if (accepted.length === 0) {
		plan.calls = planCallsOrReport(plan, all);
		return plan;
	}
	const { inside: covered, outside: uncovered } = splitByRanges(all, accepted.map((call) => call.range!));
	for (const call of accepted) {
		const back = (call.mayHaveMissed ?? []).flatMap((fingerprint) => byFingerprint.get(fingerprint) ?? []);
		if (back.length > 0) plan.notSent.push({ openIds: back, reason: unsureReason(call.clientmsgid) });
	}
	// Without its sketch (it cannot be read) nothing can be said about a follower in the spans.
	const difference = stored?.difference(ReachedSketch.of(covered));
	if (difference === undefined) {
		plan.notSent.push({
			openIds: covered.map((fingerprint) => byFingerprint.get(fingerprint)!),
			reason: `they are where this send's earlier calls went, and the list changed there by more than about ${TRACEABLE_CHANGES} followers since, too much to tell who of them was reached`,
		});
	}
	const added = new Set(difference?.added ?? []);
	const reached = difference === undefined ? [] : covered.filter((fingerprint) => !added.has(fingerprint));
	for (const call of accepted) {
		const [low, high] = call.range!;
		const sourceItems = new Set<number>();
		for (let at = lowerBound(reached, low); at < reached.length && reached[at] <= high; at++) sourceItems.add(send.recipients.get(byFingerprint.get(reached[at])!)!);
		if (sourceItems.size > 0) plan.remembered.push({ call, sourceItems: [...sourceItems].sort((a, b) => a - b) });
		else if (difference === undefined) plan.remembered.push({ call, sourceItems: [send.itemIndex] });
	}
	plan.calls = planCallsOrReport(plan, added.size === 0 ? uncovered : await sortPaced([...uncovered, ...added], pacer));
	return plan;
}

function unsureReason(clientMsgId: string): string {
	return `a call of this send (clientmsgid "${clientMsgId}") whose answer was lost went to them in one attempt and not in another; WeChat took one of the attempts, so they may or may not have it, and are not sent it again`;
}

/** The calls for `sorted`, and a report for a follower left alone in a call: WeChat sends a mass message to at least 2 OpenIDs. */
function planCallsOrReport(plan: OpenIdPlan, sorted: Fingerprint[]): Fingerprint[][] {
	const calls = planCalls(sorted);
	for (const lone of calls.filter((call) => call.length < MIN_OPENIDS_PER_SEND)) {
		plan.notSent.push({
			openIds: lone.map((fingerprint) => plan.byFingerprint.get(fingerprint)!),
			reason: `no other follower on the list could go in the same call (the others were reached already, wait for an earlier call's confirmation, or fill their calls), and WeChat sends a mass message to at least ${MIN_OPENIDS_PER_SEND} OpenIDs; it goes with this message's next send that reaches someone new`,
		});
	}
	return calls.filter((call) => call.length >= MIN_OPENIDS_PER_SEND);
}

const SORT_CHUNK = 50_000;

/** Sorts a large list without holding n8n's event loop: sorts chunks and merges them, pausing between stretches of work. */
export async function sortPaced(values: string[], pacer: EventLoopPacer): Promise<string[]> {
	const chunks: string[][] = [];
	for (let start = 0; start < values.length; start += SORT_CHUNK) {
		chunks.push(values.slice(start, start + SORT_CHUNK).sort());
		if (pacer.due(SORT_CHUNK)) await pacer.pause();
	}
	if (chunks.length <= 1) return chunks[0] ?? [];
	const sorted: string[] = [];
	const next = chunks.map(() => 0);
	while (sorted.length < values.length) {
		let best = -1;
		for (let chunk = 0; chunk < chunks.length; chunk++) {
			if (next[chunk] < chunks[chunk].length && (best < 0 || chunks[chunk][next[chunk]] < chunks[best][next[best]])) best = chunk;
		}
		sorted.push(chunks[best][next[best]++]);
		if (pacer.due()) await pacer.pause();
	}
	return sorted;
}

/**
 * One Send to OpenIDs: remembered calls are reported, not made again; unconfirmed ones are made again
 * with their own clientmsgid; the followers not reached yet get new calls, each keyed by the send's
 * key and its recipients. Output: one item per call, and one per group of followers not sent to.
 */
export async function sendToOpenIdsOnce(ctx: IExecuteFunctions, send: OpenIdSend, pacer: MassSendPacer, eventLoop: EventLoopPacer): Promise<INodeExecutionData[]> {
	const memory = SendMemory.of(ctx);
	let plan: OpenIdPlan;
	try {
		plan = await planOpenIdSend(ctx, memory, send, eventLoop);
	} catch (error) {
		if (!ctx.continueOnFail()) throw asNodeError(ctx, error, send.itemIndex);
		return [errorItem(error, [...new Set(send.recipients.values())].sort((a, b) => a - b))];
	}
	const sourceItemsOf = (openIds: string[]) => [...new Set(openIds.map((openId) => send.recipients.get(openId)!))].sort((a, b) => a - b);
	const batchCount = plan.remembered.length + plan.settle.length + plan.calls.length;
	const output: INodeExecutionData[] = [];
	const outcomes: CallOutcome[] = [];
	const push = (outcome: CallOutcome, recipientCount: number, sourceItems: number[]) => {
		outcomes.push(outcome);
		output.push({ json: { ...outcome.json, recipientCount, batch: outcomes.length, batchCount }, pairedItem: sourceItems.map((item) => ({ item })) });
	};
	const make = async (call: CallToMake, openIds: string[]) => {
		const sourceItems = sourceItemsOf(openIds);
		try {
			const outcome = await makeCall(ctx, memory, send.key, call, send.settings, send.day, pacer, send.itemIndex, plan.sketch);
			push(outcome, openIds.length, sourceItems);
			const unsure = ('unsure' in outcome ? outcome.unsure ?? [] : []).flatMap((fingerprint) => plan.byFingerprint.get(fingerprint) ?? []);
			if (unsure.length > 0) {
				plan.notSent.push({ openIds: unsure, reason: unsureReason(call.body.clientmsgid) });
			}
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, send.itemIndex);
			output.push(errorItem(error, sourceItems));
		}
	};

	for (const { call, sourceItems } of plan.remembered) push(rememberedOutput(memory, call), call.recipients ?? 0, sourceItems);
	for (const { call, openIds } of plan.settle) {
		const body = { ...send.template, touser: openIds, clientmsgid: call.clientmsgid };
		await make({ path: SEND, body, fingerprints: openIds.map(fingerprintOf), range: call.range, settles: call }, openIds);
	}
	for (const fingerprints of plan.calls) {
		const openIds = fingerprints.map((fingerprint) => plan.byFingerprint.get(fingerprint)!);
		const clientmsgid = deriveClientMsgId([send.key, ...fingerprints]);
		const range: [Fingerprint, Fingerprint] = [fingerprints[0], fingerprints[fingerprints.length - 1]];
		await make({ path: SEND, body: { ...send.template, touser: openIds, clientmsgid }, fingerprints, range }, openIds);
		if (eventLoop.due(openIds.length)) await eventLoop.pause();
	}
	for (const { openIds, reason } of plan.notSent) {
		const sourceItems = sourceItemsOf(openIds);
		const shown = openIds.length <= 100 ? { notSentOpenIds: openIds } : {};
		output.push({ json: { sent: false, duplicate: false, notSentCount: openIds.length, notSentReason: reason, ...shown }, pairedItem: sourceItems.map((item) => ({ item })) });
		addOutputHint(ctx, `Item ${send.itemIndex + 1}: ${openIds.length} ${openIds.length === 1 ? 'follower was' : 'followers were'} not sent to: ${reason}.`);
	}
	try {
		reportRepeats(ctx, send.settings, outcomes, send.itemIndex);
	} catch (error) {
		if (!ctx.continueOnFail()) throw asNodeError(ctx, error, send.itemIndex);
		return [errorItem(error, sourceItemsOf([...send.recipients.keys()]))];
	}
	return output;
}
