// Drives a real n8n installation from its command line: import credentials and workflows, execute
// workflows, start the server. Each instance has its own user folder (database, settings, installed
// community packages).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface N8nRuntime {
	nodeBin: string;
	n8nBin: string;
	version: string;
}

export interface ExecutionOutput {
	status: string;
	/** Output items of each node, by node name (first run, first output). */
	items: Record<string, Array<{ json: Record<string, unknown>; pairedItem?: unknown }>>;
	/** The error that stopped the run, as n8n reports it. */
	error?: { message: string; description?: string; node?: { name: string } };
	raw: string;
}

/** How long one n8n CLI command may take: a run of 10,000 items on a busy 2-core machine takes minutes. */
const CLI_TIME_LIMIT_MS = 240_000;

export class N8nCli {
	readonly env: NodeJS.ProcessEnv;

	constructor(
		readonly runtime: N8nRuntime,
		readonly userFolder: string,
		/** n8n's internal task broker listens on a port too (5679 by default): give each instance its own. */
		taskBrokerPort: number,
	) {
		this.env = {
			...process.env,
			N8N_RUNNERS_BROKER_PORT: String(taskBrokerPort),
			PATH: `${join(runtime.nodeBin, '..')}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: 'wechat-mass-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			// The CLI prints its results (execute --rawOutput, list) through the logger at level info.
			N8N_LOG_LEVEL: 'info',
			N8N_SECURE_COOKIE: 'false',
		};
		// n8n 1.123's default expression engine needs isolated-vm, which does not build on Node 20;
		// on Node 20, 1.x runs with its earlier (legacy) engine.
		if (runtime.version.startsWith('1.')) this.env.N8N_EXPRESSION_ENGINE = 'legacy';
		delete this.env.N8N_CUSTOM_EXTENSIONS;
		// Jest sets NODE_ENV=test, under which n8n's CLI prints nothing.
		delete this.env.NODE_ENV;
		delete this.env.JEST_WORKER_ID;
	}

	private async cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
		try {
			const { stdout, stderr } = await run(this.runtime.nodeBin, [this.runtime.n8nBin, ...args], {
				env: this.env,
				maxBuffer: 256 * 1024 * 1024,
				timeout: CLI_TIME_LIMIT_MS,
			});
			return { stdout, stderr, code: 0 };
		} catch (error) {
			const failed = error as { stdout?: string; stderr?: string; code?: number; killed?: boolean };
			// A run cut off by the time limit prints half its JSON: say so rather than leave a parse failure to puzzle over.
			const cutOff = failed.killed ? `\n(n8n ${args[0]} was stopped after ${CLI_TIME_LIMIT_MS / 1000} s)` : '';
			return { stdout: failed.stdout ?? '', stderr: `${failed.stderr ?? ''}${cutOff}`, code: typeof failed.code === 'number' ? failed.code : 1 };
		}
	}

	private async importFile(kind: 'credentials' | 'workflow', content: unknown, name: string): Promise<void> {
		const dir = join(this.userFolder, 'imports');
		mkdirSync(dir, { recursive: true });
		const file = join(dir, `${name}.json`);
		writeFileSync(file, JSON.stringify(content));
		const result = await this.cli([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0) throw new Error(`n8n import:${kind} failed: ${result.stdout}\n${result.stderr}`);
	}

	async importCredentials(credentials: object[]): Promise<void> {
		await this.importFile('credentials', credentials, `credentials-${Date.now()}`);
	}

	async importWorkflow(workflow: { id: string }): Promise<void> {
		await this.importFile('workflow', workflow, `workflow-${workflow.id}`);
	}

	/** Activates a workflow for the next `n8n start` (1.x: update:workflow, 2.x: publish:workflow). */
	async activate(workflowId: string): Promise<void> {
		const args = this.runtime.version.startsWith('1.')
			? ['update:workflow', `--id=${workflowId}`, '--active=true']
			: ['publish:workflow', `--id=${workflowId}`];
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args[0]} failed: ${result.stdout}\n${result.stderr}`);
	}

	/** Every credential as n8n stores it, decrypted (`n8n export:credentials --all --decrypted`). */
	async exportCredentialsDecrypted(): Promise<Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>> {
		const file = join(this.userFolder, 'exports', `credentials-${Date.now()}.json`);
		mkdirSync(dirname(file), { recursive: true });
		const result = await this.cli(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
		if (result.code !== 0) throw new Error(`n8n export:credentials failed: ${result.stdout}\n${result.stderr}`);
		return JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	}

	async execute(workflowId: string): Promise<ExecutionOutput> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const output = result.stdout;
		// The run is printed as indented JSON: from a line "{" to the next line "}"; log lines may surround it.
		const start = output.indexOf('{\n');
		const end = output.indexOf('\n}', start);
		if (start < 0 || end < 0) {
			return { status: 'error', items: {}, error: { message: `${output}\n${result.stderr}`.trim() }, raw: output + result.stderr };
		}
		const run = JSON.parse(output.slice(start, end + 2)) as {
			status?: string;
			data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<ExecutionOutput['items'][string]> } }>>; error?: ExecutionOutput['error'] } };
		};
		const items: ExecutionOutput['items'] = {};
		for (const [node, runs] of Object.entries(run.data.resultData.runData)) items[node] = runs[0]?.data?.main?.[0] ?? [];
		return { status: run.status ?? (run.data.resultData.error ? 'error' : 'success'), items, error: run.data.resultData.error, raw: output };
	}

	/** Starts the n8n server (editor, webhooks) and resolves once it answers on `port`. */
	async start(port: number): Promise<ChildProcess> {
		const child = spawn(this.runtime.nodeBin, [this.runtime.n8nBin, 'start'], {
			env: { ...this.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `http://127.0.0.1:${port}/` },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let log = '';
		child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
		const deadline = Date.now() + 120000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}:\n${log}`);
			try {
				const response = await fetch(`http://127.0.0.1:${port}/healthz`);
				if (response.ok) return child;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		child.kill('SIGKILL');
		throw new Error(`n8n did not start within 120 s:\n${log}`);
	}
}

/** Installs the packed package the way n8n installs a community package: into <user folder>/.n8n/nodes. */
export async function installCommunityPackage(userFolder: string, tarball: string): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--omit=dev', tarball], { cwd: nodesDir });
}
