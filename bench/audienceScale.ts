// Audience scale: one combined Send to OpenIDs (mode "One Send for All Items") to N distinct
// 28-character OpenIDs. Input `items` (the usual case): N input items, each with one OpenID, mapped
// with '={{ $json.openid }}'. Input `oneItem`: one input item whose `openids` field holds all N
// (e.g. after an Aggregate node), mapped with '={{ $json.openids }}', which leaves out n8n's
// per-item expression evaluation and shows the node's own work.
// Run once per size in a fresh process (`node audienceScale.js <size> [items|oneItem]`), so peak
// memory figures belong to one size only. The fake WeChat server runs in its own process and reports
// how long it spent handling the sends, which is subtracted to get the node's own time.
import './lib/environment';

import { createEnvironment } from '../test/harness/workflow';
import { IpcChild } from './lib/childProcess';
import { EventLoopWatch } from './lib/eventLoopWatch';
import { emitResult, log, runMain } from './lib/report';
import { mib, msSince, round } from './lib/stats';

const SEND_PATH = '/cgi-bin/message/mass/send';
const WARM_UP_OPENIDS = 20_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

interface ServerInfo {
	baseUrl: string;
	appId: string;
	appSecret: string;
}

/** `count` distinct OpenIDs, 28 characters of [A-Za-z0-9_-]: 'o', the index in base 64, then pseudo-random filler. */
function openIds(count: number, seed: number): string[] {
	let state = seed >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) % 64;
	};
	const result = new Array<string>(count);
	for (let index = 0; index < count; index++) {
		let id = 'o';
		for (let digit = 0, rest = index; digit < 5; digit++, rest = Math.floor(rest / 64)) id += ALPHABET[rest % 64];
		for (let filler = 0; filler < 22; filler++) id += ALPHABET[next()];
		result[index] = id;
	}
	return result;
}

async function main(): Promise<void> {
	const size = Number(process.argv[2] ?? 100_000);
	const input = process.argv[3] === 'oneItem' ? 'oneItem' : 'items';
	// WeChat's minute (60 sends, repeat window) shortened to 1 s on both sides, so that a 100-call send
	// measures the node's work rather than a minute's wait for WeChat's rate limit.
	const wechat = await IpcChild.start('lib/fakeWeChatProcess.js', [JSON.stringify({ recordBodies: false, sendRateWindowMs: 1000, clientMsgIdRepeatWindowMs: 1000 })]);
	const server = await wechat.request<ServerInfo>('info');
	const env = await createEnvironment({ baseUrl: server.baseUrl, appId: server.appId, appSecret: server.appSecret });
	const parameters = {
		resource: 'massMessage',
		operation: 'sendToOpenIds',
		mode: 'combined',
		openIds: input === 'items' ? '={{ $json.openid }}' : '={{ $json.openids }}',
		messageType: 'text',
		text: 'Spring sale starts today',
		options: { repeatWaitSeconds: 1.1, confirmWithinSeconds: 30 },
	};

	// What the node remembers between runs, kept as n8n keeps a production execution's static data.
	let saved = { data: {} };
	const send = async (ids: string[], text = parameters.text) => {
		const items = input === 'items' ? ids.map((openid) => ({ json: { openid } })) : [{ json: { openids: ids } }];
		const start = process.hrtime.bigint();
		const result = await env.n8n.run({ parameters: { ...parameters, text }, items, savedStaticData: saved });
		const wallMs = msSince(start);
		if (result.error) throw result.error;
		const { startTime, executionTime } = result.run.data.resultData.runData.WeChat[0];
		return { wallMs, nodeStart: startTime, nodeMs: executionTime, output: result.json };
	};

	// Warm-up (JIT, the token fetch), then measure only the sends of the real run. Another message:
	// the same one to another list, its memory then dropped, would rightly be held up at WeChat.
	await send(openIds(WARM_UP_OPENIDS, 7), 'Warm-up');

	const audience = openIds(size, 42);
	saved = { data: {} };
	await wechat.request('resetHandlingTime');
	const acceptedBefore = (await wechat.request<{ accepted: number }>('counts')).accepted;
	global.gc?.();
	const before = process.memoryUsage();
	const watch = new EventLoopWatch().start();
	const cpuBefore = process.cpuUsage();
	const run = await send(audience);
	const cpu = process.cpuUsage(cpuBefore);
	watch.stop();
	const maxRssBytes = process.resourceUsage().maxRSS * 1024;

	const handling = await wechat.request<Record<string, { requests: number; ms: number }>>('handlingTime');
	const recipients = await wechat.request<number[]>('acceptedSince', acceptedBefore);
	const staticDataBytes = JSON.stringify(saved.data).length;
	const ledgerEntries = env.deduplication.size;

	// The same send again the same day with 500 followers more: only they get it, the rest is remembered.
	const grown = [...openIds(500, 4242).map((id) => `p${id.slice(1)}`), ...audience];
	const acceptedBeforeRerun = (await wechat.request<{ accepted: number }>('counts')).accepted;
	const rerun = await send(grown);
	const rerunRecipients = (await wechat.request<number[]>('acceptedSince', acceptedBeforeRerun)).reduce((sum, count) => sum + count, 0);
	await wechat.stop();
	if (rerunRecipients !== 500) throw new Error(`the re-run with 500 new followers sent to ${rerunRecipients}`);

	const serverMs = handling[SEND_PATH]?.ms ?? 0;
	const delivered = recipients.reduce((sum, count) => sum + count, 0);
	if (delivered !== size || run.output.length !== recipients.length) {
		throw new Error(`expected ${size} recipients in ${run.output.length} sends, the server accepted ${delivered} in ${recipients.length}`);
	}
	const nodeEnd = run.nodeStart + run.nodeMs;
	const result = {
		size,
		input,
		sendCalls: handling[SEND_PATH]?.requests ?? 0,
		acceptedSends: recipients.length,
		largestSend: Math.max(...recipients),
		smallestSend: Math.min(...recipients),
		outputItems: run.output.length,
		workflowWallMs: round(run.wallMs, 0),
		nodeMs: run.nodeMs,
		serverHandlingMs: round(serverMs, 0),
		nodeMsExcludingServer: round(run.nodeMs - serverMs, 0),
		workflowCpuMs: round((cpu.user + cpu.system) / 1000, 0),
		perRecipientUs: round(((run.nodeMs - serverMs) * 1000) / size, 2),
		longestEventLoopBlockInNodeMs: watch.longestWithin(run.nodeStart, nodeEnd),
		/** [ms after the node started, ms blocked] for each block longer than 150 ms. */
		eventLoopBlocksOver150Ms: watch.blocksWithin(run.nodeStart, nodeEnd, 150),
		rssBeforeMiB: mib(before.rss),
		heapUsedBeforeMiB: mib(before.heapUsed),
		peakHeapUsedMiB: mib(watch.peakHeapUsed),
		maxRssMiB: mib(maxRssBytes),
		/** What the node keeps in the workflow's static data after the send (JSON characters). */
		staticDataBytes,
		/** Entries in n8n's deduplication store after the warm-up and the send (each an MD5 hash there). */
		ledgerEntries,
		rerunWith500NewMs: rerun.nodeMs,
		rerunRecipients,
	};
	log(
		`${size.toLocaleString('en-US')} OpenIDs (input: ${input}): ${result.sendCalls} sends (${result.smallestSend}..${result.largestSend} each); ` +
			`node ${result.nodeMs} ms of which server ${result.serverHandlingMs} ms -> node alone ${result.nodeMsExcludingServer} ms ` +
			`(${result.perRecipientUs} µs per recipient); workflow ${result.workflowWallMs} ms; peak heap ${result.peakHeapUsedMiB} MiB, max RSS ${result.maxRssMiB} MiB; ` +
			`longest event-loop block in the node ${result.longestEventLoopBlockInNodeMs} ms; static data ${staticDataBytes} bytes; deduplication store ${ledgerEntries} entries; ` +
			`a re-run with 500 new followers sent ${rerunRecipients} in ${rerun.nodeMs} ms`,
	);
	emitResult({ benchmark: 'audienceScale', ...result });
}

runMain(main);
