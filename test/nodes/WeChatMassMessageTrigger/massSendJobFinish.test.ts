import { parseXml } from '../../../nodes/WeChatMassMessageTrigger/callbackXml';
import {
	MASS_SEND_ERROR_REASONS,
	isMassSendJobFinish,
	parseMassSendStatus,
	toCallbackEventOutput,
	toMassSendJobFinishOutput,
} from '../../../nodes/WeChatMassMessageTrigger/massSendJobFinish';
import type { XmlElement } from '../../../nodes/WeChatMassMessageTrigger/types';
import { FINISHED_COPYRIGHT_CHECK, readFixture } from './fixtures';

function message(xml: string): XmlElement {
	const result = parseXml(xml);
	if (!result.ok) throw new Error(result.reason);
	return result.root;
}

function event(fields: string): XmlElement {
	return message(`<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>${fields}</xml>`);
}

describe('a finished mass send', () => {
	const output = toMassSendJobFinishOutput(message(readFixture('finished-with-failures')));

	it('reports the counts as numbers', () => {
		expect(output).toMatchObject({ totalCount: 100000, filterCount: 99200, sentCount: 98000, errorCount: 1200 });
	});

	it('reports the status and no error', () => {
		expect(output).toMatchObject({ status: 'success', statusText: 'send success', errorCode: null, errorReason: null });
	});

	it('keeps the message id as the exact digits', () => {
		expect(output.msgId).toBe('3147483654');
	});

	it('names the account and gives the time as ISO 8601', () => {
		expect(output).toMatchObject({ account: 'gh_3f2a6b8c9d01', fromUserName: 'oSystemMassSendNotifier000000', time: '2025-11-27T12:11:00.000Z' });
	});

	it('gives the originality check with its meaning and one entry per article', () => {
		expect(output.copyrightCheck).toEqual(FINISHED_COPYRIGHT_CHECK);
	});

	it('gives each article URL with its index, entities and CDATA alike', () => {
		expect(output.articleUrls).toEqual([
			{ articleIdx: 1, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=1' },
			{ articleIdx: 2, url: 'https://mp.weixin.qq.com/s?__biz=MzB7&mid=2247483654&idx=2' },
		]);
	});

	it('keeps every raw field, blocks included', () => {
		expect(output.raw).toMatchObject({
			MsgID: '3147483654',
			Status: 'send success',
			CopyrightCheckResult: { Count: '2', CheckState: '2', ResultList: { item: [{ ArticleIdx: '1' }, { ArticleIdx: '2' }] } },
			ArticleUrlResult: { Count: '2' },
		});
	});
});

describe('a mass send stopped by a review', () => {
	const output = toMassSendJobFinishOutput(message(readFixture('blocked-for-copyright')));

	it('reports the error code and its reason', () => {
		expect(output).toMatchObject({ status: 'error', statusText: 'err(20013)', errorCode: 20013, errorReason: 'copyright infringement suspected' });
	});

	it('reads the blocked reprint and an empty URL list', () => {
		expect(output.copyrightCheck).toMatchObject({ checkState: 3, checkStateMeaning: 'judged a reprint: not sent', count: 1 });
		expect(output.copyrightCheck?.articles).toHaveLength(1);
		expect(output.articleUrls).toEqual([]);
	});
});

describe('parseMassSendStatus', () => {
	it.each([
		['send success', { status: 'success', errorCode: null, errorReason: null }],
		['send fail', { status: 'fail', errorCode: null, errorReason: null }],
		[' Send  Fail ', { status: 'fail', errorCode: null, errorReason: null }],
		['err(10001)', { status: 'error', errorCode: 10001, errorReason: 'advertising suspected' }],
		['err(40002)', { status: 'error', errorCode: 40002, errorReason: 'no administrator confirmed the send within 30 minutes' }],
		['err(99999)', { status: 'error', errorCode: 99999, errorReason: 'an error code WeChat does not document' }],
		['sending', { status: 'error', errorCode: null, errorReason: 'unrecognized status' }],
		['', { status: 'error', errorCode: null, errorReason: 'no status reported' }],
	])('reads %j', (statusText, expected) => {
		expect(parseMassSendStatus(statusText)).toEqual(expected);
	});

	it('has a reason for every code WeChat documents', () => {
		const documented = [10001, 20001, 20002, 20004, 20006, 20008, 20013, 21000, 22000, 30001, 30002, 30003, 40001, 40002];
		expect(Object.keys(MASS_SEND_ERROR_REASONS).map(Number).sort()).toEqual(documented);
	});
});

describe('incomplete events', () => {
	it('gives null for missing or empty fields instead of inventing values', () => {
		const output = toMassSendJobFinishOutput(event('<MsgID></MsgID><TotalCount/><SentCount>n/a</SentCount><CreateTime>-5</CreateTime>'));
		expect(output).toMatchObject({
			msgId: null,
			status: 'error',
			errorReason: 'no status reported',
			totalCount: null,
			filterCount: null,
			sentCount: null,
			errorCount: null,
			copyrightCheck: null,
			articleUrls: [],
			account: null,
			time: null,
		});
	});

	it('reads empty and self-closing blocks as no entries', () => {
		const output = toMassSendJobFinishOutput(event('<CopyrightCheckResult></CopyrightCheckResult><ArticleUrlResult/>'));
		expect(output.copyrightCheck).toEqual({ checkState: null, checkStateMeaning: null, count: null, articles: [] });
		expect(output.articleUrls).toEqual([]);
	});

	it('reads a single item like a list of one', () => {
		const output = toMassSendJobFinishOutput(
			event('<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl>https://mp.weixin.qq.com/s/a</ArticleUrl></item></ResultList></ArticleUrlResult>'),
		);
		expect(output.articleUrls).toEqual([{ articleIdx: 1, url: 'https://mp.weixin.qq.com/s/a' }]);
	});

	it('skips article entries without a URL', () => {
		const output = toMassSendJobFinishOutput(
			event('<ArticleUrlResult><ResultList><item><ArticleIdx>1</ArticleIdx></item><item><ArticleIdx>2</ArticleIdx><ArticleUrl>u2</ArticleUrl></item></ResultList></ArticleUrlResult>'),
		);
		expect(output.articleUrls).toEqual([{ articleIdx: 2, url: 'u2' }]);
	});

	it('keeps a message id beyond 2^53 digit for digit', () => {
		expect(toMassSendJobFinishOutput(event('<MsgID>9223372036854775807</MsgID>')).msgId).toBe('9223372036854775807');
	});

	it('marks an undocumented check state as such', () => {
		expect(toMassSendJobFinishOutput(event('<CopyrightCheckResult><CheckState>7</CheckState></CopyrightCheckResult>')).copyrightCheck).toMatchObject({
			checkState: 7,
			checkStateMeaning: 'a state WeChat does not document',
		});
	});
});

describe('recognising the event', () => {
	it('matches MASSSENDJOBFINISH events only', () => {
		expect(isMassSendJobFinish(message(readFixture('finished-with-failures')))).toBe(true);
		expect(isMassSendJobFinish(message(readFixture('subscribe')))).toBe(false);
		expect(isMassSendJobFinish(message('<xml><MsgType>text</MsgType><Event>MASSSENDJOBFINISH</Event></xml>'))).toBe(false);
		expect(isMassSendJobFinish(message('<xml><MsgType>event</MsgType><Event>masssendjobfinish</Event></xml>'))).toBe(true);
	});

	it('describes any other event by its common fields and raw XML', () => {
		expect(toCallbackEventOutput(message(readFixture('subscribe')))).toEqual({
			msgType: 'event',
			event: 'subscribe',
			account: 'gh_3f2a6b8c9d01',
			fromUserName: 'oFollowerOpenId0000000000000',
			time: '2025-11-27T12:03:20.000Z',
			raw: {
				ToUserName: 'gh_3f2a6b8c9d01',
				FromUserName: 'oFollowerOpenId0000000000000',
				CreateTime: '1764245000',
				MsgType: 'event',
				Event: 'subscribe',
			},
		});
	});
});
