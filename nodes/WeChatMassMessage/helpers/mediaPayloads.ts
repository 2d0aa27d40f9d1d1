// Builds WeChat's media request bodies from values already read from the node's parameters, and
// holds WeChat's rules for temporary media files.
import type { TemporaryMediaType, UploadNewsArticle, UploadNewsRequest, UploadVideoRequest } from './mediaTypes';

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

// ---- temporary media (media/upload) ---------------------------------------------------------------

interface FileFormat {
	/** Lower case, without the dot; the first one names uploads that lack an accepted extension. */
	extensions: readonly string[];
	/** Lower case; the first one is sent when the file's own MIME type is not one of these. */
	mimeTypes: readonly string[];
}

export interface TemporaryMediaRule {
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

export const TEMPORARY_MEDIA_RULES: Readonly<Record<TemporaryMediaType, TemporaryMediaRule>> = {
	image: {
		noun: 'image',
		maxBytes: 10 * MB,
		formatNames: 'JPG, PNG, GIF or BMP',
		formats: [
			JPEG,
			{ extensions: ['png'], mimeTypes: ['image/png'] },
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

export function isTemporaryMediaType(value: unknown): value is TemporaryMediaType {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEMPORARY_MEDIA_RULES, value);
}

export interface BinaryFileFacts {
	fileName?: string;
	/** n8n's own guess of the extension, used when the file name has none. */
	fileExtension?: string;
	mimeType?: string;
	size: number;
}

export type TemporaryMediaFile = { ok: true; fileName: string; contentType: string } | { ok: false; problem: string };

/**
 * Checks a file against WeChat's rules for `type` and names it the way WeChat recognises it: WeChat
 * judges the format by the file name's extension, so a file accepted by its MIME type alone gets the
 * matching extension appended.
 */
export function prepareTemporaryMediaFile(type: TemporaryMediaType, file: BinaryFileFacts): TemporaryMediaFile {
	const rule = TEMPORARY_MEDIA_RULES[type];
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
	const baseName = fileName === '' ? type : fileName;
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

/** "64 KB (65,536 bytes)", "2.5 MB (2,621,440 bytes)", "900 bytes". */
export function formatSize(bytes: number): string {
	const exact = `${bytes.toLocaleString('en-US')} bytes`;
	if (bytes < KB) return exact;
	const [unit, size] = bytes < MB ? ['KB', bytes / KB] : ['MB', bytes / MB];
	const rounded = Math.round(size * 10) / 10;
	return `${rounded.toLocaleString('en-US')} ${unit} (${exact})`;
}
