import {
	type ArticleValues,
	ARTICLE_IMAGE_RULE,
	PERMANENT_MEDIA_RULES,
	TEMPORARY_MEDIA_RULES,
	buildDraftAddBody,
	buildUploadNewsBody,
	buildUploadVideoBody,
	draftArticleProblem,
	formatSize,
	isMediaType,
	prepareMediaFile,
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

describe('prepareMediaFile for temporary media (media/upload)', () => {
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
		expect(prepareMediaFile(TEMPORARY_MEDIA_RULES[type], file, type)).toEqual({ ok: true, ...expected });
	});

	test.each([
		['image', { fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10485761 }, 'the file "a.jpg" (image/jpeg) is 10 MB (10,485,761 bytes); WeChat accepts image files up to 10 MB (10,485,760 bytes)'],
		['video', { fileName: 'a.mp4', mimeType: 'video/mp4', size: 0 }, 'the file "a.mp4" (video/mp4) is empty'],
		['voice', { fileName: 'a.wav', mimeType: 'audio/wav', size: 10 }, 'the file "a.wav" (audio/wav) is not a type WeChat accepts for voice uploads: use MP3 or AMR'],
		['thumb', { mimeType: '', size: 10 }, 'the file is not a type WeChat accepts for thumbnail uploads: use JPG'],
	] as const)('%s %j is refused', (type, file, problem) => {
		expect(prepareMediaFile(TEMPORARY_MEDIA_RULES[type], file, type)).toEqual({ ok: false, problem });
	});
});

test('isMediaType', () => {
	expect(['image', 'voice', 'video', 'thumb', 'news', 'toString', 3].map(isMediaType)).toEqual([true, true, true, true, false, false, false]);
});

// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_addmaterial : "图片（image）: 10M，
// 支持bmp/png/jpeg/jpg/gif格式", "语音（voice）：2M，播放长度不超过60s，mp3/wma/wav/amr格式", "视频（video）：10MB，
// 支持MP4格式", "缩略图（thumb）：64KB，支持JPG格式".
describe('prepareMediaFile for permanent material (material/add_material)', () => {
	test('WeChat\'s limits', () => {
		expect(Object.fromEntries(Object.entries(PERMANENT_MEDIA_RULES).map(([type, rule]) => [type, [rule.maxBytes, rule.formatNames]]))).toEqual({
			image: [10485760, 'JPG, PNG, GIF or BMP'],
			voice: [2097152, 'MP3, WMA, WAV or AMR'],
			video: [10485760, 'MP4'],
			thumb: [65536, 'JPG'],
		});
	});

	test('permanent voice takes WAV and WMA, which temporary voice refuses', () => {
		const wav = { fileName: 'a.wav', mimeType: 'audio/wav', size: 10 };
		expect(prepareMediaFile(PERMANENT_MEDIA_RULES.voice, wav, 'voice')).toEqual({ ok: true, fileName: 'a.wav', contentType: 'audio/wav' });
		expect(prepareMediaFile(PERMANENT_MEDIA_RULES.voice, { mimeType: 'audio/x-ms-wma', size: 10 }, 'voice')).toEqual({ ok: true, fileName: 'voice.wma', contentType: 'audio/x-ms-wma' });
	});
});

// https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage : "图片仅支持jpg/png格式，大小必须在1MB以下".
test.each([
	[{ fileName: 'a.png', mimeType: 'image/png', size: 1048576 }, { ok: true, fileName: 'a.png', contentType: 'image/png' }],
	[{ fileName: 'a.jpg', mimeType: 'image/jpeg', size: 1048577 }, { ok: false, problem: 'the file "a.jpg" (image/jpeg) is 1 MB (1,048,577 bytes); WeChat accepts article image files up to 1 MB (1,048,576 bytes)' }],
	[{ fileName: 'a.gif', mimeType: 'image/gif', size: 10 }, { ok: false, problem: 'the file "a.gif" (image/gif) is not a type WeChat accepts for article image uploads: use JPG or PNG' }],
])('article image %j → %j', (file, expected) => {
	expect(prepareMediaFile(ARTICLE_IMAGE_RULE, file, 'image')).toEqual(expected);
});

// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add
describe('draft/add bodies', () => {
	const values = {
		title: 'Spring sale',
		content: '<p>Hi</p>',
		coverMediaId: 'cover_1',
		author: '',
		digest: '',
		contentSourceUrl: ' ',
		openComments: false,
		onlyFollowersCanComment: true,
	};

	test('optional fields are left out when empty; only_fans_can_comment needs open comments', () => {
		expect(buildDraftAddBody([values, { ...values, author: 'Ann', digest: 'Short', contentSourceUrl: ' https://example.com/a ', openComments: true }])).toEqual({
			articles: [
				{ title: 'Spring sale', content: '<p>Hi</p>', thumb_media_id: 'cover_1', need_open_comment: 0, only_fans_can_comment: 0 },
				{
					title: 'Spring sale',
					content: '<p>Hi</p>',
					thumb_media_id: 'cover_1',
					author: 'Ann',
					digest: 'Short',
					content_source_url: 'https://example.com/a',
					need_open_comment: 1,
					only_fans_can_comment: 1,
				},
			],
		});
	});

	test.each([
		[{ title: '标'.repeat(32) }, undefined],
		[{ title: '标'.repeat(33) }, { field: 'Title', problem: 'WeChat takes at most 32 characters, got 33' }],
		[{ author: 'a'.repeat(17) }, { field: 'Author', problem: 'WeChat takes at most 16 characters, got 17' }],
		[{ digest: '摘'.repeat(129) }, { field: 'Summary', problem: 'WeChat takes at most 128 characters, got 129' }],
		[{ content: 'x'.repeat(20000) }, { field: 'Content', problem: 'WeChat takes fewer than 20,000 characters of HTML, got 20,000' }],
	])('length limits: %j → %j', (change, expected) => {
		expect(draftArticleProblem({ ...values, ...change })).toEqual(expected);
	});
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
