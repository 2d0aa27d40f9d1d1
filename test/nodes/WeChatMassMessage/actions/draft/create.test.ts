// Draft > Create, against the fake WeChat's draft box and a real web server for the article's images.
// WeChat's rules, from https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add :
// thumb_media_id "必须是永久MediaID"; in content "涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。
// 外部图片url将被过滤". And https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage :
// "图片仅支持jpg/png格式，大小必须在1MB以下".
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { privateAddressKind } from '../../../../../nodes/WeChatMassMessage/transport/download';
import { LATEST_VERSION } from '../../../../../nodes/WeChatMassMessage/actions/versions';
import { FileServer, SAMPLE_GIF, SAMPLE_JPEG, SAMPLE_PNG, SAMPLE_WEBP, jpegOfSize } from '../../../../helpers/fileServer';
import { type Fixture, startFixture } from '../../fixtures';

const createDraft = (articles: IDataObject[], options: IDataObject = {}): IDataObject => ({ resource: 'draft', operation: 'create', articles: { article: articles }, options });
/** A cover the account has as permanent material: picked from the library from version 4, a Cover Media ID before. */
const coverFromLibrary = (typeVersion: number, mediaId = 'IMAGE_1'): IDataObject =>
	typeVersion >= 4 ? { coverImage: { __rl: true, mode: 'list', value: mediaId, cachedResultName: 'cover.jpg' } } : { coverMediaId: mediaId };
const coverItem = (json: IDataObject = {}) => ({ json, binary: { cover: { data: SAMPLE_JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'cover.jpg' } } });

describe('Draft > Create', () => {
	let f: Fixture;
	let site: FileServer;

	beforeEach(async () => {
		f = await startFixture();
		site = await new FileServer({
			'/img/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' },
			'/img/team.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' },
			'/img/lying.jpg': { body: SAMPLE_PNG, contentType: 'image/jpeg' },
			'/img/anim.gif': { body: SAMPLE_GIF, contentType: 'image/gif' },
			'/img/huge.jpg': { body: Buffer.concat([SAMPLE_JPEG, Buffer.alloc(1024 * 1024, 1)]), contentType: 'image/jpeg' },
		}).start();
	});
	afterEach(async () => {
		await f.wechat.stop();
		await site.stop();
	});

	const html = () =>
		`<h1>Q3 results</h1><p><img src="${site.url('/img/chart.png')}" alt="chart"></p><p><img class="wide" src='${site.url('/img/team.jpg')}'></p>`;

	test('hosts the external images, uploads the binary cover as permanent material, and WeChat keeps every image', async () => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([
				{ title: 'Q3 results', content: html(), coverBinaryField: 'cover', author: 'Finance', digest: 'Up 20%', contentSourceUrl: 'https://example.com/q3', openComments: true },
				{ title: 'Team', content: `<img src="${site.url('/img/team.jpg')}">`, coverBinaryField: 'cover' },
			]),
			items: [coverItem()],
		});
		expect(result.error).toBeUndefined();

		// Each external image downloaded and uploaded once, although article 2 uses team.jpg again.
		expect(site.requests).toEqual(['/img/chart.png', '/img/team.jpg']);
		const uploads = f.wechat.callsTo('/cgi-bin/media/uploadimg');
		expect(uploads).toHaveLength(2);
		const [chartUrl, teamUrl] = uploads.map((call) => (call.answer as { url: string }).url);
		expect(chartUrl).toMatch(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_png\//);
		expect(teamUrl).toMatch(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_jpg\//);

		// One permanent image for the cover both articles share.
		const covers = f.wechat.callsTo('/cgi-bin/material/add_material');
		expect(covers.map((call) => call.query.type)).toEqual(['image']);
		const cover = covers[0].answer as { media_id: string; url: string };
		expect(f.wechat.media.get(cover.media_id)).toMatchObject({ type: 'image', lifetime: 'permanent', fileName: 'cover.jpg' });

		const [output] = result.json;
		expect(output).toEqual({
			media_id: expect.any(String),
			articleCount: 2,
			hostedImages: [
				{ article: 1, sourceUrl: site.url('/img/chart.png'), url: chartUrl },
				{ article: 1, sourceUrl: site.url('/img/team.jpg'), url: teamUrl },
				{ article: 2, sourceUrl: site.url('/img/team.jpg'), url: teamUrl },
			],
			imagesLeftOut: [],
			uploadedCovers: [
				{ article: 1, media_id: cover.media_id, url: cover.url },
				{ article: 2, media_id: cover.media_id, url: cover.url },
			],
		});

		const stored = f.wechat.drafts.get(output.media_id as string)!;
		expect(stored.articles[0].content).toBe(`<h1>Q3 results</h1><p><img src="${chartUrl}" alt="chart"></p><p><img class="wide" src="${teamUrl}"></p>`);
		expect(stored.articles[0]).toMatchObject({ title: 'Q3 results', author: 'Finance', digest: 'Up 20%', content_source_url: 'https://example.com/q3', thumb_media_id: cover.media_id, need_open_comment: 1 });
		expect(stored.articles[1].content).toBe(`<img src="${teamUrl}">`);
	});

	test('an image already on WeChat\'s image host (Media > Upload Image for Article) is left as it is', async () => {
		const uploaded = await f.env.n8n.run({
			parameters: { resource: 'media', operation: 'uploadArticleImage' },
			items: [{ json: {}, binary: { data: { data: SAMPLE_PNG.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } } }],
		});
		const hostedUrl = uploaded.json[0].url as string;
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${hostedUrl}">`, coverMediaId: 'IMAGE_1' }]),
		});
		expect(result.json[0].hostedImages).toEqual([]);
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
		expect(f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].content).toBe(`<img src="${hostedUrl}">`);
	});

	test('the same image URL in two items of one execution is uploaded once', async () => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: '={{ $json.title }}', content: `<img src="${site.url('/img/chart.png')}">`, coverMediaId: 'IMAGE_1' }]),
			items: [{ json: { title: 'One' } }, { json: { title: 'Two' } }],
		});
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/img/chart.png']);
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(2);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(0);
	});

	test.each([
		['a missing image', '/img/missing.png', 'the server answered HTTP 404'],
		['a GIF', '/img/anim.gif', 'it is a GIF; WeChat hosts only JPG or PNG images in articles'],
		['an image over 1 MB', '/img/huge.jpg', 'it is 1 MB (1,051,582 bytes); WeChat hosts article images up to 1 MB (1,048,576 bytes)'],
	])('%s fails the item naming the article and the URL, before any material or draft is created', async (_case, path, problem) => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([
				{ title: 'Fine', content: `<img src="${site.url('/img/chart.png')}">`, coverBinaryField: 'cover' },
				{ title: 'Broken', content: `<p>x</p><img src="${site.url(path)}">`, coverBinaryField: 'cover' },
			]),
			items: [coverItem()],
		});
		expect(result.error?.message).toBe(`Item 1, "Articles > Article 2 > Content": the image ${site.url(path)} could not be hosted on WeChat: ${problem}`);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(0);
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('inline (data:) images are hosted too; a relative address is refused by name', async () => {
		const inline = `data:image/png;base64,${SAMPLE_PNG.toString('base64')}`;
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${inline}">`, coverMediaId: 'IMAGE_1' }]),
		});
		expect(result.error).toBeUndefined();
		expect((result.json[0].hostedImages as Array<{ sourceUrl: string }>).map((image) => image.sourceUrl)).toEqual([
			`data:image/png (${SAMPLE_PNG.length.toLocaleString('en-US')} bytes, inline)`,
		]);
		const [content] = f.wechat.drafts.get(result.json[0].media_id as string)!.articles.map((article) => article.content);
		expect(content).toMatch(/^<img src="http:\/\/mmbiz\.qpic\.cn\/mmbiz_png\/[^"]+">$/);

		const relative = await f.env.n8n.run({ typeVersion: 2, parameters: createDraft([{ title: 'T', content: '<img src="/img/chart.png">', coverMediaId: 'IMAGE_1' }]) });
		expect(relative.error?.message).toBe(
			'Item 1, "Articles > Article 1 > Content": the image /img/chart.png could not be hosted on WeChat: it is not a full http or https address; write the image\'s whole URL in the HTML',
		);
	});

	test('WeChat\'s own refusal of an image upload keeps its errcode and explanation', async () => {
		f.wechat.injectAnswer('/cgi-bin/media/uploadimg', { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${site.url('/img/chart.png')}">`, coverMediaId: 'IMAGE_1' }]),
		});
		expect(result.error?.message).toBe('WeChat error 45009: reach max api daily quota limit');
		expect(result.error?.description).toContain('daily API call quota');
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('a bad cover file in item 2 stops the run before item 1 uploads anything', async () => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${site.url('/img/chart.png')}">`, coverBinaryField: 'cover' }]),
			items: [coverItem(), { json: {}, binary: { cover: { data: 'JVBERi0=', mimeType: 'application/pdf', fileName: 'a.pdf' } } }],
		});
		expect(result.error?.message).toBe(
			'Item 2, "Articles > Article 1 > Cover Image Binary Field": the file "a.pdf" (application/pdf) is not a type WeChat accepts for image uploads: use JPG, PNG, GIF or BMP',
		);
		expect(site.requests).toEqual([]);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});

	test('an image is judged by its bytes, not by the type its server claims', async () => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${site.url('/img/lying.jpg')}">`, coverMediaId: 'IMAGE_1' }]),
		});
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')[0].answer).toEqual({ url: expect.stringMatching(/mmbiz_png/) });
	});

	test('with Host Images off, WeChat drops the external images and the output pane says so', async () => {
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<p>a</p><img src="${site.url('/img/chart.png')}"><p>b</p>`, coverMediaId: 'IMAGE_1' }], { hostImages: false }),
		});
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual([]);
		expect(f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].content).toBe('<p>a</p><p>b</p>');
		expect(result.hints).toEqual([
			{
				message: 'Article 1 of item 1: WeChat drops 1 image(s) that are not on its image host. Turn on Host Images in Content to keep them.',
				location: 'outputPane',
			},
		]);
	});

	test('a cover from temporary media is refused by WeChat with an explanation of what to use', async () => {
		f.wechat.registerMedia('TEMP_IMAGE', 'image', 'temporary');
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: createDraft([{ title: 'T', content: '<p>x</p>', coverMediaId: 'TEMP_IMAGE' }]) });
		expect(result.error?.message).toBe('WeChat error 40007: invalid media_id');
		expect(result.error?.description).toContain('a draft cover takes an image from Upload Permanent');
	});

	test.each([
		['no cover', { coverBinaryField: '', coverMediaId: '' }, '"Articles > Article 1 > Cover": give a Cover Image Binary Field (uploaded for you as permanent material) or a Cover Media ID from Media > Upload Permanent'],
		['two covers', { coverBinaryField: 'cover', coverMediaId: 'IMAGE_1' }, '"Articles > Article 1 > Cover": give either a Cover Image Binary Field or a Cover Media ID, not both'],
		['a 33-character title', { title: '标'.repeat(33) }, '"Articles > Article 1 > Title": WeChat takes at most 32 characters, got 33'],
		['a 17-character author', { author: 'a'.repeat(17) }, '"Articles > Article 1 > Author": WeChat takes at most 16 characters, got 17'],
		['a cover field without that file', { coverBinaryField: 'photo', coverMediaId: '' }, '"Articles > Article 1 > Cover Image Binary Field": expected the file in binary field "photo", but the item\'s binary fields are "cover"'],
		['a cover that is a PDF', { coverBinaryField: 'pdf', coverMediaId: '' }, '"Articles > Article 1 > Cover Image Binary Field": the file "a.pdf" (application/pdf) is not a type WeChat accepts for image uploads: use JPG, PNG, GIF or BMP'],
	])('%s is refused before anything is sent', async (_case, change, message) => {
		const item = coverItem();
		if (_case.includes('PDF')) (item.binary as IDataObject).pdf = { data: 'JVBERi0=', mimeType: 'application/pdf', fileName: 'a.pdf' };
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: 'T', content: `<img src="${site.url('/img/chart.png')}">`, coverMediaId: 'IMAGE_1', ...change }]),
			items: [item],
		});
		expect(result.error?.message).toBe(`Item 1, ${message}`);
		expect(site.requests).toEqual([]);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});

	test('a bad second item stops the run before the first item creates anything; with Continue On Fail only it fails', async () => {
		const parameters = createDraft([{ title: '={{ $json.title }}', content: '<p>x</p>', coverMediaId: 'IMAGE_1' }]);
		const items = [{ json: { title: 'Good' } }, { json: { title: '' } }];
		const stopped = await f.env.n8n.run({ typeVersion: 2, parameters, items });
		expect(stopped.error?.message).toBe('Item 2, "Articles > Article 1 > Title": is required');
		expect(f.wechat.apiCalls()).toHaveLength(0);

		const continued = await f.env.n8n.run({ typeVersion: 2, parameters, items, continueOnFail: true });
		expect(continued.items.map((item) => [Object.keys(item.json), item.pairedItem])).toEqual([
			[['media_id', 'articleCount', 'hostedImages', 'imagesLeftOut', 'uploadedCovers'], { item: 0 }],
			[['error'], [{ item: 1 }]],
		]);
		expect(f.wechat.drafts.size).toBe(1);
	});
});

describe('Draft > Create on real blog HTML', () => {
	// Real-looking exports (test/fixtures/articles): a WordPress post with lazy-loaded images (WP Rocket's
	// data-lazy-src, lazysizes' data-src), srcset and an HTML comment; a minified page; a Notion export.
	let f: Fixture;
	let site: FileServer;
	const jpeg = { body: SAMPLE_JPEG, contentType: 'image/jpeg' };
	const png = { body: SAMPLE_PNG, contentType: 'image/png' };
	beforeEach(async () => {
		f = await startFixture();
		site = await new FileServer({
			'/wp-content/uploads/2026/03/spring-1024x683.jpg': jpeg,
			'/wp-content/uploads/2026/03/lookbook.png': png,
			'/assets/hero.png': png,
			'/assets/chart.jpg': jpeg,
			'/assets/team.jpg': jpeg,
			'/notion/Product%20update/screenshot.png': png,
			'/notion/Product%20update/diagram.jpg': jpeg,
		}).start();
	});
	afterEach(async () => {
		await f.wechat.stop();
		await site.stop();
	});

	const fixture = (name: string) => readFileSync(join(__dirname, '../../../../fixtures/articles', name), 'utf8').replace(/\{\{BASE\}\}/g, site.baseUrl);

	test.each([
		['wordpress-lazy.html', ['/wp-content/uploads/2026/03/spring-1024x683.jpg', '/wp-content/uploads/2026/03/lookbook.png']],
		['minified.html', ['/assets/hero.png', '/assets/chart.jpg', '/assets/team.jpg']],
		['notion-export.html', ['/notion/Product%20update/screenshot.png', '/notion/Product%20update/diagram.jpg']],
	])('%s: every image hosted once, and WeChat stores no address that is not its own', async (name, images) => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: createDraft([{ title: 'Post', content: fixture(name), coverBinaryField: 'cover' }]), items: [coverItem()] });
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(images);
		const hosted = f.wechat.callsTo('/cgi-bin/media/uploadimg').map((call) => (call.answer as { url: string }).url);
		expect(hosted).toHaveLength(images.length);
		const stored = f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].content;
		expect(stored).not.toContain(site.baseUrl);
		expect(stored).not.toContain('intranet');
		expect(stored).not.toMatch(/srcset|data-src|data-lazy-src|<source/);
		for (const url of hosted) expect(stored).toContain(`src="${url}"`);
		// No image lost and none twice: every <img> a browser shows (outside comments and <noscript>) is there once.
		const shown = fixture(name).replace(/<!--[\s\S]*?-->/g, '').replace(/<noscript>[\s\S]*?<\/noscript>/g, '');
		expect(stored.match(/<img\b/gi)?.length).toBe((shown.match(/<img\b/gi) ?? []).length);
		expect(stored).not.toContain('<noscript');
	});

	test('an inline image of 30 KB is hosted, not refused as too long before it is', async () => {
		const inline = `data:image/png;base64,${Buffer.concat([SAMPLE_PNG, Buffer.alloc(30_000, 3)]).toString('base64')}`;
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: createDraft([{ title: 'Inline', content: `<p>Chart</p><img src="${inline}">`, coverBinaryField: 'cover' }]), items: [coverItem()] });
		expect(result.error).toBeUndefined();
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(1);
	});

	test('an upload that failed for one item is tried again for the next item with the same image', async () => {
		f.wechat.injectAnswer('/cgi-bin/media/uploadimg', { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const content = `<img src="${site.url('/assets/hero.png')}">`;
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: createDraft([{ title: '={{ $json.title }}', content, coverBinaryField: 'cover' }]),
			items: [coverItem({ title: 'First' }), coverItem({ title: 'Second' })],
			continueOnFail: true,
		});
		expect(result.json[0].errcode).toBe(45009);
		expect(result.json[1]).toMatchObject({ media_id: expect.any(String), hostedImages: [expect.objectContaining({ sourceUrl: site.url('/assets/hero.png') })] });
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(2);
	});
});

describe('Draft > Create on the images real blogs serve', () => {
	// WeChat hosts article images "仅支持jpg/png格式，大小必须在1MB以下" (media/uploadimg,
	// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage); the fake refuses
	// other types (40005) and sizes (40009) by that page. The fixtures are exports as WordPress, its
	// lazy-loading plugins, Ghost and Substack write them; the image server negotiates WebP as CDNs do.
	let f: Fixture;
	let site: FileServer;
	const jpeg = { body: SAMPLE_JPEG, contentType: 'image/jpeg' };
	const png = { body: SAMPLE_PNG, contentType: 'image/png' };
	const big = { body: jpegOfSize(2 * 1024 * 1024), contentType: 'image/jpeg' };
	const svg = { body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><circle cx="18" cy="18" r="18"/></svg>'), contentType: 'image/svg+xml' };
	const substack = (transform: string) => `/substack/image/fetch/${transform},q_auto:good,fl_progressive:steep/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fc24e7ba5_905x172.png`;
	beforeEach(async () => {
		f = await startFixture();
		site = await new FileServer({
			'/images/core/emoji/15.0.3/svg/1f600.svg': svg,
			'/images/core/emoji/15.0.3/72x72/2705.png': png,
			'/images/core/emoji/72x72/1f609.png': png,
			'/wp-content/uploads/2026/04/launch-1024x683.jpg': jpeg,
			'/wp-content/uploads/2026/05/hero.jpg': jpeg,
			'/wp-content/uploads/2026/05/team-2560x1707.jpg': big,
			'/wp-content/uploads/2026/05/team-300x200.jpg': jpeg,
			'/wp-content/uploads/2026/05/chart.png': png,
			'/wp-content/uploads/2026/05/store.jpg': jpeg,
			'/wp-content/uploads/2026/05/map.png': png,
			'/content/images/2026/05/desk.jpg': big,
			'/content/images/size/w2400/2026/05/desk.jpg': big,
			'/content/images/size/w1600/2026/05/desk.jpg': jpeg,
			[substack('w_1456,c_limit,f_auto')]: { ...png, webp: SAMPLE_WEBP },
			[substack('w_424,c_limit,f_webp')]: { body: SAMPLE_WEBP, contentType: 'image/webp' },
			'/cdn/photo.jpg': { ...jpeg, webp: SAMPLE_WEBP },
			'/cdn/only.webp': { body: SAMPLE_WEBP, contentType: 'image/webp' },
		}).start();
	});
	afterEach(async () => {
		await f.wechat.stop();
		await site.stop();
	});

	const fixture = (name: string) => readFileSync(join(__dirname, '../../../../fixtures/articles', name), 'utf8').replace(/\{\{BASE\}\}/g, site.baseUrl);
	// The image server is on this machine: allowed by name, as a CMS on the office network would be.
	const draftOf = (content: string, options: IDataObject = {}, typeVersion = LATEST_VERSION) => ({
		typeVersion,
		parameters: createDraft([{ title: 'Post', content, ...coverFromLibrary(typeVersion) }], { allowedPrivateHosts: '127.0.0.1', ...options }),
	});
	const storedContent = (result: { json: IDataObject[] }) => f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].content;
	const hostedUrls = () => f.wechat.callsTo('/cgi-bin/media/uploadimg').map((call) => (call.answer as { url: string }).url);

	test('a lazy srcset of 300w and 2560w: the 2560w (2 MB) is refused by its Content-Length, unread, and the 300w hosted', async () => {
		const html = `<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" data-srcset="${site.url('/wp-content/uploads/2026/05/team-300x200.jpg')} 300w, ${site.url('/wp-content/uploads/2026/05/team-2560x1707.jpg')} 2560w" alt="Team">`;
		const result = await f.env.n8n.run(draftOf(html));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/wp-content/uploads/2026/05/team-2560x1707.jpg', '/wp-content/uploads/2026/05/team-300x200.jpg']);
		expect(result.json[0]).toMatchObject({ hostedImages: [{ article: 1, sourceUrl: site.url('/wp-content/uploads/2026/05/team-300x200.jpg'), url: hostedUrls()[0] }], imagesLeftOut: [] });
		expect(storedContent(result)).toBe(`<img class="lazyload" src="${hostedUrls()[0]}" alt="Team">`);
	});

	test('a WordPress post with emoji: each emoji image becomes its emoji, never downloaded; the photo is hosted', async () => {
		const result = await f.env.n8n.run(draftOf(fixture('wordpress-emoji.html')));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/wp-content/uploads/2026/04/launch-1024x683.jpg']);
		const stored = storedContent(result);
		expect(stored).toContain('<p>We launched today 😀 and the first orders are in ✅</p>');
		// An emoji whose alt was lost in a copy is read from its file name (code point 1f609).
		expect(stored).toContain('<p>Thanks for being with us 😉</p>');
		expect(stored.match(/<img\b[^>]*>/g)).toEqual([`<img decoding="async" width="1024" height="683" src="${hostedUrls()[0]}" alt="The launch party" class="wp-image-88" />`]);
		expect(result.json[0].imagesLeftOut).toEqual([]);
	});

	test('an image CDN that sends WebP when allowed is asked for JPEG or PNG, and a <picture>\'s WebP sources are never tried', async () => {
		const html = `<picture><source type="image/webp" srcset="${site.url('/cdn/photo.webp')} 1x"><img src="${site.url('/cdn/photo.jpg')}" alt="Photo"></picture>`;
		const result = await f.env.n8n.run(draftOf(html));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/cdn/photo.jpg']);
		expect(site.accepts).toEqual(['image/jpeg, image/png']);
		expect(hostedUrls()).toEqual([expect.stringMatching(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_jpg\//)]);
		expect(storedContent(result)).toBe(`<picture><img src="${hostedUrls()[0]}" alt="Photo"></picture>`);
	});

	test('an image served only as WebP is left out and listed, the draft made with the rest, and the output pane says so', async () => {
		const html = `<p>Before</p><img src="${site.url('/cdn/only.webp')}" alt="Only WebP"><img src="${site.url('/cdn/photo.jpg')}"><p>After</p>`;
		const result = await f.env.n8n.run(draftOf(html));
		expect(result.error).toBeUndefined();
		expect(result.json[0].imagesLeftOut).toEqual([{ article: 1, url: site.url('/cdn/only.webp'), reason: 'it is a WebP; WeChat hosts only JPG or PNG images in articles' }]);
		expect(storedContent(result)).toBe(`<p>Before</p><img src="${hostedUrls()[0]}"><p>After</p>`);
		expect(result.hints).toEqual([
			{ message: 'Item 1: 1 image(s) WeChat cannot host were left out of the draft; imagesLeftOut in the output names each and why.', location: 'outputPane' },
		]);
	});

	test('with If an Image Cannot Be Hosted set to Fail the Item, and in nodes saved before it (version 3), the item fails naming the image and what to do', async () => {
		const html = `<img src="${site.url('/cdn/photo.jpg')}"><img src="${site.url('/cdn/only.webp')}">`;
		for (const run of [draftOf(html, { unhostableImages: 'fail' }), draftOf(html, {}, 3)]) {
			const result = await f.env.n8n.run(run);
			expect(result.error?.message).toBe(
				`Item 1, "Articles > Article 1 > Content": the image ${site.url('/cdn/only.webp')} could not be hosted on WeChat: it is a WebP; WeChat hosts only JPG or PNG images in articles`,
			);
			expect(result.error?.description).toBe(
				'Put a JPG or PNG of at most 1 MB at that address, or set Options > If an Image Cannot Be Hosted to Leave It Out and List It to create the draft without it.',
			);
		}
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('lazy-loading plugins\' markup (Optimole, Smush, LiteSpeed, Autoptimize, lazysizes\' noscript plugin): each image hosted and shown once, <noscript> copies gone', async () => {
		const result = await f.env.n8n.run(draftOf(fixture('lazy-plugins.html')));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual([
			'/wp-content/uploads/2026/05/hero.jpg',
			'/wp-content/uploads/2026/05/team-2560x1707.jpg',
			'/wp-content/uploads/2026/05/team-300x200.jpg',
			'/wp-content/uploads/2026/05/chart.png',
			'/wp-content/uploads/2026/05/store.jpg',
			'/wp-content/uploads/2026/05/map.png',
		]);
		const [hero, team, chart, store, map] = hostedUrls();
		const stored = storedContent(result);
		expect(stored).not.toMatch(/<noscript|data:|data-opt-src|data-src|srcset|JavaScript/);
		expect(stored.match(/<img\b[^>]*\balt="[^"]*"/g)?.map((tag) => [/src="([^"]+)"/.exec(tag)?.[1], /alt="([^"]*)"/.exec(tag)?.[1]])).toEqual([
			[hero, 'Hero'],
			[hero, 'Hero again'],
			[team, 'Team'],
			[chart, 'Chart'],
			[store, 'Store'],
			[map, 'Map'],
		]);
		expect(result.json[0].imagesLeftOut).toEqual([]);
	});

	test('a malformed data: placeholder (an unencoded 100%) as the only image is named in the output, not "URI malformed"', async () => {
		const placeholder = `data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='100%' height='100%'/>`;
		const html = `<p>x</p><img src="${placeholder}" data-unknown-src="${site.url('/wp-content/uploads/2026/05/hero.jpg')}">`;
		const left = await f.env.n8n.run(draftOf(html));
		expect(left.json[0].imagesLeftOut).toEqual([{ article: 1, url: 'data:image/svg+xml (68 bytes, inline)', reason: 'it is an SVG; WeChat hosts only JPG or PNG images in articles' }]);
		expect(storedContent(left)).toBe('<p>x</p>');
		const failed = await f.env.n8n.run(draftOf(html, { unhostableImages: 'fail' }));
		expect(failed.error?.message).toBe(
			'Item 1, "Articles > Article 1 > Content": the image data:image/svg+xml (68 bytes, inline) could not be hosted on WeChat: it is an SVG; WeChat hosts only JPG or PNG images in articles',
		);
	});

	test('a Ghost export: the original and the 2400w copy are over 1 MB, so the 1600w copy is hosted; the reason names them when none fits', async () => {
		const result = await f.env.n8n.run(draftOf(fixture('ghost-export.html')));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/content/images/2026/05/desk.jpg', '/content/images/size/w2400/2026/05/desk.jpg', '/content/images/size/w1600/2026/05/desk.jpg']);
		expect(result.json[0].hostedImages).toEqual([{ article: 1, sourceUrl: site.url('/content/images/size/w1600/2026/05/desk.jpg'), url: hostedUrls()[0] }]);
		expect(storedContent(result)).toContain(`<img src="${hostedUrls()[0]}" class="kg-image" alt="" loading="lazy" width="2000" height="1333"><figcaption>`);

		const tooBig = `<p>Desk</p><img src="${site.url('/content/images/2026/05/desk.jpg')}" srcset="${site.url('/content/images/size/w2400/2026/05/desk.jpg')} 2400w, ${site.url('/content/images/size/w1200/2026/05/desk.jpg')} 1200w">`;
		const none = await f.env.n8n.run(draftOf(tooBig));
		expect(none.json[0].imagesLeftOut).toEqual([
			{
				article: 1,
				url: site.url('/content/images/2026/05/desk.jpg'),
				reason:
					`it is 2 MB (2,097,152 bytes); WeChat hosts article images up to 1 MB (1,048,576 bytes). Its 2 other size(s) in the HTML could not be hosted either ` +
					`(${site.url('/content/images/size/w2400/2026/05/desk.jpg')}: it is 2 MB (2,097,152 bytes); ${site.url('/content/images/size/w1200/2026/05/desk.jpg')}: the server answered HTTP 404)`,
			},
		]);
	});

	test('an article that would be empty without the images left out fails the item, naming them, before WeChat refuses it (44003)', async () => {
		const result = await f.env.n8n.run({ ...draftOf(`<img src="${site.url('/cdn/only.webp')}">`), continueOnFail: true });
		expect(result.json[0].error).toBe(
			`Item 1, "Articles > Article 1 > Content": nothing is left of it once the images WeChat cannot host are left out (${site.url('/cdn/only.webp')}: it is a WebP; WeChat hosts only JPG or PNG images in articles)`,
		);
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('a Substack export: the <img>\'s negotiated address gives a PNG, the always-WebP <picture> sources are not tried, and a long URL is shortened in the output', async () => {
		const result = await f.env.n8n.run(draftOf(fixture('substack-export.html')));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual([substack('w_1456,c_limit,f_auto')]);
		const [{ sourceUrl }] = result.json[0].hostedImages as Array<{ sourceUrl: string }>;
		expect(sourceUrl).toBe(`${site.url(substack('w_1456,c_limit,f_auto')).slice(0, 70)}…${substack('w_1456,c_limit,f_auto').slice(-45)}`);
		expect(hostedUrls()).toEqual([expect.stringMatching(/mmbiz_png/)]);
		expect(storedContent(result)).not.toMatch(/<source|srcset|f_webp/);
	});
});

describe('Draft > Create takes its cover from an address or from the material library (version 4)', () => {
	// draft/add: thumb_media_id "必须是永久MediaID" (https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add);
	// a permanent image is "bmp/png/jpeg/jpg/gif", up to 10M (material/add_material,
	// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_addmaterial); the library is listed by
	// material/batchget_material (https://developers.weixin.qq.com/doc/service/api/material/permanent/api_batchgetmaterial).
	let f: Fixture;
	let site: FileServer;
	beforeEach(async () => {
		f = await startFixture();
		site = await new FileServer({
			'/images/cover.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg', webp: SAMPLE_WEBP },
			'/images/poster.jpg': { body: jpegOfSize(11 * 1024 * 1024), contentType: 'image/jpeg' },
			'/about.html': { body: Buffer.from('<html><body>Not an image</body></html>'), contentType: 'text/html' },
			'/images/claims-jpeg.jpg': { body: SAMPLE_WEBP, contentType: 'image/jpeg' },
			'/images/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' },
		}).start();
	});
	afterEach(async () => {
		await f.wechat.stop();
		await site.stop();
	});

	const draftWithCover = (cover: IDataObject, options: IDataObject = { allowedPrivateHosts: '127.0.0.1' }) => ({
		typeVersion: LATEST_VERSION,
		parameters: createDraft([{ title: 'Spring sale', content: '<p>Everything 20% off</p>', ...cover }], options),
	});

	test('a Cover Image URL is downloaded (JPEG or PNG asked for), uploaded as a permanent image and named in uploadedCovers with its address', async () => {
		const result = await f.env.n8n.run(draftWithCover({ coverImageUrl: site.url('/images/cover.jpg') }));
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/images/cover.jpg']);
		expect(site.accepts[0]).not.toContain('webp');
		const [upload] = f.wechat.callsTo('/cgi-bin/material/add_material');
		expect(upload.query.type).toBe('image');
		const cover = upload.answer as { media_id: string; url: string };
		expect(f.wechat.media.get(cover.media_id)).toMatchObject({ type: 'image', lifetime: 'permanent', fileName: 'cover.jpg', size: SAMPLE_JPEG.length });
		expect(result.json[0].uploadedCovers).toEqual([{ article: 1, media_id: cover.media_id, url: cover.url, sourceUrl: site.url('/images/cover.jpg') }]);
		expect(f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].thumb_media_id).toBe(cover.media_id);
	});

	test('a cover over WeChat\'s 10 MB, or a page that is not an image, fails the item naming the field and the address; nothing is uploaded', async () => {
		const tooBig = await f.env.n8n.run(draftWithCover({ coverImageUrl: site.url('/images/poster.jpg') }));
		expect(tooBig.error?.message).toBe(
			`Item 1, "Articles > Article 1 > Cover Image URL": the image ${site.url('/images/poster.jpg')} could not be used as the cover: it is 11 MB (11,534,336 bytes); WeChat takes cover images up to 10 MB (10,485,760 bytes)`,
		);
		const notImage = await f.env.n8n.run(draftWithCover({ coverImageUrl: site.url('/about.html') }));
		expect(notImage.error?.message).toContain(`"Articles > Article 1 > Cover Image URL": the image ${site.url('/about.html')} could not be used as the cover: it is not an image (text/html); WeChat takes JPG, PNG, GIF or BMP images as covers`);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(0);
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('a cover is judged by its bytes: a WebP its server calls image/jpeg fails the item before the content\'s images are uploaded', async () => {
		const result = await f.env.n8n.run({
			typeVersion: LATEST_VERSION,
			parameters: createDraft([{ title: 'Chart', content: `<p><img src="${site.url('/images/chart.png')}"></p>`, coverImageUrl: site.url('/images/claims-jpeg.jpg') }], { allowedPrivateHosts: '127.0.0.1' }),
		});
		expect(result.error?.message).toBe(
			`Item 1, "Articles > Article 1 > Cover Image URL": the image ${site.url('/images/claims-jpeg.jpg')} could not be used as the cover: it is a WebP; WeChat takes JPG, PNG, GIF or BMP images as covers`,
		);
		expect(site.requests).toEqual(['/images/claims-jpeg.jpg']);
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(0);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(0);
	});

	test('articles of an item sharing a cover address download it once and upload it once', async () => {
		const article = (title: string) => ({ title, content: '<p>Spring</p>', coverImageUrl: site.url('/images/cover.jpg') });
		const result = await f.env.n8n.run({ typeVersion: LATEST_VERSION, parameters: createDraft([article('One'), article('Two')], { allowedPrivateHosts: '127.0.0.1' }) });
		expect(result.error).toBeUndefined();
		expect(site.requests).toEqual(['/images/cover.jpg']);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(1);
		const [one, two] = f.wechat.drafts.get(result.json[0].media_id as string)!.articles;
		expect(two.thumb_media_id).toBe(one.thumb_media_id);
	});

	test('a cover upload WeChat refused for item 1 is tried again for item 2 with the same cover (Continue On Fail)', async () => {
		f.wechat.injectAnswer('/cgi-bin/material/add_material', { errcode: 45009, errmsg: 'reach max api daily quota limit' });
		const result = await f.env.n8n.run({
			typeVersion: LATEST_VERSION,
			continueOnFail: true,
			parameters: createDraft([{ title: '={{ $json.title }}', content: '<p>Spring</p>', coverImageUrl: site.url('/images/cover.jpg') }], { allowedPrivateHosts: '127.0.0.1' }),
			items: [{ json: { title: 'One' } }, { json: { title: 'Two' } }],
		});
		expect(result.json[0]).toMatchObject({ errcode: 45009 });
		expect(result.json[1]).toMatchObject({ media_id: expect.any(String), articleCount: 1 });
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(2);
	});

	test('a cover on a private address is refused as the content\'s images are, unless its host is allowed, and never requested', async () => {
		const result = await f.env.n8n.run(draftWithCover({ coverImageUrl: site.url('/images/cover.jpg') }, {}));
		expect(result.error?.message).toBe(
			`Item 1, "Articles > Article 1 > Cover Image URL": the image ${site.url('/images/cover.jpg')} could not be used as the cover: 127.0.0.1 is a loopback address, which is not downloaded unless listed in Allowed Private Hosts`,
		);
		expect(site.requests).toEqual([]);
	});

	test('exactly one cover: none, two, or an address that is not http(s) is refused before anything is downloaded or sent', async () => {
		const none = await f.env.n8n.run(draftWithCover({}));
		expect(none.error?.message).toBe(
			'Item 1, "Articles > Article 1 > Cover": give a Cover Image URL or a Cover Image Binary Field (uploaded for you as permanent material), or pick a Cover from Material Library',
		);
		const two = await f.env.n8n.run(draftWithCover({ coverImageUrl: site.url('/images/cover.jpg'), ...coverFromLibrary(LATEST_VERSION) }));
		expect(two.error?.message).toBe('Item 1, "Articles > Article 1 > Cover": give one cover, not Cover Image URL and Cover from Material Library');
		const ftp = await f.env.n8n.run(draftWithCover({ coverImageUrl: 'ftp://files.example.com/cover.jpg' }));
		expect(ftp.error?.message).toBe('Item 1, "Articles > Article 1 > Cover Image URL": "ftp://files.example.com/cover.jpg" is not a full http or https address');
		expect(site.requests).toEqual([]);
		expect(f.wechat.calls.filter((call) => call.path !== '/cgi-bin/token')).toEqual([]);
	});

	test('a cover picked from the material library is used as it is: nothing downloaded or uploaded', async () => {
		f.wechat.registerMedia('SPRING_COVER', 'image', 'permanent', 'spring.jpg');
		const result = await f.env.n8n.run(draftWithCover(coverFromLibrary(LATEST_VERSION, 'SPRING_COVER')));
		expect(result.error).toBeUndefined();
		expect(result.json[0].uploadedCovers).toEqual([]);
		expect(f.wechat.callsTo('/cgi-bin/material/add_material')).toHaveLength(0);
		expect(f.wechat.drafts.get(result.json[0].media_id as string)!.articles[0].thumb_media_id).toBe('SPRING_COVER');
	});
});

describe('Draft > Create downloads from servers it may not trust', () => {
	// Version 3 downloads only from public addresses unless a host is allowed; every server here is on
	// loopback (127.0.0.1 allowed by name, 127.0.0.2 not), so no request leaves this machine.
	let f: Fixture;
	let servers: Server[] = [];
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => {
		await f.wechat.stop();
		// Every connection ends once the node stops reading, so closing needs no force.
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
		servers = [];
	});

	/** A server on `host` whose every request `handle` answers; counts the requests and the bytes it wrote. */
	async function serve(host: string, handle: (req: IncomingMessage, res: ServerResponse, sent: { bytes: number }) => void) {
		const stats = { requests: 0, sent: { bytes: 0 } };
		const server = createServer((req, res) => {
			stats.requests++;
			handle(req, res, stats.sent);
		});
		await new Promise<void>((resolve) => server.listen(0, host, resolve));
		servers.push(server);
		return { url: (path: string) => `http://${host}:${(server.address() as AddressInfo).port}${path}`, stats };
	}
	const jpeg = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': SAMPLE_JPEG.length }).end(SAMPLE_JPEG);
	const draftWith = (src: string, options: IDataObject = {}) => ({
		typeVersion: 3,
		parameters: createDraft([{ title: 'Post', content: `<p><img src="${src}"></p>`, coverBinaryField: 'cover' }], options),
		items: [coverItem()],
	});

	test('an image on a loopback address is refused by default, naming the address, and never requested', async () => {
		const site = await serve('127.0.0.1', jpeg);
		const result = await f.env.n8n.run(draftWith(site.url('/a.jpg')));
		expect(result.error?.message).toBe(
			`Item 1, "Articles > Article 1 > Content": the image ${site.url('/a.jpg')} could not be hosted on WeChat: 127.0.0.1 is a loopback address, which is not downloaded unless listed in Allowed Private Hosts`,
		);
		expect(site.stats.requests).toBe(0);
		expect(f.wechat.callsTo('/cgi-bin/draft/add')).toHaveLength(0);
	});

	test('a host listed in Allowed Private Hosts is downloaded; nodes of version 2 download from any address as before', async () => {
		const site = await serve('127.0.0.1', jpeg);
		const allowed = await f.env.n8n.run(draftWith(site.url('/a.jpg'), { allowedPrivateHosts: 'cms.intranet.local, 127.0.0.1' }));
		expect(allowed.error).toBeUndefined();
		const version2 = await f.env.n8n.run({ ...draftWith(site.url('/b.jpg')), typeVersion: 2 });
		expect(version2.error).toBeUndefined();
		expect(site.stats.requests).toBe(2);
	});

	test('a redirect to an address that is not allowed is refused before it is followed', async () => {
		const inside = await serve('127.0.0.2', jpeg);
		const site = await serve('127.0.0.1', (_req, res) => res.writeHead(302, { Location: inside.url('/latest/meta-data/') }).end());
		const result = await f.env.n8n.run(draftWith(site.url('/a.jpg'), { allowedPrivateHosts: '127.0.0.1' }));
		expect(result.error?.message).toContain(`it redirects to ${inside.url('/latest/meta-data/')}, and 127.0.0.2 is a loopback address`);
		expect(inside.stats.requests).toBe(0);
	});

	test('a 60 MB "image" is refused by its Content-Length, and one without a length is read no further than the limit', async () => {
		const chunk = Buffer.alloc(64 * 1024, 7);
		const endless = (length?: number) => (_req: IncomingMessage, res: ServerResponse, sent: { bytes: number }) => {
			res.writeHead(200, { 'Content-Type': 'image/jpeg', ...(length ? { 'Content-Length': length } : {}) });
			const pump = () => {
				while (sent.bytes < 60 * 1024 * 1024) {
					sent.bytes += chunk.length;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
				res.end();
			};
			res.on('close', () => res.removeAllListeners('drain'));
			pump();
		};
		const declared = await serve('127.0.0.1', endless(60 * 1024 * 1024));
		const byLength = await f.env.n8n.run(draftWith(declared.url('/big.jpg'), { allowedPrivateHosts: '127.0.0.1' }));
		expect(byLength.error?.message).toContain('it is 60 MB (62,914,560 bytes); WeChat hosts article images up to 1 MB');
		const chunked = await serve('127.0.0.1', endless());
		const byReading = await f.env.n8n.run(draftWith(chunked.url('/big.jpg'), { allowedPrivateHosts: '127.0.0.1' }));
		expect(byReading.error?.message).toContain('it is over 1 MB (1,048,576 bytes) (reading stopped there); WeChat hosts article images up to 1 MB');
		// What the server could push into the connection's buffers before the node stopped reading.
		expect(chunked.stats.sent.bytes).toBeLessThan(16 * 1024 * 1024);
	});

	test('a server that trickles a byte at a time fails within the Image Download Time Limit', async () => {
		const trickle = await serve('127.0.0.1', (_req, res) => {
			res.writeHead(200, { 'Content-Type': 'image/jpeg' });
			const timer = setInterval(() => res.write(Buffer.from([0xff])), 100);
			res.on('close', () => clearInterval(timer));
		});
		const started = Date.now();
		const result = await f.env.n8n.run(draftWith(trickle.url('/slow.jpg'), { allowedPrivateHosts: '127.0.0.1', imageTimeLimitSeconds: 1 }));
		expect(result.error?.message).toContain('could not be hosted on WeChat: the server did not send it in time');
		expect(Date.now() - started).toBeLessThan(5000);
	});
	test('an address that is not a valid URL, written or redirected to, fails the item naming the image; nothing escapes as a crash', async () => {
		const written = await f.env.n8n.run(draftWith('http://bad host.example/a.jpg'));
		expect(written.error?.message).toBe(
			'Item 1, "Articles > Article 1 > Content": the image http://bad host.example/a.jpg could not be hosted on WeChat: it is not a valid address',
		);
		const site = await serve('127.0.0.1', (_req, res) => res.writeHead(302, { Location: 'http://[oops/a.jpg' }).end());
		const redirected = await f.env.n8n.run(draftWith(site.url('/a.jpg'), { allowedPrivateHosts: '127.0.0.1' }));
		expect(redirected.error?.message).toContain(`the image ${site.url('/a.jpg')} could not be hosted on WeChat: it redirects to http://[oops/a.jpg, which is not a valid address`);
	});

	test('a host name that does not resolve fails the item naming the image, not the run with a DNS error', async () => {
		// n8n 2.x resolves the name before the download (its egress filter), and that lookup fails.
		const result = await f.env.n8n.run({ ...draftWith('http://no-such-host.invalid/a.jpg'), continueOnFail: true });
		expect(result.json[0].error).toContain('Item 1, "Articles > Article 1 > Content": the image http://no-such-host.invalid/a.jpg could not be hosted on WeChat: ');
		expect(result.json[0].error).toContain('no-such-host.invalid');
		expect(f.wechat.callsTo('/cgi-bin/media/uploadimg')).toHaveLength(0);
	});

	test('an image hosted for an item allowed its private host is not reused for an item that is not allowed it', async () => {
		const site = await serve('127.0.0.1', jpeg);
		const result = await f.env.n8n.run({
			typeVersion: 3,
			parameters: createDraft([{ title: 'Post', content: `<p><img src="${site.url('/a.jpg')}"></p>`, coverBinaryField: 'cover' }], { allowedPrivateHosts: '={{ $json.allow }}' }),
			items: [coverItem({ allow: '127.0.0.1' }), coverItem({ allow: '' })],
			continueOnFail: true,
		});
		expect(result.json[0]).toMatchObject({ media_id: expect.any(String) });
		expect(result.json[1].error).toContain('127.0.0.1 is a loopback address, which is not downloaded unless listed in Allowed Private Hosts');
		expect(site.stats.requests).toBe(1);
	});
});

test('privateAddressKind: the addresses of this machine\'s own networks, written as addresses', () => {
	const kinds = ['127.0.0.1', 'localhost.', 'a.localhost', '10.1.2.3', '172.16.0.1', '172.32.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '[::1]', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '8.8.8.8', 'example.com', new URL('http://0x7f.1/').hostname, new URL('http://[::127.0.0.1]/').hostname].map(
		privateAddressKind,
	);
	expect(kinds).toEqual([
		'loopback',
		'loopback',
		'loopback',
		'private',
		'private',
		undefined,
		'private',
		'link-local (cloud metadata)',
		'carrier-grade NAT',
		'"this network"',
		'loopback',
		'loopback',
		'link-local',
		'unique-local',
		'loopback',
		undefined,
		undefined,
		'loopback',
		'loopback',
	]);
});

test('privateAddressKind: this machine\'s networks inside IPv6 (NAT64, 6to4, IPv4-mapped in hex), multicast and broadcast', () => {
	const host = (address: string) => new URL(`http://${address}/`).hostname;
	const kinds = [
		host('[64:ff9b::127.0.0.1]'),
		host('[64:ff9b::10.0.0.1]'),
		host('[64:ff9b::8.8.8.8]'),
		'64:ff9b:1::a00:1',
		host('[2002:7f00:1::1]'),
		host('[2002:c0a8:101::1]'),
		host('[2002:808:808::1]'),
		host('[::ffff:169.254.169.254]'),
		'::ffff:a9fe:a9fe',
		'255.255.255.255',
		'224.0.0.251',
		'240.0.0.1',
		'198.18.0.1',
		'ff02::1',
		'fec0::1',
		'2606:4700::1111',
	].map(privateAddressKind);
	expect(kinds).toEqual([
		'loopback (through NAT64)',
		'private (through NAT64)',
		undefined,
		'local-use NAT64',
		'loopback (through 6to4)',
		'private (through 6to4)',
		undefined,
		'link-local (cloud metadata)',
		'link-local (cloud metadata)',
		'broadcast',
		'multicast',
		'reserved',
		'benchmarking',
		'multicast',
		'site-local',
		undefined,
	]);
});
