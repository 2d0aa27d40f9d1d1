// Builds WeChat's media and draft request bodies from values already read from the node's
// parameters, and holds WeChat's rules for the files each upload takes.
import type {
	DraftAddRequest,
	DraftArticle,
	PermanentMediaType,
	TemporaryMediaType,
	UploadNewsArticle,
	UploadNewsRequest,
	UploadVideoRequest,
} from './mediaTypes';

export const MAX_ARTICLES = 8;

export interface ArticleValues {
	title: string;
	thumbMediaId: string;
	/** HTML. */
	content: string;
	author: string;
	contentSourceUrl: string;
	digest: string;
	showCoverPic: boolean;
	openComments: boolean;
	onlyFollowersCanComment: boolean;
}

export function buildUploadNewsArticle(article: ArticleValues): UploadNewsArticle {
	const body: UploadNewsArticle = {
		thumb_media_id: article.thumbMediaId,
		title: article.title,
		content: article.content,
		show_cover_pic: article.showCoverPic ? 1 : 0,
		need_open_comment: article.openComments ? 1 : 0,
		// Only meaningful with comments open; WeChat ignores it otherwise, so keep the body consistent.
		only_fans_can_comment: article.openComments && article.onlyFollowersCanComment ? 1 : 0,
	};
	if (article.author.trim() !== '') body.author = article.author;
	if (article.contentSourceUrl.trim() !== '') body.content_source_url = article.contentSourceUrl.trim();
	if (article.digest.trim() !== '') body.digest = article.digest;
	return body;
}

export function buildUploadNewsBody(articles: ArticleValues[]): UploadNewsRequest {
	return { articles: articles.map(buildUploadNewsArticle) };
}

export function buildUploadVideoBody(video: { videoMediaId: string; title: string; description: string }): UploadVideoRequest {
	return { media_id: video.videoMediaId, title: video.title, description: video.description };
}

// ---- drafts (draft/add) ----------------------------------------------------------------------------

/**
 * Per https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add : title
 * "总长度不超过32个字", author "不超过16个字", digest "不超过128个字", content "必须少于2万字符，小于1M".
 * The page gives no article count; 8 is `uploadnews`'s "1到8条图文" and the console's limit.
 */
export const DRAFT_LIMITS = { title: 32, author: 16, digest: 128, contentChars: 20000, contentBytes: 1024 * 1024 } as const;

export interface DraftArticleValues {
	title: string;
	/** HTML, with images already hosted by WeChat. */
	content: string;
	coverMediaId: string;
	author: string;
	digest: string;
	contentSourceUrl: string;
	openComments: boolean;
	onlyFollowersCanComment: boolean;
}

export function buildDraftArticle(article: DraftArticleValues): DraftArticle {
	const body: DraftArticle = {
		title: article.title,
		content: article.content,
		thumb_media_id: article.coverMediaId,
		need_open_comment: article.openComments ? 1 : 0,
		only_fans_can_comment: article.openComments && article.onlyFollowersCanComment ? 1 : 0,
	};
	if (article.author.trim() !== '') body.author = article.author;
	if (article.digest.trim() !== '') body.digest = article.digest;
	if (article.contentSourceUrl.trim() !== '') body.content_source_url = article.contentSourceUrl.trim();
	return body;
}

export function buildDraftAddBody(articles: DraftArticleValues[]): DraftAddRequest {
	return { articles: articles.map(buildDraftArticle) };
}

/** What breaks one of WeChat's length limits for a draft article, in words; undefined when none does. */
export function draftArticleProblem(article: Pick<DraftArticleValues, 'title' | 'author' | 'digest' | 'content'>): { field: 'Title' | 'Author' | 'Summary' | 'Content'; problem: string } | undefined {
	const characters = (text: string) => [...text].length;
	if (characters(article.title) > DRAFT_LIMITS.title) {
		return { field: 'Title', problem: `WeChat takes at most ${DRAFT_LIMITS.title} characters, got ${characters(article.title)}` };
	}
	if (characters(article.author) > DRAFT_LIMITS.author) {
		return { field: 'Author', problem: `WeChat takes at most ${DRAFT_LIMITS.author} characters, got ${characters(article.author)}` };
	}
	if (characters(article.digest) > DRAFT_LIMITS.digest) {
		return { field: 'Summary', problem: `WeChat takes at most ${DRAFT_LIMITS.digest} characters, got ${characters(article.digest)}` };
	}
	if (article.content.length >= DRAFT_LIMITS.contentChars) {
		return { field: 'Content', problem: `WeChat takes fewer than ${DRAFT_LIMITS.contentChars.toLocaleString('en-US')} characters of HTML, got ${article.content.length.toLocaleString('en-US')}` };
	}
	const bytes = Buffer.byteLength(article.content, 'utf8');
	if (bytes >= DRAFT_LIMITS.contentBytes) return { field: 'Content', problem: `WeChat takes less than 1 MB of HTML, got ${formatSize(bytes)}` };
	return undefined;
}

// ---- files for media/upload, material/add_material and media/uploadimg ------------------------------

interface FileFormat {
	/** Lower case, without the dot; the first one names uploads that lack an accepted extension. */
	extensions: readonly string[];
	/** Lower case; the first one is sent when the file's own MIME type is not one of these. */
	mimeTypes: readonly string[];
}

export interface MediaFileRule {
	/** How the type is called in messages, e.g. "thumbnail". */
	noun: string;
	maxBytes: number;
	/** The accepted formats in words, e.g. "JPG, PNG, GIF or BMP". */
	formatNames: string;
	formats: readonly FileFormat[];
}

const JPEG: FileFormat = { extensions: ['jpg', 'jpeg'], mimeTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'] };
const KB = 1024;
const MB = 1024 * KB;

const PNG: FileFormat = { extensions: ['png'], mimeTypes: ['image/png'] };

/** `media/upload` (temporary, 3 days). */
export const TEMPORARY_MEDIA_RULES: Readonly<Record<TemporaryMediaType, MediaFileRule>> = {
	image: {
		noun: 'image',
		maxBytes: 10 * MB,
		formatNames: 'JPG, PNG, GIF or BMP',
		formats: [
			JPEG,
			PNG,
			{ extensions: ['gif'], mimeTypes: ['image/gif'] },
			{ extensions: ['bmp'], mimeTypes: ['image/bmp', 'image/x-ms-bmp', 'image/x-bmp'] },
		],
	},
	voice: {
		noun: 'voice',
		maxBytes: 2 * MB,
		formatNames: 'MP3 or AMR',
		formats: [
			{ extensions: ['mp3'], mimeTypes: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'] },
			{ extensions: ['amr'], mimeTypes: ['audio/amr', 'audio/amr-wb'] },
		],
	},
	video: {
		noun: 'video',
		maxBytes: 10 * MB,
		formatNames: 'MP4',
		formats: [{ extensions: ['mp4'], mimeTypes: ['video/mp4'] }],
	},
	thumb: {
		noun: 'thumbnail',
		maxBytes: 64 * KB,
		formatNames: 'JPG',
		formats: [JPEG],
	},
};

/**
 * `material/add_material` (permanent), per https://developers.weixin.qq.com/doc/service/api/material/permanent/api_addmaterial :
 * "图片（image）: 10M，支持bmp/png/jpeg/jpg/gif格式", "语音（voice）：2M，播放长度不超过60s，mp3/wma/wav/amr格式",
 * "视频（video）：10MB，支持MP4格式", "缩略图（thumb）：64KB，支持JPG格式".
 */
export const PERMANENT_MEDIA_RULES: Readonly<Record<PermanentMediaType, MediaFileRule>> = {
	...TEMPORARY_MEDIA_RULES,
	voice: {
		noun: 'voice',
		maxBytes: 2 * MB,
		formatNames: 'MP3, WMA, WAV or AMR',
		formats: [
			...TEMPORARY_MEDIA_RULES.voice.formats,
			{ extensions: ['wma'], mimeTypes: ['audio/x-ms-wma'] },
			{ extensions: ['wav'], mimeTypes: ['audio/wav', 'audio/x-wav', 'audio/wave'] },
		],
	},
};

/**
 * `media/uploadimg`, per https://developers.weixin.qq.com/doc/service/api/material/permanent/api_uploadimage :
 * "图片仅支持jpg/png格式，大小必须在1MB以下".
 */
export const ARTICLE_IMAGE_RULE: MediaFileRule = { noun: 'article image', maxBytes: MB, formatNames: 'JPG or PNG', formats: [JPEG, PNG] };

export function isMediaType(value: unknown): value is TemporaryMediaType {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEMPORARY_MEDIA_RULES, value);
}

export interface BinaryFileFacts {
	fileName?: string;
	/** n8n's own guess of the extension, used when the file name has none. */
	fileExtension?: string;
	mimeType?: string;
	size: number;
}

export type PreparedMediaFile = { ok: true; fileName: string; contentType: string } | { ok: false; problem: string };

/**
 * Checks a file against WeChat's rules for `rule` and names it by its format: WeChat's pages name the
 * formats by extension (e.g. "bmp/png/jpeg/jpg/gif") without saying how WeChat tells them, so a file
 * accepted by its MIME type alone gets the matching extension appended.
 */
export function prepareMediaFile(rule: MediaFileRule, file: BinaryFileFacts, defaultBaseName: string): PreparedMediaFile {
	const fileName = file.fileName?.trim() ?? '';
	const extension = (extensionOf(fileName) ?? file.fileExtension ?? '').replace(/^\./, '').toLowerCase();
	const mimeType = (file.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const shownAs = `${fileName === '' ? 'the file' : `the file "${fileName}"`}${mimeType === '' ? '' : ` (${mimeType})`}`;

	const byExtension = rule.formats.find((format) => format.extensions.includes(extension));
	const byMimeType = rule.formats.find((format) => format.mimeTypes.includes(mimeType));
	const format = byExtension ?? byMimeType;
	if (!format) {
		return { ok: false, problem: `${shownAs} is not a type WeChat accepts for ${rule.noun} uploads: use ${rule.formatNames}` };
	}
	if (file.size === 0) return { ok: false, problem: `${shownAs} is empty` };
	if (file.size > rule.maxBytes) {
		return {
			ok: false,
			problem: `${shownAs} is ${formatSize(file.size)}; WeChat accepts ${rule.noun} files up to ${formatSize(rule.maxBytes)}`,
		};
	}

	const hasAcceptedExtension = byExtension !== undefined && extensionOf(fileName) !== undefined;
	const baseName = fileName === '' ? defaultBaseName : fileName;
	return {
		ok: true,
		fileName: hasAcceptedExtension ? fileName : `${baseName}.${format.extensions[0]}`,
		contentType: format.mimeTypes.includes(mimeType) ? mimeType : format.mimeTypes[0],
	};
}

function extensionOf(fileName: string): string | undefined {
	const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
	return match ? match[1].toLowerCase() : undefined;
}

/** "JPG, PNG, GIF or BMP, up to 10 MB": a rule in words, for field descriptions. */
export function describeRule(rule: MediaFileRule): string {
	return `${rule.formatNames}, up to ${rule.maxBytes >= MB ? `${rule.maxBytes / MB} MB` : `${rule.maxBytes / KB} KB`}`;
}

/** "64 KB (65,536 bytes)", "2.5 MB (2,621,440 bytes)", "900 bytes". */
export function formatSize(bytes: number): string {
	const exact = `${bytes.toLocaleString('en-US')} bytes`;
	if (bytes < KB) return exact;
	const [unit, size] = bytes < MB ? ['KB', bytes / KB] : ['MB', bytes / MB];
	const rounded = Math.round(size * 10) / 10;
	return `${rounded.toLocaleString('en-US')} ${unit} (${exact})`;
}
