import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { EventLoopPacer } from '../../helpers/eventLoop';
import { asNodeError, errorItem, prepareEachItem } from '../../helpers/items';
import { buildSendToOpenIdsBody } from '../../helpers/payloads';
import { MAX_OPENIDS_PER_SEND, invalidOpenIds, parseOpenIdList, splitEvenly } from '../../helpers/recipients';
import type { MessageContent } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { messageContentFields, readMessageContent, readSendSettings, sendOptionsField, type SendSettings } from './messageContent';
import { checkClientMsgId, checkClientMsgIdsDistinct, clientMsgIdFor, confirmSend } from './send';

const OPERATION = 'sendToOpenIds';
const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['massMessage'], operation: [OPERATION], ...extra } });

export const description: INodeProperties[] = [
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
		placeholder: '={{ $json.openid }}',
		description:
			'Follower OpenIDs (28 characters each) for this item: one, an array, or a list separated by commas or new lines. More than 10,000 are split into several sends; WeChat needs at least 2 per send.',
	},
	...messageContentFields([OPERATION]),
	sendOptionsField([OPERATION]),
];

interface Batch {
	/** Items whose OpenIDs this send carries: the output item pairs with them. */
	sourceItems: number[];
	openIds: string[];
}

interface PreparedSend {
	itemIndex: number;
	content: MessageContent;
	settings: SendSettings;
	batches: Batch[];
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
	if (count === 1) {
		throw inputError.call(this, itemIndex, 'OpenIDs', 'WeChat sends a mass message to at least 2 OpenIDs; to message one person, use the Preview operation');
	}
}

function prepareSettings(this: IExecuteFunctions, itemIndex: number): { content: MessageContent; settings: SendSettings } {
	const content = readMessageContent.call(this, itemIndex);
	const settings = readSendSettings.call(this, itemIndex);
	checkClientMsgId.call(this, settings, itemIndex);
	return { content, settings };
}

async function prepareCombined(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<PreparedSend> {
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
	const batches: Batch[] = [];
	for (const openIds of splitEvenly([...firstItemOf.keys()])) {
		batches.push({ openIds, sourceItems: [...new Set(openIds.map((openId) => firstItemOf.get(openId)!))] });
		if (pacer.due(openIds.length)) await pacer.pause();
	}
	return { itemIndex: 0, batches, ...prepareSettings.call(this, 0) };
}

function preparePerItem(this: IExecuteFunctions, itemIndex: number): PreparedSend {
	const openIds = readOpenIds.call(this, itemIndex);
	checkRecipientCount.call(this, openIds.length, itemIndex);
	const batches = splitEvenly(openIds, MAX_OPENIDS_PER_SEND).map((chunk) => ({ openIds: chunk, sourceItems: [itemIndex] }));
	return { itemIndex, batches, ...prepareSettings.call(this, itemIndex) };
}

async function sendBatches(this: IExecuteFunctions, send: PreparedSend): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const batchCount = send.batches.length;
	for (const [batchIndex, batch] of send.batches.entries()) {
		const body = buildSendToOpenIdsBody(batch.openIds, send.content, { send_ignore_reprint: send.settings.allowReprint ? 1 : 0, clientmsgid: '' });
		body.clientmsgid = clientMsgIdFor.call(this, send.settings, body, batchIndex);
		const pairedItem = batch.sourceItems.map((item) => ({ item }));
		try {
			const json = await confirmSend.call(this, '/cgi-bin/message/mass/send', body, send.settings, send.itemIndex);
			output.push({ json: { ...json, recipientCount: batch.openIds.length, batch: batchIndex + 1, batchCount }, pairedItem });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, send.itemIndex);
			output.push(errorItem(error, batch.sourceItems));
		}
	}
	return output;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('mode', 0) as string;
	if (mode === 'combined') {
		let send: PreparedSend;
		try {
			send = await prepareCombined.call(this, items);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, 0);
			return [errorItem(error, items.map((_, index) => index))];
		}
		return await sendBatches.call(this, send);
	}

	const prepared = prepareEachItem(this, items, (itemIndex) => preparePerItem.call(this, itemIndex));
	// Derived ids differ unless message and recipients are identical, which WeChat then resolves itself (45065).
	checkClientMsgIdsDistinct.call(
		this,
		prepared.flatMap((entry) =>
			'settings' in entry && entry.settings.clientMsgId !== '' ? [{ itemIndex: entry.itemIndex, clientMsgId: entry.settings.clientMsgId, userKey: true }] : [],
		),
	);
	const output: INodeExecutionData[] = [];
	for (const entry of prepared) {
		if ('error' in entry) output.push(errorItem(entry.error, [entry.itemIndex]));
		else output.push(...(await sendBatches.call(this, entry)));
	}
	return output;
}
