import type { IDataObject } from 'n8n-workflow';

import { FakeWeChatServer } from '../../../fake-wechat/server';
import { createEnvironment, type TestEnvironment, type WorkflowSpec } from '../../../harness/workflow';

type Item = NonNullable<WorkflowSpec['items']>[number];

function fileItem(bytes: Buffer, mimeType: string, fileName?: string, property = 'data', json: IDataObject = {}): Item {
	const binary: Item['binary'] = { [property]: { data: bytes.toString('base64'), mimeType, ...(fileName === undefined ? {} : { fileName }) } };
	return { json, binary };
}

function article(overrides: IDataObject = {}): IDataObject {
	return { title: 'Spring sale', thumbMediaId: 'thumb_cover_1', content: '<p>Everything 20% off</p>', ...overrides };
}

describe('media', () => {
	let wechat: FakeWeChatServer;
	let env: TestEnvironment;

	beforeEach(async () => {
		wechat = await new FakeWeChatServer().start();
		env = await createEnvironment({ baseUrl: wechat.baseUrl, appId: wechat.appId, appSecret: wechat.appSecret });
		wechat.registerMedia('thumb_cover_1', 'thumb');
		wechat.registerMedia('thumb_cover_2', 'thumb');
		wechat.registerMedia('video_raw_1', 'video');
	});
	afterEach(async () => wechat.stop());

	describe('uploadArticles', () => {
		const uploadArticles = (articles: IDataObject[]): IDataObject => ({
			resource: 'media',
			operation: 'uploadArticles',
			articles: { article: articles },
		});

		test('sends every field the way WeChat names it and returns WeChat\'s answer plus articleCount', async () => {
			const result = await env.n8n.run({
				parameters: uploadArticles([
					{
						title: 'Spring sale',
						thumbMediaId: ' thumb_cover_1 ',
						content: '<p>Everything <b>20%</b> off</p>',
						author: 'Marketing',
						contentSourceUrl: 'https://example.com/spring',
						digest: 'Until Sunday only',
						showCoverPic: true,
						openComments: true,
						onlyFollowersCanComment: true,
					},
					{ title: 'New stores', thumbMediaId: 'thumb_cover_2', content: '<p>Now in Shenzhen</p>' },
				]),
			});
			expect(result.error).toBeUndefined();
			expect(wechat.callsTo('/cgi-bin/media/uploadnews').map((call) => [call.method, call.body])).toEqual([
				[
					'POST',
					{
						articles: [
							{
								thumb_media_id: 'thumb_cover_1',
								title: 'Spring sale',
								content: '<p>Everything <b>20%</b> off</p>',
								author: 'Marketing',
								content_source_url: 'https://example.com/spring',
								digest: 'Until Sunday only',
								show_cover_pic: 1,
								need_open_comment: 1,
								only_fans_can_comment: 1,
							},
							{
								thumb_media_id: 'thumb_cover_2',
								title: 'New stores',
								content: '<p>Now in Shenzhen</p>',
								show_cover_pic: 0,
								need_open_comment: 0,
								only_fans_can_comment: 0,
							},
						],
					},
				],
			]);
			const answer = wechat.callsTo('/cgi-bin/media/uploadnews')[0].answer as IDataObject;
			expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([[{ ...answer, articleCount: 2 }, { item: 0 }]]);
			expect(result.json[0]).toEqual({ type: 'news', media_id: expect.any(String), created_at: expect.any(Number), articleCount: 2 });
			expect(wechat.media.get(result.json[0].media_id as string)?.type).toBe('news');
		});

		test('"Only Followers Can Comment" without open comments sends 0', async () => {
			await env.n8n.run({ parameters: uploadArticles([article({ onlyFollowersCanComment: true })]) });
			expect(wechat.callsTo('/cgi-bin/media/uploadnews')[0].body).toEqual({
				articles: [
					{
						thumb_media_id: 'thumb_cover_1',
						title: 'Spring sale',
						content: '<p>Everything 20% off</p>',
						show_cover_pic: 0,
						need_open_comment: 0,
						only_fans_can_comment: 0,
					},
				],
			});
		});

		test('reads each item\'s articles from expressions', async () => {
			const result = await env.n8n.run({
				parameters: uploadArticles([article({ title: '={{ $json.headline }}', thumbMediaId: '={{ $json.cover }}' })]),
				items: [
					{ json: { headline: 'First', cover: 'thumb_cover_1' } },
					{ json: { headline: 'Second', cover: 'thumb_cover_2' } },
				],
			});
			expect(result.error).toBeUndefined();
			const sent = wechat.callsTo('/cgi-bin/media/uploadnews').map((call) => {
				const [only] = (call.body as { articles: IDataObject[] }).articles;
				return [only.title, only.thumb_media_id];
			});
			expect(sent).toEqual([
				['First', 'thumb_cover_1'],
				['Second', 'thumb_cover_2'],
			]);
			expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});

		test.each([
			['no articles', [], 'Item 1, "Articles": add at least one article (WeChat takes 1 to 8)'],
			[
				'nine articles',
				Array.from({ length: 9 }, () => article()),
				'Item 1, "Articles": WeChat takes at most 8 articles per message, got 9',
			],
			['article 2 without a title', [article(), article({ title: '  ' })], 'Item 1, "Articles > Article 2 > Title": is required'],
			[
				'article 2 without a thumbnail',
				[article(), article({ thumbMediaId: '={{ $json.cover }}' })],
				'Item 1, "Articles > Article 2 > Thumbnail Media ID": is required: upload a JPG cover with Media > Upload Temporary, Media Type "Thumbnail", and use its thumb_media_id',
			],
			['article 1 without content', [article({ content: '={{ $json.body }}' })], 'Item 1, "Articles > Article 1 > Content": is required'],
		])('%s is rejected before anything is sent', async (_case, articles, message) => {
			// Literal empty required fields never reach the node (n8n flags them); expressions that come out empty do.
			const result = await env.n8n.run({ parameters: uploadArticles(articles), items: [{ json: { cover: '', body: null } }] });
			expect(result.error?.message).toBe(message);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(wechat.calls).toHaveLength(0);
		});

		test('eight articles are accepted', async () => {
			const result = await env.n8n.run({ parameters: uploadArticles(Array.from({ length: 8 }, () => article())) });
			expect(result.error).toBeUndefined();
			expect(result.json[0].articleCount).toBe(8);
		});

		test('a thumbnail WeChat does not know gets WeChat\'s 40007', async () => {
			const result = await env.n8n.run({ parameters: uploadArticles([article({ thumbMediaId: 'expired_thumb' })]) });
			expect(result.error?.message).toBe('WeChat error 40007: invalid media_id');
			expect(wechat.callsTo('/cgi-bin/media/uploadnews')).toHaveLength(1);
		});

		test('with Continue On Fail, a bad item becomes an error item paired with its input; the others go through', async () => {
			const result = await env.n8n.run({
				parameters: uploadArticles([article({ title: '={{ $json.headline }}' })]),
				items: [{ json: { headline: 'First' } }, { json: { headline: '' } }, { json: { headline: 'Third' } }],
				continueOnFail: true,
			});
			expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
				[{ type: 'news', media_id: expect.any(String), created_at: expect.any(Number), articleCount: 1 }, { item: 0 }],
				[{ error: 'Item 2, "Articles > Article 1 > Title": is required' }, [{ item: 1 }]],
				[{ type: 'news', media_id: expect.any(String), created_at: expect.any(Number), articleCount: 1 }, { item: 2 }],
			]);
			expect(wechat.callsTo('/cgi-bin/media/uploadnews')).toHaveLength(2);
		});

		test('a dropped connection is not retried: it could have created the articles', async () => {
			wechat.injectFault('/cgi-bin/media/uploadnews', 'drop');
			const result = await env.n8n.run({ parameters: uploadArticles([article()]) });
			expect(wechat.callsTo('/cgi-bin/media/uploadnews')).toHaveLength(1);
			expect(result.error?.message).toMatch(/^The connection to WeChat failed \(.+\)\. The request changes something, so it was not sent again/);
		});
	});

	describe('uploadVideo', () => {
		test('sends media_id, title and description and returns WeChat\'s answer unchanged', async () => {
			const result = await env.n8n.run({
				parameters: {
					resource: 'media',
					operation: 'uploadVideo',
					videoMediaId: ' video_raw_1 ',
					title: 'Opening day',
					description: 'Two minutes from the new store',
				},
			});
			expect(result.error).toBeUndefined();
			expect(wechat.callsTo('/cgi-bin/media/uploadvideo').map((call) => [call.method, call.body])).toEqual([
				['POST', { media_id: 'video_raw_1', title: 'Opening day', description: 'Two minutes from the new store' }],
			]);
			const answer = wechat.callsTo('/cgi-bin/media/uploadvideo')[0].answer as IDataObject;
			expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([[answer, { item: 0 }]]);
			expect(answer).toEqual({ type: 'video', media_id: expect.any(String), created_at: expect.any(Number) });
			expect(wechat.media.get(answer.media_id as string)?.type).toBe('mpvideo');
		});

		test('title and description may be empty', async () => {
			await env.n8n.run({ parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: 'video_raw_1' } });
			expect(wechat.callsTo('/cgi-bin/media/uploadvideo')[0].body).toEqual({ media_id: 'video_raw_1', title: '', description: '' });
		});

		test('a missing video media ID is rejected before anything is sent', async () => {
			const result = await env.n8n.run({
				parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: '={{ $json.videoId }}', title: 'x' },
				items: [{ json: { videoId: ' ' } }],
			});
			expect(result.error?.message).toBe(
				'Item 1, "Video Media ID": is required: upload the MP4 with Media > Upload Permanent, Media Type "Video", and use its media_id',
			);
			expect(wechat.calls).toHaveLength(0);
		});

		test('a media ID that is not a video gets WeChat\'s 40007', async () => {
			const result = await env.n8n.run({ parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: 'thumb_cover_1' } });
			expect(result.error?.message).toBe('WeChat error 40007: invalid media_id');
		});

		test('a dropped connection is not retried', async () => {
			wechat.injectFault('/cgi-bin/media/uploadvideo', 'drop');
			const result = await env.n8n.run({ parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: 'video_raw_1' } });
			expect(wechat.callsTo('/cgi-bin/media/uploadvideo')).toHaveLength(1);
			expect(result.error?.message).toContain('so it was not sent again');
		});
	});

	describe('upload', () => {
		const upload = (mediaType: string, extra: IDataObject = {}): IDataObject => ({ resource: 'media', operation: 'upload', mediaType, ...extra });
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 7)]);
		const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 1)]);

		test('uploads an image as multipart field "media" with its name and type', async () => {
			const result = await env.n8n.run({ parameters: upload('image'), items: [fileItem(png, 'image/png', 'cover.png')] });
			expect(result.error).toBeUndefined();
			const calls = wechat.callsTo('/cgi-bin/media/upload');
			expect(calls).toHaveLength(1);
			expect(calls[0]).toMatchObject({ method: 'POST', query: { type: 'image' } });
			const answer = calls[0].answer as IDataObject;
			expect(answer).toEqual({ type: 'image', media_id: expect.any(String), created_at: expect.any(Number) });
			expect(wechat.media.get(answer.media_id as string)).toEqual({ type: 'image', size: png.length, fileName: 'cover.png', contentType: 'image/png', lifetime: 'temporary' });
			expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
				[{ ...answer, fileName: 'cover.png', fileSize: png.length }, { item: 0 }],
			]);
		});

		test('a thumbnail comes back as thumb_media_id; a file without a name is named after its type', async () => {
			const result = await env.n8n.run({ parameters: upload('thumb'), items: [fileItem(jpeg, 'image/jpeg')] });
			expect(result.json).toEqual([
				{ type: 'thumb', thumb_media_id: expect.any(String), created_at: expect.any(Number), fileName: 'thumb.jpg', fileSize: jpeg.length },
			]);
			expect(wechat.media.get(result.json[0].thumb_media_id as string)).toEqual({
				type: 'thumb',
				size: jpeg.length,
				fileName: 'thumb.jpg',
				contentType: 'image/jpeg',
				lifetime: 'temporary',
			});
		});

		test('a voice file accepted by its MIME type gets the extension WeChat looks for, from another binary field', async () => {
			const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(500, 3)]);
			const result = await env.n8n.run({
				parameters: upload('voice', { binaryPropertyName: 'recording' }),
				items: [fileItem(amr, 'audio/amr', 'memo', 'recording')],
			});
			expect(result.error).toBeUndefined();
			expect(wechat.callsTo('/cgi-bin/media/upload')[0].query.type).toBe('voice');
			const mediaId = result.json[0].media_id as string;
			expect(wechat.media.get(mediaId)).toEqual({ type: 'voice', size: amr.length, fileName: 'memo.amr', contentType: 'audio/amr', lifetime: 'temporary' });
			expect(result.json[0]).toMatchObject({ fileName: 'memo.amr', fileSize: amr.length });
		});

		test('a video accepted by its extension is sent as video/mp4, but Upload Video refuses temporary media and says what to use', async () => {
			const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4000, 9)]);
			const uploaded = await env.n8n.run({ parameters: upload('video'), items: [fileItem(mp4, 'application/octet-stream', 'clip.MP4')] });
			expect(uploaded.error).toBeUndefined();
			const videoMediaId = uploaded.json[0].media_id as string;
			expect(wechat.media.get(videoMediaId)).toEqual({ type: 'video', size: mp4.length, fileName: 'clip.MP4', contentType: 'video/mp4', lifetime: 'temporary' });

			const prepared = await env.n8n.run({
				parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: '={{ $json.media_id }}', title: 'Clip', description: 'A clip' },
				items: [{ json: uploaded.json[0] }],
			});
			expect(wechat.callsTo('/cgi-bin/media/uploadvideo')[0].body).toEqual({ media_id: videoMediaId, title: 'Clip', description: 'A clip' });
			expect(prepared.error?.message).toBe('WeChat error 40007: invalid media_id');
			expect(prepared.error?.description).toContain('not temporary media (Media > Upload Temporary)');
		});

		test.each([
			[
				'a binary field that is not there',
				upload('image', { binaryPropertyName: 'file' }),
				fileItem(png, 'image/png', 'cover.png', 'data', {}),
				'Item 1, "Input Binary Field": expected the file in binary field "file", but the item\'s binary fields are "data"',
			],
			[
				'an item without binary data',
				upload('image'),
				{ json: { note: 'no file' } },
				'Item 1, "Input Binary Field": expected the file in binary field "data", but the item has no binary data',
			],
			[
				'a thumbnail over 64 KB',
				upload('thumb'),
				fileItem(Buffer.alloc(70000, 1), 'image/jpeg', 'cover.jpg'),
				'Item 1, "Input Binary Field": the file "cover.jpg" (image/jpeg) is 68.4 KB (70,000 bytes); WeChat accepts thumbnail files up to 64 KB (65,536 bytes)',
			],
			[
				'a voice file over 2 MB',
				upload('voice'),
				fileItem(Buffer.alloc(2 * 1024 * 1024 + 1, 1), 'audio/mpeg', 'talk.mp3'),
				'Item 1, "Input Binary Field": the file "talk.mp3" (audio/mpeg) is 2 MB (2,097,153 bytes); WeChat accepts voice files up to 2 MB (2,097,152 bytes)',
			],
			[
				'a MOV video',
				upload('video'),
				fileItem(Buffer.alloc(100, 1), 'video/quicktime', 'clip.mov'),
				'Item 1, "Input Binary Field": the file "clip.mov" (video/quicktime) is not a type WeChat accepts for video uploads: use MP4',
			],
			[
				'a PNG thumbnail',
				upload('thumb'),
				fileItem(png, 'image/png', 'cover.png'),
				'Item 1, "Input Binary Field": the file "cover.png" (image/png) is not a type WeChat accepts for thumbnail uploads: use JPG',
			],
			[
				'an unknown media type from an expression',
				upload('={{ "sticker" }}'),
				fileItem(png, 'image/png', 'cover.png'),
				'Item 1, "Media Type": must be image, voice, video or thumb, got "sticker"',
			],
		])('%s is rejected before anything is sent', async (_case, parameters, item, message) => {
			const result = await env.n8n.run({ parameters, items: [item as Item] });
			expect(result.error?.message).toBe(message);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(wechat.calls).toHaveLength(0);
		});

		test('with Continue On Fail, a bad file becomes an error item paired with its input; the others go through', async () => {
			const result = await env.n8n.run({
				parameters: upload('image'),
				items: [
					fileItem(png, 'image/png', 'a.png'),
					fileItem(Buffer.alloc(10, 1), 'image/webp', 'b.webp'),
					fileItem(jpeg, 'image/jpeg', 'c.jpg'),
				],
				continueOnFail: true,
			});
			expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
				[{ type: 'image', media_id: expect.any(String), created_at: expect.any(Number), fileName: 'a.png', fileSize: png.length }, { item: 0 }],
				[
					{ error: 'Item 2, "Input Binary Field": the file "b.webp" (image/webp) is not a type WeChat accepts for image uploads: use JPG, PNG, GIF or BMP' },
					[{ item: 1 }],
				],
				[{ type: 'image', media_id: expect.any(String), created_at: expect.any(Number), fileName: 'c.jpg', fileSize: jpeg.length }, { item: 2 }],
			]);
			expect(wechat.callsTo('/cgi-bin/media/upload')).toHaveLength(2);
		});

		test('WeChat\'s own rejection is reported with its errcode', async () => {
			wechat.injectAnswer('/cgi-bin/media/upload', { errcode: 40005, errmsg: 'invalid file type' });
			const result = await env.n8n.run({ parameters: upload('image'), items: [fileItem(png, 'image/png', 'cover.png')] });
			expect(result.error?.message).toBe('WeChat error 40005: invalid file type');
		});

		test('a dropped connection is not retried: the upload may have created a media ID', async () => {
			wechat.injectFault('/cgi-bin/media/upload', 'drop');
			const result = await env.n8n.run({ parameters: upload('image'), items: [fileItem(png, 'image/png', 'cover.png')] });
			expect(wechat.callsTo('/cgi-bin/media/upload')).toHaveLength(1);
			expect(result.error?.message).toMatch(
				/^The connection to WeChat failed \(.+\)\. The request changes something, so it was not sent again: check in WeChat whether it took effect\.$/,
			);
			expect(wechat.media.size).toBe(3);
		});
	});
});
