// Starting compiled benchmark scripts as child processes: each benchmark (and each audience size)
// gets a fresh process, so heap sizes, JIT state and peak memory figures never mix.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { RESULT_PREFIX, type BenchmarkResult } from './report';

/** The folder holding the compiled benchmark scripts (.cache/tools/bench). */
export const COMPILED_BENCH_DIR = join(__dirname, '..');

export interface ChildRun {
	results: BenchmarkResult[];
	exitCode: number | null;
}

/** Runs `script` (relative to the compiled bench folder), echoing its output and collecting its results. */
export function runScript(script: string, args: string[] = [], nodeOptions: string[] = []): Promise<ChildRun> {
	return new Promise((resolve, reject) => {
		const child = fork(join(COMPILED_BENCH_DIR, script), args, { execArgv: nodeOptions, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
		const results: BenchmarkResult[] = [];
		let pending = '';
		child.stdout!.setEncoding('utf8');
		child.stdout!.on('data', (chunk: string) => {
			pending += chunk;
			let newline: number;
			while ((newline = pending.indexOf('\n')) >= 0) {
				const line = pending.slice(0, newline);
				pending = pending.slice(newline + 1);
				if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchmarkResult);
				else process.stdout.write(`  ${line}\n`);
			}
		});
		child.on('error', reject);
		child.on('exit', (exitCode) => resolve({ results, exitCode }));
	});
}

/** A child process that answers requests sent over IPC; used to keep a fake WeChat server off the measured process. */
export class IpcChild {
	private nextId = 1;
	private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

	private constructor(private readonly child: ChildProcess) {
		child.on('message', (message: { id: number; value?: unknown; error?: string }) => {
			const entry = this.waiting.get(message.id);
			if (!entry) return;
			this.waiting.delete(message.id);
			if (message.error !== undefined) entry.reject(new Error(message.error));
			else entry.resolve(message.value);
		});
	}

	/** Starts `script` and waits for its first message (id 0), which says it is ready. */
	static async start(script: string, args: string[] = []): Promise<IpcChild> {
		const child = fork(join(COMPILED_BENCH_DIR, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		await new Promise<void>((resolve, reject) => {
			child.once('message', () => resolve());
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready`)));
		});
		return new IpcChild(child);
	}

	request<T>(command: string, argument?: unknown): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.child.send({ id, command, argument });
		});
	}

	async stop(): Promise<void> {
		await this.request('stop').catch(() => undefined);
		await new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
	}
}
