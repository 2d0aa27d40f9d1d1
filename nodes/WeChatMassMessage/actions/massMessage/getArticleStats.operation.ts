import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { chinaDay } from '../../helpers/chinaTime';
import { addOutputHint, forEachItem } from '../../helpers/items';
import type { ArticleDayResponse, DatacubeRangeRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

const show = { resource: ['massMessage'], operation: ['getArticleStats'] };
/** The longest range read in one run: two calls a day (reads, shares). */
export const MAX_STATS_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Message Data ID',
		name: 'msgDataId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2247483651',
		description: 'The msg_data_id an article send (Send to Tag or All, Send to OpenIDs) or Draft > Publish returned',
		displayOptions: { show },
	},
	{
		// Text, not n8n's date-and-time picker, which marks the browser's today while WeChat's day is China's.
		// Workflows saved with the picker keep working: its value starts with the date.
		displayName: 'From Date',
		name: 'fromDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-01',
		description: 'The first day to read, as a date in China time (YYYY-MM-DD). Empty: the same as To Date.',
		displayOptions: { show },
	},
	{
		displayName: 'To Date',
		name: 'toDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-06',
		description: 'The last day to read, as a date in China time (YYYY-MM-DD). Empty: yesterday in China.',
		hint: `At most yesterday (China time): WeChat counts a day once it is over. At most ${MAX_STATS_DAYS} days in one run.`,
		displayOptions: { show },
	},
];

function readDate(this: IExecuteFunctions, itemIndex: number, name: string, label: string, fallback: string): string {
	const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') return fallback;
	// The date as written: n8n's date picker and Luxon's toISO() both start with it, in the zone they were given.
	const date = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
	if (date === undefined || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw inputError.call(this, itemIndex, label, `"${value}" is not a date (YYYY-MM-DD)`);
	return date;
}

function daysFrom(from: string, to: string): string[] {
	const days: string[] = [];
	for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) days.push(new Date(time).toISOString().slice(0, 10));
	return days;
}

/**
 * Reads and shares per article and day for one send or publish, from WeChat's current statistics:
 * datacube/getarticleread (https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getarticleread) and
 * getarticleshare (api_getarticleshare), which replace getarticlesummary and its family ("本接口已停止维护"). Their `msgid`
 * is "<msg_data_id>_<index>". One item per article and day that WeChat reports for it.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number) => {
		const msgDataId = String(this.getNodeParameter('msgDataId', itemIndex, '') ?? '').trim();
		if (!/^\d+$/.test(msgDataId)) throw inputError.call(this, itemIndex, 'Message Data ID', msgDataId === '' ? 'give the msg_data_id of an article send or a publish' : `"${msgDataId}" is not a msg_data_id (digits)`);
		const yesterday = chinaDay(Date.now() - DAY_MS);
		const to = readDate.call(this, itemIndex, 'toDate', 'To Date', yesterday);
		const from = readDate.call(this, itemIndex, 'fromDate', 'From Date', to);
		if (to > yesterday) throw inputError.call(this, itemIndex, 'To Date', `${to} is not over yet in China; WeChat gives figures up to yesterday, ${yesterday}`);
		if (from > to) throw inputError.call(this, itemIndex, 'From Date', `${from} is after To Date (${to})`);
		const days = daysFrom(from, to);
		if (days.length > MAX_STATS_DAYS) throw inputError.call(this, itemIndex, 'From Date', `${from} to ${to} is ${days.length} days; read at most ${MAX_STATS_DAYS} in one run`);
		return { msgDataId, from, to, days };
	};
	return await forEachItem(this, items, check, async ({ msgDataId, from, to, days }, itemIndex) => {
		const output: IDataObject[] = [];
		let delayed = false;
		for (const day of days) {
			const body: DatacubeRangeRequest = { begin_date: day, end_date: day };
			const [reads, shares] = [
				await weChatApiRequest<ArticleDayResponse>(this, { method: 'POST', path: '/datacube/getarticleread', body, idempotent: true }, itemIndex),
				await weChatApiRequest<ArticleDayResponse>(this, { method: 'POST', path: '/datacube/getarticleshare', body, idempotent: true }, itemIndex),
			];
			delayed ||= reads.is_delay === true || shares.is_delay === true;
			const articles = new Map<string, IDataObject>();
			const entry = (msgid: string) => {
				const known = articles.get(msgid) ?? { msgid, msg_data_id: msgDataId, article_index: Number(msgid.slice(msgDataId.length + 1)), ref_date: day };
				articles.set(msgid, known);
				return known;
			};
			for (const read of reads.list ?? []) if (read.msgid.startsWith(`${msgDataId}_`)) entry(read.msgid).read = read.detail;
			for (const share of shares.list ?? []) if (share.msgid.startsWith(`${msgDataId}_`)) entry(share.msgid).share = share.detail;
			const sorted = [...articles.values()].sort((a, b) => (a.article_index as number) - (b.article_index as number));
			for (const json of sorted) output.push({ ...json, is_delay: reads.is_delay === true || shares.is_delay === true });
		}
		if (delayed) addOutputHint(this, `Item ${itemIndex + 1}: WeChat is still counting some days (is_delay): their figures may grow. Run again later for final ones.`);
		if (output.length > 0) return output;
		// An item that says so, so that the workflow goes on and shows which days were read.
		const reason =
			'no figures for these days: nobody read or shared the articles then, or the send or publish came later. ' +
			'WeChat counts a day once it is over in China (figures for today come tomorrow), and may add to a day for a while (is_delay)';
		addOutputHint(this, `Item ${itemIndex + 1}: WeChat has no figures for msg_data_id ${msgDataId} from ${from} to ${to} (China time): ${reason}.`);
		return { msg_data_id: msgDataId, begin_date: from, end_date: to, is_delay: delayed, figures: false, reason };
	});
}
