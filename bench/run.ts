// `npm run bench`: runs every benchmark, each in a fresh Node process (and each audience size in its
// own), then prints one summary with the machine it ran on. Benchmarks report figures; they fail
// only when something goes wrong (an error, a wrong answer), never because of a time.
//
//   token economy     tokenEconomy.ts
//   per-item overhead perItemOverhead.ts
//   audience scale    audienceScale.ts <size> <items|oneItem>
//   trigger           triggerThroughput.ts
//   sketch capacity   sketchCapacity.ts
//   audience tagging  audienceTagging.ts
//
// The figures also go to .cache/bench/results.json. BENCH_ONLY=tokenEconomy,triggerThroughput (the
// script names) runs a subset.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT } from '../test/harness/workflow';
import { runScript } from './lib/childProcess';
import { machineInfo } from './lib/machine';
import type { BenchmarkResult } from './lib/report';
import { round } from './lib/stats';

/** Enough for a million input items plus n8n's copies of them (peak heap is about 1.2 GiB). */
const AUDIENCE_NODE_OPTIONS = ['--max-old-space-size=4096', '--expose-gc'];
const AUDIENCE_SIZES = [100_000, 1_000_000];

interface Step {
	script: string;
	title: string;
	args?: string[];
	nodeOptions?: string[];
	/** Runs the script this many times, each in a fresh process. */
	repeats?: number;
}

const STEPS: Step[] = [
	{ script: 'tokenEconomy', title: 'Token economy' },
	{ script: 'perItemOverhead', title: 'Per-item overhead' },
	...(['items', 'oneItem'] as const).flatMap((input) =>
		AUDIENCE_SIZES.map((size) => {
			// The median of 3 processes where a run takes seconds; the million items (a minute) run once.
			const repeats = input === 'items' && size >= 1_000_000 ? 1 : 3;
			return {
				script: 'audienceScale',
				title: `Audience scale: ${size.toLocaleString('en-US')} OpenIDs, input ${input}`,
				args: [String(size), input],
				nodeOptions: AUDIENCE_NODE_OPTIONS,
				repeats,
			};
		}),
	),
	{ script: 'triggerThroughput', title: 'Trigger throughput' },
	{ script: 'sketchCapacity', title: 'Sketch capacity' },
	{ script: 'audienceTagging', title: 'Audience tagging and follower lists', nodeOptions: AUDIENCE_NODE_OPTIONS },
];

type Row = Record<string, unknown>;

function table(header: string[], rows: unknown[][]): string {
	return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function summarize(results: BenchmarkResult[]): string {
	const of = (name: string) => results.filter((result) => result.benchmark === name) as unknown as Row[];
	const parts: string[] = [];

	for (const token of of('tokenEconomy')) {
		parts.push(
			`### Token economy, ${String(token.grantEndpoint)} endpoint (${String(token.executions)} executions x ${String(token.itemsPerExecution)} items, ${String(token.workers)} workers)`,
			table(
				['scenario', 'token calls', 'distinct tokens', 'API calls', 'token rejections', 'executions (failed)'],
				(token.scenarios as Row[]).map((row) => [
					row.scenario,
					row.tokenEndpointCalls,
					row.distinctTokensIssued,
					row.apiCalls,
					row.tokenRejections,
					`${String(row.executions)} (${String(row.failedExecutions)})`,
				]),
			),
			`Token calls, hand-built flow / node: ${String(token.ratioBaselineToNodeStaggered)}x (one worker first), ${String(token.ratioBaselineToNodeRace)}x (cold start race).`,
		);
	}

	for (const audience of of('audienceTagging')) {
		const tagging = audience.tagging as Row;
		const reading = audience.reading as Row;
		parts.push(
			'### Audience tagging and follower lists',
			table(
				['step', 'size', 'calls', 'node ms', 'server ms', 'node ms excl. server', 'longest event-loop block ms', 'peak heap MiB'],
				[
					['Follower > Add Tag (one item per OpenID)', (tagging.openIds as number).toLocaleString('en-US'), tagging.calls, tagging.nodeMs, tagging.serverMs, tagging.nodeMsExcludingServer, tagging.longestEventLoopBlockMs, tagging.peakHeapMiB],
					['Follower > Get Many, Return All', (reading.followers as number).toLocaleString('en-US'), reading.pages, reading.nodeMs, reading.serverMs, round((reading.nodeMs as number) - (reading.serverMs as number), 0), reading.longestEventLoopBlockMs, reading.peakHeapMiB],
				],
			),
			`Add Tag / the same calls from an undici loop (both without the server's time): ${String(tagging.ratioNodeToUndiciLoop)} (${String(tagging.nodeMsExcludingServer)} / ${String(tagging.undiciLoopMsExcludingServer)} ms).`,
		);
	}

	for (const perItem of of('perItemOverhead')) {
		const us = perItem.perItemUs as Record<string, number>;
		const ms = perItem.medianMs as Record<string, number>;
		const label: Record<string, string> = {
			node: 'WeChat node, messageId by expression',
			nodeFixed: 'WeChat node, fixed messageId',
			n8nHelper: "n8n-core's httpRequestWithAuthentication alone",
			nodeGenericAuth: 'WeChat node, credential authenticate as a generic expression (before)',
			raw: 'undici Pool, keep-alive',
			rawNewConnection: 'undici Pool, new connection per request',
		};
		parts.push(
			`### Per-item overhead (${String(perItem.items)} Get Status items, median of ${String(perItem.rounds)})`,
			table(
				['path', 'total ms', 'µs per item', 'ratio to undici keep-alive'],
				Object.keys(us).map((key) => [label[key] ?? key, ms[key], us[key], round(ms[key] / ms.raw)]),
			),
			`Node / undici keep-alive: ${String(perItem.ratioNodeToRaw)} (target ≤ 1.5). Node / n8n helper alone: ${String(perItem.ratioNodeToN8nHelper)}.`,
		);
	}

	// Each size and input ran in one or more fresh processes: report the run with the median node time.
	const audienceRuns = of('audienceScale');
	const audience: Row[] = [];
	for (const key of [...new Set(audienceRuns.map((row) => `${String(row.size)}/${String(row.input)}`))]) {
		const runs = audienceRuns.filter((row) => `${String(row.size)}/${String(row.input)}` === key);
		const sorted = [...runs].sort((a, b) => (a.nodeMsExcludingServer as number) - (b.nodeMsExcludingServer as number));
		audience.push({ ...sorted[Math.floor(sorted.length / 2)], runs: runs.length, nodeMsExcludingServerAllRuns: runs.map((row) => row.nodeMsExcludingServer) });
	}
	if (audience.length > 0) {
		parts.push(
			'### Audience scale (combined Send to OpenIDs; the median run of those in fresh processes)',
			table(
				['OpenIDs', 'input', 'runs', 'sends', 'node ms', 'server ms', 'node ms excl. server', 'µs per recipient', 'longest event-loop block ms', 'peak heap MiB', 'max RSS MiB', 'RSS before MiB', 'RSS growth MiB', 'static data bytes', 're-run with 500 new: ms, sent'],
				audience.map((row) => [
					(row.size as number).toLocaleString('en-US'),
					row.input,
					row.runs,
					row.sendCalls,
					row.nodeMs,
					row.serverHandlingMs,
					row.nodeMsExcludingServer,
					row.perRecipientUs,
					row.longestEventLoopBlockInNodeMs,
					row.peakHeapUsedMiB,
					row.maxRssMiB,
					row.rssBeforeMiB,
					round((row.maxRssMiB as number) - (row.rssBeforeMiB as number), 1),
					row.staticDataBytes,
					`${String(row.rerunWith500NewMs)}, ${String(row.rerunRecipients)}`,
				]),
			),
		);
		for (const input of ['items', 'oneItem']) {
			const small = audience.find((row) => row.input === input && row.size === AUDIENCE_SIZES[0]);
			const large = audience.find((row) => row.input === input && row.size === AUDIENCE_SIZES[1]);
			if (small && large) {
				const timeRatio = round((large.nodeMsExcludingServer as number) / (small.nodeMsExcludingServer as number));
				const growth = (row: Row) => (row.maxRssMiB as number) - (row.rssBeforeMiB as number);
				parts.push(
					`1M / 100k, input ${input}: node time excl. server ${timeRatio} (linear = 10; runs: 100k ${JSON.stringify(small.nodeMsExcludingServerAllRuns)} ms, ` +
						`1M ${JSON.stringify(large.nodeMsExcludingServerAllRuns)} ms), sends ${String(large.sendCalls)} / ${String(small.sendCalls)}, RSS growth ${round(growth(large) / growth(small), 1)}.`,
				);
			}
		}
	}

	const trigger = of('triggerThroughput');
	if (trigger.length > 0) {
		parts.push(
			`### Trigger (${String(trigger[0].events)} signed MASSSENDJOBFINISH events, median of ${String(trigger[0].rounds)})`,
			table(
				[
					'mode',
					'trigger events/s',
					'trigger µs per event',
					'with static data loaded and stored: events/s (µs)',
					'handler alone µs',
					'bare node:crypto events/s',
					'bare µs per event',
					'ratio trigger / bare',
					'ratio with static data / bare',
					'ratio handler / bare',
					'static data chars stored per request (largest)',
				],
				trigger.map((row) => [
					row.mode,
					row.triggerEventsPerSecond,
					row.triggerPerEventUs,
					`${String(row.triggerWithStaticDataEventsPerSecond)} (${String(row.triggerWithStaticDataPerEventUs)})`,
					row.handlerPerEventUs,
					row.bareCryptoEventsPerSecond,
					row.bareCryptoPerEventUs,
					row.ratioTriggerToBareCrypto,
					row.ratioTriggerWithStaticDataToBareCrypto,
					row.ratioHandlerToBareCrypto,
					`${String(row.staticDataCharsPerRequest)} (${String(row.staticDataCharsLargest)})`,
				]),
			),
		);
	}
	for (const sketch of of('sketchCapacity')) {
		parts.push(
			`### Sketch capacity (${String(sketch.sketchBytes)} bytes, ${String(sketch.storedChars)} characters as stored)`,
			table(
				['followers added and removed', 'trials', 'not recoverable'],
				(sketch.rows as Row[]).map((row) => [row.changes, row.trials, row.failures]),
			),
		);
	}
	return parts.join('\n\n');
}

async function main(): Promise<void> {
	const only = process.env.BENCH_ONLY?.split(',');
	const machine = machineInfo();
	console.log(
		`Machine: ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
			`load average ${machine.loadAverage.join(' ')}; ${machine.date}\n`,
	);
	const results: BenchmarkResult[] = [];
	const startedAt = Date.now();
	for (const step of STEPS.filter((entry) => only === undefined || only.includes(entry.script))) {
		console.log(`== ${step.title}`);
		const stepStart = Date.now();
		for (let repeat = 0; repeat < (step.repeats ?? 1); repeat++) {
			const run = await runScript(`${step.script}.js`, step.args, step.nodeOptions);
			if (run.exitCode !== 0) throw new Error(`${step.title} failed (exit code ${String(run.exitCode)})`);
			results.push(...run.results);
		}
		console.log(`   (${round((Date.now() - stepStart) / 1000, 1)} s)\n`);
	}
	const summary = summarize(results);
	const loadAfter = machineInfo().loadAverage;
	console.log(`## Summary\n\n${summary}\n\nTotal ${round((Date.now() - startedAt) / 1000, 0)} s. Load average at the end: ${loadAfter.join(' ')}.`);
	const folder = join(PACKAGE_ROOT, '.cache', 'bench');
	mkdirSync(folder, { recursive: true });
	writeFileSync(join(folder, 'results.json'), `${JSON.stringify({ machine, loadAverageAtEnd: loadAfter, results }, null, 2)}\n`);
	writeFileSync(join(folder, 'summary.md'), `${summary}\n`);
	console.log(`\nFigures written to ${join(folder, 'results.json')} and summary.md.`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
