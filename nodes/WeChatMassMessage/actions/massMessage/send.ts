// How a mass send is keyed, split into calls, de-duplicated and reported: the one owner of that
// policy, for Send to Tag or All and Send to OpenIDs.
//
// WeChat decides whether a call goes out. Each call carries a clientmsgid naming its place in the
// send (the send's key, and for Send to OpenIDs the call's ordinal: 1, 2, ... in the order the
// calls are made), never its recipients, and WeChat delivers a clientmsgid once in 24 hours,
// answering any other attempt with 45065 and the first one's msg_id. So two runs that would make the
// same call (a re-run, an overlapping execution, a worker with an older copy of the memory) collide
// at WeChat instead of both delivering. A call goes to followers only when the node knows whom every
// earlier call of the send went to; when WeChat says a call was made by a run the node knows nothing
// of, its followers, and those of every later call, are reported and never sent it again.
//
// What the node remembers (sendMemory.ts) only finds the followers added since the earlier calls.
//
// A send: plan its calls (planOpenIdSend) → make each (makeCall) → record it (SendMemory.record),
// reporting as it goes (SendReport).
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { chinaDay } from '../../helpers/chinaTime';
import type { EventLoopPacer } from '../../helpers/eventLoop';
import { type Checked, addOutputHint, asNodeError, errorItem } from '../../helpers/items';
import { MAX_OPENIDS_PER_SEND, MIN_OPENIDS_PER_SEND, splitEvenly } from '../../helpers/recipients';
import type { MessageBody, SendAllRequest, SendResponse, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { type ConfirmedSend, MAX_CLIENT_MSG_ID_BYTES, type MassSendPacer, UnconfirmedSendError, deriveClientMsgId, sendExactlyOnce } from '../../transport/exactlyOnceSend';
import type { SendSettings } from './messageContent';
import { type Fingerprint, TRACEABLE_CHANGES, fingerprintOf } from './reachedSketch';
import { type EarlierAttempts, type RememberedCall, SendMemory, callDigest } from './sendMemory';

const SENDALL = '/cgi-bin/message/mass/sendall';
const SEND = '/cgi-bin/message/mass/send';

// ---- Keys ------------------------------------------------------------------------------------------

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
 * under the Once per Day rule, the day this execution keys by.
 */
export function sendKeyOf(this: IExecuteFunctions, settings: SendSettings, message: object, day: string): string {
	if (settings.clientMsgId !== '') return settings.clientMsgId;
	const when = settings.repeatRule === 'oncePerDay' ? day : '';
	return deriveClientMsgId([this.getWorkflow().id ?? '', this.getNode().name, JSON.stringify({ ...message, clientmsgid: undefined }), when]);
}

/** The clientmsgid of a Send to OpenIDs call: its send's key and its place in the send. */
export function callClientMsgId(key: string, ordinal: number): string {
	return deriveClientMsgId([key, 'call', ordinal]);
}

/** What running the send again is safe for, as every error of a send that may have gone out says it. */
function rerunNote(settings: SendSettings, day: string): string {
	const safe = 'cannot deliver it twice: WeChat answers with the msg_id of what it accepted.';
	if (settings.clientMsgId !== '') return `Running it again with Client Message ID "${settings.clientMsgId}" within 24 hours ${safe}`;
	if (settings.repeatRule === 'oncePer24Hours') return `Running this node again with the same message within 24 hours ${safe}`;
	return (
		`Running this node again with the same message before midnight in China (${day} 24:00 China time, 16:00 UTC) ${safe} ` +
		'n8n\'s Retry On Fail keeps this execution\'s day; a new execution after midnight is a new day\'s send.'
	);
}

// ---- Items → sends -------------------------------------------------------------------------------

/** One item's send, as an operation read it. */
export interface ItemSend {
	itemIndex: number;
	/** The key of the send, see sendKeyOf. */
	key: string;
	/** Everything the send delivers and to whom, but the key: two items with the same key and `what` are one send. */
	what: string;
	/** The message alone: the same message under two keys to followers both reach would reach them twice. */
	message: string;
	settings: SendSettings;
	/** Every input item of the send (more than one when items make the same send). */
	itemIndexes: number[];
}

/**
 * Items that make the same send (the same key and the same message to the same audience) are one
 * send, with the strictest of their options. Refused before anything is sent, the later item: the
 * same key on another message or audience (WeChat would take it as a repeat and send nothing), and
 * the same message under another key to followers an earlier item reaches (they would get it twice).
 * `overlap` says whom two sends both reach, or undefined; `merge` takes a later item into a send.
 */
export function groupIntoSends<T extends ItemSend>(
	ctx: IExecuteFunctions,
	prepared: Array<Checked<T>>,
	overlap: (earlier: T, later: T) => string | undefined,
	merge: (into: T, later: T) => void,
): Array<Checked<T>> {
	const byKey = new Map<string, T>();
	const result: Array<Checked<T>> = [];
	for (const checked of prepared) {
		if ('error' in checked) {
			result.push(checked);
			continue;
		}
		const entry = checked.checked;
		const same = byKey.get(entry.key);
		let problem: { field: string; text: string } | undefined;
		if (same !== undefined && same.what !== entry.what) {
			problem = {
				field: 'Client Message ID',
				text: `"${entry.key}" is also the key of item ${same.itemIndex + 1}, which sends another message or to other followers; WeChat would take this send as a repeat of that one and send nothing`,
			};
		} else if (same === undefined) {
			for (const earlier of byKey.values()) {
				const both = earlier.message === entry.message ? overlap(earlier, entry) : undefined;
				if (both === undefined) continue;
				problem = {
					field: 'Client Message ID',
					text:
						`the same message as item ${earlier.itemIndex + 1} to ${both}, under another Client Message ID: they would get it twice. ` +
						'To send it once, give these items the same Client Message ID, or leave it empty',
				};
				break;
			}
		}
		if (problem !== undefined) {
			const error = inputError.call(ctx, entry.itemIndex, problem.field, problem.text);
			if (!ctx.continueOnFail()) throw error;
			result.push({ itemIndex: entry.itemIndex, error });
			continue;
		}
		if (same === undefined) {
			const send = { ...entry, settings: { ...entry.settings }, itemIndexes: [entry.itemIndex] };
			byKey.set(entry.key, send);
			result.push({ itemIndex: entry.itemIndex, checked: send });
			continue;
		}
		same.itemIndexes.push(entry.itemIndex);
		if (entry.settings.onRepeat === 'fail') same.settings.onRepeat = 'fail';
		same.settings.confirmWithinSeconds = Math.max(same.settings.confirmWithinSeconds, entry.settings.confirmWithinSeconds);
		same.settings.repeatWaitSeconds = Math.max(same.settings.repeatWaitSeconds, entry.settings.repeatWaitSeconds);
		merge(same, entry);
	}
	return result;
}

// ---- Send to Tag or All ----------------------------------------------------------------------------

export interface TagSend extends ItemSend {
	body: SendAllRequest;
	day: string;
	/** The tag's name as the account's tag list gives it, when it could be read. */
	tagName?: string;
}

/** One Send to Tag or All: a single call, its clientmsgid the send's key. Output: one item, paired with every item of the send. */
export async function sendToTagOnce(ctx: IExecuteFunctions, send: TagSend, pacer: MassSendPacer): Promise<INodeExecutionData[]> {
	const memory = SendMemory.of(ctx, send.key, send.what);
	const report = new SendReport(ctx, send, () => send.itemIndexes, 1);
	const audience: IDataObject =
		send.body.filter.is_to_all === true ? { sendTo: 'all' } : { sendTo: 'tag', tagId: send.body.filter.tag_id, ...(send.tagName !== undefined ? { tagName: send.tagName } : {}) };
	const remembered = memory.calls.find((known) => known.ordinal === 1);
	const call: PlannedCall = {
		ordinal: 1,
		path: SENDALL,
		body: send.body,
		digest: callDigest(send.message, JSON.stringify(send.body.filter)),
		...(remembered?.status === 'unconfirmed' ? { settles: remembered } : {}),
	};
	const outcome = remembered?.status === 'accepted' ? rememberedOutcome(memory, remembered) : await makeCall(ctx, memory, call, send, pacer);
	report.call(outcome, { ...audience, ...messageFields(send.body) }, send.itemIndexes);
	return report.finish();
}

// ---- Send to OpenIDs -------------------------------------------------------------------------------

export interface OpenIdSend extends ItemSend {
	day: string;
	/** The body of every call but its recipients and clientmsgid. */
	template: SendToOpenIdsRequest;
	/** Every recipient (trimmed, without repeats) and the first input item it came from. */
	recipients: Map<string, number>;
}

/**
 * One Send to OpenIDs: the calls the memory knows as accepted are reported, not made again; an
 * unconfirmed call is made again, to exactly its recipients, under its own clientmsgid; the followers
 * not reached yet get new calls, at places left free first. The calls are made in the order of their
 * places, each only when the one before ended accepted: a place left free (refused, unconfirmed,
 * taken by a run the node knows nothing of) could be filled by another run, unseen. Output: one item
 * per call, and one per group of followers not sent to, with why.
 */
export async function sendToOpenIdsOnce(ctx: IExecuteFunctions, send: OpenIdSend, pacer: MassSendPacer, eventLoop: EventLoopPacer): Promise<INodeExecutionData[]> {
	const memory = SendMemory.of(ctx, send.key, send.what);
	const sourceItemsOf = (openIds: string[]) => [...new Set(openIds.map((openId) => send.recipients.get(openId)!))].sort((a, b) => a - b);
	let plan: OpenIdPlan;
	try {
		plan = await planOpenIdSend(ctx, memory, send, eventLoop);
	} catch (error) {
		if (!ctx.continueOnFail()) throw asNodeError(ctx, error, send.itemIndex);
		return [errorItem(error, sourceItemsOf([...send.recipients.keys()]))];
	}
	const report = new SendReport(ctx, send, () => sourceItemsOf([...send.recipients.keys()]), plan.remembered.length + plan.calls.length);
	const message = messageFields(send.template);

	for (const { call, openIds } of plan.remembered) {
		report.call(rememberedOutcome(memory, call), { recipientCount: call.recipients ?? openIds.length, ...message }, sourceItemsOf(openIds));
		if (eventLoop.due(openIds.length)) await eventLoop.pause();
	}
	let waitFor = plan.waitFor;
	const waiting: string[] = [];
	for (const { ordinal, clientmsgid, members, range, settles } of plan.calls) {
		const openIds = members.map((fingerprint) => plan.byFingerprint.get(fingerprint)!);
		if (waitFor !== undefined && ordinal > waitFor.ordinal) {
			waiting.push(...openIds);
			continue;
		}
		const body = { ...send.template, touser: openIds, clientmsgid };
		const call: PlannedCall = { ordinal, path: SEND, body, digest: callDigest(send.message, members), members, range, ...(settles ? { settles } : {}) };
		const outcome = await makeCall(ctx, memory, call, send, pacer);
		if (outcome.kind === 'recipientsUnknown') report.notSent(openIds, sourceItemsOf(openIds), unknownRecipientsReason(outcome), outcome.result.msg_id);
		else report.call(outcome, { recipientCount: openIds.length, ...message }, sourceItemsOf(openIds));
		if (outcome.kind === 'recipientsUnknown' || outcome.kind === 'failed') waitFor = { ordinal: call.ordinal, ...laterCallsWait(outcome) };
		if (eventLoop.due(openIds.length)) await eventLoop.pause();
	}
	if (waitFor !== undefined) report.notSent(waiting, sourceItemsOf(waiting), waitFor.reason, waitFor.msgId);
	for (const { openIds, reason, msgId } of plan.notSent) report.notSent(openIds, sourceItemsOf(openIds), reason, msgId);
	return report.finish();
}

/** Why the calls after one that ended unknown or failed are not made now. */
function laterCallsWait(outcome: Extract<CallOutcome, { kind: 'recipientsUnknown' | 'failed' }>): { reason: string; msgId?: number } {
	if (outcome.kind === 'recipientsUnknown') return { reason: unknownRecipientsReason(outcome), msgId: outcome.result.msg_id };
	const what = outcome.unconfirmed ? 'was not confirmed by WeChat (it may have gone out)' : 'was refused by WeChat';
	return {
		reason:
			`call ${outcome.ordinal} of this send, before theirs, ${what}: the calls after a call WeChat did not accept wait for it, ` +
			'so that no other run can fill its place unseen. They go out with the next run of this send',
	};
}

/** A planned call: its place, what it sends, and (Send to OpenIDs) whom. */
interface PlannedCall {
	ordinal: number;
	path: typeof SENDALL | typeof SEND;
	body: SendAllRequest | SendToOpenIdsRequest;
	/** What the deduplication store knows the call's attempts by: the digest of its message and recipients. */
	digest: string;
	members?: Fingerprint[];
	range?: [Fingerprint, Fingerprint];
	/** An unconfirmed call of an earlier try or run, made again to the same recipients under its own clientmsgid. */
	settles?: RememberedCall;
}

interface OpenIdPlan {
	byFingerprint: Map<Fingerprint, string>;
	/** Accepted calls that reached followers on today's list, with those followers. */
	remembered: Array<{ call: RememberedCall; openIds: string[] }>;
	/** Unconfirmed calls made again and new calls, in the order of their places, with their recipients (sorted). */
	calls: Array<{ ordinal: number; clientmsgid: string; members: Fingerprint[]; range?: [Fingerprint, Fingerprint]; settles?: RememberedCall }>;
	/** A remembered call whose place is not known to hold what this run knows: no call at a later place is made. */
	waitFor?: { ordinal: number; reason: string; msgId?: number };
	/** Followers not sent to, and why: always reported. */
	notSent: Array<{ openIds: string[]; reason: string; msgId?: number }>;
}

/**
 * Who of today's list gets which call. Without memory: everyone, in new calls from place 1 (a call
 * another run already made collides at WeChat). With it: an unconfirmed call goes again to exactly
 * its followers when they are all still on the list, and otherwise holds up the places after it; the
 * followers the accepted calls reached are reported; the rest get new calls, at the places of refused
 * calls first (another run may have filled them since: then they collide), then after the last place.
 */
async function planOpenIdSend(ctx: IExecuteFunctions, memory: SendMemory, send: OpenIdSend, pacer: EventLoopPacer): Promise<OpenIdPlan> {
	const byFingerprint = await fingerprintsOf(ctx, send, pacer);
	const openIdsOf = (fingerprints: Fingerprint[]) => fingerprints.map((fingerprint) => byFingerprint.get(fingerprint)!);
	const plan: OpenIdPlan = { byFingerprint, remembered: [], calls: [], notSent: [] };
	const keyHasNoDay = send.settings.clientMsgId !== '' || send.settings.repeatRule === 'oncePer24Hours';
	if (memory.calls.length === 0 && keyHasNoDay && !(await memory.mayStartOver(send.itemIndex))) {
		plan.notSent.push({
			openIds: [...send.recipients.keys()],
			reason:
				'this send (its key has no day) made calls in the last day or two that this run does not know of, and WeChat has forgotten its first call while a later one may still be held: ' +
				'starting it again could reach them twice, so they are not sent it now. A production run, whose memory n8n keeps, sends to those not reached yet',
		});
		return plan;
	}

	// Unconfirmed calls, made again to exactly whom they went to, or holding up the places after them.
	const holdsUp = (call: RememberedCall, reason: string) => {
		if (plan.waitFor === undefined || call.ordinal < plan.waitFor.ordinal) plan.waitFor = { ordinal: call.ordinal, reason, msgId: call.msg_id };
	};
	const leftToEarlierCalls = new Set<Fingerprint>();
	for (const call of memory.calls) {
		if (call.status === 'recipientsUnknown') holdsUp(call, unknownRecipientsReason(call));
		if (call.status !== 'unconfirmed' || !Array.isArray(call.members)) continue;
		const present = call.members.filter((fingerprint) => byFingerprint.has(fingerprint));
		for (const fingerprint of present) leftToEarlierCalls.add(fingerprint);
		if (present.length === call.members.length) {
			plan.calls.push({ ordinal: call.ordinal, clientmsgid: call.clientmsgid, members: [...call.members].sort(), range: call.range, settles: call });
			continue;
		}
		const reason =
			`call ${call.ordinal} of this send (clientmsgid "${call.clientmsgid}") went to them and to followers no longer on the list, and WeChat never confirmed it: ` +
			'they may or may not have it. It is made again, to all of its followers, when they are all on the list; until then the calls after it wait';
		if (present.length > 0) plan.notSent.push({ openIds: openIdsOf(present), reason });
		holdsUp(call, reason);
	}

	// The followers the accepted calls reached.
	const sorted = await sortPaced([...byFingerprint.keys()].filter((fingerprint) => !leftToEarlierCalls.has(fingerprint)), pacer);
	const { reached, cannotTell, unreached } = await memory.compare(sorted, pacer);
	for (const call of memory.calls) {
		if (call.status !== 'accepted' || !Array.isArray(call.range)) continue;
		const [low, high] = call.range;
		const inCall: string[] = [];
		for (let at = lowerBound(reached, low); at < reached.length && reached[at] <= high; at++) {
			inCall.push(byFingerprint.get(reached[at])!);
			if (pacer.due()) await pacer.pause();
		}
		if (inCall.length > 0) plan.remembered.push({ call, openIds: inCall });
	}
	if (cannotTell.length > 0) {
		plan.notSent.push({
			openIds: openIdsOf(cannotTell),
			reason: `they are where this send's earlier calls went, and the list changed there by more than about ${TRACEABLE_CHANGES} followers since, too much to tell who of them was reached`,
		});
	}

	// New calls for the rest.
	const freePlaces = memory.calls.filter((call) => call.status === 'refused' && call.ordinal > 0).map((call) => call.ordinal);
	let nextPlace = memory.nextOrdinal();
	for (const members of planCalls(unreached)) {
		if (members.length < MIN_OPENIDS_PER_SEND) {
			plan.notSent.push({
				openIds: openIdsOf(members),
				reason: `no other follower on the list could go in the same call (the others were reached already, or wait for an earlier call's confirmation), and WeChat sends a mass message to at least ${MIN_OPENIDS_PER_SEND} OpenIDs; it goes with this message's next send that reaches someone new`,
			});
			continue;
		}
		const ordinal = freePlaces.shift() ?? nextPlace++;
		plan.calls.push({ ordinal, clientmsgid: callClientMsgId(send.key, ordinal), members, range: [members[0], members[members.length - 1]] });
	}
	plan.calls.sort((a, b) => a.ordinal - b.ordinal);
	return plan;
}

/** Each recipient's fingerprint. */
async function fingerprintsOf(ctx: IExecuteFunctions, send: OpenIdSend, pacer: EventLoopPacer): Promise<Map<Fingerprint, string>> {
	const byFingerprint = new Map<Fingerprint, string>();
	for (const openId of send.recipients.keys()) {
		const fingerprint = fingerprintOf(openId);
		const other = byFingerprint.get(fingerprint);
		// 64 bits: two of a million OpenIDs share one about once in 30 million sends. Said, never skipped.
		if (other !== undefined) throw inputError.call(ctx, send.itemIndex, 'OpenIDs', `${other} and ${openId} share a fingerprint; send one of them separately`);
		byFingerprint.set(fingerprint, openId);
		if (pacer.due()) await pacer.pause();
	}
	return byFingerprint;
}

/** Followers per part when a list is split: far enough below 10,000 that chance never makes a part larger. */
const PART_TARGET = 8000;

/**
 * The calls for followers not reached yet (sorted fingerprints): all in one call up to 10,000; beyond,
 * one call per part of the fingerprints' whole range, cut into 2^d equal parts with d the fewest that
 * give parts of at most 8,000 on average. The parts stay where they are while a list grows or shrinks,
 * until it doubles or halves, so two runs of a send whose lists differ a little make the same calls.
 */
export function planCalls(sorted: Fingerprint[]): Fingerprint[][] {
	if (sorted.length <= MAX_OPENIDS_PER_SEND) return sorted.length === 0 ? [] : [sorted];
	const depth = Math.min(31, Math.ceil(Math.log2(sorted.length / PART_TARGET)));
	const partOf = (fingerprint: Fingerprint) => Number.parseInt(fingerprint.slice(0, 8), 16) >>> (32 - depth);
	const parts: Fingerprint[][] = [];
	for (const fingerprint of sorted) {
		const last = parts[parts.length - 1];
		if (last !== undefined && partOf(last[0]) === partOf(fingerprint)) last.push(fingerprint);
		else parts.push([fingerprint]);
	}
	return parts.flatMap((part) => splitEvenly(part, MAX_OPENIDS_PER_SEND));
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
 * Sorts fingerprints (hex) without holding n8n's event loop: into 256 buckets by their first byte,
 * each bucket sorted on its own, pausing between them. Fingerprints are spread evenly, so the buckets
 * are small, and the sort takes about as long as one plain sort of the whole list.
 */
export async function sortPaced(values: Fingerprint[], pacer: EventLoopPacer): Promise<Fingerprint[]> {
	const buckets: Fingerprint[][] = Array.from({ length: 256 }, () => []);
	for (const value of values) {
		buckets[Number.parseInt(value.slice(0, 2), 16)].push(value);
		if (pacer.due()) await pacer.pause();
	}
	const sorted: Fingerprint[] = [];
	for (const bucket of buckets) {
		for (const value of bucket.sort()) sorted.push(value);
		if (pacer.due(bucket.length)) await pacer.pause();
	}
	return sorted;
}

// ---- One call --------------------------------------------------------------------------------------

/**
 * WeChat's answers while a send waits for an administrator's confirmation (API mass-send protection,
 * 群发保护): 89505 when the send enters the confirmation, 89504 while it is still waiting.
 */
const AWAITING_ADMIN_CONFIRMATION: ReadonlySet<number> = new Set([89504, 89505]);

/** What became of a call (made under `clientmsgid`, the call at `ordinal` of its send). */
type CallOutcome = { ordinal: number; clientmsgid: string } & (
	/** WeChat accepted it in this execution (`confirmedBy`: WeChat's answer to a repeat after a lost answer). */
	| { kind: 'sent'; result: SendResponse; confirmedBy?: SendResponse; sentInEarlierTry?: boolean }
	/** An earlier run made it, to the same recipients (`remembered`: known from the memory, WeChat not asked). */
	| { kind: 'alreadySent'; result: SendResponse; remembered?: boolean }
	/** WeChat has a send under this clientmsgid from a run that went to other recipients, or to ones the node cannot know. */
	| { kind: 'recipientsUnknown'; result: SendResponse }
	| { kind: 'awaitingConfirmation'; result: SendResponse }
	/** Refused (nothing was sent) or unconfirmed (it may have gone out). */
	| { kind: 'failed'; error: Error; unconfirmed: boolean }
);

/**
 * Makes one call and records it: in the deduplication store before it goes out (when the store cannot
 * be written, it does not go out), in the memory once its outcome is known.
 */
async function makeCall(ctx: IExecuteFunctions, memory: SendMemory, call: PlannedCall, send: ItemSend & { day: string }, pacer: MassSendPacer): Promise<CallOutcome> {
	const { settings, itemIndex } = send;
	const clientmsgid = call.body.clientmsgid;
	const place = { ordinal: call.ordinal, clientmsgid };
	const ours = call.settles === undefined || memory.isThisExecutions(call.settles);
	const recorded = { ...place, ...(call.range ? { range: call.range } : {}) };
	const note = rerunNote(settings, send.day);
	let earlier: EarlierAttempts;
	try {
		earlier = await memory.recordAttempt(clientmsgid, call.digest, itemIndex);
	} catch (error) {
		return { ...place, kind: 'failed', error: asNodeError(ctx, error, itemIndex), unconfirmed: false };
	}
	let confirmed: ConfirmedSend;
	try {
		const timing = { confirmWithinMs: settings.confirmWithinSeconds * 1000, repeatWaitMs: settings.repeatWaitSeconds * 1000, rerunNote: note };
		confirmed = await sendExactlyOnce(ctx, call.path, call.body, timing, pacer, itemIndex);
	} catch (error) {
		const answer = (error as { errorResponse?: SendResponse }).errorResponse;
		const awaiting = typeof answer?.errcode === 'number' && AWAITING_ADMIN_CONFIRMATION.has(answer.errcode);
		// A refusal now does not undo an earlier attempt of the same call, which may have gone out.
		const mayHaveGoneOut = awaiting || error instanceof UnconfirmedSendError || call.settles !== undefined;
		memory.record({ ...recorded, status: mayHaveGoneOut ? 'unconfirmed' : 'refused', ...(mayHaveGoneOut && call.members ? { members: call.members } : {}) }, ours);
		if (awaiting) return { ...place, kind: 'awaitingConfirmation', result: { errcode: answer!.errcode, ...(answer!.errmsg !== undefined ? { errmsg: answer!.errmsg } : {}) } };
		return { ...place, kind: 'failed', error: asNodeError(ctx, error, itemIndex), unconfirmed: mayHaveGoneOut };
	}
	const { result } = confirmed;
	const ids = { ...(result.msg_id !== undefined ? { msg_id: result.msg_id } : {}), ...(result.msg_data_id !== undefined ? { msg_data_id: result.msg_data_id } : {}) };
	const recipients = call.members ? { recipients: call.members.length } : {};
	if (!confirmed.answeredAsRepeat) {
		memory.record({ ...recorded, status: 'accepted', ...ids, ...recipients }, true, call.members);
		if (call.ordinal === 1) await memory.recordFirstCallAccepted();
		return { ...place, kind: 'sent', result };
	}
	if (!(await recipientsKnown(memory, earlier, confirmed, call))) {
		if (confirmed.answerLostBefore) {
			// What WeChat holds may be this run's attempt, whose answer was lost, or another run's to other followers.
			memory.record({ ...recorded, status: 'unconfirmed', ...ids, ...(call.members ? { members: call.members } : {}) }, ours);
			const message = 'WeChat did not confirm the send: it may have gone out (its answer was lost; WeChat then answered 45065, holding a call at this place).';
			const description =
				`WeChat holds a send under clientmsgid "${clientmsgid}" (msg_id ${result.msg_id ?? 'unknown'}): this run's attempt, or another run's at the same place ` +
				`to other followers, which this run cannot tell apart. ${note}`;
			const error = new UnconfirmedSendError(ctx.getNode(), { message, errcode: 45065, clientmsgid, ...ids } as JsonObject, { message, description, itemIndex });
			return { ...place, kind: 'failed', error, unconfirmed: true };
		}
		memory.record({ ...place, status: 'recipientsUnknown', ...ids }, false);
		return { ...place, kind: 'recipientsUnknown', result };
	}
	// WeChat took an attempt of this execution (or an identical one): after an answer of this try was
	// lost, or when making again an unconfirmed call of an earlier try (Retry On Fail).
	const own = ours && (confirmed.answerLostBefore || call.settles !== undefined);
	memory.record({ ...recorded, status: 'accepted', ...ids, ...recipients }, own, call.members);
	if (own) return { ...place, kind: 'sent', result: { ...ids, errcode: 0, errmsg: 'ok' }, confirmedBy: { errcode: result.errcode, errmsg: result.errmsg } };
	return { ...place, kind: 'alreadySent', result };
}

/**
 * Whether what WeChat holds under a call's clientmsgid (it answered 45065) went to this call's
 * message and recipients: only when every attempt under it did, as far as the deduplication store
 * tells. An attempt recorded with others (`unlike`) leaves them unknown, and so does no attempt
 * recorded before this run's (`none`): WeChat has it from a run whose record n8n's store lost, or that
 * recorded at the same moment. Only after this run's own answer was lost does `none` mean this run's
 * attempt (unless a later one left the mark of other recipients). A call made again for an earlier
 * run was recorded by that run: `none` then means the record was lost, or made by version 0.1.
 */
async function recipientsKnown(memory: SendMemory, earlier: EarlierAttempts, confirmed: ConfirmedSend, call: PlannedCall): Promise<boolean> {
	if (earlier === 'unlike') return false;
	if (earlier === 'none' && (!confirmed.answerLostBefore || call.settles !== undefined)) return false;
	return await memory.attemptsAlike(call.body.clientmsgid);
}

/** The outcome of a call the memory knows as accepted, without asking WeChat again. */
function rememberedOutcome(memory: SendMemory, call: RememberedCall): CallOutcome {
	const ids = { ...(call.msg_id !== undefined ? { msg_id: call.msg_id } : {}), ...(call.msg_data_id !== undefined ? { msg_data_id: call.msg_data_id } : {}) };
	const place = { ordinal: call.ordinal, clientmsgid: call.clientmsgid };
	// Made by an earlier try of this execution (Retry On Fail): this execution's own send.
	if (memory.isThisExecutions(call)) return { ...place, kind: 'sent', result: { errcode: 0, errmsg: 'ok', ...ids }, sentInEarlierTry: true };
	return { ...place, kind: 'alreadySent', result: ids, remembered: true };
}

function unknownRecipientsReason(call: { ordinal: number; clientmsgid: string; msg_id?: number; result?: SendResponse }): string {
	const msgId = call.msg_id ?? call.result?.msg_id;
	return (
		`call ${call.ordinal} of this send (clientmsgid "${call.clientmsgid}"${msgId !== undefined ? `, msg_id ${msgId}` : ''}) was made by an earlier or concurrent run ` +
		'to followers this run cannot know, or with another message under the same Client Message ID (a manual run, an overlapping execution, an older copy of the node\'s memory): ' +
		'they may or may not have it, and are not sent it again'
	);
}

// ---- Output ----------------------------------------------------------------------------------------

/** The message a send delivers, as its output items name it: WeChat's msgtype and media or card ID. */
function messageFields(body: MessageBody): IDataObject {
	const fields: IDataObject = { msgtype: body.msgtype };
	const media = body.mpnews ?? body.voice ?? body.mpvideo;
	if (media !== undefined) fields.media_id = media.media_id;
	if (body.images !== undefined) fields.media_ids = body.images.media_ids;
	if (body.wxcard !== undefined) fields.card_id = body.wxcard.card_id;
	return fields;
}

/**
 * The output of one send: an item per call (paired with the items whose followers it carried), one
 * per group of followers not sent to, errors as items with Continue On Fail, and hints in n8n's output
 * pane. If Already Sent: Fail the Item makes a send of which nothing went out now, because earlier
 * runs had made it, an error; every other outcome is kept beside it.
 */
class SendReport {
	private readonly items: INodeExecutionData[] = [];
	private readonly outcomes: CallOutcome[] = [];
	private notSentCount = 0;
	private batch = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly send: ItemSend,
		/** Every input item of the send, asked for only when one error item stands for the whole send. */
		private readonly allItems: () => number[],
		private readonly batchCount: number,
	) {}

	private keyFields(clientmsgid: string): IDataObject {
		// Version 4 on: clientMsgId is the key the user gave ('' when derived); version 1 to 3 gave there what WeChat got.
		return { clientMsgId: this.ctx.getNode().typeVersion >= 4 ? this.send.settings.clientMsgId : clientmsgid, clientmsgid };
	}

	call(outcome: CallOutcome, fields: IDataObject, sourceItems: number[]): void {
		this.outcomes.push(outcome);
		const counters = this.batchCount > 1 || fields.recipientCount !== undefined ? { batch: ++this.batch, batchCount: this.batchCount } : {};
		const pairedItem = sourceItems.map((item) => ({ item }));
		if (outcome.kind === 'failed') {
			if (!this.ctx.continueOnFail()) throw outcome.error;
			const failed = errorItem(outcome.error, sourceItems);
			const count = fields.recipientCount;
			failed.json = { ...failed.json, sent: false, ...(outcome.unconfirmed ? { mayHaveGoneOut: true } : {}), ...(typeof count === 'number' ? { notSentCount: count } : {}), ...counters };
			this.items.push(failed);
			return;
		}
		const json: IDataObject = { ...outcome.result };
		if (outcome.kind === 'sent') Object.assign(json, { sent: true, duplicate: false }, outcome.confirmedBy ? { confirmedBy: outcome.confirmedBy } : {}, outcome.sentInEarlierTry ? { sentInEarlierTry: true } : {});
		else if (outcome.kind === 'alreadySent') Object.assign(json, { sent: false, duplicate: true }, outcome.remembered ? { remembered: true } : {});
		else if (outcome.kind === 'recipientsUnknown') Object.assign(json, { sent: false, duplicate: true });
		else Object.assign(json, { sent: false, duplicate: false, awaitingConfirmation: true });
		this.items.push({ json: { ...json, ...fields, ...counters, ...this.keyFields(outcome.clientmsgid) }, pairedItem });
		if (outcome.kind === 'awaitingConfirmation') {
			addOutputHint(
				this.ctx,
				`Item ${this.send.itemIndex + 1}: not sent yet. WeChat holds this send until an administrator of the account confirms it in WeChat ` +
					'(API mass-send protection, 群发保护); if nobody confirms within 30 minutes, or it is rejected, it is not sent. ' +
					'The protection is switched off in the Official Accounts Platform under Settings > Security Center > Risk Operation Protection (设置 > 安全中心 > 风险操作保护).',
			);
		}
		if (outcome.kind === 'recipientsUnknown') {
			addOutputHint(
				this.ctx,
				`Item ${this.send.itemIndex + 1}: nothing was sent now. WeChat already has a send with this Client Message ID (msg_id ${outcome.result.msg_id ?? 'unknown'}) ` +
					'from an earlier or concurrent run, which may be another message or went to other followers.',
			);
		}
	}

	notSent(openIds: string[], sourceItems: number[], reason: string, msgId?: number): void {
		if (openIds.length === 0) return;
		this.notSentCount += openIds.length;
		const shown = openIds.length <= 100 ? { notSentOpenIds: openIds } : {};
		this.items.push({
			json: { sent: false, duplicate: false, notSentCount: openIds.length, notSentReason: reason, ...(msgId !== undefined ? { msg_id: msgId } : {}), ...shown },
			pairedItem: sourceItems.map((item) => ({ item })),
		});
		addOutputHint(this.ctx, `Item ${this.send.itemIndex + 1}: ${openIds.length} ${openIds.length === 1 ? 'follower was' : 'followers were'} not sent to: ${reason}.`);
	}

	finish(): INodeExecutionData[] {
		const repeats = this.outcomes.filter((outcome) => outcome.kind === 'alreadySent');
		if (repeats.length === 0) return this.items;
		const msgIds = repeats.map((outcome) => outcome.result.msg_id ?? 'unknown').join(', ');
		const why = repeatReason(this.send.settings, msgIds);
		const allRepeats = repeats.length === this.outcomes.length && this.notSentCount === 0;
		if (allRepeats && this.send.settings.onRepeat === 'fail') {
			const message = 'WeChat already has this send from an earlier run: nothing was sent now';
			const error = new NodeApiError(this.ctx.getNode(), { message, errcode: 45065, msg_id: msgIds } as JsonObject, { message, description: why, itemIndex: this.send.itemIndex });
			if (!this.ctx.continueOnFail()) throw error;
			return [errorItem(error, this.allItems())];
		}
		const part = allRepeats ? 'nothing was sent now' : `${repeats.length} of its ${this.outcomes.length} calls were not made again`;
		addOutputHint(this.ctx, `Item ${this.send.itemIndex + 1}: ${part}. ${why}`);
		return this.items;
	}
}

function repeatReason(settings: SendSettings, msgIds: string): string {
	const original = `WeChat already accepted this send (msg_id ${msgIds}) in an earlier run within the last 24 hours, and its followers have it`;
	if (settings.clientMsgId !== '') return `${original}: it had the same Client Message ID "${settings.clientMsgId}".`;
	return settings.repeatRule === 'oncePerDay'
		? `${original}: the same message to the same followers from this node today (China time). It goes out again tomorrow.`
		: `${original}: the same message to the same followers from this node.`;
}
