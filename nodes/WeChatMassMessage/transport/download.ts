// Downloads from outside WeChat (an article's images), through n8n's HTTP helper, from servers the
// n8n owner may not trust: a size cap while reading, one deadline for the whole download, every
// redirect checked, and no loopback, private or link-local address unless allowed by name.
import type { IExecuteFunctions } from 'n8n-workflow';

export type Download =
	| { ok: true; data: Buffer; contentType: string }
	| { ok: false; problem: string }
	/** Over `maxBytes`: by its Content-Length (`bytes`), or found while reading, which then stopped. */
	| { ok: false; tooLarge: true; bytes?: number };

export interface DownloadLimits {
	maxBytes: number;
	/** When the download must have finished (epoch ms): a server that trickles its bytes is cut off then. */
	deadline: number;
	/** Any address, this machine's own networks included (node versions 1 and 2, or chosen so). */
	anyAddress: boolean;
	/** Host names or addresses on this machine's networks that may be fetched all the same (lower case). */
	allowedPrivateHosts: ReadonlySet<string>;
}

const MAX_REDIRECTS = 5;

function ipv4Parts(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
	return parts.map(Number);
}

/**
 * Why an address is on this machine's own networks (loopback, private, link-local, carrier-grade
 * NAT, "this network", IPv6 unique-local and link-local, IPv4 in IPv6), or undefined for a public one.
 * Only addresses written as such and `localhost` can be told here; n8n 2.x also resolves names (see
 * checkAddress).
 */
export function privateAddressKind(hostname: string): string | undefined {
	// The WHATWG URL parser has already written 127.1, 0x7f.1 and 2130706433 as 127.0.0.1.
	const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const v4 = ipv4Parts(host) ?? ipv4Parts(host.replace(/^::ffff:/, ''));
	if (v4) {
		const [a, b] = v4;
		if (a === 127) return 'loopback';
		if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
		if (a === 169 && b === 254) return 'link-local (cloud metadata)';
		if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT';
		if (a === 0) return '"this network"';
		return undefined;
	}
	if (!host.includes(':')) return undefined;
	if (host === '::1' || host === '::') return 'loopback';
	if (/^f[cd][0-9a-f]{2}:/.test(host)) return 'unique-local';
	if (/^fe[89ab][0-9a-f]:/.test(host)) return 'link-local';
	if (host.startsWith('::ffff:')) return 'IPv4-mapped';
	if (host.startsWith('::')) return 'IPv4-compatible';
	return undefined;
}

/** Whether `url` may be fetched: http(s), and not on this machine's networks unless allowed by name. */
async function checkAddress(ctx: IExecuteFunctions, url: URL, limits: DownloadLimits): Promise<string | undefined> {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} addresses are not downloaded`;
	const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
	if (limits.anyAddress || limits.allowedPrivateHosts.has(host)) return undefined;
	const kind = privateAddressKind(host);
	if (kind) return `${host} is a ${kind} address, which is not downloaded unless listed in Allowed Private Hosts`;
	// n8n 2.x resolves the name and checks it against its own rules (N8N_SSRF_BLOCKED_IP_RANGES...), even
	// where its SSRF protection is off; n8n 1.x has no such check, and names are not resolved here.
	const egress = ctx.helpers.getSecureEgressFilter?.('enforced');
	if (egress) {
		const verdict = await egress.validateUrl(url.href);
		if (!verdict.ok) return `${host} is not an address n8n lets this node reach (${verdict.error.message})`;
	}
	return undefined;
}

async function readLimited(stream: AsyncIterable<Buffer | string>, limits: DownloadLimits): Promise<Buffer | string | 'tooLarge'> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const piece = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += piece.length;
		if (size > limits.maxBytes) return 'tooLarge';
		if (Date.now() > limits.deadline) return 'the server did not send it in time';
		chunks.push(piece);
	}
	return Buffer.concat(chunks);
}

/**
 * Never throws: a failure comes back as a problem in words, for an error that names the URL. `url`
 * is absolute http(s). The Content-Length decides first; reading stops past `maxBytes`.
 */
export async function downloadFile(ctx: IExecuteFunctions, url: string, limits: DownloadLimits): Promise<Download> {
	let current = new URL(url);
	for (let redirects = 0; ; redirects++) {
		const refused = await checkAddress(ctx, current, limits);
		if (refused) return { ok: false, problem: redirects === 0 ? refused : `it redirects to ${current.href}, and ${refused}` };
		const left = limits.deadline - Date.now();
		if (left <= 0) return { ok: false, problem: 'the server did not send it in time' };
		const stop = AbortSignal.timeout(left);
		// Aborted once the answer is read or refused, so that n8n's HTTP client lets the connection go.
		const done = new AbortController();
		const cancel = ctx.getExecutionCancelSignal?.();
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = await ctx.helpers.httpRequest({
				method: 'GET',
				url: current.href,
				encoding: 'stream',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: left,
				abortSignal: AbortSignal.any(cancel ? [stop, done.signal, cancel] : [stop, done.signal]),
			});
		} catch (error) {
			return { ok: false, problem: stop.aborted ? 'the server did not answer in time' : `the download failed (${error instanceof Error ? error.message : String(error)})` };
		}
		const body = response.body as (AsyncIterable<Buffer | string> & { destroy?: () => void }) | undefined;
		const release = () => {
			body?.destroy?.();
			done.abort();
		};
		const location = response.headers.location;
		if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
			release();
			if (redirects >= MAX_REDIRECTS) return { ok: false, problem: `it redirects more than ${MAX_REDIRECTS} times` };
			current = new URL(location, current);
			continue;
		}
		if (response.statusCode >= 400) {
			release();
			return { ok: false, problem: `the server answered HTTP ${response.statusCode}` };
		}
		const length = Number(response.headers['content-length']);
		if (Number.isFinite(length) && length > limits.maxBytes) {
			release();
			return { ok: false, tooLarge: true, bytes: length };
		}
		const data = body === undefined ? Buffer.alloc(0) : await readLimited(body, limits).catch(() => (stop.aborted ? 'the server did not send it in time' : 'the download broke off'));
		release();
		if (typeof data === 'string') return data === 'tooLarge' ? { ok: false, tooLarge: true } : { ok: false, problem: data };
		const contentType = String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		return { ok: true, data, contentType };
	}
}
