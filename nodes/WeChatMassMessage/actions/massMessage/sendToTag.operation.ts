import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkAgainst, checkEachItem, errorItem } from '../../helpers/items';
import { buildSendAllBody } from '../../helpers/payloads';
import type { Tag } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { MassSendPacer } from '../../transport/exactlyOnceSend';
import { tagLocator } from '../common.descriptions';
import { readAccountTags, requireTag } from '../tag/tagFields';
import { FROM_VERSION_2, ONLY_VERSION_1, fieldLabel, readLocatorValue } from '../versions';
import { massSendQuotaNotice, messageContentFields, readMessageContent, readSendSettings, sendOptionsField } from './messageContent';
import { type TagSend, checkClientMsgId, groupIntoSends, sendDayOf, sendKeyOf, sendToTagOnce } from './send';

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
			throw inputError.call(this, itemIndex, tagFieldLabel(this), raw === '' ? 'choose a tag, or set Send To to All Followers' : `"${raw}" is not a tag ID`);
		}
		target = { toAll: false, tagId };
	}
	const content = readMessageContent.call(this, itemIndex);
	const settings = readSendSettings.call(this, itemIndex);
	checkClientMsgId.call(this, settings, itemIndex);
	const body = buildSendAllBody(target, content, { send_ignore_reprint: settings.allowReprint ? 1 : 0, clientmsgid: '' });
	body.clientmsgid = sendKeyOf.call(this, settings, body, day);
	const { filter, clientmsgid, ...message } = body;
	return { itemIndex, itemIndexes: [itemIndex], settings, day, body, key: clientmsgid, what: JSON.stringify({ filter, ...message }), message: JSON.stringify(message) };
}

function tagFieldLabel(ctx: IExecuteFunctions): string {
	return fieldLabel(ctx, { version1: 'Tag Name or ID', latest: 'Tag' });
}

/** Whom two sends of the same message both reach: everyone when either goes to all followers, a tag's followers when both go to it. */
function bothReach(earlier: TagSend, later: TagSend): string | undefined {
	const [a, b] = [earlier.body.filter, later.body.filter];
	if (a.is_to_all || b.is_to_all) return a.is_to_all && b.is_to_all ? 'all followers' : `the followers of tag ${a.is_to_all ? (b as { tag_id: number }).tag_id : a.tag_id}`;
	return a.tag_id === b.tag_id ? `the followers of tag ${a.tag_id}` : undefined;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const day = sendDayOf(this);
	const sends = groupIntoSends<TagSend>(this, await checkEachItem(this, items, (itemIndex) => prepare.call(this, itemIndex, day)), bothReach, () => undefined);
	const toTags = sends.some((entry) => !('error' in entry) && entry.checked.body.filter.is_to_all === false);
	const tags = toTags ? await readAccountTags(this) : new Map<number, Tag>();
	const ready = checkAgainst(this, sends, (send, itemIndex) => {
		if (send.body.filter.is_to_all === false) send.tagName = requireTag(this, tags, send.body.filter.tag_id, itemIndex, tagFieldLabel(this)).name;
	});
	const pacer = new MassSendPacer();
	const output: INodeExecutionData[] = [];
	for (const entry of ready) {
		if ('error' in entry) output.push(errorItem(entry.error, [entry.itemIndex]));
		else output.push(...(await sendToTagOnce(this, entry.checked, pacer)));
	}
	return output;
}
