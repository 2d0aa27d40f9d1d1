// Media > Upload Permanent (material/add_material, 新增永久素材), per
// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_addmaterial : types image, voice, video,
// thumb; a video needs the form field description {"title", "introduction"}; the answer is {media_id, url}, "url |
// 图片素材URL(仅图片返回)".
import type { IDataObject } from 'n8n-workflow';

import { SAMPLE_JPEG, SAMPLE_PNG } from '../../../../helpers/fileServer';
import { parseMultipart } from '../../../../fake-wechat/multipart';
import { tokenOwnerOf } from '../../../../../nodes/WeChatMassMessage/transport/accessToken';
import { type Fixture, startFixture } from '../../fixtures';

const file = (bytes: Buffer, mimeType: string, fileName?: string) => ({
	json: {},
	binary: { data: { data: bytes.toString('base64'), mimeType, ...(fileName ? { fileName } : {}) } },
});
const uploadPermanent = (mediaType: string, extra: IDataObject = {}): IDataObject => ({ resource: 'media', operation: 'uploadPermanent', mediaType, ...extra });

describe('Media > Upload Permanent', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('an image becomes permanent material with its URL, and an image send then takes it', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: uploadPermanent('image'), items: [file(SAMPLE_PNG, 'image/png', 'banner.png')] });
		expect(result.error).toBeUndefined();
		const [call] = f.wechat.callsTo('/cgi-bin/material/add_material');
		expect(call.query).toMatchObject({ type: 'image' });
		expect(result.json).toEqual([{ media_id: expect.any(String), url: expect.stringMatching(/^http:\/\/mmbiz\.qpic\.cn\//), type: 'image', fileName: 'banner.png', fileSize: SAMPLE_PNG.length }]);
		const mediaId = result.json[0].media_id as string;
		expect(f.wechat.media.get(mediaId)).toMatchObject({ type: 'image', lifetime: 'permanent' });

		const sent = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'image', imageMediaIds: mediaId },
		});
		expect(sent.error).toBeUndefined();
		expect(f.wechat.accepted).toHaveLength(1);
	});

	test('a video carries its title and introduction as WeChat\'s description field, and Upload Video then takes it', async () => {
		const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(4000, 9)]);
		const result = await f.env.n8n.run({
			typeVersion: 2,
			parameters: uploadPermanent('video', { videoTitle: 'Opening day', videoIntroduction: '两分钟' }),
			items: [file(mp4, 'video/mp4', 'opening.mp4')],
		});
		expect(result.error).toBeUndefined();
		expect(result.json[0]).toEqual({ media_id: expect.any(String), type: 'video', fileName: 'opening.mp4', fileSize: mp4.length });
		expect(f.wechat.media.get(result.json[0].media_id as string)).toMatchObject({ description: { title: 'Opening day', introduction: '两分钟' } });

		const prepared = await f.env.n8n.run({
			typeVersion: 2,
			parameters: { resource: 'media', operation: 'uploadVideo', videoMediaId: '={{ $json.media_id }}', title: 'Opening day', description: 'Two minutes' },
			items: [{ json: result.json[0] }],
		});
		expect(prepared.error).toBeUndefined();
		expect(prepared.json[0]).toMatchObject({ type: 'video', media_id: expect.any(String) });
	});

	test('the multipart body is what WeChat reads: the file as "media" and, for a video, "description" as JSON', async () => {
		let raw: { body: Buffer; type: string } | undefined;
		// The fake records multipart bodies only by size: read the real bytes off the wire instead.
		const server = (await import('node:http')).createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				raw = { body: Buffer.concat(chunks), type: String(req.headers['content-type']) };
				res.end(JSON.stringify({ media_id: 'M1' }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const port = (server.address() as { port: number }).port;
			const data = { ...f.env.store.get('cred-1').data, baseUrl: `http://127.0.0.1:${port}`, accessToken: 'stored-token' };
			f.env.store.update('cred-1', { ...data, accessTokenIssuedFor: tokenOwnerOf(data) });
			const result = await f.env.n8n.run({
				typeVersion: 2,
				parameters: uploadPermanent('video', { videoTitle: 'T', videoIntroduction: 'I' }),
				items: [file(Buffer.from('video-bytes'), 'video/mp4', 'v.mp4')],
			});
			expect(result.error).toBeUndefined();
			const parts = parseMultipart(raw!.body, raw!.type)!;
			expect(parts.map((part) => [part.name, part.fileName, part.contentType, part.data.toString()])).toEqual([
				['description', undefined, undefined, '{"title":"T","introduction":"I"}'],
				['media', 'v.mp4', 'video/mp4', 'video-bytes'],
			]);
		} finally {
			server.close();
		}
	});

	test.each([
		['a video without a title', uploadPermanent('video', { videoTitle: '={{ "" }}' }), file(Buffer.from('x'), 'video/mp4', 'v.mp4'), 'Item 1, "Video Title": is required for a video'],
		['a WAV voice over 2 MB', uploadPermanent('voice'), file(Buffer.alloc(2 * 1024 * 1024 + 1), 'audio/wav', 'a.wav'), 'Item 1, "Input Binary Field": the file "a.wav" (audio/wav) is 2 MB (2,097,153 bytes); WeChat accepts voice files up to 2 MB (2,097,152 bytes)'],
		['a PNG thumbnail', uploadPermanent('thumb'), file(SAMPLE_PNG, 'image/png', 'c.png'), 'Item 1, "Input Binary Field": the file "c.png" (image/png) is not a type WeChat accepts for thumbnail uploads: use JPG'],
	])('%s is refused before anything is sent', async (_case, parameters, item, message) => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters, items: [item] });
		expect(result.error?.message).toBe(message);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});

	test('a thumbnail comes back as a media_id without a URL', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: uploadPermanent('thumb'), items: [file(SAMPLE_JPEG, 'image/jpeg', 'c.jpg')] });
		expect(result.json).toEqual([{ media_id: expect.any(String), type: 'thumb', fileName: 'c.jpg', fileSize: SAMPLE_JPEG.length }]);
	});
});
