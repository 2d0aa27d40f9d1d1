// n8n in queue mode, for real: Redis, PostgreSQL, one main process, two workers and one webhook
// process, with this package installed as a community package and the fake WeChat API. It runs the
// scenarios below, measures them from the fake's own records, n8n's database and the workers' logs,
// prints the figures and exits non-zero when a check fails. Everything it starts is stopped again.
// Run through `bash scripts/dev.sh queue` (scripts/queue.sh installs what is missing first).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

import { FakeWeChatServer } from '../test/fake-wechat/server';
import { N8nCli, installCommunityPackage, type N8nRuntime } from '../test/e2e/n8nCli';
import { CALLBACK_CREDENTIAL, WECHAT_CREDENTIAL, testCredentials, weChatNode } from '../test/e2e/workflows';
import { safeRequest, type CallbackAccount } from '../test/helpers/wechatCallbackSigner';

const N8N_VERSION = '2.41.1';
const WORKERS = 2;
const EXECUTIONS = 20;
const ITEMS = 50;
const TAG_ID = 100;

const runtime: N8nRuntime = { nodeBin: need('QUEUE_N8N_NODE'), n8nBin: need('QUEUE_N8N_BIN'), version: N8N_VERSION };
const tarball = need('QUEUE_PACKAGE');
const postgresBin = need('QUEUE_POSTGRES_BIN');
const home = join(need('QUEUE_CACHE'), 'queue');
const n8nModules = join(runtime.n8nBin, '..', '..', '..');

const callbackAccount: CallbackAccount = {
	appId: 'wx0123456789abcdef',
	token: 'queueCallbackToken42',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
	originalId: 'gh_queue00000001',
};
const TRIGGER_WEBHOOK_ID = '7c4b1e90-2f3a-4d5b-9e61-queue0000001';

function need(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run this through bash scripts/dev.sh queue`);
	return value;
}

// ---- the processes this run starts, and stops again on every way out ----------------------------

const started: Array<{ name: string; child: ChildProcess }> = [];

function startProcess(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): ChildProcess {
	const log = createWriteStream(join(home, 'logs', `${name}.log`));
	const child = spawn(command, args, { env: options.env ?? process.env, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	started.push({ name, child });
	return child;
}

/** Stops every process group this run started (a group outlives its leader, as a killed worker's does). */
async function stopAll(): Promise<void> {
	const groups = started.splice(0);
	const signal = (pid: number | undefined, name: NodeJS.Signals) => {
		try {
			if (pid !== undefined) process.kill(-pid, name);
		} catch {
			// the group is gone already
		}
	};
	for (const { child } of [...groups].reverse()) signal(child.pid, 'SIGTERM');
	const alive = () => groups.some(({ child }) => child.exitCode === null && child.signalCode === null);
	const deadline = Date.now() + 15000;
	while (alive() && Date.now() < deadline) await sleep(200);
	for (const { child } of groups) signal(child.pid, 'SIGKILL');
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
	process.on(signal, () => void stopAll().finally(() => process.exit(code)));
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
	process.on(event, (error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		void stopAll().finally(() => process.exit(1));
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, processes: ChildProcess[] = []): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const dead = processes.find((child) => child.exitCode !== null || child.signalCode !== null);
		if (dead) throw new Error(`${what}: a process exited (${dead.exitCode ?? dead.signalCode}); see ${join(home, 'logs')}`);
		if (await check().catch(() => false)) return;
		await sleep(300);
	}
	throw new Error(`${what}: not within ${timeoutMs / 1000} s; see ${join(home, 'logs')}`);
}

async function httpOk(url: string): Promise<boolean> {
	const response = await fetch(url);
	return response.ok;
}

// ---- Redis and PostgreSQL on loopback, their data under the cache folder --------------------------

async function startRedis(port: number): Promise<void> {
	const dir = join(home, 'redis');
	mkdirSync(dir, { recursive: true });
	const child = startProcess('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no']);
	await waitFor('Redis', () => redisPing(port), 20000, [child]);
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection(port, '127.0.0.1');
		socket.once('error', () => resolve(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
	});
}

interface PgClient {
	connect(): Promise<void>;
	query<Row>(sql: string, values?: unknown[]): Promise<{ rows: Row[] }>;
	end(): Promise<void>;
}
type PgClientClass = new (config: object) => PgClient;
// n8n's own PostgreSQL driver: the script needs no dependency of its own for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require(join(n8nModules, 'pg')) as { Client: PgClientClass };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(join(n8nModules, 'flatted')) as { parse: (text: string) => unknown };

async function startPostgres(port: number): Promise<void> {
	// PostgreSQL refuses to run as root: as root, its files belong to Debian's postgres user, who may
	// not be allowed into root's home (mode 700); then the data goes under the system's temp folder.
	const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
	const dir = asUser && !traversableBy(asUser.uid, home) ? join(tmpdir(), 'n8n-nodes-wechat-mass-queue', 'postgres') : join(home, 'postgres');
	// A new cluster each run: nothing is left from a run that was killed (its lock file, its data).
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dirname(dir), { recursive: true });
	mkdirSync(dir, { mode: 0o700 });
	if (asUser) chownSync(dir, asUser.uid, asUser.gid);
	const init = startProcess('initdb', join(postgresBin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], asUser);
	await new Promise((resolve) => init.once('exit', resolve));
	if (init.exitCode !== 0) throw new Error(`initdb failed; see ${join(home, 'logs', 'initdb.log')}`);
	// fsync off: a test bed's database, thrown away after each run.
	const args = ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'];
	const child = startProcess('postgres', join(postgresBin, 'postgres'), args, asUser);
	await waitFor('PostgreSQL', () => pgQuery(port, 'postgres', 'SELECT 1').then(() => true), 30000, [child]);
	await pgQuery(port, 'postgres', 'CREATE DATABASE n8n_queue');
}

/** Whether every folder above `dir` lets `uid` pass (the folders' owner is root or `uid`). */
function traversableBy(uid: number, dir: string): boolean {
	for (let folder = dir; ; folder = dirname(folder)) {
		if (!existsSync(folder)) continue;
		const { mode, uid: owner } = statSync(folder);
		if (!(owner === uid ? mode & 0o100 : mode & 0o001)) return false;
		if (folder === dirname(folder)) return true;
	}
}

function postgresUser(): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('No postgres user: install Debian\'s postgresql package (scripts/queue.sh does)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

async function pgQuery<Row>(port: number, database: string, sql: string, values?: unknown[]): Promise<Row[]> {
	const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
	await client.connect();
	try {
		return (await client.query<Row>(sql, values)).rows;
	} finally {
		await client.end();
	}
}

// ---- n8n: one main, two workers, one webhook process ---------------------------------------------

interface Cluster {
	mainPort: number;
	webhookPort: number;
	pgPort: number;
	workers: Array<{ name: string; child: ChildProcess; log: string }>;
	cli: N8nCli;
}

async function startN8n(pgPort: number, redisPort: number, fake: FakeWeChatServer): Promise<Cluster> {
	const userFolder = join(home, 'n8n');
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	await installCommunityPackage(userFolder, tarball);

	const cli = new N8nCli(runtime, userFolder, await freePort());
	const mainPort = await freePort();
	const webhookPort = await freePort();
	Object.assign(cli.env, {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pgPort),
		DB_POSTGRESDB_DATABASE: 'n8n_queue',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// A killed worker's job is noticed within seconds (n8n: 60 s lock, 30 s check).
		QUEUE_WORKER_LOCK_DURATION: '5000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '1000',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		// Production webhooks only through the webhook process, as in n8n's documented setup.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
	});

	await cli.importCredentials(testCredentials(fake, callbackAccount));
	for (const workflow of [sendRowsWorkflow(), heldSendWorkflow(), sameSendWorkflow(), triggerWorkflow()]) {
		await cli.importWorkflow(workflow);
		await cli.activate(workflow.id);
	}

	const n8nArgs = (command: string, ...rest: string[]) => [runtime.n8nBin, command, ...rest];
	const env = (extra: Record<string, string>) => ({ ...cli.env, ...extra });
	const main = startProcess('main', runtime.nodeBin, n8nArgs('start'), { env: await withBrokerPort(env({ N8N_PORT: String(mainPort) })) });
	const webhook = startProcess('webhook', runtime.nodeBin, n8nArgs('webhook'), { env: await withBrokerPort(env({ N8N_PORT: String(webhookPort) })) });
	const workers: Cluster['workers'] = [];
	for (let n = 1; n <= WORKERS; n++) {
		const healthPort = await freePort();
		const workerEnv = await withBrokerPort(env({ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) }));
		const child = startProcess(`worker${n}`, runtime.nodeBin, n8nArgs('worker', '--concurrency=10'), { env: workerEnv });
		workers.push({ name: `worker${n}`, child, log: join(home, 'logs', `worker${n}.log`) });
		await waitFor(`worker ${n}`, () => httpOk(`http://127.0.0.1:${healthPort}/healthz`), 180000, [child]);
	}
	await waitFor('main process', () => httpOk(`http://127.0.0.1:${mainPort}/healthz`), 180000, [main]);
	await waitFor('webhook process', () => httpOk(`http://127.0.0.1:${webhookPort}/healthz`), 180000, [webhook]);
	// The webhook process answers its health check before it has registered the active workflows.
	await waitFor('webhooks registered', async () => (await fetch(triggerUrl(webhookPort, {}))).status !== 404, 60000, [webhook]);
	return { mainPort, webhookPort, pgPort, workers, cli };
}

async function withBrokerPort(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
	return { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
}

// ---- the workflows ------------------------------------------------------------------------------

type WorkflowNode = { id: string; name: string; type: string; typeVersion: number; position: [number, number]; parameters: object; webhookId?: string; credentials?: object };

function workflow(id: string, name: string, nodes: WorkflowNode[]) {
	nodes.forEach((node, index) => (node.position = [index * 220, 0]));
	const connections: Record<string, object> = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

function webhookNode(path: string): WorkflowNode {
	return {
		id: `node-webhook-${path}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `00000000-0000-4000-8000-${path.replace(/\W/g, '').slice(0, 12).padEnd(12, '0')}`,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

// The fake's "minute" (repeat window, 60 sends) is a second here; the node waits a second to match.
const SEND_OPTIONS = { repeatWaitSeconds: 1, confirmWithinSeconds: 60 };

/** A Send to Tag node sending the text `text` (an expression) to the test tag. */
function sendToTagNode(text: string): WorkflowNode {
	return weChatNode('Send', { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: TAG_ID, messageType: 'text', text, options: SEND_OPTIONS });
}

/** Webhook → 50 rows → Send to Tag (one per row) → Get Status → Speed: Get. */
function sendRowsWorkflow() {
	return workflow('queueSendRows0001', 'Queue: send rows', [
		webhookNode('queue-send'),
		{ id: 'node-split', name: 'Split Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [0, 0], parameters: { fieldToSplitOut: 'body.rows', options: {} } },
		sendToTagNode("={{ 'Run ' + $json.run + ', row ' + $json.n }}"),
		weChatNode('Status', { resource: 'massMessage', operation: 'getStatus', messageId: '={{ $json.msg_id }}' }),
		weChatNode('Speed', { resource: 'speed', operation: 'get' }),
	]);
}

/** Webhook → one Send to Tag: the send a worker is killed in the middle of. */
function heldSendWorkflow() {
	return workflow('queueHeldSend0001', 'Queue: held send', [webhookNode('queue-held'), sendToTagNode("={{ 'Held send ' + $json.body.run }}")]);
}

/** Webhook → its rows → one Send to OpenIDs for every row: the send two workers make at once. */
function sameSendWorkflow() {
	return workflow('queueSameSend0001', 'Queue: same send', [
		webhookNode('queue-same'),
		{ id: 'node-split', name: 'Split Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [0, 0], parameters: { fieldToSplitOut: 'body.rows', options: {} } },
		{
			...weChatNode('Send', { resource: 'massMessage', operation: 'sendToOpenIds', mode: 'combined', openIds: '={{ $json.openid }}', messageType: 'text', text: 'Same send', options: SEND_OPTIONS }),
			typeVersion: 4,
		},
	]);
}

function triggerWorkflow() {
	return workflow('queueTrigger00001', 'Queue: send finished', [
		{
			id: 'node-trigger',
			name: 'Mass Send Finished',
			type: 'n8n-nodes-wechat-mass.weChatMassMessageTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: TRIGGER_WEBHOOK_ID,
			parameters: { events: 'massSendJobFinish' },
			credentials: { weChatCallbackApi: CALLBACK_CREDENTIAL },
		},
		{ id: 'node-noop', name: 'Record', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
	]);
}

function triggerUrl(port: number, query: Record<string, string>): string {
	return `http://127.0.0.1:${port}/webhook/${TRIGGER_WEBHOOK_ID}/webhook?${new URLSearchParams(query)}`;
}

// ---- reading n8n's records ----------------------------------------------------------------------

interface ExecutionRow {
	id: string;
	status: string;
	workflowId: string;
	retryOf: string | null;
}

async function executionsOf(cluster: Cluster, workflowId: string): Promise<ExecutionRow[]> {
	return await pgQuery<ExecutionRow>(
		cluster.pgPort,
		'n8n_queue',
		'SELECT id::text AS id, status, "workflowId", "retryOf"::text AS "retryOf" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
		[workflowId],
	);
}

/** Output items of each node of one execution, and its error, from n8n's stored execution data. */
async function executionData(cluster: Cluster, executionId: string): Promise<{ items: Record<string, Array<Record<string, unknown>>>; error?: string }> {
	const [row] = await pgQuery<{ data: string }>(cluster.pgPort, 'n8n_queue', 'SELECT data FROM execution_data WHERE "executionId" = $1', [Number(executionId)]);
	const run = flatted.parse(row.data) as {
		resultData: { error?: { message?: string }; runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> };
	};
	const items: Record<string, Array<Record<string, unknown>>> = {};
	for (const [node, runs] of Object.entries(run.resultData.runData)) items[node] = (runs[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	return { items, error: run.resultData.error?.message };
}

/** Which worker started each execution, from the workers' logs ("Worker started execution 12 (job 5)"). */
function workerOfExecutions(cluster: Cluster): Map<string, string> {
	const byExecution = new Map<string, string>();
	for (const worker of cluster.workers) {
		const log = existsSync(worker.log) ? readFileSync(worker.log, 'utf8') : '';
		for (const match of log.matchAll(/Worker started execution (\d+)/g)) byExecution.set(match[1], worker.name);
	}
	return byExecution;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

async function waitForExecutions(cluster: Cluster, workflowId: string, count: number, timeoutMs: number): Promise<ExecutionRow[]> {
	let rows: ExecutionRow[] = [];
	await waitFor(
		`${count} executions of ${workflowId}`,
		async () => {
			rows = await executionsOf(cluster, workflowId);
			return rows.length >= count && rows.every((row) => FINISHED.has(row.status));
		},
		timeoutMs,
	);
	return rows;
}

// ---- the scenarios ------------------------------------------------------------------------------

interface Check {
	scenario: string;
	what: string;
	ok: boolean;
}
const checks: Check[] = [];
const figures: Record<string, Record<string, unknown>> = {};

function check(scenario: string, what: string, ok: boolean): void {
	checks.push({ scenario, what, ok });
	console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

async function postRows(cluster: Cluster, run: number): Promise<number> {
	const rows = Array.from({ length: ITEMS }, (_, n) => ({ run, n }));
	const response = await fetch(`http://127.0.0.1:${cluster.webhookPort}/webhook/queue-send`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ rows }),
	});
	return response.status;
}

/** 20 executions × 50 items queued at once through the webhook process; what WeChat and n8n saw. */
async function sendBatch(cluster: Cluster, fake: FakeWeChatServer, firstRun: number, label: string) {
	const before = { executions: (await executionsOf(cluster, 'queueSendRows0001')).length, calls: fake.calls.length, accepted: fake.accepted.length };
	const startedAt = Date.now();
	const statuses = await Promise.all(Array.from({ length: EXECUTIONS }, (_, n) => postRows(cluster, firstRun + n)));
	const rows = (await waitForExecutions(cluster, 'queueSendRows0001', before.executions + EXECUTIONS, 600000)).slice(before.executions);
	const seconds = (Date.now() - startedAt) / 1000;
	const calls = fake.calls.slice(before.calls);
	const workerOf = workerOfExecutions(cluster);
	const perWorker: Record<string, number> = {};
	for (const row of rows) perWorker[workerOf.get(row.id) ?? 'unknown'] = (perWorker[workerOf.get(row.id) ?? 'unknown'] ?? 0) + 1;
	const tokenCalls = calls.filter((call) => call.path === '/cgi-bin/stable_token' || call.path === '/cgi-bin/token');
	const result = {
		webhookAnswers: [...new Set(statuses)].join(','),
		executions: rows.length,
		succeeded: rows.filter((row) => row.status === 'success').length,
		failed: rows.filter((row) => row.status !== 'success').length,
		perWorker,
		sendsAccepted: fake.accepted.length - before.accepted,
		apiCalls: calls.length - tokenCalls.length,
		tokenRequests: tokenCalls.length,
		forcedRefreshes: tokenCalls.filter((call) => (call.body as { force_refresh?: boolean } | undefined)?.force_refresh === true).length,
		answered45009: calls.filter((call) => (call.answer as { errcode?: number } | undefined)?.errcode === 45009).length,
		// WeChat's 60 sends a minute (the fake's minute is a second): refused sends, waited for and repeated.
		answered45011: calls.filter((call) => (call.answer as { errcode?: number } | undefined)?.errcode === 45011).length,
		rejectedTokenAnswers: calls.filter((call) => [40001, 40014, 42001].includes((call.answer as { errcode?: number } | undefined)?.errcode ?? 0)).length,
		seconds,
	};
	figures[label] = result;
	console.log(`  ${JSON.stringify(result)}`);
	return result;
}

async function scenarioThroughput(cluster: Cluster, fake: FakeWeChatServer): Promise<void> {
	console.log(`\n1. ${EXECUTIONS} executions × ${ITEMS} items (Send to Tag, Get Status, Speed: Get) queued at once`);
	console.log(' a) cold: no token stored yet');
	const cold = await sendBatch(cluster, fake, 1000, '1a cold start');
	check('1', 'cold start: every execution succeeded', cold.succeeded === EXECUTIONS && cold.failed === 0);
	check('1', `cold start: token requests ≤ ${WORKERS} (one per worker at most; reported: ${cold.tokenRequests})`, cold.tokenRequests >= 1 && cold.tokenRequests <= WORKERS);
	console.log(' b) warm: the token stored by the cold run');
	const warm = await sendBatch(cluster, fake, 2000, '1b token stored first');
	check('1', 'warm: every execution succeeded', warm.succeeded === EXECUTIONS && warm.failed === 0);
	check('1', 'warm: no token request (1 in all since the token was stored)', warm.tokenRequests === 0);
	for (const batch of [cold, warm]) {
		check('1', `both workers ran executions (${JSON.stringify(batch.perWorker)})`, Object.keys(batch.perWorker).filter((name) => name.startsWith('worker')).length === WORKERS);
		check('1', `WeChat accepted ${EXECUTIONS * ITEMS} sends`, batch.sendsAccepted === EXECUTIONS * ITEMS);
	}
}

async function scenarioRevokedMidRun(cluster: Cluster, fake: FakeWeChatServer): Promise<void> {
	console.log('\n2. Every token invalidated by another system in the middle of a run (stable endpoint)');
	const callsBefore = fake.apiCalls().length;
	const halfway = callsBefore + (EXECUTIONS * ITEMS * 3) / 2;
	let revokedAt: number | undefined;
	fake.onRequest = (call) => {
		if (revokedAt === undefined && call.path !== '/cgi-bin/stable_token' && fake.apiCalls().length >= halfway) {
			revokedAt = fake.calls.length;
			fake.revokeAllTokens();
		}
	};
	const batch = await sendBatch(cluster, fake, 3000, '2 tokens revoked mid-run');
	fake.onRequest = undefined;
	check('2', 'the tokens were revoked during the run', revokedAt !== undefined && batch.rejectedTokenAnswers > 0);
	check('2', 'every execution succeeded', batch.succeeded === EXECUTIONS && batch.failed === 0);
	check('2', `token requests ≤ workers (${batch.tokenRequests})`, batch.tokenRequests <= WORKERS);
	check('2', `at most one force_refresh (${batch.forcedRefreshes}) and no 45009 (${batch.answered45009})`, batch.forcedRefreshes <= 1 && batch.answered45009 === 0);
	check('2', `WeChat accepted ${EXECUTIONS * ITEMS} sends`, batch.sendsAccepted === EXECUTIONS * ITEMS);
}

async function scenarioStableTokenHandedBack(cluster: Cluster, fake: FakeWeChatServer): Promise<void> {
	console.log('\n2b. WeChat rejects the stored token while the stable endpoint keeps handing it back (only a forced rotation helps)');
	const halfway = fake.apiCalls().length + (EXECUTIONS * ITEMS * 3) / 2;
	let broken = false;
	fake.onRequest = (call) => {
		if (!broken && call.path !== '/cgi-bin/stable_token' && fake.apiCalls().length >= halfway) {
			broken = true;
			fake.breakCurrentStableToken();
		}
	};
	const batch = await sendBatch(cluster, fake, 4000, '2b stable token handed back');
	fake.onRequest = undefined;
	check('2b', 'the token was rejected during the run', broken && batch.rejectedTokenAnswers > 0);
	check('2b', 'every execution succeeded', batch.succeeded === EXECUTIONS && batch.failed === 0);
	// Both workers may reach the forced refresh; after a random pause the second normally finds the new
	// token. If both still force, WeChat refuses the second (45009) and that worker takes the new token.
	check('2b', `one forced rotation (force_refresh requests: ${batch.forcedRefreshes}, refused with 45009: ${batch.answered45009})`, batch.forcedRefreshes - batch.answered45009 === 1);
}

async function scenarioWorkerKilled(cluster: Cluster, fake: FakeWeChatServer, login: () => Promise<string>): Promise<void> {
	console.log('\n3. A worker killed with SIGKILL while its send is in flight (WeChat accepted it and holds the answer)');
	const sendsBefore = fake.callsTo('/cgi-bin/message/mass/sendall').length;
	fake.holdAnswers('/cgi-bin/message/mass/sendall');
	const status = await postHeldSend(cluster);
	await waitFor('the held send to reach WeChat', async () => fake.callsTo('/cgi-bin/message/mass/sendall').length > sendsBefore, 60000);
	const [execution] = await executionsOf(cluster, 'queueHeldSend0001');
	const workerName = workerOfExecutions(cluster).get(execution.id);
	const worker = cluster.workers.find((candidate) => candidate.name === workerName);
	if (!worker) throw new Error(`no worker log names execution ${execution.id}`);
	process.kill(worker.child.pid!, 'SIGKILL');
	await new Promise((resolve) => worker.child.once('exit', resolve));
	fake.releaseHeldAnswers();
	console.log(`  webhook answered ${status}; execution ${execution.id} ran on ${worker.name}, killed`);

	const startedAt = Date.now();
	const [after] = await waitForExecutions(cluster, 'queueHeldSend0001', 1, 180000);
	const afterData = await executionData(cluster, after.id);
	console.log(`  n8n ended execution ${after.id} "${after.status}" after ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${afterData.error ?? 'no error'}`);

	// n8n's own Retry (the executions list's button), then, where it has nothing to go on from, a
	// re-run with the same input, as a user or the source system would do.
	const cookie = await login();
	const retried = await fetch(`http://127.0.0.1:${cluster.mainPort}/rest/executions/${after.id}/retry`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', cookie },
		body: JSON.stringify({ loadWorkflow: false }),
	});
	let rows = retried.ok ? await waitForExecutions(cluster, 'queueHeldSend0001', 2, 120000) : [after];
	const retry = rows.find((row) => row.retryOf === after.id);
	const retryData = retry ? await executionData(cluster, retry.id) : undefined;
	console.log(`  Retry: HTTP ${retried.status}, execution ${retry?.id} "${retry?.status}"${retryData?.error ? `: ${retryData.error}` : ''}`);
	let finished = retry;
	if (retry?.status !== 'success') {
		await postHeldSend(cluster);
		rows = await waitForExecutions(cluster, 'queueHeldSend0001', rows.length + 1, 120000);
		finished = rows[rows.length - 1];
		console.log(`  Re-run with the same input: execution ${finished.id} "${finished.status}"`);
	}
	const accepted = fake.accepted.filter((send) => (send.body.text as { content?: string } | undefined)?.content === 'Held send 1');
	const output = finished ? (await executionData(cluster, finished.id)).items.Send?.[0] : undefined;
	figures['3 worker killed mid-send'] = {
		killedExecution: { status: after.status, error: afterData.error },
		retry: { status: retry?.status, error: retryData?.error },
		recoveredBy: finished === retry ? 'Retry' : 're-run with the same input',
		sendRequests: fake.callsTo('/cgi-bin/message/mass/sendall').length - sendsBefore,
		acceptedSends: accepted.length,
		output,
	};
	console.log(`  ${JSON.stringify(figures['3 worker killed mid-send'])}`);
	check('3', 'the execution was run again and succeeded', finished?.status === 'success');
	check('3', 'WeChat holds exactly one accepted send', accepted.length === 1);
	check('3', 'the node outputs that send\'s msg_id', output !== undefined && String(output.msg_id) === String(accepted[0]?.msgId));

	const restarted = startProcess(`${worker.name}-restarted`, runtime.nodeBin, [runtime.n8nBin, 'worker', '--concurrency=10'], {
		env: { ...cluster.cli.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
	});
	worker.child = restarted;
	worker.log = join(home, 'logs', `${worker.name}-restarted.log`);
}

function postHeldSend(cluster: Cluster): Promise<number> {
	return fetch(`http://127.0.0.1:${cluster.webhookPort}/webhook/queue-held`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ run: 1 }),
	}).then((response) => response.status);
}

async function scenarioTrigger(cluster: Cluster): Promise<void> {
	console.log('\n4. A signed, encrypted MASSSENDJOBFINISH through the webhook process');
	const xml =
		`<xml><ToUserName><![CDATA[${callbackAccount.originalId}]]></ToUserName><FromUserName><![CDATA[oWeChatSystem000000000000000]]></FromUserName>` +
		`<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>` +
		'<MsgID>3147483700</MsgID><Status><![CDATA[send success]]></Status><TotalCount>3456</TotalCount><FilterCount>3400</FilterCount>' +
		'<SentCount>3398</SentCount><ErrorCount>2</ErrorCount></xml>';
	const post = async (request: { query: Record<string, string>; body: string }) => {
		const response = await fetch(triggerUrl(cluster.webhookPort, request.query), { method: 'POST', body: request.body, headers: { 'Content-Type': 'text/xml' } });
		return `${response.status} ${await response.text()}`;
	};
	const first = safeRequest(callbackAccount, xml);
	const answers = [await post(first)];
	await waitForExecutions(cluster, 'queueTrigger00001', 1, 60000);
	// The same request again, and WeChat's re-delivery of the event (freshly signed).
	answers.push(await post(first), await post(safeRequest(callbackAccount, xml)));
	await sleep(5000);
	const rows = await executionsOf(cluster, 'queueTrigger00001');
	figures['4 trigger through the webhook process'] = { answers, executions: rows.length, statuses: rows.map((row) => row.status) };
	console.log(`  ${JSON.stringify(figures['4 trigger through the webhook process'])}`);
	check('4', 'the event started exactly one execution, which succeeded', rows.length === 1 && rows[0].status === 'success');
	check('4', 'WeChat got "success" each time', answers.every((answer) => answer === '200 success'));
}

async function scenarioSameSendOnTwoWorkers(cluster: Cluster, fake: FakeWeChatServer): Promise<void> {
	console.log('\n6. The same Send to OpenIDs queued twice at once, the lists differing by one follower (20,000 and 20,001)');
	const openId = (n: number) => `oQueue${String(n).padStart(22, '0')}`;
	const list = Array.from({ length: 20000 }, (_, n) => openId(n));
	const lists = [list, [...list, openId(99999)]];
	const before = fake.accepted.length;
	const post = (ids: string[]) =>
		fetch(`http://127.0.0.1:${cluster.webhookPort}/webhook/queue-same`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ rows: ids.map((openid) => ({ openid })) }),
		}).then((response) => response.status);
	const statuses = await Promise.all(lists.map(post));
	const rows = await waitForExecutions(cluster, 'queueSameSend0001', 2, 300000);
	const workerOf = workerOfExecutions(cluster);
	const outputs = await Promise.all(rows.map(async (row) => (await executionData(cluster, row.id)).items.Send ?? []));
	const deliveries = new Map<string, number>();
	for (const send of fake.accepted.slice(before)) for (const id of send.body.touser as string[]) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
	const twice = [...deliveries.values()].filter((count) => count > 1).length;
	const count = (items: Array<Record<string, unknown>>, field: string) => items.reduce((sum, item) => sum + (typeof item[field] === 'number' ? (item[field] as number) : 0), 0);
	const reportedCounts = outputs.map((items) => count(items, 'notSentCount'));
	// Each run's output accounts for its whole list: followers in its calls (sent now or before) and followers it reports as not sent.
	const accountedFor = outputs.map((items) => count(items.filter((item) => item.notSentCount === undefined), 'recipientCount') + count(items, 'notSentCount')).sort();
	const [processedData] = await pgQuery<{ rows: string }>(cluster.pgPort, 'n8n_queue', 'SELECT count(*)::text AS rows FROM processed_data WHERE "workflowId" = $1', ['queueSameSend0001']);
	figures['6 same send on two workers'] = {
		webhookAnswers: statuses,
		executions: rows.map((row) => ({ id: row.id, status: row.status, worker: workerOf.get(row.id) })),
		acceptedCalls: fake.accepted.length - before,
		followersReached: deliveries.size,
		reachedTwice: twice,
		notSentReported: reportedCounts,
		accountedFor,
		deduplicationStoreRows: Number(processedData?.rows ?? 0),
	};
	console.log(`  ${JSON.stringify(figures['6 same send on two workers'])}`);
	check('6', 'both executions ran, on two workers, and succeeded', rows.length === 2 && rows.every((row) => row.status === 'success') && new Set(rows.map((row) => workerOf.get(row.id))).size === 2);
	check('6', 'nobody was sent it twice', twice === 0);
	check('6', 'each run\'s output accounts for every follower of its list, reached or reported as not sent', JSON.stringify(accountedFor) === JSON.stringify([20000, 20001]));
	check('6', 'every follower of the shorter list was reached once', list.every((id) => deliveries.get(id) === 1));
	check('6', "the node wrote to n8n's deduplication store", Number(processedData?.rows ?? 0) > 0);
}

async function scenarioStoredCredential(cluster: Cluster): Promise<void> {
	console.log('\n5. The stored credential afterwards (n8n export:credentials --decrypted)');
	const exported = await cluster.cli.exportCredentialsDecrypted();
	const weChat = exported.find((credential) => credential.id === WECHAT_CREDENTIAL.id);
	const own = new Set(['appId', 'appSecret', 'grantEndpoint', 'baseUrl', 'accessToken', 'accessTokenIssuedFor']);
	const keys = Object.keys(weChat?.data ?? {});
	figures['5 stored credential'] = { fields: keys };
	console.log(`  fields: ${keys.join(', ')}`);
	check('5', 'only the credential\'s own fields', keys.length > 0 && keys.every((key) => own.has(key)));
	check('5', 'a token is stored with its owner digest', typeof weChat?.data.accessToken === 'string' && /^[0-9a-f]{64}$/.test(String(weChat?.data.accessTokenIssuedFor)));
}

async function ownerLogin(mainPort: number): Promise<string> {
	const base = `http://127.0.0.1:${mainPort}`;
	const owner = { email: 'owner@example.com', firstName: 'Queue', lastName: 'Owner', password: 'QueueMode123!' };
	await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(owner) });
	const response = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`login failed: HTTP ${response.status}`);
	return cookie.split(';')[0];
}

async function main(): Promise<void> {
	rmSync(join(home, 'logs'), { recursive: true, force: true });
	mkdirSync(join(home, 'logs'), { recursive: true });
	const fake = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 1000, sendRateWindowMs: 1000, recordBodies: true }).start();
	const startedAt = Date.now();
	try {
		const [redisPort, pgPort] = [await freePort(), await freePort()];
		await startRedis(redisPort);
		await startPostgres(pgPort);
		console.log(`Redis :${redisPort}, PostgreSQL :${pgPort}, fake WeChat ${fake.baseUrl}; starting n8n ${N8N_VERSION} (main, ${WORKERS} workers, webhook)`);
		const cluster = await startN8n(pgPort, redisPort, fake);
		console.log(`n8n main :${cluster.mainPort}, webhook :${cluster.webhookPort}, up after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);

		await scenarioThroughput(cluster, fake);
		await scenarioRevokedMidRun(cluster, fake);
		await scenarioStableTokenHandedBack(cluster, fake);
		// Before a worker is killed: both workers take jobs.
		await scenarioSameSendOnTwoWorkers(cluster, fake);
		await scenarioWorkerKilled(cluster, fake, () => ownerLogin(cluster.mainPort));
		await scenarioTrigger(cluster);
		await scenarioStoredCredential(cluster);
	} finally {
		await stopAll();
		await fake.stop();
	}
	const n8nNode = execFileSync(runtime.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), n8nNode, n8n: N8N_VERSION };
	const failed = checks.filter((entry) => !entry.ok);
	writeFileSync(join(home, 'results.json'), JSON.stringify({ machine, figures, checks, seconds: (Date.now() - startedAt) / 1000 }, null, 2));
	console.log(`\n${checks.length - failed.length}/${checks.length} checks passed in ${((Date.now() - startedAt) / 1000).toFixed(0)} s on ${JSON.stringify(machine)}`);
	console.log(`Figures: ${join(home, 'results.json')}; logs: ${join(home, 'logs')}`);
	if (failed.length > 0) process.exitCode = 1;
}

main().catch(async (error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	await stopAll();
	process.exit(1);
});
