// The "what to send" fields shared by Send to Tag, Send to OpenIDs and Preview, and reading them.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { MessageContent, MessageType } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { draftLocator } from '../common.descriptions';
import { FROM_VERSION_2, ONLY_VERSION_1, fieldLabel, readLocatorValue } from '../versions';

const MAX_IMAGES = 8;

export function messageContentFields(operations: string[]): INodeProperties[] {
	const show = (messageType?: MessageType[], version = {}) => ({
		show: { resource: ['massMessage'], operation: operations, ...(messageType ? { messageType } : {}), ...version },
	});
	return [
		{
			displayName: 'Message Type',
			name: 'messageType',
			type: 'options',
			default: 'mpnews',
			displayOptions: show(),
			options: [
				{ name: 'Article (Mpnews)', value: 'mpnews', description: 'A draft from the draft box (草稿箱): Draft > Create' },
				{ name: 'Card (Wxcard)', value: 'wxcard', description: 'A WeChat card or coupon; many accounts can no longer send these (errcode 45113)' },
				{ name: 'Image(s)', value: 'image', description: '1 to 8 images uploaded with Media > Upload Permanent (type Image)' },
				{ name: 'Text', value: 'text', description: 'Plain text; links written as HTML <a> tags are clickable' },
				{ name: 'Video (Mpvideo)', value: 'mpvideo', description: 'A video prepared with Media > Upload Video' },
				{ name: 'Voice', value: 'voice', description: 'A voice clip uploaded with Media > Upload Permanent (type Voice)' },
			],
		},
		{
			displayName: 'Article Media ID',
			name: 'articleMediaId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['mpnews'], ONLY_VERSION_1),
			description: 'The media_id of a draft (Draft > Create), or of legacy Media > Upload Articles',
		},
		draftLocator({
			displayName: 'Article',
			name: 'articleMediaId',
			displayOptions: show(['mpnews'], FROM_VERSION_2),
			description: 'The draft to send: pick it from the draft box (草稿箱), or give the media_id from Draft > Create',
			hint: 'WeChat sends articles only from the draft box (草稿箱): create one with Draft > Create. After a mass send WeChat removes the draft from the draft box.',
		}),
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			displayOptions: show(['text']),
			description: 'The message text',
		},
		{
			displayName: 'Voice Media ID',
			name: 'voiceMediaId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['voice']),
			description: 'The media_id from Media > Upload Permanent with type Voice. WeChat refuses temporary media (Media > Upload) here.',
		},
		{
			displayName: 'Image Media IDs',
			name: 'imageMediaIds',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['image']),
			placeholder: 'MEDIA_ID_1, MEDIA_ID_2',
			description:
				'1 to 8 media_ids from Media > Upload Permanent with type Image, separated by commas or new lines (or an array from an expression). A preview takes exactly one. WeChat refuses temporary media (Media > Upload) here.',
		},
		{
			displayName: 'Recommendation Text',
			name: 'imageRecommendation',
			type: 'string',
			default: '',
			displayOptions: show(['image']),
			description: 'Optional text shown with the images',
		},
		{
			displayName: 'Open Comments',
			name: 'imageOpenComments',
			type: 'boolean',
			default: false,
			displayOptions: show(['image']),
			description: 'Whether readers may comment on the images',
		},
		{
			displayName: 'Only Followers Can Comment',
			name: 'imageOnlyFollowersCanComment',
			type: 'boolean',
			default: false,
			displayOptions: show(['image']),
			description: 'Whether only followers of the account may comment (when comments are open)',
		},
		{
			displayName: 'Video Media ID',
			name: 'videoMediaId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['mpvideo']),
			description: 'The media_id from Media > Upload Video (not the one from Media > Upload Permanent)',
		},
		{
			displayName: 'Card ID',
			name: 'cardId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['wxcard']),
			description: 'The card_id of a WeChat card',
		},
	];
}

/** Reads and checks the message fields of one item; errors name the item and field before anything is sent. */
export function readMessageContent(this: IExecuteFunctions, itemIndex: number, forPreview = false): MessageContent {
	const msgtype = this.getNodeParameter('messageType', itemIndex) as MessageType;
	const required = (name: string, label: string): string => {
		const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		if (value === '') throw inputError.call(this, itemIndex, label, 'is required');
		return value;
	};
	switch (msgtype) {
		case 'mpnews': {
			const mediaId = readLocatorValue(this.getNodeParameter('articleMediaId', itemIndex, '', { extractValue: true }));
			if (mediaId === '') {
				const label = fieldLabel(this, { version1: 'Article Media ID', latest: 'Article' });
				throw inputError.call(this, itemIndex, label, label === 'Article' ? 'choose a draft, or give its media ID' : 'is required');
			}
			return { msgtype, mediaId };
		}
		case 'text': {
			// Sent exactly as written: leading spaces and blank lines are the user's.
			const content = String(this.getNodeParameter('text', itemIndex, '') ?? '');
			if (content.trim() === '') throw inputError.call(this, itemIndex, 'Text', 'is required');
			return { msgtype, content };
		}
		case 'voice':
			return { msgtype, mediaId: required('voiceMediaId', 'Voice Media ID') };
		case 'mpvideo':
			return { msgtype, mediaId: required('videoMediaId', 'Video Media ID') };
		case 'wxcard':
			return { msgtype, cardId: required('cardId', 'Card ID') };
		case 'image': {
			const mediaIds = readList(this.getNodeParameter('imageMediaIds', itemIndex, '') as unknown);
			if (mediaIds.length === 0) throw inputError.call(this, itemIndex, 'Image Media IDs', 'give at least 1 image media ID');
			if (mediaIds.length > MAX_IMAGES) {
				throw inputError.call(this, itemIndex, 'Image Media IDs', `WeChat sends at most ${MAX_IMAGES} images, got ${mediaIds.length}`);
			}
			if (forPreview && mediaIds.length > 1) {
				throw inputError.call(this, itemIndex, 'Image Media IDs', `a preview shows one image, got ${mediaIds.length}`);
			}
			return {
				msgtype,
				mediaIds,
				recommend: String(this.getNodeParameter('imageRecommendation', itemIndex, '') ?? ''),
				needOpenComment: this.getNodeParameter('imageOpenComments', itemIndex, false) as boolean,
				onlyFansCanComment: this.getNodeParameter('imageOnlyFollowersCanComment', itemIndex, false) as boolean,
			};
		}
		default:
			throw inputError.call(this, itemIndex, 'Message Type', `"${String(msgtype)}" is not one of mpnews, text, voice, image, mpvideo, wxcard`);
	}
}

function readList(value: unknown): string[] {
	const pieces = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/);
	return pieces.map((piece) => piece.trim()).filter((piece) => piece !== '');
}

/** Which sends count as the same: the derived clientmsgid includes the day (China time), or not. */
export type RepeatRule = 'oncePerDay' | 'oncePer24Hours';

export type SendSettings = {
	allowReprint: boolean;
	clientMsgId: string;
	repeatRule: RepeatRule;
	/** What a send WeChat already had from an earlier run becomes: an output item marked duplicate, or an error. */
	onRepeat: 'output' | 'fail';
	confirmWithinSeconds: number;
	repeatWaitSeconds: number;
};

/** The Options collection of the two send operations. */
export function sendOptionsField(operations: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['massMessage'], operation: operations } },
		options: [
			{
				displayName: 'Allow Reprint',
				name: 'allowReprint',
				type: 'boolean',
				default: false,
				description:
					'Whether to send articles that WeChat\'s originality check judges to be reprints (send_ignore_reprint). Off: such a send stops.',
			},
			{
				displayName: 'Client Message ID',
				name: 'clientMsgId',
				type: 'string',
				default: '',
				placeholder: 'spring-sale-2026',
				description:
					'A key (at most 32 bytes) with which WeChat sends only once within 24 hours, e.g. a campaign ID. Empty: derived from the workflow, this node, the message, the recipients and (see Repeat Rule) the day, so the same send made again (a retry, a trigger firing twice) sends nothing new.',
			},
			{
				displayName: 'Repeat Rule',
				name: 'repeatRule',
				type: 'options',
				default: 'oncePerDay',
				options: [
					{
						name: 'Once per Day (China Time)',
						value: 'oncePerDay',
						description:
							'The same message to the same recipients from this node goes out once per calendar day in China Standard Time: a re-run that day sends nothing, a daily schedule sends every day',
					},
					{
						name: 'Once per 24 Hours',
						value: 'oncePer24Hours',
						description: 'The same message to the same recipients from this node goes out once within WeChat\'s 24-hour window, whatever the day',
					},
				],
				description: 'Which sends count as the same send, when no Client Message ID is given',
			},
			{
				displayName: 'On Repeat',
				name: 'onRepeat',
				type: 'options',
				default: 'output',
				options: [
					{
						name: 'Output It as a Duplicate',
						value: 'output',
						description: 'The item carries the original msg_id, sent: false and duplicate: true, and the output pane says nothing was sent',
					},
					{ name: 'Fail the Item', value: 'fail', description: 'A send WeChat already had is an error (or an error item with Continue On Fail)' },
				],
				description: 'What happens when WeChat already has this send from an earlier run, so nothing is sent now',
			},
			{
				displayName: 'Confirmation Time Limit (Seconds)',
				name: 'confirmWithinSeconds',
				type: 'number',
				default: 150,
				typeOptions: { minValue: 1 },
				description:
					'When a send\'s outcome is unknown (connection dropped, WeChat busy), how long to keep asking WeChat, with the same Client Message ID, until it confirms. WeChat answers repeats only after a minute, so keep this above 60.',
			},
			{
				displayName: 'Repeat Wait (Seconds)',
				name: 'repeatWaitSeconds',
				type: 'number',
				default: 61,
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				description:
					'WeChat\'s minute, as this node waits it out: before asking again after 45066 (the same send repeated within a minute) or 45011 (60 sends a minute reached), and as the span in which one run makes at most 60 send requests. After a dropped connection or a 5xx the send is repeated sooner, after at most an eighth of this.',
			},
		],
	};
}

export function readSendSettings(this: IExecuteFunctions, itemIndex: number): SendSettings {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings: SendSettings = {
		allowReprint: options.allowReprint === true,
		clientMsgId: String(options.clientMsgId ?? '').trim(),
		repeatRule: options.repeatRule === 'oncePer24Hours' ? 'oncePer24Hours' : 'oncePerDay',
		onRepeat: options.onRepeat === 'fail' ? 'fail' : 'output',
		confirmWithinSeconds: typeof options.confirmWithinSeconds === 'number' ? options.confirmWithinSeconds : 150,
		repeatWaitSeconds: typeof options.repeatWaitSeconds === 'number' ? options.repeatWaitSeconds : 61,
	};
	if (settings.confirmWithinSeconds <= settings.repeatWaitSeconds) {
		throw inputError.call(
			this,
			itemIndex,
			'Confirmation Time Limit (Seconds)',
			`must be longer than Repeat Wait (${settings.repeatWaitSeconds} s): a send whose answer was lost could never be confirmed`,
		);
	}
	return settings;
}
