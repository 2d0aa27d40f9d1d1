// Downloads from outside WeChat (an article's images), through n8n's HTTP helper.
import type { IExecuteFunctions } from 'n8n-workflow';

export type Download = { ok: true; data: Buffer; contentType: string } | { ok: false; problem: string };

const DOWNLOAD_TIMEOUT_MS = 30000;

/** Never throws: a failure comes back as a problem in words, for an error that names the URL. `url` is absolute http(s). */
export async function downloadFile(ctx: IExecuteFunctions, url: string): Promise<Download> {
	let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
	try {
		response = await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		});
	} catch (error) {
		return { ok: false, problem: `the download failed (${error instanceof Error ? error.message : String(error)})` };
	}
	if (response.statusCode >= 400) return { ok: false, problem: `the server answered HTTP ${response.statusCode}` };
	const body = response.body;
	const data = Buffer.isBuffer(body)
		? body
		: body instanceof ArrayBuffer
			? Buffer.from(body)
			: ArrayBuffer.isView(body)
				? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
				: Buffer.from(String(body ?? ''), 'utf8');
	const contentType = String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	return { ok: true, data, contentType };
}
