import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EventLoopPacer } from '../../helpers/eventLoop';
import { asNodeError, errorItem, prepareEachItem } from '../../helpers/items';
import { buildSendToOpenIdsBody } from '../../helpers/payloads';
import { MAX_OPENIDS_PER_SEND, MIN_OPENIDS_PER_SEND, invalidOpenIds, parseOpenIdList } from '../../helpers/recipients';
import type { MessageContent, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { MassSendPacer } from '../../transport/exactlyOnceSend';
import { massSendQuotaNotice, messageContentFields, readMessageContent, readSendSettings, sendOptionsField, type SendSettings } from './messageContent';
import { type KeyedSend, checkClientMsgId, chinaDay, clientMsgIdFor, confirmSend, planBatches, planBatchesPaced, refuseRepeatsInRun } from './send';

const OPERATION = 'sendToOpenIds';
const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['massMessage'], operation: [OPERATION], ...extra } });

export const description: INodeProperties[] = [
	massSendQuotaNotice([OPERATION]),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'combined',
		displayOptions: show(),
		options: [
			{
				name: 'One Send for All Items',
				value: 'combined',
				description:
					'Collect the OpenIDs of every input item (e.g. one column of a sheet), remove duplicates, and send once. Message and options come from the first item.',
			},
			{
				name: 'One Send per Item',
				value: 'perItem',
				description: 'Each item carries its own OpenID list and message',
			},
		],
	},
	{
		displayName: 'OpenIDs',
		name: 'openIds',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(),
		placeholder: 'e.g. o6_bmjrPTlm6_2sgVt7hMZOPfL2M, o6_bmasdasdsad6_2sgVt7hMZOPf',
		description:
			'Follower OpenIDs (28 characters each) for this item: one, an array, or a list separated by commas or new lines. To send to a column of the input, drag it here.',
		hint: `At least ${MIN_OPENIDS_PER_SEND} and at most ${MAX_OPENIDS_PER_SEND.toLocaleString('en-US')} per send: longer lists are split into several sends`,
	},
	...messageContentFields([OPERATION]),
	sendOptionsField([OPERATION]),
];

/** One call to WeChat: a batch of at most 10,000 OpenIDs, paired in the output with the items they came from. */
interface Call {
	body: SendToOpenIdsRequest;
	sourceItems: number[];
}

interface PreparedSend extends KeyedSend {
	settings: SendSettings;
	calls: Call[];
}

function readOpenIds(this: IExecuteFunctions, itemIndex: number): string[] {
	const openIds = parseOpenIdList(this.getNodeParameter('openIds', itemIndex, '') as unknown);
	const invalid = invalidOpenIds(openIds);
	if (invalid.length > 0) {
		const shown = invalid.slice(0, 3).map((openId) => JSON.stringify(openId)).join(', ');
		const more = invalid.length > 3 ? ` and ${invalid.length - 3} more` : '';
		throw inputError.call(this, itemIndex, 'OpenIDs', `${shown}${more} ${invalid.length === 1 ? 'is not an OpenID' : 'are not OpenIDs'} (28 letters, digits, - or _)`);
	}
	return openIds;
}

function checkRecipientCount(this: IExecuteFunctions, count: number, itemIndex: number): void {
	if (count === 0) throw inputError.call(this, itemIndex, 'OpenIDs', 'no OpenID given');
	if (count < MIN_OPENIDS_PER_SEND) {
		throw inputError.call(
			this,
			itemIndex,
			'OpenIDs',
			`WeChat sends a mass message to at least ${MIN_OPENIDS_PER_SEND} OpenIDs; to message one person, use the Preview operation`,
		);
	}
}

/** The message and options of item `itemIndex`, and how one batch of recipients becomes a keyed call. */
function callMaker(this: IExecuteFunctions, itemIndex: number, day: string) {
	const content: MessageContent = readMessageContent.call(this, itemIndex);
	const settings = readSendSettings.call(this, itemIndex);
	checkClientMsgId.call(this, settings, itemIndex);
	const makeCall = (openIds: string[], sourceItems: number[], batchIndex: number): Call => {
		const body = buildSendToOpenIdsBody(openIds, content, { send_ignore_reprint: settings.allowReprint ? 1 : 0, clientmsgid: '' });
		body.clientmsgid = clientMsgIdFor.call(this, settings, body, batchIndex, day);
		return { body, sourceItems };
	};
	const prepared = (calls: Call[]): PreparedSend => ({
		itemIndex,
		settings,
		calls,
		clientMsgIds: calls.map((call) => call.body.clientmsgid),
		userKey: settings.clientMsgId !== '',
	});
	return { makeCall, prepared };
}

async function prepareCombined(this: IExecuteFunctions, items: INodeExecutionData[], day: string): Promise<PreparedSend> {
	const firstItemOf = new Map<string, number>();
	// One item per OpenID is the usual input (a sheet column): for a large audience, let n8n breathe.
	const pacer = new EventLoopPacer();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		for (const openId of readOpenIds.call(this, itemIndex)) {
			if (!firstItemOf.has(openId)) firstItemOf.set(openId, itemIndex);
		}
		if (pacer.due()) await pacer.pause();
	}
	checkRecipientCount.call(this, firstItemOf.size, 0);
	const { makeCall, prepared } = callMaker.call(this, 0, day);
	const calls: Call[] = [];
	for (const [batchIndex, openIds] of (await planBatchesPaced(firstItemOf.keys(), pacer)).entries()) {
		const sourceItems = [...new Set(openIds.map((openId) => firstItemOf.get(openId)!))].sort((a, b) => a - b);
		// Deriving a key hashes the whole call (10,000 OpenIDs): one call per stretch of work at most.
		calls.push(makeCall(openIds, sourceItems, batchIndex));
		if (pacer.due(openIds.length)) await pacer.pause();
	}
	return prepared(calls);
}

function preparePerItem(this: IExecuteFunctions, itemIndex: number, day: string): PreparedSend {
	const openIds = readOpenIds.call(this, itemIndex);
	checkRecipientCount.call(this, openIds.length, itemIndex);
	const { makeCall, prepared } = callMaker.call(this, itemIndex, day);
	return prepared(planBatches(openIds).map((chunk, batchIndex) => makeCall(chunk, [itemIndex], batchIndex)));
}

async function sendCalls(this: IExecuteFunctions, send: PreparedSend, pacer: MassSendPacer): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const batchCount = send.calls.length;
	for (const [batchIndex, { body, sourceItems }] of send.calls.entries()) {
		const pairedItem = sourceItems.map((item) => ({ item }));
		try {
			const json = await confirmSend.call(this, '/cgi-bin/message/mass/send', body, send.settings, pacer, send.itemIndex);
			output.push({ json: { ...json, recipientCount: body.touser.length, batch: batchIndex + 1, batchCount }, pairedItem });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, send.itemIndex);
			output.push(errorItem(error, sourceItems));
		}
	}
	return output;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('mode', 0) as string;
	// One day for the whole run, even one that goes past midnight.
	const day = chinaDay(Date.now());
	const pacer = new MassSendPacer();
	if (mode === 'combined') {
		let send: PreparedSend;
		try {
			send = await prepareCombined.call(this, items, day);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, 0);
			return [errorItem(error, items.map((_, index) => index))];
		}
		return await sendCalls.call(this, send, pacer);
	}

	const prepared = refuseRepeatsInRun<PreparedSend>(this, prepareEachItem(this, items, (itemIndex) => preparePerItem.call(this, itemIndex, day)));
	const output: INodeExecutionData[] = [];
	for (const entry of prepared) {
		if ('error' in entry) output.push(errorItem(entry.error, [entry.itemIndex]));
		else output.push(...(await sendCalls.call(this, entry, pacer)));
	}
	return output;
}
