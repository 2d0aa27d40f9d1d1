import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError, errorItem, prepareEachItem } from '../../helpers/items';
import { buildSendAllBody } from '../../helpers/payloads';
import { inputError } from '../../helpers/validation';
import { MassSendPacer } from '../../transport/exactlyOnceSend';
import { tagLocator } from '../common.descriptions';
import { FROM_VERSION_2, ONLY_VERSION_1, fieldLabel, readLocatorValue } from '../versions';
import { massSendQuotaNotice, messageContentFields, readMessageContent, readSendSettings, sendOptionsField } from './messageContent';
import { type TagSend, checkClientMsgId, refuseRepeatsInRun, sendDayOf, sendKeyOf, sendToTagOnce } from './send';

const OPERATION = 'sendToTag';
const TAG_HINT = 'Reaches the followers who carry the tag when the send runs; Tag > Get Many shows how many do';

export const description: INodeProperties[] = [
	massSendQuotaNotice([OPERATION]),
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		default: 'tag',
		displayOptions: { show: { resource: ['massMessage'], operation: [OPERATION] } },
		options: [
			{ name: 'Followers With a Tag', value: 'tag', description: 'Only followers who carry one tag' },
			{ name: 'All Followers', value: 'all', description: 'Everyone who follows the account' },
		],
	},
	{
		displayName: 'With API mass-send protection (群发保护) on, an admin confirms a send to all followers in WeChat within 30 minutes, or it fails',
		name: 'allFollowersNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['massMessage'], operation: [OPERATION], sendTo: ['all'] } },
	},
	{
		displayName: 'Tag Name or ID',
		name: 'tagId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTags' },
		default: '',
		required: true,
		displayOptions: { show: { resource: ['massMessage'], operation: [OPERATION], sendTo: ['tag'], ...ONLY_VERSION_1 } },
		description:
			'The follower tag to send to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		hint: TAG_HINT,
	},
	tagLocator({
		displayName: 'Tag',
		name: 'tagId',
		displayOptions: { show: { resource: ['massMessage'], operation: [OPERATION], sendTo: ['tag'], ...FROM_VERSION_2 } },
		description: 'The follower tag to send to: pick it from the account\'s tags, or give its ID',
		hint: TAG_HINT,
	}),
	...messageContentFields([OPERATION]),
	sendOptionsField([OPERATION]),
];

function prepare(this: IExecuteFunctions, itemIndex: number, day: string): TagSend {
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as string;
	let target: { toAll: true } | { toAll: false; tagId: number } = { toAll: true };
	if (sendTo === 'tag') {
		const raw = readLocatorValue(this.getNodeParameter('tagId', itemIndex, '', { extractValue: true }));
		const tagId = /^\d+$/.test(raw) ? Number(raw) : NaN;
		if (!Number.isSafeInteger(tagId)) {
			const field = fieldLabel(this, { version1: 'Tag Name or ID', latest: 'Tag' });
			throw inputError.call(this, itemIndex, field, raw === '' ? 'choose a tag, or set Send To to All Followers' : `"${raw}" is not a tag ID`);
		}
		target = { toAll: false, tagId };
	}
	const content = readMessageContent.call(this, itemIndex);
	const settings = readSendSettings.call(this, itemIndex);
	checkClientMsgId.call(this, settings, itemIndex);
	const body = buildSendAllBody(target, content, { send_ignore_reprint: settings.allowReprint ? 1 : 0, clientmsgid: '' });
	body.clientmsgid = sendKeyOf.call(this, settings, body, day);
	return { itemIndex, settings, day, body, key: body.clientmsgid, message: JSON.stringify({ ...body, clientmsgid: undefined }), userKey: settings.clientMsgId !== '' };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const day = sendDayOf(this);
	const prepared = refuseRepeatsInRun<TagSend>(this, prepareEachItem(this, items, (itemIndex) => prepare.call(this, itemIndex, day)), false);
	const pacer = new MassSendPacer();
	const output: INodeExecutionData[] = [];
	for (const entry of prepared) {
		if ('error' in entry) {
			output.push(errorItem(entry.error, [entry.itemIndex]));
			continue;
		}
		try {
			const json: IDataObject = await sendToTagOnce(this, entry, pacer);
			output.push({ json, pairedItem: { item: entry.itemIndex } });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, entry.itemIndex);
			output.push(errorItem(error, [entry.itemIndex]));
		}
	}
	return output;
}
