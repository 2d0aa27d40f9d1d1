// Media > Upload Image for Article (media/uploadimg), per
// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage : "图片仅支持jpg/png格式，
// 大小必须在1MB以下"; the answer is {"url": "http://mmbiz.qpic.cn/XXXXX"}.
import { SAMPLE_JPEG } from '../../../../helpers/fileServer';
import { type Fixture, startFixture } from '../../fixtures';

const item = (bytes: Buffer, mimeType: string, fileName: string) => ({ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType, fileName } } });

describe('Media > Upload Image for Article', () => {
	let f: Fixture;
	beforeEach(async () => (f = await startFixture()));
	afterEach(async () => f.wechat.stop());

	test('a JPG comes back as a URL on WeChat\'s image host, and no media ID is created', async () => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'media', operation: 'uploadArticleImage' }, items: [item(SAMPLE_JPEG, 'image/jpeg', 'team.jpg')] });
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ url: expect.stringMatching(/^http:\/\/mmbiz\.qpic\.cn\/mmbiz_jpg\//), fileName: 'team.jpg', fileSize: SAMPLE_JPEG.length }]);
		expect(f.wechat.articleImageUrls.has(result.json[0].url as string)).toBe(true);
	});

	test.each([
		['a GIF', item(Buffer.from('GIF89a'), 'image/gif', 'a.gif'), 'the file "a.gif" (image/gif) is not a type WeChat accepts for article image uploads: use JPG or PNG'],
		['a PNG over 1 MB', item(Buffer.alloc(1024 * 1024 + 1), 'image/png', 'a.png'), 'the file "a.png" (image/png) is 1 MB (1,048,577 bytes); WeChat accepts article image files up to 1 MB (1,048,576 bytes)'],
	])('%s is refused before anything is sent', async (_case, input, problem) => {
		const result = await f.env.n8n.run({ typeVersion: 2, parameters: { resource: 'media', operation: 'uploadArticleImage' }, items: [input] });
		expect(result.error?.message).toBe(`Item 1, "Input Binary Field": ${problem}`);
		expect(f.wechat.apiCalls()).toHaveLength(0);
	});
});
