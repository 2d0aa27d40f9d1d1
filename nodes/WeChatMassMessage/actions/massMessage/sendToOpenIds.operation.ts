import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EventLoopPacer } from '../../helpers/eventLoop';
import { asNodeError, checkEachItem, errorItem } from '../../helpers/items';
import { buildSendToOpenIdsBody } from '../../helpers/payloads';
import { MAX_OPENIDS_PER_SEND, MIN_OPENIDS_PER_SEND } from '../../helpers/recipients';
import { inputError, readOpenIds } from '../../helpers/validation';
import { MassSendPacer } from '../../transport/exactlyOnceSend';
import { massSendQuotaNotice, messageContentFields, readMessageContent, readSendSettings, sendOptionsField } from './messageContent';
import { type OpenIdSend, checkClientMsgId, groupIntoSends, sendDayOf, sendKeyOf, sendToOpenIdsOnce } from './send';

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

/** The message and options of item `itemIndex` as a send to `recipients`. */
function prepareSend(this: IExecuteFunctions, itemIndex: number, recipients: Map<string, number>, day: string): OpenIdSend {
	const settings = readSendSettings.call(this, itemIndex);
	checkClientMsgId.call(this, settings, itemIndex);
	const template = buildSendToOpenIdsBody([], readMessageContent.call(this, itemIndex), { send_ignore_reprint: settings.allowReprint ? 1 : 0, clientmsgid: '' });
	const content = { ...template, touser: undefined, clientmsgid: undefined };
	const message = JSON.stringify(content);
	return { itemIndex, itemIndexes: [itemIndex], settings, day, template, recipients, key: sendKeyOf.call(this, settings, content, day), what: message, message };
}

async function prepareCombined(this: IExecuteFunctions, items: INodeExecutionData[], day: string, pacer: EventLoopPacer): Promise<OpenIdSend> {
	const firstItemOf = new Map<string, number>();
	// One item per OpenID is the usual input (a sheet column): for a large audience, let n8n breathe.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		for (const openId of readOpenIds.call(this, itemIndex, false)) {
			if (!firstItemOf.has(openId)) firstItemOf.set(openId, itemIndex);
		}
		if (pacer.due()) await pacer.pause();
	}
	checkRecipientCount.call(this, firstItemOf.size, 0);
	return { ...prepareSend.call(this, 0, firstItemOf, day), itemIndexes: items.map((_, index) => index) };
}

function preparePerItem(this: IExecuteFunctions, itemIndex: number, day: string): OpenIdSend {
	const openIds = readOpenIds.call(this, itemIndex, false);
	checkRecipientCount.call(this, openIds.length, itemIndex);
	return prepareSend.call(this, itemIndex, new Map(openIds.map((openId) => [openId, itemIndex])), day);
}

/** How many of a later item's followers an earlier send of the same message reaches. */
function bothReach(earlier: OpenIdSend, later: OpenIdSend): string | undefined {
	let both = 0;
	for (const openId of later.recipients.keys()) if (earlier.recipients.has(openId)) both++;
	return both === 0 ? undefined : `${both} ${both === 1 ? 'follower' : 'followers'} on both lists`;
}

/** Items of One Send per Item with the same key and message are one send to all their OpenIDs. */
function takeRecipients(into: OpenIdSend, later: OpenIdSend): void {
	for (const [openId, item] of later.recipients) if (!into.recipients.has(openId)) into.recipients.set(openId, item);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('mode', 0) as string;
	const day = sendDayOf(this);
	const pacer = new MassSendPacer();
	const eventLoop = new EventLoopPacer();
	if (mode === 'combined') {
		let send: OpenIdSend;
		try {
			send = await prepareCombined.call(this, items, day, eventLoop);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, 0);
			return [errorItem(error, items.map((_, index) => index))];
		}
		return await sendToOpenIdsOnce(this, send, pacer, eventLoop);
	}

	const prepared = groupIntoSends<OpenIdSend>(this, await checkEachItem(this, items, (itemIndex) => preparePerItem.call(this, itemIndex, day)), bothReach, takeRecipients);
	const output: INodeExecutionData[] = [];
	for (const entry of prepared) {
		if ('error' in entry) output.push(errorItem(entry.error, [entry.itemIndex]));
		else output.push(...(await sendToOpenIdsOnce(this, entry.checked, pacer, eventLoop)));
	}
	return output;
}
