// A started n8n driven through its REST API the way the editor drives it: the owner account, a
// logged-in session, manual runs (the editor's "Execute workflow", the only runs that use pinned
// data) and credential tests. Works with n8n 1.x and 2.x, whose manual-run requests differ.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

import type { ExecutionOutput, N8nCli } from './n8nCli';

type Item = ExecutionOutput['items'][string][number];

/** A workflow as n8n exports it; `pinData` holds each pinned node's items. */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{ name: string; type: string; disabled?: boolean }>;
	connections: Record<string, Record<string, Array<Array<{ node: string }> | null>>>;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
	settings?: Record<string, unknown>;
	active?: boolean;
}

export interface ManualExecution extends ExecutionOutput {
	id: string;
	/** Every output of each node's first run, by node name (an If node's second output is its false branch). */
	outputs: Record<string, Item[][]>;
	/** The nodes in the order they ran. */
	ranNodes: string[];
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export class N8nRequestError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		method: string,
		path: string,
	) {
		super(`n8n answered ${method} ${path} with ${status}: ${body.slice(0, 2000)}`);
	}
}

interface StoredExecution {
	id: string;
	status: string;
	finished: boolean;
	/** The run in n8n's flatted format (JSON of an array of shared values: runs hold circular references). */
	data?: string | Record<string, unknown>;
}

interface RunData {
	resultData: {
		runData: Record<string, Array<{ startTime?: number; data?: { main?: Array<Item[] | null> } }>>;
		error?: ExecutionOutput['error'];
	};
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export class N8nServer {
	/** The owner account this class creates on a fresh n8n. */
	static readonly OWNER = { email: 'owner@example.com', firstName: 'E2e', lastName: 'Owner', password: 'E2eOwner123!' };

	private child: ChildProcess | undefined;
	private cookie = '';
	private port = 0;

	constructor(readonly cli: N8nCli) {}

	/** http://127.0.0.1:<port> of the running server. */
	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Starts n8n on `port` (a free one by default), creates the owner account and logs in. */
	async start(port?: number): Promise<this> {
		this.port = port ?? (await freePort());
		this.child = await this.cli.start(this.port);
		try {
			// n8n answers its health check before it has mounted its REST API, and mounts it route by route.
			// A user folder that ran a server before has its owner already: n8n refuses a second setup (400).
			await this.sendOnceMounted('POST', '/rest/owner/setup', N8nServer.OWNER).catch((error: unknown) => {
				if (!(error instanceof N8nRequestError && error.status === 400)) throw error;
			});
			const login = await this.sendOnceMounted('POST', '/rest/login', { emailOrLdapLoginId: N8nServer.OWNER.email, password: N8nServer.OWNER.password });
			const cookie = login.headers.getSetCookie().find((header) => header.startsWith('n8n-auth='));
			if (!cookie) throw new Error(`n8n's login set no n8n-auth cookie: ${login.status} ${await login.text()}`);
			this.cookie = cookie.split(';')[0];
			return this;
		} catch (error) {
			await this.stop();
			throw error;
		}
	}

	/** Stops n8n and waits for its process to end. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
		await exited;
		clearTimeout(timer);
	}

	/**
	 * `send`, repeated while n8n answers 404 because it has not mounted the route yet, 503 while its database is not
	 * ready, or 200 with "n8n is starting up. Please wait", which it answers every request with before it is ready
	 * (up to 60 s).
	 */
	private async sendOnceMounted(method: string, path: string, body?: unknown): Promise<Response> {
		const deadline = Date.now() + 60000;
		for (;;) {
			try {
				const response = await this.send(method, path, body);
				if (!(await response.clone().text()).startsWith('n8n is starting up') || Date.now() > deadline) return response;
				await new Promise((resolve) => setTimeout(resolve, 250));
			} catch (error) {
				// 503 "Database is not ready!": n8n is still migrating its database (slow on a busy machine).
				if (!(error instanceof N8nRequestError && (error.status === 404 || error.status === 503)) || Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		}
	}

	private async send(method: string, path: string, body?: unknown): Promise<Response> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new N8nRequestError(response.status, await response.text(), method, path);
		return response;
	}

	/** Calls n8n's REST API as the logged-in owner (`path` like /rest/workflows) and returns the answer's `data`. */
	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const answer = (await (await this.send(method, path, body)).json()) as { data: T };
		return answer.data;
	}

	/** Saves a workflow as a new one (POST /rest/workflows; 1.x ignores its id) and returns its id. */
	async createWorkflow(workflow: WorkflowJson): Promise<string> {
		// 1.x stores `active` as sent and has no default for it; the editor sends false.
		const created = await this.request<{ id: string }>('POST', '/rest/workflows', { active: false, ...workflow });
		return created.id;
	}

	/**
	 * Runs a saved workflow (by id), or saves and runs the given one, as the editor's "Execute
	 * workflow" does, from `trigger` (default: the one node nothing leads into) with the workflow's
	 * pinned data, and returns the finished execution.
	 */
	async runManually(workflow: string | WorkflowJson, options: { trigger?: string; timeoutMs?: number } = {}): Promise<ManualExecution> {
		const workflowId = typeof workflow === 'string' ? workflow : await this.createWorkflow(workflow);
		const saved = await this.request<WorkflowJson & { id: string }>('GET', `/rest/workflows/${workflowId}`);
		const triggerToStartFrom = { name: options.trigger ?? startNode(saved) };
		// 2.x runs the saved workflow; 1.x runs the workflow the editor sends along.
		const body = this.cli.runtime.version.startsWith('1.')
			? {
					workflowData: { id: saved.id, name: saved.name, nodes: saved.nodes, connections: saved.connections, settings: saved.settings, pinData: saved.pinData ?? {}, active: false },
					triggerToStartFrom,
				}
			: { triggerToStartFrom };
		const started = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/rest/workflows/${workflowId}/run`, body);
		if (!started.executionId) {
			throw new Error(`n8n did not start a run of ${workflowId} from "${triggerToStartFrom.name}" (${JSON.stringify(started)}): it waits for a request unless the trigger has pinned data`);
		}
		return await this.waitForExecution(started.executionId, options.timeoutMs ?? 120000);
	}

	/** Waits until an execution is no longer new or running and its run is stored, and returns it. */
	async waitForExecution(executionId: string, timeoutMs = 120000): Promise<ManualExecution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.request<StoredExecution>('GET', `/rest/executions/${executionId}`);
			// 1.x on SQLite stores the status and the run in two writes: a read between them finds the status without the run.
			const run = execution.status === 'new' || execution.status === 'running' ? undefined : this.runOf(execution);
			if (run) return this.readExecution(execution, run);
			if (Date.now() > deadline) throw new Error(`execution ${executionId} not finished after ${timeoutMs} ms: ${JSON.stringify(execution).slice(0, 3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** The stored run once it holds an outcome: a node's run, or the error that kept any from running. */
	private runOf(execution: StoredExecution): RunData | undefined {
		const parsed: unknown = typeof execution.data === 'string' ? this.flatted().parse(execution.data) : execution.data;
		if (!isRunData(parsed)) return undefined;
		return Object.keys(parsed.resultData.runData).length > 0 || parsed.resultData.error ? parsed : undefined;
	}

	private readExecution(execution: StoredExecution, run: RunData): ManualExecution {
		const { runData, error } = run.resultData;
		const outputs: ManualExecution['outputs'] = {};
		for (const [node, runs] of Object.entries(runData)) outputs[node] = (runs[0]?.data?.main ?? []).map((output) => output ?? []);
		const items: ExecutionOutput['items'] = {};
		for (const [node, nodeOutputs] of Object.entries(outputs)) items[node] = nodeOutputs[0] ?? [];
		const ranNodes = Object.keys(runData).sort((a, b) => (runData[a][0]?.startTime ?? 0) - (runData[b][0]?.startTime ?? 0));
		return { id: execution.id, status: execution.status, items, outputs, ranNodes, error, raw: typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data) };
	}

	/** n8n's own copy of `flatted`, the format it stores runs in. */
	private flatted(): { parse: (text: string) => unknown } {
		return createRequire(this.cli.runtime.n8nBin)('flatted') as { parse: (text: string) => unknown };
	}

	/** n8n's credential Test (POST /rest/credentials/test) for a saved credential with the given data. */
	async testCredential(credential: { id: string; name: string; type: string; data: Record<string, unknown> }): Promise<CredentialTestResult> {
		return await this.request<CredentialTestResult>('POST', '/rest/credentials/test', { credentials: credential });
	}
}

function isRunData(value: unknown): value is RunData {
	const resultData = (value as { resultData?: { runData?: unknown } } | null)?.resultData;
	return typeof resultData?.runData === 'object' && resultData.runData !== null;
}

/** The workflow's one enabled node that no connection leads into: what "Execute workflow" starts from. */
function startNode(workflow: WorkflowJson): string {
	const targets = new Set(
		Object.values(workflow.connections).flatMap((byType) => Object.values(byType).flatMap((outputs) => outputs.flatMap((output) => (output ?? []).map((to) => to.node)))),
	);
	const starts = workflow.nodes.filter((node) => !node.disabled && node.type !== 'n8n-nodes-base.stickyNote' && !targets.has(node.name));
	if (starts.length !== 1) throw new Error(`name the trigger to start from: the workflow starts at ${starts.map((node) => node.name).join(', ') || 'no node'}`);
	return starts[0].name;
}
