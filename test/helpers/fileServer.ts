// A real HTTP server standing in for the web server of a blog or CMS whose articles link images.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
	body: Buffer;
	contentType: string;
	status?: number;
}

/** Small but real image files, recognised by their first bytes as WeChat and the node do. */
export const SAMPLE_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 7)]);
export const SAMPLE_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1), Buffer.from([0xff, 0xd9])]);
export const SAMPLE_GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(200, 2)]);

export class FileServer {
	readonly requests: string[] = [];
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
			const file = this.files[path];
			if (!file) {
				res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not found</h1>');
				return;
			}
			res.writeHead(file.status ?? 200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length }).end(file.body);
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
