// Token economy: how many times the access-token endpoint is called for 20 executions x 50 items
// of mixed operations, run by two n8n processes (queue-mode workers) sharing one credential store,
// with the stable and the classic token endpoint. Compared with the same work done the way a
// hand-built HTTP Request flow does it: one token fetch at the start of every execution.
import './lib/environment';

import { Pool } from 'undici';

import { FakeWeChatServer } from '../test/fake-wechat/server';
import { N8nProcess, createEnvironment, type TestEnvironment } from '../test/harness/workflow';
import { emitResult, log, runMain } from './lib/report';

const EXECUTIONS = 20;
const ITEMS_PER_EXECUTION = 50;
const WORKERS = 2;
const TAG_ID = 100;
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** The fake server's (and WeChat's) grace period for a classic token after a newer one was issued. */
const CLASSIC_GRACE_MS = 300 * 1000;
const TOKEN_LIFETIME_MS = 7200 * 1000;

type GrantEndpoint = 'stable' | 'classic';

const FAST_REPEATS = { repeatWaitSeconds: 0.2, confirmWithinSeconds: 10 };
type Operation = 'sendToTag' | 'getStatus' | 'speedGet';

/** Each worker's executions cycle through these, so a status check always follows a send of its own. */
const SCHEDULE: Operation[] = ['sendToTag', 'getStatus', 'speedGet'];

interface Tally {
	executions: number;
	failedExecutions: number;
	outputItems: number;
}

function newTally(): Tally {
	return { executions: 0, failedExecutions: 0, outputItems: 0 };
}

/** One queue-mode worker running the WeChat Mass Message node. */
class NodeWorker {
	private msgIds: number[] = [];
	private executed = 0;

	constructor(
		private readonly name: string,
		private readonly n8n: N8nProcess,
		private readonly tally: Tally,
	) {}

	async execute(): Promise<void> {
		const operation = SCHEDULE[this.executed++ % SCHEDULE.length];
		const rows = Array.from({ length: ITEMS_PER_EXECUTION }, (_, row) => ({ json: { row, note: `${this.name}-${this.executed}-${row}` } }));
		// Each item a different message: the node refuses identical sends in one run, and WeChat delivers a repeat once.
		const text = '={{ "Weekly update " + $json.note }}';
		const spec =
			operation === 'sendToTag'
				? { parameters: { resource: 'massMessage', operation, sendTo: 'tag', tagId: TAG_ID, messageType: 'text', text, options: FAST_REPEATS }, items: rows }
				: operation === 'getStatus'
					? { parameters: { resource: 'massMessage', operation, messageId: '={{ $json.msg_id }}' }, items: this.msgIds.map((msg_id) => ({ json: { msg_id } })) }
					: { parameters: { resource: 'speed', operation: 'get' }, items: rows };
		const result = await this.n8n.run(spec);
		this.tally.executions++;
		if (result.error) {
			this.tally.failedExecutions++;
			log(`    execution failed (${operation}): ${result.error.message}`);
			return;
		}
		this.tally.outputItems += result.items.length;
		if (operation === 'sendToTag') this.msgIds = result.json.map((json) => Number(json.msg_id));
	}

	async executeMany(count: number): Promise<void> {
		for (let n = 0; n < count; n++) await this.execute();
	}
}

/** The hand-built flow: an HTTP Request for a token at the start of each execution, then the same calls. */
class HandBuiltFlowWorker {
	private msgIds: number[] = [];
	private executed = 0;

	constructor(
		private readonly pool: Pool,
		private readonly wechat: FakeWeChatServer,
		private readonly grantEndpoint: GrantEndpoint,
		private readonly tally: Tally,
	) {}

	private async post<T>(path: string, token: string, body: object): Promise<T> {
		const response = await this.pool.request({
			method: 'POST',
			path: `${path}?access_token=${encodeURIComponent(token)}`,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await response.body.json()) as T;
	}

	private async fetchToken(): Promise<string> {
		const { appId, appSecret } = this.wechat;
		const response =
			this.grantEndpoint === 'classic'
				? await this.pool.request({ method: 'GET', path: `/cgi-bin/token?grant_type=client_credential&appid=${appId}&secret=${appSecret}` })
				: await this.pool.request({
						method: 'POST',
						path: '/cgi-bin/stable_token',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false }),
					});
		return ((await response.body.json()) as { access_token: string }).access_token;
	}

	async execute(): Promise<void> {
		const operation = SCHEDULE[this.executed++ % SCHEDULE.length];
		const executionId = `flow-${this.executed}-${Math.random().toString(36).slice(2, 8)}`;
		const token = await this.fetchToken();
		this.tally.executions++;
		const answers: Array<{ errcode?: number; msg_id?: number }> = [];
		for (let item = 0; item < ITEMS_PER_EXECUTION; item++) {
			if (operation === 'sendToTag') {
				answers.push(
					await this.post('/cgi-bin/message/mass/sendall', token, {
						filter: { is_to_all: false, tag_id: TAG_ID },
						msgtype: 'text',
						text: { content: `Weekly update ${executionId}-${item}` },
						send_ignore_reprint: 0,
						clientmsgid: `${executionId}-${item}`,
					}),
				);
			} else if (operation === 'getStatus') {
				answers.push(await this.post('/cgi-bin/message/mass/get', token, { msg_id: this.msgIds[item] }));
			} else {
				answers.push(await this.post('/cgi-bin/message/mass/speed/get', token, {}));
			}
		}
		if (answers.some((answer) => (answer.errcode ?? 0) !== 0)) this.tally.failedExecutions++;
		this.tally.outputItems += answers.length;
		if (operation === 'sendToTag') this.msgIds = answers.map((answer) => Number(answer.msg_id));
	}

	async executeMany(count: number): Promise<void> {
		for (let n = 0; n < count; n++) await this.execute();
	}
}

interface ScenarioResult {
	scenario: string;
	tokenEndpointCalls: number;
	distinctTokensIssued: number;
	apiCalls: number;
	tokenRejections: number;
	executions: number;
	failedExecutions: number;
	outputItems: number;
	[key: string]: string | number;
}

class Stage {
	readonly wechat: FakeWeChatServer;
	env!: TestEnvironment;
	readonly tally = newTally();
	private mark = 0;

	constructor(readonly grantEndpoint: GrantEndpoint) {
		// WeChat takes 60 mass sends a minute; here that "minute" is a millisecond, so the run measures
		// tokens, not WeChat's pace (which the hand-built flow, sending without pause, would not survive).
		this.wechat = new FakeWeChatServer({
			recordBodies: false,
			classicGraceMs: CLASSIC_GRACE_MS,
			tokenLifetimeMs: TOKEN_LIFETIME_MS,
			sendRateWindowMs: 1,
			clientMsgIdRepeatWindowMs: 150,
		});
	}

	async start(): Promise<this> {
		await this.wechat.start();
		this.env = await createEnvironment({ baseUrl: this.wechat.baseUrl, appId: this.wechat.appId, appSecret: this.wechat.appSecret, grantEndpoint: this.grantEndpoint });
		return this;
	}

	nodeWorkers(): NodeWorker[] {
		return Array.from(
			{ length: WORKERS },
			(_, index) => new NodeWorker(`worker${index + 1}`, index === 0 ? this.env.n8n : new N8nProcess(this.env.pkg, this.env.store), this.tally),
		);
	}

	/** Starts counting from here: what `measure` reports is what happened after the last call to this. */
	resetCounts(): void {
		this.mark = this.wechat.calls.length;
		Object.assign(this.tally, newTally());
	}

	measure(scenario: string): ScenarioResult {
		const calls = this.wechat.calls.slice(this.mark);
		const tokenCalls = calls.filter((call) => call.path === '/cgi-bin/token' || call.path === '/cgi-bin/stable_token');
		const apiCalls = calls.filter((call) => !tokenCalls.includes(call));
		const tokens = new Set(tokenCalls.map((call) => (call.answer as { access_token?: string }).access_token));
		return {
			scenario,
			tokenEndpointCalls: tokenCalls.length,
			distinctTokensIssued: tokens.size,
			apiCalls: apiCalls.length,
			tokenRejections: apiCalls.filter((call) => TOKEN_ERRCODES.has((call.answer as { errcode?: number }).errcode ?? 0)).length,
			...this.tally,
		};
	}

	async stop(): Promise<void> {
		await this.wechat.stop();
	}
}

const perWorker = EXECUTIONS / WORKERS;

async function coldStartRace(grantEndpoint: GrantEndpoint): Promise<ScenarioResult[]> {
	const stage = await new Stage(grantEndpoint).start();
	const workers = stage.nodeWorkers();
	stage.resetCounts();
	await Promise.all(workers.map((worker) => worker.executeMany(perWorker)));
	const race = stage.measure('node: cold start race (both workers start at once, empty token)');
	const storedToken = stage.env.store.get('cred-1').data.accessToken;
	const lastIssued = [...stage.wechat.tokenRequests()].reverse()[0]?.answer as { access_token?: string } | undefined;
	race.storedTokenIsNewest = storedToken === lastIssued?.access_token ? 'yes' : 'no';

	// What the race leaves behind: once a classic token's grace period is over, only the newest works.
	stage.wechat.advanceClock(CLASSIC_GRACE_MS + 1000);
	stage.resetCounts();
	await Promise.all(workers.map((worker) => worker.executeMany(1)));
	const after = stage.measure('node: same workers, 5 min later (one execution each)');
	await stage.stop();
	return [race, after];
}

async function staggeredAndSteady(grantEndpoint: GrantEndpoint): Promise<ScenarioResult[]> {
	const stage = await new Stage(grantEndpoint).start();
	const [first, ...others] = stage.nodeWorkers();
	stage.resetCounts();
	await first.execute();
	await Promise.all([first.executeMany(perWorker - 1), ...others.map((worker) => worker.executeMany(perWorker))]);
	const staggered = stage.measure('node: cold start, one worker first (empty token)');

	stage.resetCounts();
	const workers = [first, ...others];
	await Promise.all(workers.map((worker) => worker.executeMany(perWorker)));
	const steady = stage.measure('node: steady state (token already stored)');

	// Every two hours the token expires while both workers are busy.
	stage.wechat.advanceClock(TOKEN_LIFETIME_MS);
	stage.resetCounts();
	await Promise.all(workers.map((worker) => worker.executeMany(perWorker)));
	const expiry = stage.measure('node: token expires while both workers run');
	await stage.stop();
	return [staggered, steady, expiry];
}

async function handBuiltFlow(grantEndpoint: GrantEndpoint): Promise<ScenarioResult> {
	const stage = await new Stage(grantEndpoint).start();
	const pool = new Pool(stage.wechat.baseUrl, { connections: WORKERS });
	const workers = Array.from({ length: WORKERS }, () => new HandBuiltFlowWorker(pool, stage.wechat, grantEndpoint, stage.tally));
	stage.resetCounts();
	await Promise.all(workers.map((worker) => worker.executeMany(perWorker)));
	const result = stage.measure('hand-built HTTP flow: token fetched per execution');
	await pool.close();
	await stage.stop();
	return result;
}

function printTable(grantEndpoint: GrantEndpoint, rows: ScenarioResult[]): void {
	log(`\n${grantEndpoint} token endpoint (${EXECUTIONS} executions x ${ITEMS_PER_EXECUTION} items, ${WORKERS} workers)`);
	log('| scenario | token calls | distinct tokens | API calls | token rejections | executions (failed) |');
	log('|---|---:|---:|---:|---:|---:|');
	for (const row of rows) {
		log(`| ${row.scenario} | ${row.tokenEndpointCalls} | ${row.distinctTokensIssued} | ${row.apiCalls} | ${row.tokenRejections} | ${row.executions} (${row.failedExecutions}) |`);
	}
}

async function main(): Promise<void> {
	for (const grantEndpoint of ['stable', 'classic'] as const) {
		const [staggered, steady, expiry] = await staggeredAndSteady(grantEndpoint);
		const [race, afterRace] = await coldStartRace(grantEndpoint);
		const baseline = await handBuiltFlow(grantEndpoint);
		const rows = [staggered, race, afterRace, steady, expiry, baseline];
		printTable(grantEndpoint, rows);
		log(`race: the credential ends up holding the newest token: ${race.storedTokenIsNewest}`);
		emitResult({
			benchmark: 'tokenEconomy',
			grantEndpoint,
			executions: EXECUTIONS,
			itemsPerExecution: ITEMS_PER_EXECUTION,
			workers: WORKERS,
			scenarios: rows,
			ratioBaselineToNodeStaggered: baseline.tokenEndpointCalls / Math.max(1, staggered.tokenEndpointCalls),
			ratioBaselineToNodeRace: baseline.tokenEndpointCalls / Math.max(1, race.tokenEndpointCalls),
		});
	}
}

runMain(main);
