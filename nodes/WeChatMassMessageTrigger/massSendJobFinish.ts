// Turns a callback's XML into the trigger's output: typed fields for MASSSENDJOBFINISH, the
// common header fields for anything else, and always the raw fields.

import { childText, findChild, findChildren, toJson } from './callbackXml';
import { isoTime, optionalNumber, optionalText } from './eventFields';
import type {
	ArticleUrl,
	CallbackEventOutput,
	CopyrightCheck,
	CopyrightCheckArticle,
	MassSendJobFinishOutput,
	XmlElement,
} from './types';

export const MASS_SEND_JOB_FINISH = 'MASSSENDJOBFINISH';

/** The N of a `Status` of `err(N)`: why WeChat stopped the send. */
export const MASS_SEND_ERROR_REASONS: Readonly<Record<number, string>> = {
	10001: 'advertising suspected',
	20001: 'political content suspected',
	20002: 'pornography suspected',
	20004: 'socially harmful content suspected',
	20006: 'criminal content suspected',
	20008: 'fraud suspected',
	20013: 'copyright infringement suspected',
	21000: 'other policy violation suspected',
	22000: 'mutual promotion suspected',
	30001: 'originality check failed with a system error, and the send was set not to go out if judged a reprint',
	30002: 'originality check ruled that the message may not be sent',
	30003: 'originality check judged it a reprint, and the send was set not to go out if judged a reprint',
	40001: 'an administrator rejected the send',
	40002: 'no administrator confirmed the send within 30 minutes',
};

export const COPYRIGHT_CHECK_STATES: Readonly<Record<number, string>> = {
	1: 'not judged a reprint: sent',
	2: 'judged a reprint: sent',
	3: 'judged a reprint: not sent',
};

/** Whether the callback is a mass-send-finished event (WeChat spells it in capitals; case is not relied on). */
export function isMassSendJobFinish(message: XmlElement): boolean {
	return (
		(childText(message, 'MsgType') ?? '').trim().toLowerCase() === 'event' &&
		(childText(message, 'Event') ?? '').trim().toUpperCase() === MASS_SEND_JOB_FINISH
	);
}

function optionalFlag(element: XmlElement | undefined, name: string): boolean | null {
	const number = optionalNumber(element, name);
	return number === null ? null : number !== 0;
}

type ParsedStatus = Pick<MassSendJobFinishOutput, 'status' | 'errorCode' | 'errorReason'>;

export function parseMassSendStatus(statusText: string): ParsedStatus {
	const normalized = statusText.replace(/\s+/g, '').toLowerCase();
	if (normalized === 'sendsuccess') return { status: 'success', errorCode: null, errorReason: null };
	if (normalized === 'sendfail') return { status: 'fail', errorCode: null, errorReason: null };
	const errorCode = /^err\((\d{1,9})\)$/.exec(normalized);
	if (errorCode !== null) {
		const code = Number(errorCode[1]);
		return { status: 'error', errorCode: code, errorReason: MASS_SEND_ERROR_REASONS[code] ?? 'an error code WeChat does not document' };
	}
	return { status: 'error', errorCode: null, errorReason: statusText.trim() === '' ? 'no status reported' : 'unrecognized status' };
}

/** The `item`s of a block's ResultList (one or many; none when the block or the list is missing or empty). */
function resultItems(block: XmlElement | undefined): XmlElement[] {
	const list = block === undefined ? undefined : findChild(block, 'ResultList');
	return list === undefined ? [] : findChildren(list, 'item');
}

function copyrightCheck(message: XmlElement): CopyrightCheck | null {
	const block = findChild(message, 'CopyrightCheckResult');
	if (block === undefined) return null;
	const checkState = optionalNumber(block, 'CheckState');
	const articles = resultItems(block).map(
		(item): CopyrightCheckArticle => ({
			articleIdx: optionalNumber(item, 'ArticleIdx'),
			userDeclareState: optionalNumber(item, 'UserDeclareState'),
			auditState: optionalNumber(item, 'AuditState'),
			originalArticleUrl: optionalText(item, 'OriginalArticleUrl'),
			originalArticleType: optionalNumber(item, 'OriginalArticleType'),
			canReprint: optionalFlag(item, 'CanReprint'),
			needReplaceContent: optionalFlag(item, 'NeedReplaceContent'),
			needShowReprintSource: optionalFlag(item, 'NeedShowReprintSource'),
		}),
	);
	return {
		checkState,
		checkStateMeaning: checkState === null ? null : (COPYRIGHT_CHECK_STATES[checkState] ?? 'a state WeChat does not document'),
		count: optionalNumber(block, 'Count'),
		articles,
	};
}

function articleUrls(message: XmlElement): ArticleUrl[] {
	return resultItems(findChild(message, 'ArticleUrlResult')).flatMap((item): ArticleUrl[] => {
		const url = optionalText(item, 'ArticleUrl');
		return url === null ? [] : [{ articleIdx: optionalNumber(item, 'ArticleIdx'), url }];
	});
}

export function toMassSendJobFinishOutput(message: XmlElement): MassSendJobFinishOutput {
	const statusText = childText(message, 'Status') ?? '';
	return {
		event: MASS_SEND_JOB_FINISH,
		msgId: optionalText(message, 'MsgID') ?? optionalText(message, 'MsgId'),
		statusText,
		...parseMassSendStatus(statusText),
		totalCount: optionalNumber(message, 'TotalCount'),
		filterCount: optionalNumber(message, 'FilterCount'),
		sentCount: optionalNumber(message, 'SentCount'),
		errorCount: optionalNumber(message, 'ErrorCount'),
		copyrightCheck: copyrightCheck(message),
		articleUrls: articleUrls(message),
		account: optionalText(message, 'ToUserName'),
		fromUserName: optionalText(message, 'FromUserName'),
		time: isoTime(message),
		raw: toJson(message),
	};
}

export function toCallbackEventOutput(message: XmlElement): CallbackEventOutput {
	return {
		msgType: optionalText(message, 'MsgType'),
		event: optionalText(message, 'Event'),
		account: optionalText(message, 'ToUserName'),
		fromUserName: optionalText(message, 'FromUserName'),
		time: isoTime(message),
		raw: toJson(message),
	};
}
