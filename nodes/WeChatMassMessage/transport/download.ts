// Downloads from outside WeChat (an article's images), through n8n's HTTP helper, from servers the
// n8n owner may not trust: a size cap while reading, one deadline for the whole download, every
// redirect checked, and no loopback, private or link-local address unless allowed by name.
import type { IExecuteFunctions } from 'n8n-workflow';

import { describeNetworkError } from './networkError';

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
	/** The request's Accept header: the types wanted, for servers that choose the format by it. */
	accept?: string;
}

const MAX_REDIRECTS = 5;

function ipv4Parts(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
	return parts.map(Number);
}

/** The eight 16-bit groups of an IPv6 address (with "::" and a dotted IPv4 tail), or undefined. */
function ipv6Groups(host: string): number[] | undefined {
	let text = host;
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const v4 = ipv4Parts(dotted[1]);
		if (!v4) return undefined;
		text = `${text.slice(0, dotted.index)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const read = (half: string) => (half === '' ? [] : half.split(':'));
	const head = read(halves[0]);
	const tail = halves.length === 2 ? read(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => Number.parseInt(group, 16));
}

/** Why an IPv4 address is on this machine's own networks, or not routed on the internet; undefined for a public one. */
function ipv4Kind([a, b, c, d]: number[]): string | undefined {
	if (a === 127) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	if (a === 169 && b === 254) return 'link-local (cloud metadata)';
	if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT';
	if (a === 0) return '"this network"';
	if (a === 198 && (b === 18 || b === 19)) return 'benchmarking';
	if (a === 255 && b === 255 && c === 255 && d === 255) return 'broadcast';
	if (a >= 224 && a <= 239) return 'multicast';
	if (a >= 240) return 'reserved';
	return undefined;
}

function ipv6Kind(groups: number[]): string | undefined {
	const embedded = (high: number, low: number) => ipv4Kind([groups[high] >> 8, groups[high] & 0xff, groups[low] >> 8, groups[low] & 0xff]);
	const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
	if (zeros(0, 7) && groups[7] <= 1) return 'loopback';
	// ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address itself.
	if (zeros(0, 5) && groups[5] === 0xffff) return embedded(6, 7) ?? 'IPv4-mapped';
	if (zeros(0, 6)) return embedded(6, 7) ?? 'IPv4-compatible';
	// NAT64 (RFC 6052) translates 64:ff9b::a.b.c.d to a.b.c.d; 64:ff9b:1::/48 is a network's own (RFC 8215).
	if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) {
		const kind = embedded(6, 7);
		return kind && `${kind} (through NAT64)`;
	}
	if (groups[0] === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return 'local-use NAT64';
	// 6to4 (RFC 3056): 2002:aabb:ccdd::/48 is the network behind a.b.c.d.
	if (groups[0] === 0x2002) {
		const kind = embedded(1, 2);
		return kind && `${kind} (through 6to4)`;
	}
	if ((groups[0] & 0xfe00) === 0xfc00) return 'unique-local';
	if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
	if ((groups[0] & 0xffc0) === 0xfec0) return 'site-local';
	if ((groups[0] & 0xff00) === 0xff00) return 'multicast';
	return undefined;
}

/**
 * Why an address is on this machine's own networks (loopback, private, link-local, carrier-grade
 * NAT, "this network", IPv6 unique-local, link-local and site-local, those inside IPv4-mapped,
 * NAT64 and 6to4 addresses) or not one to download from (multicast, broadcast, reserved), or
 * undefined for a public one. Only addresses written as such and `localhost` can be told here; n8n
 * 2.x also resolves names (see checkAddress).
 */
export function privateAddressKind(hostname: string): string | undefined {
	// The WHATWG URL parser has already written 127.1, 0x7f.1 and 2130706433 as 127.0.0.1.
	const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const v4 = ipv4Parts(host);
	if (v4) return ipv4Kind(v4);
	const v6 = host.includes(':') ? ipv6Groups(host.replace(/%.*$/, '')) : undefined;
	return v6 && ipv6Kind(v6);
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
		// The name is looked up there: a failed lookup throws, and a slow one counts against the deadline.
		const verdict = await beforeDeadline(egress.validateUrl(url.href), limits.deadline).catch((error: unknown) => error);
		if (verdict === 'late') return `${host} could not be looked up in time`;
		if (!isVerdict(verdict)) return `${host} could not be looked up (${describeNetworkError(verdict)})`;
		if (!verdict.ok) return `${host} is not an address n8n lets this node reach (${verdict.error.message})`;
	}
	return undefined;
}

function isVerdict(value: unknown): value is { ok: true } | { ok: false; error: Error } {
	return typeof value === 'object' && value !== null && 'ok' in value;
}

/** `work`'s result, or 'late' once `deadline` (epoch ms) has passed first. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T | 'late'> {
	const left = deadline - Date.now();
	if (left <= 0) return 'late';
	const timeUp = AbortSignal.timeout(left);
	let onTimeUp = () => {};
	const late = new Promise<'late'>((resolve) => {
		onTimeUp = () => resolve('late');
		timeUp.addEventListener('abort', onTimeUp, { once: true });
	});
	try {
		return await Promise.race([work, late]);
	} finally {
		timeUp.removeEventListener('abort', onTimeUp);
	}
}

/** `text` as an address (relative to `base`), or undefined where it is not a valid one. */
function parseAddress(text: string, base?: URL): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
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
	let current = parseAddress(url);
	if (!current) return { ok: false, problem: 'it is not a valid address' };
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
				...(limits.accept ? { headers: { Accept: limits.accept } } : {}),
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
			const next = parseAddress(location, current);
			if (!next) return { ok: false, problem: `it redirects to ${location}, which is not a valid address` };
			current = next;
			continue;
		}
		if (response.statusCode >= 400) {
			release();
			const notAcceptable = response.statusCode === 406 && limits.accept ? ` (it has it in none of the types asked for: ${limits.accept})` : '';
			return { ok: false, problem: `the server answered HTTP ${response.statusCode}${notAcceptable}` };
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
