import {
	type ArticleValues,
	TEMPORARY_MEDIA_RULES,
	buildUploadNewsBody,
	buildUploadVideoBody,
	formatSize,
	isTemporaryMediaType,
	prepareTemporaryMediaFile,
} from '../../../nodes/WeChatMassMessage/helpers/mediaPayloads';

const plain: ArticleValues = {
	title: 'Title',
	thumbMediaId: 'thumb_1',
	content: '<p>Body</p>',
	author: '',
	contentSourceUrl: '',
	digest: '',
	showCoverPic: false,
	openComments: false,
	onlyFollowersCanComment: false,
};

describe('buildUploadNewsBody', () => {
	test('leaves out optional fields that are blank and always sends the 0/1 flags', () => {
		expect(buildUploadNewsBody([{ ...plain, author: '  ', digest: '' }])).toEqual({
			articles: [
				{ thumb_media_id: 'thumb_1', title: 'Title', content: '<p>Body</p>', show_cover_pic: 0, need_open_comment: 0, only_fans_can_comment: 0 },
			],
		});
	});

	test('maps every field to WeChat\'s name, in order', () => {
		const full: ArticleValues = {
			...plain,
			author: 'Ann',
			contentSourceUrl: ' https://example.com/a ',
			digest: 'Short',
			showCoverPic: true,
			openComments: true,
			onlyFollowersCanComment: true,
		};
		expect(buildUploadNewsBody([full, plain]).articles).toEqual([
			{
				thumb_media_id: 'thumb_1',
				title: 'Title',
				content: '<p>Body</p>',
				author: 'Ann',
				content_source_url: 'https://example.com/a',
				digest: 'Short',
				show_cover_pic: 1,
				need_open_comment: 1,
				only_fans_can_comment: 1,
			},
			{ thumb_media_id: 'thumb_1', title: 'Title', content: '<p>Body</p>', show_cover_pic: 0, need_open_comment: 0, only_fans_can_comment: 0 },
		]);
	});

	test('followers-only commenting needs open comments', () => {
		const [article] = buildUploadNewsBody([{ ...plain, onlyFollowersCanComment: true }]).articles;
		expect(article.only_fans_can_comment).toBe(0);
	});
});

test('buildUploadVideoBody', () => {
	expect(buildUploadVideoBody({ videoMediaId: 'v1', title: 'T', description: 'D' })).toEqual({ media_id: 'v1', title: 'T', description: 'D' });
});

describe('prepareTemporaryMediaFile', () => {
	test('WeChat\'s limits', () => {
		expect(Object.fromEntries(Object.entries(TEMPORARY_MEDIA_RULES).map(([type, rule]) => [type, rule.maxBytes]))).toEqual({
			image: 10485760,
			voice: 2097152,
			video: 10485760,
			thumb: 65536,
		});
	});

	test.each([
		['image', { fileName: 'a.JPEG', mimeType: 'image/jpeg', size: 10 }, { fileName: 'a.JPEG', contentType: 'image/jpeg' }],
		['image', { fileName: 'a.gif', mimeType: 'application/octet-stream', size: 10 }, { fileName: 'a.gif', contentType: 'image/gif' }],
		['image', { fileName: 'scan', mimeType: 'image/bmp', size: 10 }, { fileName: 'scan.bmp', contentType: 'image/bmp' }],
		['image', { mimeType: 'image/png; charset=binary', size: 10 }, { fileName: 'image.png', contentType: 'image/png' }],
		['image', { fileName: 'photo', fileExtension: 'png', mimeType: '', size: 10 }, { fileName: 'photo.png', contentType: 'image/png' }],
		['voice', { fileName: 'talk.mp3', mimeType: 'audio/mp3', size: 10 }, { fileName: 'talk.mp3', contentType: 'audio/mp3' }],
		['video', { fileName: '开业.mp4', mimeType: 'video/mp4', size: 10485760 }, { fileName: '开业.mp4', contentType: 'video/mp4' }],
		['thumb', { fileName: 'c.jpg', mimeType: 'image/jpeg', size: 65536 }, { fileName: 'c.jpg', contentType: 'image/jpeg' }],
	] as const)('%s %j is accepted as %j', (type, file, expected) => {
		expect(prepareTemporaryMediaFile(type, file)).toEqual({ ok: true, ...expected });
	});

	test.each([
		['image', { fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10485761 }, 'the file "a.jpg" (image/jpeg) is 10 MB (10,485,761 bytes); WeChat accepts image files up to 10 MB (10,485,760 bytes)'],
		['video', { fileName: 'a.mp4', mimeType: 'video/mp4', size: 0 }, 'the file "a.mp4" (video/mp4) is empty'],
		['voice', { fileName: 'a.wav', mimeType: 'audio/wav', size: 10 }, 'the file "a.wav" (audio/wav) is not a type WeChat accepts for voice uploads: use MP3 or AMR'],
		['thumb', { mimeType: '', size: 10 }, 'the file is not a type WeChat accepts for thumbnail uploads: use JPG'],
	] as const)('%s %j is refused', (type, file, problem) => {
		expect(prepareTemporaryMediaFile(type, file)).toEqual({ ok: false, problem });
	});
});

test('isTemporaryMediaType', () => {
	expect(['image', 'voice', 'video', 'thumb', 'news', 'toString', 3].map(isTemporaryMediaType)).toEqual([true, true, true, true, false, false, false]);
});

test('formatSize', () => {
	expect([900, 1024, 70000, 2097152, 10485761].map(formatSize)).toEqual([
		'900 bytes',
		'1 KB (1,024 bytes)',
		'68.4 KB (70,000 bytes)',
		'2 MB (2,097,152 bytes)',
		'10 MB (10,485,761 bytes)',
	]);
});
