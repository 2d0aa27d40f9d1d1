// Per-item overhead: 1,000 Get Status items through the WeChat Mass Message node (run by n8n-core's
// WorkflowExecute, package loaded from dist/) against the fake WeChat server on loopback, versus a
// bare undici keep-alive loop making the same 1,000 requests. The fake server runs in its own
// process so its work is not charged to either side. More cases place the gap: the node with
// a fixed message ID (no expression per item), n8n-core's httpRequestWithAuthentication alone in
// place of the node (the least any n8n node can do with this credential), the node with the
// credential's authenticate as the generic expression it was before (for a before/after in one run), and undici opening a new connection per
// request (as n8n-core's helper does).
import './lib/environment';

import { Pool } from 'undici';

import { createEnvironment } from '../test/harness/workflow';
import { IpcChild } from './lib/childProcess';
import { withGenericAuthenticate } from './lib/genericAuthenticate';
import { withHttpHelperFloor } from './lib/httpHelperFloor';
import { emitResult, log, runMain } from './lib/report';
import { median, round, timed } from './lib/stats';

const ITEMS = Number(process.env.BENCH_PER_ITEM_ITEMS ?? 1000);
const ROUNDS = Number(process.env.BENCH_PER_ITEM_ROUNDS ?? 7);
/** Comma-separated case keys to run (e.g. `node` when profiling); all by default. */
const ONLY = process.env.BENCH_PER_ITEM_CASES?.split(',');

interface ServerInfo {
	baseUrl: string;
	appId: string;
	appSecret: string;
}

async function json<T>(pool: Pool, method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
	const response = await pool.request({
		method,
		path,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.body.json()) as T;
}

/**
 * The same requests the node makes, one after the other: on one kept-alive connection, or with
 * `newConnectionEach` on a new connection per request (as n8n-core's HTTP helper does).
 */
async function rawLoop(pool: Pool, token: string, msgIds: number[], newConnectionEach = false): Promise<void> {
	const path = `/cgi-bin/message/mass/get?access_token=${encodeURIComponent(token)}`;
	for (const msgId of msgIds) {
		const response = await pool.request({
			method: 'POST',
			path,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ msg_id: msgId }),
			reset: newConnectionEach,
		});
		const answer = (await response.body.json()) as { msg_status?: string };
		if (answer.msg_status !== 'SEND_SUCCESS') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
	}
}

async function main(): Promise<void> {
	const wechat = await IpcChild.start('lib/fakeWeChatProcess.js', [JSON.stringify({ recordBodies: false })]);
	const server = await wechat.request<ServerInfo>('info');
	const pool = new Pool(server.baseUrl, { connections: 1, pipelining: 1, keepAliveTimeout: 60_000 });

	// A real send whose status both sides then ask for.
	const { access_token: token } = await json<{ access_token: string }>(pool, 'POST', '/cgi-bin/stable_token', {
		grant_type: 'client_credential',
		appid: server.appId,
		secret: server.appSecret,
		force_refresh: false,
	});
	const sent = await json<{ msg_id: number }>(pool, 'POST', `/cgi-bin/message/mass/sendall?access_token=${encodeURIComponent(token)}`, {
		filter: { is_to_all: true },
		msgtype: 'text',
		text: { content: 'status probe' },
	});
	const msgIds = Array.from({ length: ITEMS }, () => sent.msg_id);

	const env = await createEnvironment({ baseUrl: server.baseUrl, appId: server.appId, appSecret: server.appSecret });
	const variants = {
		expression: { resource: 'massMessage', operation: 'getStatus', messageId: '={{ $json.msg_id }}' },
		fixed: { resource: 'massMessage', operation: 'getStatus', messageId: String(sent.msg_id) },
	};
	const items = msgIds.map((msgId) => ({ json: { msg_id: msgId } }));
	/** The WeChat node's own execution time as n8n-core records it (ms), checking every item came back. */
	const runNode = async (parameters: object): Promise<number> => {
		const result = await env.n8n.run({ parameters: parameters as never, items });
		if (result.error) throw result.error;
		if (result.items.length !== ITEMS || result.json.some((json) => json.msg_status !== 'SEND_SUCCESS')) {
			throw new Error(`expected ${ITEMS} SEND_SUCCESS items, got ${JSON.stringify(result.json.slice(0, 2))}`);
		}
		return result.run.data.resultData.runData.WeChat[0].executionTime;
	};

	const runFloor = () => withHttpHelperFloor(() => runNode(variants.expression));
	const allCases: Array<{ key: string; label: string; run: () => Promise<number> }> = [
		{ key: 'node', label: 'node, messageId by expression', run: () => runNode(variants.expression) },
		{ key: 'nodeFixed', label: 'node, fixed messageId', run: () => runNode(variants.fixed) },
		{ key: 'n8nHelper', label: 'n8n HTTP helper alone', run: runFloor },
		{ key: 'nodeGenericAuth', label: 'node, credential authenticate as a generic expression (before)', run: () => withGenericAuthenticate(() => runNode(variants.expression)) },
		{ key: 'raw', label: 'undici keep-alive', run: async () => (await timed(() => rawLoop(pool, token, msgIds))).ms },
		{ key: 'rawNewConnection', label: 'undici, new connection each', run: async () => (await timed(() => rawLoop(pool, token, msgIds, true))).ms },
	];
	const cases = allCases.filter((entry) => ONLY === undefined || ONLY.includes(entry.key));

	// Warm-up: JIT, the token fetch, connection set-up on both sides.
	for (let warm = 0; warm < 2; warm++) for (const entry of cases) await entry.run();

	const samples: Record<string, number[]> = Object.fromEntries(cases.map((entry) => [entry.key, []]));
	for (let round = 0; round < ROUNDS; round++) {
		const line: string[] = [];
		for (const entry of cases) {
			const ms = await entry.run();
			samples[entry.key].push(ms);
			line.push(`${entry.label} ${round1(ms)} ms`);
		}
		log(`round ${round + 1}: ${line.join(', ')}`);
	}
	const counts = await wechat.request<{ tokenRequests: number }>('counts');
	await pool.close();
	await wechat.stop();

	const medians = Object.fromEntries(cases.map((entry) => [entry.key, median(samples[entry.key])])) as Record<string, number>;
	const perItemUs = (ms: number) => round((ms * 1000) / ITEMS, 1);
	const result = {
		items: ITEMS,
		rounds: ROUNDS,
		medianMs: Object.fromEntries(Object.entries(medians).map(([key, ms]) => [key, round(ms, 1)])),
		perItemUs: Object.fromEntries(Object.entries(medians).map(([key, ms]) => [key, perItemUs(ms)])),
		ratioNodeToRaw: round(medians.node / medians.raw),
		ratioNodeFixedToRaw: round(medians.nodeFixed / medians.raw),
		ratioNodeToN8nHelper: round(medians.node / medians.n8nHelper),
		ratioNodeGenericAuthToRaw: round(medians.nodeGenericAuth / medians.raw),
		ratioN8nHelperToRaw: round(medians.n8nHelper / medians.raw),
		ratioRawNewConnectionToRaw: round(medians.rawNewConnection / medians.raw),
		tokenRequests: counts.tokenRequests,
	};
	log(
		`median of ${ROUNDS} (per item): node ${result.perItemUs.node} µs, n8n helper alone ${result.perItemUs.n8nHelper} µs, ` +
			`undici keep-alive ${result.perItemUs.raw} µs, undici new connection each ${result.perItemUs.rawNewConnection} µs`,
	);
	log(`ratio node / undici keep-alive ${result.ratioNodeToRaw} (target ≤ 1.5); node / n8n helper alone ${result.ratioNodeToN8nHelper}`);
	emitResult({ benchmark: 'perItemOverhead', ...result });
}

function round1(value: number): number {
	return round(value, 1);
}

runMain(main);
