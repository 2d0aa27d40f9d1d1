// The image of a QR code ticket, from WeChat's showqrcode: "获取二维码ticket后，开发者可用ticket换取二维码图片。请注意，本接口无须登录态
// 即可调用" — "HTTP GET请求（请使用https协议）https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=TICKET 提醒：TICKET记得进行UrlEncode";
// "ticket正确情况下，http 返回码是200，是一张图片" (HTTP headers shown: "Content-Type:image/jpg"); "错误情况下（如ticket非法）返回HTTP错误码404"
// (https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html). No access token goes
// there: the credential's host for it is asked without authentication.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { type ImageFormat, sniffImageFormat } from '../helpers/articleHtml';
import { qrCodeImageUrl } from '../helpers/qrCodes';
import { normalizeBaseUrl } from './baseUrl';
import { CREDENTIAL_TYPE, cancelSignalOf, waitUnlessStopped } from './index';
import { describeNetworkError } from './networkError';

export const DEFAULT_QR_CODE_IMAGE_BASE_URL = 'https://mp.weixin.qq.com';
/** The credential's field for showqrcode's host. */
export const QR_CODE_IMAGE_BASE_URL_FIELD = 'qrCodeImageBaseUrl';

const RETRY_DELAYS_MS = [250, 750, 2000];
const REQUEST_TIMEOUT_MS = 30000;
/** WeChat's codes are some 30 KB ("Content-Length:28026" in the page's sample); anything far larger is not one. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export interface QrCodeImage {
	data: Buffer;
	/** By the bytes: WeChat's header says image/jpg, which is no registered type. */
	mimeType: string;
	extension: string;
	url: string;
}

const IMAGE_TYPES: Partial<Record<ImageFormat, { mimeType: string; extension: string }>> = {
	jpg: { mimeType: 'image/jpeg', extension: 'jpg' },
	png: { mimeType: 'image/png', extension: 'png' },
	gif: { mimeType: 'image/gif', extension: 'gif' },
};

/** The credential's host for showqrcode, checked: read before a code is made, so that a bad one fails first. */
export async function qrCodeImageBaseUrl(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	return normalizeBaseUrl(credentials[QR_CODE_IMAGE_BASE_URL_FIELD], DEFAULT_QR_CODE_IMAGE_BASE_URL, 'QR Code Image Base URL');
}

/**
 * Downloads a ticket's image from `baseUrl` (qrCodeImageBaseUrl); an unknown outcome (dropped connection, HTTP 5xx) is asked
 * again, a GET changing nothing. Bytes that are no JPEG, PNG or GIF (a relay's login page answered with HTTP 200) are refused.
 */
export async function downloadQrCodeImage(ctx: IExecuteFunctions, baseUrl: string, ticket: string, itemIndex: number): Promise<QrCodeImage> {
	const url = qrCodeImageUrl(baseUrl, ticket);
	let problem = '';
	for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
		if (attempt > 0 && (await waitUnlessStopped(RETRY_DELAYS_MS[attempt - 1], cancelSignalOf(ctx)))) break;
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: REQUEST_TIMEOUT_MS,
				abortSignal: cancelSignalOf(ctx),
			});
		} catch (error) {
			problem = `the connection failed (${describeNetworkError(error)})`;
			continue;
		}
		if (response.statusCode >= 500 || response.statusCode === 429) {
			problem = `WeChat answered HTTP ${response.statusCode}`;
			continue;
		}
		if (response.statusCode !== 200) {
			const notFound = response.statusCode === 404 ? ': WeChat has no QR code for this ticket' : '';
			throw imageError(ctx, `WeChat answered HTTP ${response.statusCode} for the QR code's image${notFound}`, itemIndex, String(response.statusCode));
		}
		const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
		const format = data.length > MAX_IMAGE_BYTES ? undefined : sniffImageFormat(data);
		const type = format === undefined ? undefined : IMAGE_TYPES[format];
		if (type === undefined) {
			const contentType = String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() || 'no Content-Type';
			throw imageError(ctx, `what came for the QR code's image (${contentType}, ${data.length} bytes) is not a JPEG, PNG or GIF image`, itemIndex);
		}
		return { data, ...type, url };
	}
	throw imageError(ctx, `the QR code's image could not be downloaded: ${problem}`, itemIndex);
}

function imageError(ctx: IExecuteFunctions, message: string, itemIndex: number, httpCode?: string): NodeApiError {
	return new NodeApiError(ctx.getNode(), { message }, { message, itemIndex, httpCode });
}
