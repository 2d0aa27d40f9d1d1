// Shapes of WeChat's server callbacks and of what the trigger emits for them.

/** The account's "Message Encryption Mode" (消息加解密方式) in WeChat's Server Configuration. */
export type EncryptionMode = 'plain' | 'compatible' | 'safe';

/** The callback credential as the trigger uses it. */
export type CallbackSettings = {
	appId: string;
	token: string;
	encryptionMode: EncryptionMode;
	/** base64decode(EncodingAESKey + '='): 32 bytes. Absent in plain mode. */
	aesKey?: Buffer;
};

/** Which callbacks start the workflow. */
export type EventFilter = 'massSendJobFinish' | 'publishJobFinish' | 'massOrPublishFinished' | 'subscribe' | 'unsubscribe' | 'scan' | 'subscribeOrScan' | 'all';

/** The parts of the incoming HTTP request the trigger reads (an express request in n8n). */
export interface CallbackRequest {
	/** The unparsed body; n8n's body parser keeps it next to its own (tag-lowercasing) XML parse. */
	rawBody?: unknown;
	body?: unknown;
}

/** The parts of the HTTP response the trigger writes; plain node:http methods, so any express version works. */
export interface CallbackResponse {
	statusCode: number;
	setHeader(name: string, value: string): unknown;
	end(body: string): unknown;
}

/** What to answer WeChat (or whoever sent the request). */
export type CallbackReply = {
	status: number;
	/** `success`, the echoed `echostr`, or a short reason for a rejection. */
	body: string;
};

/** A parsed XML element: WeChat's callbacks use elements and text only (attributes are ignored). */
export type XmlElement = {
	name: string;
	/** Text and CDATA directly inside the element, entities decoded; whitespace-only text between tags dropped. */
	text: string;
	children: XmlElement[];
};

/** An XML element as JSON: a leaf is its text, a repeated child name becomes an array. */
export type XmlJsonValue = string | XmlJsonObject | Array<string | XmlJsonObject>;
export type XmlJsonObject = { [name: string]: XmlJsonValue };

export type MassSendStatus = 'success' | 'fail' | 'error';

/** One article of the originality (copyright) check, WeChat's `CopyrightCheckResult/ResultList/item`. */
export type CopyrightCheckArticle = {
	articleIdx: number | null;
	userDeclareState: number | null;
	auditState: number | null;
	originalArticleUrl: string | null;
	originalArticleType: number | null;
	canReprint: boolean | null;
	needReplaceContent: boolean | null;
	needShowReprintSource: boolean | null;
};

export type CopyrightCheck = {
	/** 1 not judged a reprint, 2 judged a reprint and sent, 3 judged a reprint and not sent. */
	checkState: number | null;
	checkStateMeaning: string | null;
	/** WeChat's own `Count`; `articles` holds the entries actually present. */
	count: number | null;
	articles: CopyrightCheckArticle[];
};

export type ArticleUrl = {
	articleIdx: number | null;
	url: string;
};

/** The trigger's output for a MASSSENDJOBFINISH event. */
export type MassSendJobFinishOutput = {
	event: 'MASSSENDJOBFINISH';
	/** A string of digits: WeChat's 64-bit message ids do not all fit a JavaScript number exactly. */
	msgId: string | null;
	status: MassSendStatus;
	/** WeChat's `Status` verbatim: `send success`, `send fail` or `err(N)`. */
	statusText: string;
	errorCode: number | null;
	errorReason: string | null;
	totalCount: number | null;
	filterCount: number | null;
	sentCount: number | null;
	errorCount: number | null;
	/** Null when the event carries no CopyrightCheckResult block (sends without articles). */
	copyrightCheck: CopyrightCheck | null;
	articleUrls: ArticleUrl[];
	/** The Official Account's original id (`gh_...`), WeChat's ToUserName. */
	account: string | null;
	fromUserName: string | null;
	/** CreateTime as ISO 8601. */
	time: string | null;
	raw: XmlJsonObject;
};

/** The trigger's output for a PUBLISHJOBFINISH event (a Draft > Publish has finished). */
export type PublishJobFinishOutput = {
	event: 'PUBLISHJOBFINISH';
	/** A string of digits, as freepublish/submit answers it. */
	publishId: string | null;
	/** 0 published, 1 publishing, 2 originality check failed, 3 failed, 4 refused by review, 5 deleted, 6 blocked. */
	publishStatus: number | null;
	publishStatusMeaning: string | null;
	articleId: string | null;
	articleUrls: ArticleUrl[];
	/** The articles (1-based) that were not published, for statuses 2 and 3. */
	failedArticles: number[];
	account: string | null;
	fromUserName: string | null;
	time: string | null;
	raw: XmlJsonObject;
};

/** The trigger's output for any other callback, when every event is passed through. */
export type CallbackEventOutput = {
	msgType: string | null;
	event: string | null;
	account: string | null;
	fromUserName: string | null;
	time: string | null;
	raw: XmlJsonObject;
};

export type FollowerEventName = 'subscribe' | 'unsubscribe' | 'SCAN';

/** The trigger's output for a follow, an unfollow or a scan of a QR code by a follower. */
export type FollowerEventOutput = {
	/** WeChat's Event: subscribe, unsubscribe, or SCAN (a follower scanned a QR code). */
	event: FollowerEventName;
	/** The follower's OpenID, WeChat's FromUserName. */
	openid: string | null;
	/** The scene of the QR code (without subscribe's "qrscene_"), as text; null for a follow not through a code, and for an unfollow. */
	scene: string | null;
	/** The QR code's ticket; null when there is no scene. */
	ticket: string | null;
	/** CreateTime as ISO 8601 in UTC. */
	time: string | null;
	/** CreateTime in China Standard Time (UTC+8), as ISO 8601 with its offset. */
	timeChina: string | null;
	/** The Official Account's original id (`gh_...`), WeChat's ToUserName. */
	account: string | null;
	raw: XmlJsonObject;
};
