// QR Code > Create: qrcode/create (https://developers.weixin.qq.com/doc/service/api/qrcode/qrcodes/api_createqrcode.html),
// then the ticket's image from showqrcode (transport/qrCodeImage.ts). The request is built in helpers/qrCodes.ts.
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { MAX_EXPIRE_SECONDS, SCENE_ID_RANGE, SCENE_STR_LENGTH, type QrCodeLifetime, type QrCodeScene, qrCodeImageUrl, qrCodeRequest, sceneLength } from '../../helpers/qrCodes';
import type { QrCodeCreateRequest, QrCodeCreateResponse } from '../../helpers/types';
import { inputError, integerInRange, textOf } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { DEFAULT_QR_CODE_IMAGE_BASE_URL, downloadQrCodeImage, qrCodeImageBaseUrl } from '../../transport/qrCodeImage';

const show = { resource: ['qrCode'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'qrCodeType',
		type: 'options',
		default: 'temporary',
		description: 'Whether the code expires',
		options: [
			{ name: 'Temporary', value: 'temporary', description: 'Expires after a time of your choice, at most 30 days; WeChat makes as many as you ask for' },
			{ name: 'Permanent', value: 'permanent', description: 'Never expires; an account has at most 100,000, and a number scene is 1 to 100,000' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Expires After (Seconds)',
		name: 'expireSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_EXPIRE_SECONDS, numberPrecision: 0 },
		default: MAX_EXPIRE_SECONDS,
		description: 'How long the code works after it is created. The default is the longest WeChat allows, 30 days: WeChat\'s own default, when none is given, is mere seconds.',
		hint: 'At most 2,592,000 (30 days)',
		displayOptions: { show: { ...show, qrCodeType: ['temporary'] } },
	},
	{
		displayName: 'Scene Type',
		name: 'sceneType',
		type: 'options',
		default: 'string',
		description: 'What the code carries back in the follower\'s event: text or a number',
		options: [
			{ name: 'Text', value: 'string', description: 'A name such as spring-2026 (scene_str, 1 to 64 characters)' },
			{ name: 'Number', value: 'number', description: 'A number (scene_id): temporary codes 1 to 4,294,967,295, permanent codes 1 to 100,000' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Scene',
		name: 'sceneStr',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. spring-2026',
		description: 'What the Trigger outputs as the scene when a follower scans the code',
		hint: 'At most 64 characters',
		displayOptions: { show: { ...show, sceneType: ['string'] } },
	},
	{
		displayName: 'Scene',
		name: 'sceneId',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		required: true,
		description: 'What the Trigger outputs as the scene when a follower scans the code',
		hint: 'Temporary codes: 1 to 4,294,967,295; permanent codes: 1 to 100,000',
		displayOptions: { show: { ...show, sceneType: ['number'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Put Image in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The output binary field that receives the code\'s image',
			},
		],
	},
];

interface CheckedQrCode {
	lifetime: QrCodeLifetime;
	scene: QrCodeScene;
	body: QrCodeCreateRequest;
	binaryPropertyName: string;
	imageBaseUrl: string;
}

function readScene(ctx: IExecuteFunctions, itemIndex: number, lifetime: QrCodeLifetime): QrCodeScene {
	if (ctx.getNodeParameter('sceneType', itemIndex, 'string') === 'number') {
		return { kind: 'number', value: integerInRange.call(ctx, ctx.getNodeParameter('sceneId', itemIndex, 1), SCENE_ID_RANGE[lifetime], itemIndex, 'Scene') };
	}
	const value = textOf(ctx.getNodeParameter('sceneStr', itemIndex, '')).trim();
	const length = sceneLength(value);
	if (length < SCENE_STR_LENGTH.min) throw inputError.call(ctx, itemIndex, 'Scene', 'is required');
	if (length > SCENE_STR_LENGTH.max) throw inputError.call(ctx, itemIndex, 'Scene', `must be at most ${SCENE_STR_LENGTH.max} characters, got ${length}`);
	return { kind: 'string', value };
}

async function check(ctx: IExecuteFunctions, itemIndex: number): Promise<CheckedQrCode> {
	const lifetime: QrCodeLifetime = ctx.getNodeParameter('qrCodeType', itemIndex, 'temporary') === 'permanent' ? 'permanent' : 'temporary';
	const expireSeconds =
		lifetime === 'temporary'
			? integerInRange.call(ctx, ctx.getNodeParameter('expireSeconds', itemIndex, MAX_EXPIRE_SECONDS), { min: 1, max: MAX_EXPIRE_SECONDS }, itemIndex, 'Expires After (Seconds)')
			: 0;
	const scene = readScene(ctx, itemIndex, lifetime);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const binaryPropertyName = textOf(options.binaryPropertyName ?? 'data').trim();
	if (binaryPropertyName === '') throw inputError.call(ctx, itemIndex, 'Put Image in Field', 'is required');
	return { lifetime, scene, body: qrCodeRequest(lifetime, scene, expireSeconds), binaryPropertyName, imageBaseUrl: await qrCodeImageBaseUrl(ctx, itemIndex) };
}

/** "wechat-qrcode-spring-2026.jpg": the scene in the file name, kept to letters, digits, - and _. */
function fileNameFor(scene: QrCodeScene, extension: string): string {
	const safe = String(scene.value).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
	return `wechat-qrcode${safe === '' ? '' : `-${safe}`}.${extension}`;
}

/**
 * The code exists once WeChat answered: when its image cannot be got, the error keeps what WeChat made (and the node's
 * extras), in its description and, with Continue On Fail, in the failed item, so that nobody makes another (a permanent
 * one counts against the account's 100,000). WeChat's own showqrcode needs no login, so its address is given.
 */
function imageFailure(ctx: IExecuteFunctions, made: IDataObject, cause: unknown, itemIndex: number): NodeApiError {
	const why = cause instanceof Error ? cause.message : String(cause);
	const message = `The QR code was made, but ${why}. Do not create it again: its image can be got again at ${qrCodeImageUrl(DEFAULT_QR_CODE_IMAGE_BASE_URL, String(made.ticket))}`;
	const description = `What WeChat made: ${Object.entries(made).map(([field, value]) => `${field}: ${String(value)}`).join(', ')}`;
	const httpCode = (cause as { httpCode?: unknown }).httpCode;
	return new NodeApiError(ctx.getNode(), { ...made, message } as JsonObject, { message, description, itemIndex, httpCode: typeof httpCode === 'string' ? httpCode : undefined });
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => await check(this, itemIndex), async ({ lifetime, scene, body, binaryPropertyName, imageBaseUrl }, itemIndex) => {
		const result = await weChatApiRequest<QrCodeCreateResponse>(
			this,
			// A temporary code asked for again only makes another code; a permanent one counts against the
			// account's 100,000, so it is not sent again after an unknown outcome.
			{ method: 'POST', path: '/cgi-bin/qrcode/create', body, idempotent: lifetime === 'temporary' },
			itemIndex,
		);
		const made = { ...result, actionName: body.action_name, scene: scene.value } as IDataObject;
		const image = await downloadQrCodeImage(this, imageBaseUrl, result.ticket, itemIndex).catch((error: unknown) => {
			throw imageFailure(this, made, error, itemIndex);
		});
		const binary: IBinaryData = await this.helpers.prepareBinaryData(image.data, fileNameFor(scene, image.extension), image.mimeType);
		return {
			json: { ...made, imageUrl: image.url },
			binary: { [binaryPropertyName]: binary },
		};
	});
}
