// Audience from n8n: Follower > Add Tag for 100,000 OpenIDs (one input item each, as from a sheet),
// and Follower > Get Many with Return All over 1,000,000 followers. Each is measured with the fake
// WeChat server in its own process (lib/fakeWeChatProcess.ts), which reports its own handling time;
// the tagging is compared, in the same run, with the same calls made straight from undici (what a
// hand-built loop of HTTP requests costs at the least).
//   node audienceTagging.js
import './lib/environment';

import type { IDataObject } from 'n8n-workflow';
import { Pool } from 'undici';

import { generatedOpenId } from '../test/fake-wechat/audience';
import { createEnvironment } from '../test/harness/workflow';
import { IpcChild } from './lib/childProcess';
import { EventLoopWatch } from './lib/eventLoopWatch';
import { emitResult, log, runMain } from './lib/report';
import { mib, msSince, round } from './lib/stats';

const TAGGED = 100_000;
const FOLLOWERS = 1_000_000;
const TAG_ID = 100;
const TAGGING_PATH = '/cgi-bin/tags/members/batchtagging';

interface ServerInfo {
	baseUrl: string;
	appId: string;
	appSecret: string;
}

async function main(): Promise<void> {
	const wechat = await IpcChild.start('lib/fakeWeChatProcess.js', [JSON.stringify({ recordBodies: false })]);
	const server = await wechat.request<ServerInfo>('info');
	await wechat.request('generateFollowers', FOLLOWERS);
	const env = await createEnvironment({ baseUrl: server.baseUrl, appId: server.appId, appSecret: server.appSecret });
	const tagRef = { __rl: true, mode: 'id', value: String(TAG_ID) };

	const run = async (parameters: IDataObject, items: Array<{ json: IDataObject }>) => {
		await wechat.request('resetHandlingTime');
		global.gc?.();
		const before = process.memoryUsage();
		const watch = new EventLoopWatch().start();
		const result = await env.n8n.run({ parameters, items });
		watch.stop();
		if (result.error) throw result.error;
		const { startTime, executionTime } = result.run.data.resultData.runData.WeChat[0];
		const handling = await wechat.request<Record<string, { requests: number; ms: number }>>('handlingTime');
		return { result, nodeMs: executionTime, handling, longestBlockMs: watch.longestWithin(startTime, startTime + executionTime), peakHeapMiB: mib(watch.peakHeapUsed), heapBeforeMiB: mib(before.heapUsed) };
	};

	// Warm-up: JIT and the token.
	await run({ resource: 'follower', operation: 'addTag', tagId: tagRef, openIds: '={{ $json.openid }}' }, [{ json: { openid: generatedOpenId(FOLLOWERS - 1) } }]);

	// 1. Tagging 100,000 followers from 100,000 items.
	const openIds = Array.from({ length: TAGGED }, (_, index) => generatedOpenId(index));
	const tagging = await run({ resource: 'follower', operation: 'addTag', tagId: tagRef, openIds: '={{ $json.openid }}' }, openIds.map((openid) => ({ json: { openid } })));
	const tagged = await wechat.request<number>('tagMembers', TAG_ID);
	if (tagged !== TAGGED + 1 || tagging.result.json.length !== TAGGED) throw new Error(`expected ${TAGGED} followers tagged in ${TAGGED} items; the tag has ${tagged}, the output ${tagging.result.json.length} items`);
	const taggingCalls = tagging.handling[TAGGING_PATH]?.requests ?? 0;
	const taggingServerMs = tagging.handling[TAGGING_PATH]?.ms ?? 0;

	// The same calls from undici, with the node's token: the least such a loop can cost.
	const token = String(env.store.get('cred-1').data.accessToken ?? '');
	const pool = new Pool(server.baseUrl, { connections: 1 });
	await wechat.request('resetHandlingTime');
	const rawStart = process.hrtime.bigint();
	for (let from = 0; from < TAGGED; from += 50) {
		const response = await pool.request({
			method: 'POST',
			path: `/cgi-bin/tags/members/batchuntagging?access_token=${token}`,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ openid_list: openIds.slice(from, from + 50), tagid: TAG_ID }),
		});
		const answer = (await response.body.json()) as { errcode?: number };
		if (answer.errcode) throw new Error(`undici loop: errcode ${answer.errcode}`);
	}
	const rawMs = msSince(rawStart);
	const rawServerMs = (await wechat.request<Record<string, { ms: number }>>('handlingTime'))['/cgi-bin/tags/members/batchuntagging']?.ms ?? 0;
	await pool.close();

	// 2. Reading 1,000,000 followers.
	const reading = await run({ resource: 'follower', operation: 'getAll', returnAll: true }, [{ json: {} }]);
	if (reading.result.json.length !== FOLLOWERS) throw new Error(`Get Many returned ${reading.result.json.length} of ${FOLLOWERS} followers`);
	const pages = reading.handling['/cgi-bin/user/get']?.requests ?? 0;
	await wechat.stop();

	const nodeAloneMs = tagging.nodeMs - taggingServerMs;
	const rawAloneMs = rawMs - rawServerMs;
	const result = {
		tagging: {
			openIds: TAGGED,
			calls: taggingCalls,
			nodeMs: tagging.nodeMs,
			serverMs: round(taggingServerMs, 0),
			nodeMsExcludingServer: round(nodeAloneMs, 0),
			undiciLoopMsExcludingServer: round(rawAloneMs, 0),
			ratioNodeToUndiciLoop: round(nodeAloneMs / rawAloneMs),
			longestEventLoopBlockMs: tagging.longestBlockMs,
			peakHeapMiB: tagging.peakHeapMiB,
		},
		reading: {
			followers: FOLLOWERS,
			pages,
			nodeMs: reading.nodeMs,
			serverMs: round(reading.handling['/cgi-bin/user/get']?.ms ?? 0, 0),
			longestEventLoopBlockMs: reading.longestBlockMs,
			peakHeapMiB: reading.peakHeapMiB,
			heapBeforeMiB: reading.heapBeforeMiB,
		},
	};
	log(
		`Add Tag, ${TAGGED.toLocaleString('en-US')} OpenIDs: ${taggingCalls} calls, node ${result.tagging.nodeMs} ms (server ${result.tagging.serverMs} ms; node alone ${result.tagging.nodeMsExcludingServer} ms, ` +
			`undici loop ${result.tagging.undiciLoopMsExcludingServer} ms, ratio ${result.tagging.ratioNodeToUndiciLoop}); longest event-loop block ${result.tagging.longestEventLoopBlockMs} ms; peak heap ${result.tagging.peakHeapMiB} MiB`,
	);
	log(
		`Get Many, ${FOLLOWERS.toLocaleString('en-US')} followers: ${pages} pages, node ${result.reading.nodeMs} ms (server ${result.reading.serverMs} ms); ` +
			`longest event-loop block ${result.reading.longestEventLoopBlockMs} ms; peak heap ${result.reading.peakHeapMiB} MiB (before ${result.reading.heapBeforeMiB} MiB)`,
	);
	emitResult({ benchmark: 'audienceTagging', ...result });
}

runMain(main);
