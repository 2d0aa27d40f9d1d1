// A fake WeChat server in its own process, driven over IPC by lib/childProcess.ts's IpcChild, so
// that the server's own work does not share an event loop (or a CPU) with the client being measured.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { FakeWeChatServer, type FakeWeChatOptions } from '../../test/fake-wechat/server';

interface Command {
	id: number;
	command: string;
	argument?: unknown;
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as FakeWeChatOptions;
	const server = await new FakeWeChatServer(options).start();
	const handling = measureHandling(server);
	const commands: Record<string, (argument: unknown) => unknown> = {
		info: () => ({ baseUrl: server.baseUrl, appId: server.appId, appSecret: server.appSecret }),
		registerMedia: (argument) => {
			const { mediaId, type } = argument as { mediaId: string; type: string };
			server.registerMedia(mediaId, type);
			return true;
		},
		generateFollowers: (argument) => {
			server.audience.generateFollowers(Number(argument));
			return server.audience.followerCount;
		},
		tagMembers: (argument) => server.audience.membersOf(Number(argument)).length,
		counts: () => ({ calls: server.calls.length, tokenRequests: server.tokenRequests().length, accepted: server.accepted.length }),
		/** Milliseconds the server spent handling requests since the last reset, per path. */
		handlingTime: () => Object.fromEntries(handling),
		resetHandlingTime: () => {
			handling.clear();
			return true;
		},
		/** What the server accepted since `from`: how many sends and how many recipients each. */
		acceptedSince: (from) => server.accepted.slice(Number(from ?? 0)).map((send) => send.recipients),
		clearCalls: () => {
			server.calls.length = 0;
			return true;
		},
		stop: async () => {
			await server.stop();
			setImmediate(() => process.exit(0));
			return true;
		},
	};
	process.on('message', (message: Command) => {
		const handler = commands[message.command];
		Promise.resolve()
			.then(() => (handler ? handler(message.argument) : Promise.reject(new Error(`unknown command ${message.command}`))))
			.then(
				(value) => process.send!({ id: message.id, value }),
				(error: unknown) => process.send!({ id: message.id, error: String(error) }),
			);
	});
	process.send!({ id: 0, value: 'ready' });
}

/**
 * Wraps the server's request handler to time, per path, from the moment the request body has fully
 * arrived to the moment the answer is handed to the socket: the server's own work (JSON parsing,
 * checking every OpenID, answering), which is not the client's.
 */
function measureHandling(server: FakeWeChatServer): Map<string, { requests: number; ms: number }> {
	const totals = new Map<string, { requests: number; ms: number }>();
	const target = server as unknown as { handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> };
	const handle = target.handle.bind(server);
	target.handle = (req, res) => {
		let bodyEnd: bigint | undefined;
		req.once('end', () => (bodyEnd = process.hrtime.bigint()));
		const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
		(res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
			if (bodyEnd !== undefined) {
				const path = (req.url ?? '/').split('?')[0];
				const total = totals.get(path) ?? { requests: 0, ms: 0 };
				total.requests++;
				total.ms += Number(process.hrtime.bigint() - bodyEnd) / 1e6;
				totals.set(path, total);
			}
			return end(...args);
		};
		return handle(req, res);
	};
	return totals;
}

void main();
