// A real SMTP server on 127.0.0.1 that accepts every message and keeps it: stands in for the team's
// mail server, so an n8n Send Email node with an SMTP credential pointing here runs for real.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedEmail {
	from: string;
	to: string[];
	/** Header names in lower case, folded lines unfolded. */
	headers: Record<string, string>;
	subject: string;
	/** The body, decoded when it was sent quoted-printable or base64. */
	text: string;
	/** The message as the client sent it. */
	raw: string;
}

function decodeBody(body: string, encoding: string): string {
	switch (encoding.toLowerCase()) {
		case 'quoted-printable': {
			const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
			return Buffer.from(bytes, 'latin1').toString('utf8');
		}
		case 'base64':
			return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
		default:
			return body;
	}
}

function parseMessage(from: string, to: string[], raw: string): ReceivedEmail {
	const split = raw.indexOf('\r\n\r\n');
	const head = split < 0 ? raw : raw.slice(0, split);
	const body = split < 0 ? '' : raw.slice(split + 4);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return {
		from,
		to,
		headers,
		subject: headers.subject ?? '',
		text: decodeBody(body, headers['content-transfer-encoding'] ?? '7bit').replace(/\r\n/g, '\n'),
		raw,
	};
}

export class SmtpSink {
	readonly received: ReceivedEmail[] = [];
	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	private port = 0;

	constructor(private readonly onEmail: (email: ReceivedEmail) => void = () => undefined) {}

	get host(): string {
		return '127.0.0.1';
	}

	get listeningPort(): number {
		return this.port;
	}

	/** What n8n's SMTP credential needs to send here: no login, no TLS. */
	credentialData(): { user: string; password: string; host: string; port: number; secure: boolean; disableStartTls: boolean; hostName: string } {
		return { user: '', password: '', host: this.host, port: this.port, secure: false, disableStartTls: true, hostName: '' };
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((socket) => this.session(socket));
		await new Promise<void>((resolve) => this.server!.listen(port, this.host, resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private session(socket: Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = '';
		let from = '';
		let to: string[] = [];
		let inData = false;
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 127.0.0.1 ESMTP sink');
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					// The message ends with a line holding only "."; an empty message is that line alone.
					const end = buffer.startsWith('.\r\n') ? 0 : buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					const message = buffer.slice(0, end);
					buffer = buffer.slice(end === 0 ? 3 : end + 5);
					// Dot-stuffing: a line starting with "." was sent as "..".
					const raw = Buffer.from(message.replace(/^\.\./gm, '.'), 'latin1').toString('utf8');
					const email = parseMessage(from, to, raw);
					this.received.push(email);
					this.onEmail(email);
					inData = false;
					reply('250 2.0.0 Ok: queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO' || verb === 'HELO') {
					reply('250 127.0.0.1');
				} else if (verb === 'MAIL') {
					from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					to = [];
					reply('250 2.1.0 Ok');
				} else if (verb === 'RCPT') {
					to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 2.1.5 Ok');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 2.0.0 Bye');
					socket.end();
					return;
				} else if (verb === 'RSET' || verb === 'NOOP') {
					reply('250 2.0.0 Ok');
				} else {
					reply('502 5.5.2 Command not recognized');
				}
			}
		});
	}
}
