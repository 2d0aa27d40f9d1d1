// What WeChat's errcodes mean for someone running mass sends, and what to do about them.
// WeChat's own errmsg is terse English ("invalid credential"); these explanations carry the rest.
import { WECHAT_CONSOLE } from '../helpers/weChatConsole';

const ERROR_EXPLANATIONS: Record<number, string> = {
	[-1]: 'WeChat reported "system busy". It also answers this when the message type does not match the media ID (for example a video media ID sent as an image). Check the media ID and try again later.',
	40001: 'The access token is invalid or no longer the latest one. This happens when another system requested a new token for the same App ID with the classic token endpoint.',
	40003: 'An OpenID is not valid for this Official Account: it is mistyped, the person no longer follows the account, or it belongs to another account. OpenIDs are specific to each account: use OpenIDs collected by this App ID.',
	40004: 'The media type is not valid for this upload.',
	40005: 'The file type is not accepted for this media type.',
	40006: 'The file is too large for this media type (image 10 MB, voice 2 MB, video 10 MB, thumbnail 64 KB).',
	40007:
		'The media ID is not valid: it does not exist, belongs to another account, or is of a kind this call does not take. Image, voice and video sends and Upload Video take permanent material (Media > Upload Permanent), not temporary media (Media > Upload Temporary); an article send takes a draft (Draft > Create); a draft cover takes an image from Upload Permanent.',
	40009: 'The image is too large: an image inside an article must be under 1 MB.',
	40013: `The App ID is not valid. Copy it from the ${WECHAT_CONSOLE.appId}.`,
	40014: 'The access token is not valid.',
	40032: 'The OpenID list has a length WeChat does not take: tagging and untagging take 1 to 50 OpenIDs per call, Follower > Get Details 1 to 100.',
	40035: 'A parameter is not valid.',
	40059: 'The message ID is not valid: it does not exist or does not belong to this account.',
	40128:
		'The media ID must come from permanent material ("must be uploaded by api(cgi-bin/material/add_material)"): upload the file with Media > Upload Permanent and use that media ID.',
	40125: `The App Secret is not valid. Reset or copy it in the ${WECHAT_CONSOLE.appSecret}.`,
	40130: 'An OpenID list must contain at least 2 OpenIDs. To send to one person, use the Preview operation.',
	40132: 'The WeChat ID is not valid.',
	40152: 'The tag ID is not valid for this account.',
	40164: `The IP address n8n calls from is not on the Official Account's IP whitelist. Add it in the ${WECHAT_CONSOLE.ipWhitelist}, or set the credential's API Base URL to a relay with a whitelisted fixed IP.`,
	41001: 'The access token is missing.',
	41002: 'The App ID is missing: enter it in the credential.',
	41004: 'The App Secret is missing: enter it in the credential.',
	41005: 'The uploaded media file is missing.',
	42001: 'The access token has expired.',
	43004: 'The recipient does not follow the Official Account.',
	45002: 'The content is too long: an article\'s HTML must be fewer than 20,000 characters and under 1 MB.',
	45003: 'The title is too long: at most 32 characters.',
	45004: 'The summary (digest) is too long: at most 128 characters.',
	45009: 'The daily API call quota for this operation is used up. It resets at midnight (Beijing time); the quota can also be reset in the WeChat Official Accounts Platform.',
	45011: 'WeChat takes at most 60 mass-send requests a minute from the account, counting every workflow and system that sends for it. The node waited and repeated the send with the same Client Message ID until its Confirmation Time Limit ran out.',
	45028: 'The account has no mass-send quota left: subscription accounts may mass send once a day, service accounts four times a month per follower.',
	45056: 'The account has 100 tags, the most WeChat allows. Delete a tag (Tag > Delete) before creating another.',
	45057: 'The tag has more than 100,000 followers, and WeChat does not delete such a tag directly. Remove the tag from followers (Follower > Remove Tag, with Follower > Get Many in a Tag) until 100,000 or fewer carry it, then delete it.',
	45058: 'Tags 0, 1 and 2 are WeChat\'s own (untagged, blacklist, starred) and cannot be renamed or deleted.',
	45059: 'A follower already carries 20 tags, the most WeChat allows. Remove one of their tags first.',
	45065: 'A send with this client message ID was already accepted in the last 24 hours.',
	45066: 'The same client message ID was retried within one minute.',
	45067: 'The client message ID is too long: keep it at 32 bytes or less.',
	45157: 'Another tag already has this name: tag names are unique within an account.',
	45158: 'The tag name is too long: at most 30 bytes of UTF-8 (10 Chinese characters, or 30 letters and digits).',
	45159: 'The tag ID is not valid for this account: the tag does not exist (it may have been deleted), or is one tagging does not take.',
	45083: 'The speed level is not valid: use 0 to 4.',
	45084: 'The speed level is missing.',
	45103: 'WeChat no longer supports this API for this account ("This API has been unsupported"). For articles, use Draft > Create instead of Upload Articles (Legacy).',
	45106: 'WeChat no longer supports this API for this account ("This API has been unsupported"). For articles, use Draft > Create instead of Upload Articles (Legacy).',
	45110: 'The author is too long: at most 16 characters.',
	45113: 'Card (wxcard) messages are no longer supported for this account.',
	49003: 'The OpenID belongs to another Official Account: OpenIDs are specific to each account.',
	53503: 'The draft did not pass WeChat\'s checks for publishing: check its articles (title, content, cover).',
	53504: 'WeChat wants this draft used in the WeChat Official Accounts Platform: publish it there.',
	53505: 'WeChat wants the draft saved by hand first: open it in the WeChat Official Accounts Platform, save it, then publish.',
	48001: 'This account is not authorized for this API. Mass messaging and speed control need a verified (WeChat-certified) Official Account.',
	89504: 'The send is waiting for an administrator to confirm it on their phone (API mass-send protection). Nothing was sent yet.',
	89505: 'The send is waiting for an administrator to confirm it on their phone (API mass-send protection). Nothing was sent yet.',
};

export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([40001, 40014, 41001, 42001]);

/** Where an errcode means something narrower for one endpoint than in general. */
const ENDPOINT_EXPLANATIONS: Record<string, Record<number, string>> = {
	'/cgi-bin/draft/get': { 40007: 'No draft with this media ID: it was deleted, or mass-sent (WeChat removes a draft from the draft box once it is sent).' },
	'/cgi-bin/freepublish/submit': {
		40007: 'No draft with this media ID in the draft box: it was deleted, already published, or mass-sent (WeChat takes a draft out of the draft box once it is published or sent). Published Article > Get Many lists what was published.',
		48001: 'This account may not use WeChat\'s publishing API: since July 2025 WeChat withdraws it from personal, unverified and non-verifiable accounts. Publish from the WeChat Official Accounts Platform instead, or have the account verified.',
	},
	'/cgi-bin/draft/delete': { 40007: 'No draft with this media ID: it was already deleted, or mass-sent (WeChat removes a draft from the draft box once it is sent).' },
};

export function explainErrcode(errcode: number, path?: string): string | undefined {
	return (path === undefined ? undefined : ENDPOINT_EXPLANATIONS[path]?.[errcode]) ?? ERROR_EXPLANATIONS[errcode];
}

