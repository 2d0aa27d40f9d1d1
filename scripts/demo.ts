// The demo: a campaign's loop run against the bundled fake WeChat API on 127.0.0.1, without installing n8n. The
// WeChat node runs in n8n-core with the built package, one step at a time; the WeChat trigger listens as n8n serves
// it, and the fake WeChat pushes its events to it as WeChat pushes them to the account's server URL. One line per
// step says what happened.
import type { IDataObject } from 'n8n-workflow';

import { FakeWeChatServer } from '../test/fake-wechat/server';
import { TriggerHarness } from '../test/harness/webhook';
import { createEnvironment, type WorkflowSpec } from '../test/harness/workflow';
import { FileServer, SAMPLE_JPEG, SAMPLE_PNG } from '../test/helpers/fileServer';

const PUSH = { token: 'demoToken123', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', originalId: 'gh_5a4db0c0ffee' };
const FOLLOWERS = ['oDemo5Fq8Rm1VbT7nYc0Lh2Wd9Pe', 'oDemo5Mz4Gt6Jw0pQa8Xe1Nr7Ub2', 'oDemo5Hd2Ls9Cv5kTn3Bw6Yq0Zi8'];

async function main(): Promise<void> {
	process.env.N8N_LOG_LEVEL ??= 'silent';
	const wechat = await new FakeWeChatServer({ clientMsgIdRepeatWindowMs: 1000 }).start(Number(process.env.FAKE_WECHAT_PORT ?? 0));
	wechat.audience.addFollowers(FOLLOWERS);
	// The blog the article comes from: its chart and its cover image, which WeChat would not show from there.
	const blog = await new FileServer({
		'/images/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' },
		'/images/cover.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' },
	}).start();
	const callback = { appId: wechat.appId, token: PUSH.token, encryptionMode: 'safe' as const, encodingAesSecretKey: PUSH.encodingAesKey };
	// Two workflows' triggers on the account's one server URL, as the examples have them: finished sends and
	// publishes, and follows and scans. Each takes its own events and answers the others 'success'.
	const trigger = await TriggerHarness.create(callback, { events: 'massOrPublishFinished' });
	const followTrigger = await TriggerHarness.create(callback, { events: 'subscribeOrScan' });
	wechat.push.setTargets([
		{ ...PUSH, url: await trigger.listen(), mode: 'safe' },
		{ ...PUSH, url: await followTrigger.listen(), mode: 'safe' },
	]);
	const env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
	console.log(`Fake WeChat API on ${wechat.baseUrl} (App ID ${wechat.appId}); it pushes its events to two WeChat triggers on 127.0.0.1, safe mode`);

	let stepNumber = 0;
	const say = (line: string) => console.log(`${String(++stepNumber).padStart(2)}. ${line}`);
	const run = async (spec: WorkflowSpec): Promise<IDataObject[]> => {
		const result = await env.n8n.run({ typeVersion: 4, ...spec });
		if (result.error) throw new Error(`${String(spec.parameters.resource)}: ${String(spec.parameters.operation)} failed: ${result.error.message}`);
		return result.json as IDataObject[];
	};
	let eventsSeen = 0;
	const nextEvent = async (): Promise<IDataObject> => {
		await wechat.push.settled();
		const start = trigger.starts[eventsSeen++];
		if (!start) throw new Error(`WeChat pushed no event the trigger took: ${JSON.stringify(wechat.push.deliveries.at(-1)?.attempts)}`);
		return start[0][0].json;
	};
	const draft = (title: string): WorkflowSpec => ({
		parameters: {
			resource: 'draft',
			operation: 'create',
			articles: { article: [{ title, content: `<p>Sign-ups grew every month.</p><img src="${blog.url('/images/chart.png')}">`, coverImageUrl: blog.url('/images/cover.jpg') }] },
			// The demo's blog is on this machine: allowed by name, as images come only from public addresses otherwise.
			options: { allowedPrivateHosts: '127.0.0.1' },
		},
	});

	const [created] = await run({ parameters: { resource: 'tag', operation: 'create', name: 'Spring 2026', ifNameTaken: 'useExisting' } });
	const tag = created.tag as { id: number; name: string };
	say(`Tag: Create: tag ${tag.id} "${tag.name}"`);

	const [tagged] = await run({ parameters: { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: String(tag.id) }, openIds: FOLLOWERS.join(',') } });
	say(`Follower: Add Tag: ${(tagged.openid_list as string[]).length} followers now carry tag ${tag.id} (${(tagged.calls as unknown[]).length} call to tags/members/batchtagging)`);

	const [code] = await run({ parameters: { resource: 'qrCode', operation: 'create', qrCodeType: 'temporary', sceneType: 'string', sceneStr: 'spring-2026-poster' } });
	say(`QR Code: Create: ${String(code.actionName)} for scene "${String(code.scene)}", valid ${Number(code.expire_seconds) / 86400} days; ticket ${String(code.ticket).slice(0, 12)}…, image as binary data`);

	// Someone new scans the poster's code and follows the account: WeChat pushes 'subscribe' with the scene.
	const scanned = wechat.qrCodes.scan(String(code.ticket));
	await wechat.push.settled();
	const follow = followTrigger.starts[0]?.[0][0].json;
	if (!follow) throw new Error(`WeChat pushed no follow the trigger took: ${JSON.stringify(wechat.push.deliveries.at(-1)?.attempts)}`);
	say(`WeChat Trigger: a new follower ${String(follow.openid)} followed through the code: event ${String(follow.event)}, scene "${String(follow.scene)}" at ${String(follow.timeChina)}`);

	await run({ parameters: { resource: 'follower', operation: 'addTag', tagId: { __rl: true, mode: 'id', value: String(tag.id) }, openIds: String(follow.openid) } });
	say(`Follower: Add Tag: the new follower carries tag ${tag.id} too (${wechat.audience.membersOf(tag.id).length} followers in it, ${scanned.openid} among them)`);

	const [campaign] = await run(draft('Q1 in numbers'));
	const hosted = campaign.hostedImages as unknown[];
	say(`Draft: Create: draft ${String(campaign.media_id)}, its ${hosted.length} content image hosted on WeChat (media/uploadimg) and its cover downloaded from ${blog.url('/images/cover.jpg')} as permanent material`);

	const [sent] = await run({
		parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'tag', tagId: { __rl: true, mode: 'id', value: String(tag.id) }, messageType: 'mpnews', articleMediaId: { __rl: true, mode: 'id', value: String(campaign.media_id) } },
	});
	say(`Mass Message: Send to Tag: WeChat accepted the draft for the ${String(wechat.accepted.at(-1)?.recipients)} followers of tag ${tag.id}, the one from the QR code among them: msg_id ${String(sent.msg_id)}, msg_data_id ${String(sent.msg_data_id)}`);

	const finished = await nextEvent();
	say(`WeChat Trigger: WeChat pushed ${String(finished.event)} for msg_id ${String(finished.msgId)}: status ${String(finished.status)}, ${String(finished.sentCount)} of ${String(finished.totalCount)} sent, ${String(finished.errorCount)} failed`);

	// A mass send takes its draft out of the draft box, as WeChat does: the website's copy is a draft of its own.
	const [web] = await run(draft('Q1 in numbers (website)'));
	say(`Draft: Create: draft ${String(web.media_id)} for the website (the send took the first one out of the draft box)`);

	const [published] = await run({ typeVersion: 3, parameters: { resource: 'draft', operation: 'publish', draftMediaId: { __rl: true, mode: 'id', value: String(web.media_id) } } });
	const publishedEvent = await nextEvent();
	const urls = (publishedEvent.articleUrls as Array<{ url: string }> | undefined) ?? [];
	say(`Draft: Publish: publish_id ${String(published.publish_id)} ${String(published.publishStatusMeaning)}; WeChat pushed ${String(publishedEvent.event)}: article ${String(publishedEvent.articleId)} at ${urls[0]?.url ?? '?'}`);

	// WeChat has a day's figures once the day is over (China time): the node reads yesterday unless told otherwise, and
	// says so when a send has none yet, as this one, made today.
	const stats = await run({ parameters: { resource: 'massMessage', operation: 'getArticleStats', msgDataId: String(sent.msg_data_id) } });
	const figures = stats
		.map((row) => {
			if (row.figures === false) return `none for ${String(row.begin_date)} (${String(row.reason)})`;
			const read = row.read as { read_user?: number } | undefined;
			const share = row.share as { share_user?: number } | undefined;
			return `article ${String(row.article_index)} on ${String(row.ref_date)}: ${read?.read_user ?? 0} readers, ${share?.share_user ?? 0} sharers`;
		})
		.join('; ');
	say(`Mass Message: Get Article Stats for msg_data_id ${String(sent.msg_data_id)}: ${figures}`);

	console.log(`\nWeChat received ${wechat.apiCalls().length} API calls (${wechat.tokenRequests().length} for an access token) and pushed ${wechat.push.deliveries.length} events.`);
	await trigger.close();
	await followTrigger.close();
	await wechat.stop();
	await blog.stop();
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
