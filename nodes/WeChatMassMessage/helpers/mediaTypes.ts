// Shapes of WeChat's media endpoints, as WeChat names their fields.
import type { WeChatResult } from './types';

/** One article of `media/uploadnews`; the flags are 0 or 1. */
export interface UploadNewsArticle {
	thumb_media_id: string;
	title: string;
	content: string;
	author?: string;
	content_source_url?: string;
	digest?: string;
	show_cover_pic: 0 | 1;
	need_open_comment?: 0 | 1;
	only_fans_can_comment?: 0 | 1;
}

export interface UploadNewsRequest {
	articles: UploadNewsArticle[];
}

export interface UploadNewsResponse extends WeChatResult {
	type: string;
	media_id: string;
	created_at: number;
}

export interface UploadVideoRequest {
	/** The media ID of a video uploaded with `media/upload?type=video`. */
	media_id: string;
	title: string;
	description: string;
}

export interface UploadVideoResponse extends WeChatResult {
	type: string;
	media_id: string;
	created_at: number;
}

/** The `type` query parameter of `media/upload`. */
export type TemporaryMediaType = 'image' | 'voice' | 'video' | 'thumb';

/** `media/upload` answers `thumb_media_id` instead of `media_id` for thumbnails. */
export interface TemporaryMediaUploadResponse extends WeChatResult {
	type: string;
	media_id?: string;
	thumb_media_id?: string;
	created_at: number;
}
