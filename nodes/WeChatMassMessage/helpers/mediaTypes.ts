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

/** The `type` query parameter of `material/add_material` (permanent material). */
export type PermanentMediaType = TemporaryMediaType;

/** `material/add_material`: `url` only for images. */
export interface AddMaterialResponse extends WeChatResult {
	media_id: string;
	url?: string;
}

/** The `description` form field of a permanent video upload. */
export interface PermanentVideoDescription {
	title: string;
	introduction: string;
}

/** `media/uploadimg`: the image's address on WeChat's image host, for `<img src>` in article HTML. */
export interface UploadArticleImageResponse extends WeChatResult {
	url: string;
}

/**
 * `material/batchget_material`: `type` image, video, voice or news; `count` 1 to 20
 * (https://developers.weixin.qq.com/doc/service/api/material/permanent/api_batchgetmaterial).
 */
export interface MaterialBatchGetRequest {
	type: 'image' | 'video' | 'voice' | 'news';
	offset: number;
	count: number;
}

/** A permanent image, voice clip or video as `material/batchget_material` lists it. */
export interface MaterialListEntry {
	media_id: string;
	name?: string;
	/** Unix seconds. */
	update_time: number;
	url?: string;
}

export interface MaterialBatchGetResponse extends WeChatResult {
	total_count: number;
	item_count: number;
	item: MaterialListEntry[];
}

// ---- draft box ----------------------------------------------------------------------------

/** One article of `draft/add`; `thumb_media_id` must be permanent material. */
export interface DraftArticle {
	title: string;
	content: string;
	thumb_media_id: string;
	author?: string;
	digest?: string;
	content_source_url?: string;
	need_open_comment: 0 | 1;
	only_fans_can_comment: 0 | 1;
}

export interface DraftAddRequest {
	articles: DraftArticle[];
}

export interface DraftAddResponse extends WeChatResult {
	media_id: string;
}

export interface DraftMediaIdRequest {
	media_id: string;
}

/** An article as `draft/get` and `draft/batchget` answer it (`content` is left out with `no_content`). */
export interface DraftNewsItem {
	title: string;
	author?: string;
	digest?: string;
	content?: string;
	content_source_url?: string;
	thumb_media_id?: string;
	need_open_comment?: 0 | 1;
	only_fans_can_comment?: 0 | 1;
	/** A temporary link to the draft. */
	url?: string;
	[field: string]: unknown;
}

export interface DraftGetResponse extends WeChatResult {
	news_item: DraftNewsItem[];
}

export interface DraftBatchGetRequest {
	offset: number;
	/** 1 to 20. */
	count: number;
	/** 1 leaves out each article's `content`. */
	no_content: 0 | 1;
}

export interface DraftListEntry {
	media_id: string;
	content: { news_item: DraftNewsItem[] };
	/** Unix seconds. */
	update_time: number;
}

export interface DraftBatchGetResponse extends WeChatResult {
	total_count: number;
	item_count: number;
	item: DraftListEntry[];
}
