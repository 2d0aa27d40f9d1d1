// Shapes of WeChat's requests and responses, as WeChat names their fields.

/** Every WeChat answer may carry these; `errcode` 0 or absent means success. */
export interface WeChatResult {
	errcode?: number;
	errmsg?: string;
}

export type TokenEndpoint = 'stable' | 'classic';

export interface WeChatCredentials {
	appId: string;
	appSecret: string;
	tokenEndpoint: TokenEndpoint;
	baseUrl: string;
	accessToken: string;
}

export interface StableTokenRequest {
	grant_type: 'client_credential';
	appid: string;
	secret: string;
	force_refresh: boolean;
}

export interface AccessTokenResponse extends WeChatResult {
	access_token?: string;
	expires_in?: number;
}

export interface SpeedGetResponse extends WeChatResult {
	speed: number;
	realspeed: number;
}

export interface SpeedSetRequest {
	speed: number;
}

// ---- mass messages ----------------------------------------------------------------------------

export type MessageType = 'mpnews' | 'text' | 'voice' | 'image' | 'mpvideo' | 'wxcard';

/** What a mass message carries, as read from the node's fields; `buildMessageContent` turns it into WeChat's shape. */
export type MessageContent =
	| { msgtype: 'mpnews'; mediaId: string }
	| { msgtype: 'text'; content: string }
	| { msgtype: 'voice'; mediaId: string }
	| { msgtype: 'image'; mediaIds: string[]; recommend: string; needOpenComment: boolean; onlyFansCanComment: boolean }
	| { msgtype: 'mpvideo'; mediaId: string }
	| { msgtype: 'wxcard'; cardId: string };

export interface MediaIdContent {
	media_id: string;
}

export interface SendImagesContent {
	media_ids: string[];
	recommend?: string;
	need_open_comment?: 0 | 1;
	only_fans_can_comment?: 0 | 1;
}

/** The message part of a send or preview body: `msgtype` plus the object named after it. */
export interface MessageBody {
	msgtype: MessageType;
	mpnews?: MediaIdContent;
	text?: { content: string };
	voice?: MediaIdContent;
	images?: SendImagesContent;
	image?: MediaIdContent;
	mpvideo?: MediaIdContent;
	wxcard?: { card_id: string };
}

export interface SendOptions {
	/** WeChat's `send_ignore_reprint`: 1 sends an article even when WeChat judges it a reprint. */
	send_ignore_reprint: 0 | 1;
	clientmsgid: string;
}

export interface SendAllRequest extends MessageBody, SendOptions {
	filter: { is_to_all: true } | { is_to_all: false; tag_id: number };
}

export interface SendToOpenIdsRequest extends MessageBody, SendOptions {
	touser: string[];
}

export type PreviewRequest = MessageBody & ({ touser: string } | { towxname: string });

export interface SendResponse extends WeChatResult {
	msg_id?: number;
	msg_data_id?: number;
}

/** `msg_id` holds the digits, sent as a JSON number (see `jsonIntegerFields` of the transport). */
export type DeleteRequest = { msg_id: string; article_idx: number } | { url: string; article_idx: number };

export interface MassGetRequest {
	/** The digits, sent as a JSON number. */
	msg_id: string;
}

export type MassStatus = 'SEND_SUCCESS' | 'SENDING' | 'SEND_FAIL' | 'DELETE';

export interface MassGetResponse extends WeChatResult {
	msg_id: number;
	msg_status: MassStatus;
}

export interface TagsResponse extends WeChatResult {
	tags: Array<{ id: number; name: string; count: number }>;
}

// ---- Follower tags and followers (用户管理), https://developers.weixin.qq.com/doc/service/api/usermanage/... ----

export interface Tag {
	id: number;
	name: string;
}

/** tags/create: {"tag":{"name":"广东"}}. */
export interface TagCreateRequest {
	tag: { name: string };
}

export interface TagCreateResponse extends WeChatResult {
	tag: Tag;
}

/** tags/update: {"tag":{"id":134,"name":"广东人"}}. */
export interface TagUpdateRequest {
	tag: Tag;
}

/** tags/delete: {"tag":{"id":134}}. */
export interface TagDeleteRequest {
	tag: { id: number };
}

/** tags/members/batchtagging and batchuntagging. */
export interface TaggingRequest {
	openid_list: string[];
	tagid: number;
}

/** tags/getidlist. */
export interface TagIdListRequest {
	openid: string;
}

export interface TagIdListResponse extends WeChatResult {
	tagid_list: number[];
}

/** user/tag/get: the followers of a tag after `next_openid` ('' from the start). */
export interface TagFollowersRequest {
	tagid: number;
	next_openid: string;
}

/** A page of OpenIDs from user/get (which adds `total`) or user/tag/get; `data` is absent on an empty page. */
export interface FollowerPageResponse extends WeChatResult {
	total?: number;
	count: number;
	data?: { openid?: string[] };
	next_openid?: string;
}

export type FollowerLanguage = 'zh_CN' | 'zh_TW' | 'en';

/** user/info/batchget: "最多支持一次拉取100条". */
export interface BatchUserInfoRequest {
	user_list: Array<{ openid: string; lang: FollowerLanguage }>;
}

/** A follower as user/info describes one (nickname and avatar are no longer given, since 2021-12-27). */
export interface FollowerInfo {
	subscribe: number;
	openid: string;
	subscribe_time?: number;
	unionid?: string;
	remark?: string;
	groupid?: number;
	tagid_list?: number[];
	subscribe_scene?: string;
	qr_scene?: number;
	qr_scene_str?: string;
}

export interface BatchUserInfoResponse extends WeChatResult {
	user_info_list: FollowerInfo[];
}

// ---- Publishing without a push (发布能力): freepublish/* ----

export interface PublishSubmitRequest {
	media_id: string;
}

/** The page types both as string; its subscription copy gives publish_id as int. */
export interface PublishSubmitResponse extends WeChatResult {
	publish_id: string | number;
	msg_data_id?: string | number;
}

export interface PublishIdRequest {
	publish_id: string;
}

/** 0 success, 1 publishing, 2 originality check failed, 3 failed, 4 refused by review, 5 all articles deleted after success, 6 all blocked after success. */
export type PublishStatus = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface PublishArticleDetail {
	count: number;
	item: Array<{ idx: number; article_url: string }>;
}

export interface PublishGetResponse extends WeChatResult {
	publish_id: string;
	publish_status: PublishStatus;
	article_id?: string;
	article_detail?: PublishArticleDetail;
	/** The articles (1-based) that failed, for statuses 2 and 3. */
	fail_idx?: number[];
}

export interface ArticleIdRequest {
	article_id: string;
}

export interface PublishedArticleDeleteRequest extends ArticleIdRequest {
	/** 1-based; 0 deletes every article. */
	index: number;
}

export interface PublishedNewsItem {
	title: string;
	url?: string;
	is_deleted?: boolean;
	[field: string]: unknown;
}

export interface PublishedArticleResponse extends WeChatResult {
	news_item: PublishedNewsItem[];
}

export interface PublishedListEntry {
	article_id: string;
	content: { news_item: PublishedNewsItem[] };
	update_time: number;
}

export interface PublishedBatchGetResponse extends WeChatResult {
	total_count: number;
	item_count: number;
	item: PublishedListEntry[];
}

// ---- Article statistics (图文分析): datacube/getarticleread and getarticleshare ----

export interface DatacubeRangeRequest {
	/** YYYY-MM-DD. */
	begin_date: string;
	end_date: string;
}

/** One article's figures for one day: `msgid` is "<msg_data_id>_<index>". */
export interface ArticleDayEntry {
	ref_date: string;
	msgid: string;
	detail: IDataObjectLike;
}

type IDataObjectLike = Record<string, number | string | boolean | null | object>;

export interface ArticleDayResponse extends WeChatResult {
	list: ArticleDayEntry[];
	/** "数据是否有延迟,is_delay=false表示数据是最新的". */
	is_delay?: boolean;
}

// ---- QR codes with a scene (qrcode/create) ---------------------------------------------------

export type QrCodeActionName = 'QR_SCENE' | 'QR_STR_SCENE' | 'QR_LIMIT_SCENE' | 'QR_LIMIT_STR_SCENE';

export interface QrCodeCreateRequest {
	/** Temporary codes only. */
	expire_seconds?: number;
	action_name: QrCodeActionName;
	action_info: { scene: { scene_id: number } | { scene_str: string } };
}

export interface QrCodeCreateResponse extends WeChatResult {
	ticket: string;
	/** Temporary codes only. */
	expire_seconds?: number;
	/** What the code's image encodes: the address WeChat opens when it is scanned. */
	url: string;
}
