// One per-item policy for every operation, as n8n's own nodes keep it: every item's parameters are
// read and checked before the first call; without Continue On Fail a bad item fails the node before
// anything happens at WeChat, with it the bad item becomes an error item (paired with it, naming it and
// the field) and the others go on. Each row gives an operation a good item 1 and a bad item 2.
import type { IDataObject } from 'n8n-workflow';

import { SAMPLE_JPEG, SAMPLE_PNG } from '../../../helpers/fileServer';
import { WeChatMassMessage } from '../../../../nodes/WeChatMassMessage/WeChatMassMessage.node';
import { generatedOpenId } from '../../../fake-wechat/audience';
import { type Fixture, openId, startFixture } from '../fixtures';

type Item = { json: IDataObject; binary?: Record<string, { data: string; mimeType: string; fileName?: string }> };
interface Case {
	parameters: IDataObject;
	/** The two items, or how to make them from what `setUp` made at WeChat. */
	items: [Item, Item] | ((made: IDataObject) => [Item, Item]);
	/** How the error names item 2's field. */
	field: string;
	/** Calls to WeChat that change nothing (reads made before anything is changed), allowed before the refusal. */
	reads?: string[];
	/** What the row needs at WeChat first (a send, a publish), made outside the run under test. */
	setUp?: (f: Fixture) => Promise<IDataObject | void> | IDataObject | void;
}

/** A send WeChat accepted, whose msg_id the items name. */
async function sentMessage(f: Fixture): Promise<IDataObject> {
	const sent = await f.env.n8n.run({ parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'text', text: 'Earlier' } });
	f.wechat.calls.length = 0;
	return { msgId: String(sent.json[0].msg_id) };
}

/** A published article, whose article_id the items name. */
function publishedArticle(f: Fixture): IDataObject {
	f.wechat.registerDraft('DRAFT_P', ['Published']);
	const { publish_id: publishId } = f.wechat.publisher.submit({ media_id: 'DRAFT_P' }) as { publish_id: string };
	return { articleId: (f.wechat.publisher.status({ publish_id: publishId }) as { article_id: string }).article_id, publishId };
}

const tag = (value: string) => ({ __rl: true, mode: 'id', value });
const draft = (value: string) => ({ __rl: true, mode: 'id', value });
const image = (bytes: Buffer, mimeType: string, fileName: string) => ({ data: { data: bytes.toString('base64'), mimeType, fileName } });
const TAGS = ['/cgi-bin/tags/get'];

const cases: Record<string, Case> = {
	'massMessage.sendToTag': { parameters: { sendTo: 'tag', tagId: tag('={{ $json.tag }}'), messageType: 'text', text: 'Hi' }, items: [{ json: { tag: '100' } }, { json: { tag: 'vip' } }], field: 'Tag' },
	'massMessage.sendToOpenIds': {
		parameters: { mode: 'perItem', openIds: '={{ $json.ids }}', messageType: 'text', text: '={{ $json.text }}' },
		items: [{ json: { ids: [openId(1), openId(2)], text: 'A' } }, { json: { ids: ['not-an-openid', openId(3)], text: 'B' } }],
		field: 'OpenIDs',
	},
	'massMessage.preview': { parameters: { previewTo: 'openId', openId: '={{ $json.to }}', messageType: 'text', text: 'Hi' }, items: [{ json: { to: openId(1) } }, { json: { to: 'x' } }], field: 'OpenID' },
	'massMessage.delete': {
		parameters: { deleteBy: 'messageId', messageId: '={{ $json.id }}', articleIndex: '={{ $json.index }}' },
		items: ({ msgId }) => [{ json: { id: msgId, index: 0 } }, { json: { id: msgId, index: 9 } }],
		field: 'Article',
		setUp: sentMessage,
	},
	'massMessage.getStatus': { parameters: { messageId: '={{ $json.id }}' }, items: ({ msgId }) => [{ json: { id: msgId } }, { json: { id: 'abc' } }], field: 'Message ID', setUp: sentMessage },
	'massMessage.getArticleStats': { parameters: { msgDataId: '={{ $json.id }}' }, items: [{ json: { id: '2247483648' } }, { json: { id: 'x' } }], field: 'Message Data ID' },
	'draft.create': {
		parameters: { articles: { article: [{ title: '={{ $json.title }}', content: '<p>Hi</p>', coverImage: { __rl: true, mode: 'id', value: 'IMAGE_1' } }] } },
		items: [{ json: { title: 'Spring' } }, { json: { title: '' } }],
		field: 'Articles > Article 1 > Title',
	},
	'draft.get': { parameters: { draftMediaId: draft('={{ $json.id }}') }, items: [{ json: { id: 'DRAFT_A' } }, { json: { id: '' } }], field: 'Draft' },
	'draft.getAll': { parameters: { limit: '={{ $json.limit }}' }, items: [{ json: { limit: 5 } }, { json: { limit: 0 } }], field: 'Limit' },
	'draft.delete': { parameters: { draftMediaId: draft('={{ $json.id }}') }, items: [{ json: { id: 'DRAFT_A' } }, { json: { id: '' } }], field: 'Draft' },
	'draft.publish': {
		parameters: { draftMediaId: draft('={{ $json.id }}'), waitUntilPublished: true, pollIntervalSeconds: '={{ $json.poll }}', timeLimitSeconds: 5 },
		items: [{ json: { id: 'DRAFT_A', poll: 1 } }, { json: { id: 'DRAFT_B', poll: 0 } }],
		field: 'Poll Interval (Seconds)',
	},
	'publishedArticle.get': { parameters: { articleId: '={{ $json.id }}' }, items: ({ articleId }) => [{ json: { id: articleId } }, { json: { id: '' } }], field: 'Article ID', setUp: publishedArticle },
	'publishedArticle.getAll': { parameters: { limit: '={{ $json.limit }}' }, items: [{ json: { limit: 5 } }, { json: { limit: 0 } }], field: 'Limit' },
	'publishedArticle.getPublishStatus': { parameters: { publishId: '={{ $json.id }}' }, items: ({ publishId }) => [{ json: { id: publishId } }, { json: { id: '' } }], field: 'Publish ID', setUp: publishedArticle },
	'publishedArticle.delete': {
		parameters: { articleId: '={{ $json.id }}', articleIndex: '={{ $json.index }}' },
		items: ({ articleId }) => [{ json: { id: articleId, index: 1 } }, { json: { id: articleId, index: 9 } }],
		field: 'Article Index',
		setUp: publishedArticle,
	},
	'media.upload': {
		parameters: { mediaType: 'image', binaryPropertyName: '={{ $json.property }}' },
		items: [
			{ json: { property: 'data' }, binary: image(SAMPLE_PNG, 'image/png', 'a.png') },
			{ json: { property: 'missing' }, binary: image(SAMPLE_PNG, 'image/png', 'b.png') },
		],
		field: 'Input Binary Field',
	},
	'media.uploadArticleImage': {
		parameters: { binaryPropertyName: 'data' },
		items: [{ json: {}, binary: image(SAMPLE_PNG, 'image/png', 'a.png') }, { json: {}, binary: image(Buffer.from('GIF89a'), 'image/gif', 'b.gif') }],
		field: 'Input Binary Field',
	},
	'media.uploadArticles': {
		parameters: { articles: { article: [{ title: '={{ $json.title }}', thumbMediaId: 'THUMB_1', content: '<p>Hi</p>' }] } },
		items: [{ json: { title: 'Spring' } }, { json: { title: ' ' } }],
		field: 'Articles > Article 1 > Title',
		setUp: (f) => void f.wechat.registerMedia('THUMB_1', 'thumb', 'temporary'),
	},
	'media.uploadPermanent': {
		parameters: { mediaType: 'image', binaryPropertyName: 'data' },
		items: [{ json: {}, binary: image(SAMPLE_JPEG, 'image/jpeg', 'a.jpg') }, { json: {}, binary: image(Buffer.from('not an image'), 'text/plain', 'b.txt') }],
		field: 'Input Binary Field',
	},
	'media.uploadVideo': { parameters: { videoMediaId: '={{ $json.id }}', title: 'T', description: 'D' }, items: [{ json: { id: 'VIDEO_1' } }, { json: { id: '' } }], field: 'Video Media ID', setUp: (f) => void f.wechat.registerMedia('VIDEO_1', 'video') },
	'qrCode.create': { parameters: { sceneStr: '={{ $json.scene }}' }, items: [{ json: { scene: 'spring-2026' } }, { json: { scene: 'x'.repeat(65) } }], field: 'Scene' },
	'tag.create': { parameters: { name: '={{ $json.name }}' }, items: [{ json: { name: 'Spring' } }, { json: { name: 'x'.repeat(40) } }], field: 'Name' },
	'tag.getAll': { parameters: { returnAll: false, limit: '={{ $json.limit }}' }, items: [{ json: { limit: 5 } }, { json: { limit: 0 } }], field: 'Limit' },
	'tag.update': { parameters: { tagId: tag('={{ $json.tag }}'), name: '={{ $json.name }}' }, items: [{ json: { tag: '100', name: 'VIP 2027' } }, { json: { tag: '999', name: 'Gone' } }], field: 'Tag', reads: TAGS },
	'tag.delete': { parameters: { tagId: tag('={{ $json.tag }}') }, items: [{ json: { tag: '100' } }, { json: { tag: '1' } }], field: 'Tag' },
	'follower.addTag': { parameters: { tagId: tag('={{ $json.tag }}'), openIds: '={{ $json.openid }}' }, items: [{ json: { tag: '100', openid: generatedOpenId(1) } }, { json: { tag: '999', openid: generatedOpenId(2) } }], field: 'Tag', reads: TAGS },
	'follower.removeTag': { parameters: { tagId: tag('={{ $json.tag }}'), openIds: '={{ $json.openid }}' }, items: [{ json: { tag: '100', openid: generatedOpenId(1) } }, { json: { tag: '100', openid: 'x' } }], field: 'OpenIDs' },
	'follower.getAll': { parameters: { returnAll: false, limit: '={{ $json.limit }}' }, items: [{ json: { limit: 5 } }, { json: { limit: 0 } }], field: 'Limit' },
	'follower.getAllInTag': { parameters: { tagId: tag('={{ $json.tag }}'), returnAll: true }, items: [{ json: { tag: '100' } }, { json: { tag: '999' } }], field: 'Tag', reads: TAGS },
	'follower.getTags': { parameters: { openId: '={{ $json.openid }}' }, items: [{ json: { openid: generatedOpenId(1) } }, { json: { openid: 'x' } }], field: 'OpenID' },
	'follower.get': { parameters: { openIds: '={{ $json.openid }}' }, items: [{ json: { openid: generatedOpenId(1) } }, { json: { openid: 'x' } }], field: 'OpenIDs' },
	'speed.set': { parameters: { speed: '={{ $json.speed }}' }, items: [{ json: { speed: 1 } }, { json: { speed: 9 } }], field: 'Speed' },
};

/** Operations whose items carry no parameter that can be wrong. */
const nothingToCheck: Record<string, string> = {
	'speed.get': 'reads the account\'s speed; an item has no parameters',
};

/** Every resource and operation the node offers, from its description. */
function operationsOfNode(): string[] {
	const { properties } = new WeChatMassMessage().description;
	const resources = properties.find((property) => property.name === 'resource')!.options as Array<{ value: string }>;
	return resources.flatMap(({ value: resource }) => {
		const operations = properties.find((property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[] | undefined)?.includes(resource));
		return (operations!.options as Array<{ value: string }>).map(({ value }) => `${resource}.${value}`);
	});
}

test('the table covers every operation of the node', () => {
	expect([...Object.keys(cases), ...Object.keys(nothingToCheck)].sort()).toEqual(operationsOfNode().sort());
});

describe.each(Object.entries(cases))('%s with a bad item 2', (name, spec) => {
	let f: Fixture;
	let items: [Item, Item];
	beforeEach(async () => {
		f = await startFixture();
		f.wechat.registerDraft('DRAFT_A', ['Spring sale']);
		f.wechat.registerDraft('DRAFT_B', ['Summer sale']);
		f.wechat.audience.generateFollowers(10);
		const made = (await spec.setUp?.(f)) ?? {};
		items = typeof spec.items === 'function' ? spec.items(made) : spec.items;
	});
	afterEach(async () => f.wechat.stop());

	const [resource, operation] = name.split('.');
	const run = (continueOnFail: boolean) => f.env.n8n.run({ typeVersion: 4, parameters: { resource, operation, ...spec.parameters }, items, continueOnFail });

	test('without Continue On Fail: the node fails before anything happens at WeChat, naming item 2 and the field', async () => {
		const result = await run(false);
		expect(result.error?.message).toMatch(new RegExp(`^Item 2, "${spec.field.replace(/[()]/g, '\\$&')}": `));
		expect(f.wechat.apiCalls().map((call) => call.path).filter((path) => !(spec.reads ?? []).includes(path))).toEqual([]);
	});

	test('with Continue On Fail: item 2 is an error item paired with it, and item 1 goes through', async () => {
		const result = await run(true);
		expect(result.error).toBeUndefined();
		const failed = result.items.filter((item) => item.json.error !== undefined);
		expect(failed).toEqual([expect.objectContaining({ pairedItem: [{ item: 1 }] })]);
		expect(String(failed[0].json.error)).toMatch(new RegExp(`^Item 2, "${spec.field.replace(/[()]/g, '\\$&')}": `));
		const paired = (item: (typeof result.items)[number]) => (Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]).map((pair) => (pair as { item: number }).item);
		expect(result.items.filter((item) => item.json.error === undefined).every((item) => paired(item).every((index) => index === 0))).toBe(true);
		expect(f.wechat.apiCalls().filter((call) => !(spec.reads ?? []).includes(call.path)).length).toBeGreaterThan(0);
	});
});
