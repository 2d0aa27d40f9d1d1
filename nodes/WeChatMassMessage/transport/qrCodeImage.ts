// The image of a QR code ticket, from WeChat's showqrcode: "获取二维码ticket后，开发者可用ticket换取二维码图片。请注意，本接口无须登录态
// 即可调用" — "HTTP GET请求（请使用https协议）https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=TICKET 提醒：TICKET记得进行UrlEncode";
// "ticket正确情况下，http 返回码是200，是一张图片" (HTTP headers shown: "Content-Type:image/jpg"); "错误情况下（如ticket非法）返回HTTP错误码404"
// (https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html). No access token goes
// there: the credential's host for it is asked without authentication.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { qrCodeImageUrl } from '../helpers/qrCodes';
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
	/** The Content-Type WeChat gave, as sent. */
	contentType: string;
	url: string;
}

function normalizeImageBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return (text === '' ? DEFAULT_QR_CODE_IMAGE_BASE_URL : text).replace(/\/+$/, '');
}

/** Downloads a ticket's image; an unknown outcome (dropped connection, HTTP 5xx) is asked again, a GET changing nothing. */
export async function downloadQrCodeImage(ctx: IExecuteFunctions, ticket: string, itemIndex: number): Promise<QrCodeImage> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const url = qrCodeImageUrl(normalizeImageBaseUrl(credentials[QR_CODE_IMAGE_BASE_URL_FIELD]), ticket);
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
		if (data.length === 0 || data.length > MAX_IMAGE_BYTES) throw imageError(ctx, `WeChat sent ${data.length} bytes for the QR code's image, which is not an image`, itemIndex);
		return { data, contentType: String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(), url };
	}
	throw imageError(ctx, `The QR code was created, but its image could not be downloaded: ${problem}. Its ticket and url are in WeChat's answer; the image is at ${url}.`, itemIndex);
}

function imageError(ctx: IExecuteFunctions, message: string, itemIndex: number, httpCode?: string): NodeApiError {
	return new NodeApiError(ctx.getNode(), { message }, { message, itemIndex, httpCode });
}
