// A real HTTP server standing in for the web server of a blog or CMS whose articles link images.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
	body: Buffer;
	contentType: string;
	status?: number;
	/**
	 * Sent instead of `body` when the request's Accept allows WebP (image/webp, image/* or *\/*), as
	 * image CDNs choose the format: "delivers it to the browser if the Accept header from the browser
	 * includes WebP" (Cloudflare Polish, https://support.cloudflare.com/hc/en-us/articles/360000607372),
	 * "AVIF, WebP, or the fallback format" by "browser headers" (imgix auto=format, https://docs.imgix.com/en-US/apis/rendering/automatic).
	 */
	webp?: Buffer;
}

/** Small but real image files, recognised by their first bytes as WeChat and the node do. */
export const SAMPLE_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 7)]);
export const SAMPLE_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1), Buffer.from([0xff, 0xd9])]);
export const SAMPLE_GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(200, 2)]);
export const SAMPLE_WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0xd4, 0x07, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(2000, 4)]);
/** An image of `bytes` bytes that is a JPEG by its first bytes (a large photo, as far as anyone checking it can tell). */
export const jpegOfSize = (bytes: number) => Buffer.concat([SAMPLE_JPEG.subarray(0, 4), Buffer.alloc(bytes - 6, 1), Buffer.from([0xff, 0xd9])]);

export class FileServer {
	readonly requests: string[] = [];
	/** The Accept header of each request, in the order of `requests`. */
	readonly accepts: string[] = [];
	private server: Server | undefined;
	private port = 0;

	constructor(private readonly files: Record<string, ServedFile>) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	url(path: string): string {
		return `${this.baseUrl}${path}`;
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((req, res) => {
			const path = req.url ?? '/';
			this.requests.push(path);
			const accept = req.headers.accept ?? '';
			this.accepts.push(accept);
			const file = this.files[path];
			if (!file) {
				res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not found</h1>');
				return;
			}
			const webp = file.webp !== undefined && /image\/webp|image\/\*|\*\/\*/.test(accept);
			const body = webp ? file.webp! : file.body;
			res.writeHead(file.status ?? 200, { 'Content-Type': webp ? 'image/webp' : file.contentType, 'Content-Length': body.length, Vary: 'Accept' }).end(body);
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}
