// The "what to send" fields shared by Send to Tag, Send to OpenIDs and Preview, and reading them.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { MessageContent, MessageType } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { MAX_CLIENT_MSG_ID_BYTES } from '../../transport/exactlyOnceSend';
import { draftLocator } from '../common.descriptions';
import { FROM_VERSION_2, ONLY_VERSION_1, fieldLabel, readLocatorValue } from '../versions';

const MAX_IMAGES = 8;

/** The note at the top of both send operations: what WeChat's quota lets through. */
export function massSendQuotaNotice(operations: string[]): INodeProperties {
	return {
		displayName:
			'Mass send quota: a subscription account can mass send once a day; on a service account each follower receives at most 4 mass messages a month, and later sends skip them',
		name: 'massSendQuotaNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['massMessage'], operation: operations } },
	};
}

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
				{ name: 'Article', value: 'mpnews', description: 'A draft from the draft box, made with Draft > Create' },
				{ name: 'Card (Coupon)', value: 'wxcard', description: 'A WeChat card or coupon; many accounts can no longer send these' },
				{ name: 'Images', value: 'image', description: `1 to ${MAX_IMAGES} images uploaded with Media > Upload Permanent (type Image)` },
				{ name: 'Text', value: 'text', description: 'Plain text; a web address written as an HTML link (a href="…") is clickable' },
				{ name: 'Video', value: 'mpvideo', description: 'A video prepared with Media > Upload Video' },
				{ name: 'Voice', value: 'voice', description: 'A voice clip uploaded with Media > Upload Permanent (type Voice)' },
			],
			hint: 'Images, voice and video must be permanent material; articles come from the draft box',
		},
		{
			displayName: 'Article Media ID',
			name: 'articleMediaId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['mpnews'], ONLY_VERSION_1),
			description: 'The media ID of a draft (Draft > Create), or of the legacy Media > Upload Articles',
			hint: 'Articles come from the draft box: create one with Draft > Create',
		},
		draftLocator({
			displayName: 'Article',
			name: 'articleMediaId',
			displayOptions: show(['mpnews'], FROM_VERSION_2),
			description: 'The draft to send: pick it from the draft box, or give the media ID from Draft > Create',
			hint: 'Articles come from the draft box: create one with Draft > Create. A mass send removes the draft from it.',
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
			description: 'The media ID of a voice clip from Media > Upload Permanent with type Voice',
			hint: 'Permanent material only: WeChat refuses temporary media (Media > Upload Temporary)',
		},
		{
			displayName: 'Image Media IDs',
			name: 'imageMediaIds',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['image']),
			description:
				'The media IDs of images from Media > Upload Permanent with type Image, separated by commas or new lines (or an array from an expression)',
			hint: `1 to ${MAX_IMAGES} permanent images; a preview shows 1`,
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
			description: 'The media ID that Media > Upload Video returned',
			hint: 'From Media > Upload Video (made from a permanent video), not the ID from Upload Permanent',
		},
		{
			displayName: 'Card ID',
			name: 'cardId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: show(['wxcard']),
			description: 'The ID of a WeChat card or coupon',
			hint: 'Many accounts can no longer mass send cards (WeChat answers errcode 45113)',
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
					'Whether to send articles that WeChat\'s originality check judges to be reprints. Off: such a send stops.',
			},
			{
				displayName: 'Client Message ID',
				name: 'clientMsgId',
				type: 'string',
				default: '',
				placeholder: 'e.g. spring-sale-2026',
				description:
					'A key with which WeChat sends only once within 24 hours, e.g. a campaign ID. Empty: derived from the workflow, this node, the message and (see Reach Each Follower) the day, so the same send made again (a retry, a trigger firing twice, a sheet with a few more rows) reaches nobody twice.',
				hint: `At most ${MAX_CLIENT_MSG_ID_BYTES} bytes; WeChat sends each key once within 24 hours`,
			},
			{
				displayName: 'Confirmation Time Limit (Seconds)',
				name: 'confirmWithinSeconds',
				type: 'number',
				default: 150,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description:
					'When a send\'s outcome is unknown (connection dropped, WeChat busy), how long to keep asking WeChat, with the same Client Message ID, until it confirms. WeChat answers repeats only after a minute, so keep this above 60.',
			},
			{
				displayName: 'If Already Sent',
				name: 'onRepeat',
				type: 'options',
				default: 'output',
				options: [
					{
						name: 'Output It as a Duplicate',
						value: 'output',
						description: 'The item carries the original msg_id, sent: false and duplicate: true, and the output pane says nothing was sent',
					},
					{ name: 'Fail the Item', value: 'fail', description: 'A send that an earlier run had already made in full, so that nothing went out now, is an error (or an error item with Continue On Fail)' },
				],
				description: 'What happens when an earlier run already made this send, so that nothing is sent now',
			},
			{
				displayName: 'Reach Each Follower',
				name: 'repeatRule',
				type: 'options',
				default: 'oncePerDay',
				options: [
					{
						name: 'Once per Day (China Time)',
						value: 'oncePerDay',
						description:
							'The same message from this node reaches each follower once per calendar day in China Standard Time, the day the execution began: a re-run that day reaches only those not reached yet, a daily schedule sends every day',
					},
					{
						name: 'Once per 24 Hours',
						value: 'oncePer24Hours',
						description: 'The same message to the same recipients from this node goes out once within WeChat\'s 24-hour window, whatever the day',
					},
				],
				description: 'How often the same message from this node may reach a follower, when no Client Message ID is given',
			},
			{
				displayName: 'Wait Before Sending Again (Seconds)',
				name: 'repeatWaitSeconds',
				type: 'number',
				default: 61,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description:
					'How long to wait before sending again when WeChat answers "too soon": the same send repeated within a minute (45066), or 60 sends a minute reached (45011). It is also the span in which one run makes at most 60 send requests. After a dropped connection or a 5xx the send is repeated sooner, after at most an eighth of this.',
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
			`must be longer than Wait Before Sending Again (${settings.repeatWaitSeconds} s): a send whose answer was lost could never be confirmed`,
		);
	}
	return settings;
}
