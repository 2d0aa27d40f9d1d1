import type { IDataObject } from 'n8n-workflow';

import { FakeWeChatServer, type FakeWeChatOptions } from '../../fake-wechat/server';
import { createEnvironment, type TestEnvironment } from '../../harness/workflow';

export const openId = (n: number) => `oWx${String(n).padStart(25, '0')}`;

/** Fast repeat timing for tests: the fake server's minute (repeat window, 60-sends rule) is 150 ms instead of WeChat's minute. */
export const fastRepeats = { confirmWithinSeconds: 10, repeatWaitSeconds: 0.2 };

export interface Fixture {
	wechat: FakeWeChatServer;
	env: TestEnvironment;
}

/** A fake WeChat server with a few media IDs registered, and a credential store pointing at it. */
export async function startFixture(options: FakeWeChatOptions = {}, grantEndpoint: 'stable' | 'classic' = 'stable'): Promise<Fixture> {
	const wechat = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 150, sendRateWindowMs: 150, ...options }).start();
	wechat.registerMedia('NEWS_MEDIA_ID', 'news');
	wechat.registerMedia('VOICE_MEDIA_ID', 'voice');
	wechat.registerMedia('VIDEO_MEDIA_ID', 'mpvideo');
	for (let i = 1; i <= 9; i++) wechat.registerMedia(`IMAGE_${i}`, 'image');
	const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret, grantEndpoint });
	return { wechat, env };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often each OpenID was in a Send to OpenIDs call that WeChat accepted. */
export function deliveries(wechat: FakeWeChatServer): Map<string, number> {
	const counts = new Map<string, number>();
	for (const send of wechat.accepted) {
		for (const id of (send.body.touser as string[] | undefined) ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}

/** Nobody got a send twice, and each of `openIds` got it once. */
export function expectEachOnce(wechat: FakeWeChatServer, openIds: string[]): void {
	const counts = deliveries(wechat);
	expect([...counts.entries()].filter(([, count]) => count > 1)).toEqual([]);
	expect(openIds.filter((id) => counts.get(id) !== 1)).toEqual([]);
}

/** Nobody got a send twice. */
export function expectNobodyTwice(wechat: FakeWeChatServer): void {
	expect([...deliveries(wechat).entries()].filter(([, count]) => count > 1)).toEqual([]);
}

/** Sets the faked clock to a moment in China time, e.g. '2026-12-01T09:00:00'. */
export const atChinaTime = (isoInChina: string) => jest.setSystemTime(new Date(`${isoInChina}+08:00`));

/** Jest's fake timers for the clock (Date) alone: timers and the event loop run as they are. */
export const FAKE_CLOCK_ONLY = {
	doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'],
} as const;

/** Runs `body` with only the clock faked, for the day rules; `body` sets it with atChinaTime. */
export async function withFakeClock(body: () => Promise<void>): Promise<void> {
	jest.useFakeTimers({ doNotFake: [...FAKE_CLOCK_ONLY.doNotFake] });
	try {
		await body();
	} finally {
		jest.useRealTimers();
	}
}

/** Send to OpenIDs, One Send for All Items, to each item's `openid`, with the item's `text` if it has one. */
export const sendToColumn = (options: IDataObject = {}) => ({
	resource: 'massMessage',
	operation: 'sendToOpenIds',
	mode: 'combined',
	openIds: '={{ $json.openid }}',
	messageType: 'text',
	text: '={{ $json.text ?? "Spring sale" }}',
	options: { ...fastRepeats, ...options },
});

/** One input item per OpenID, as a sheet's rows. */
export const rows = (list: string[], extra: IDataObject = {}) => list.map((openid) => ({ json: { openid, ...extra } }));
