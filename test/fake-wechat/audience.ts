// The fake WeChat's followers and follower tags (用户管理: 标签管理, 用户信息), each rule written from
// WeChat's pages, cited beside it. The new pages (developers.weixin.qq.com/doc/service/api/usermanage/...)
// show most error codes only in their old versions
// (https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html); where
// the two disagree the rule says which one it follows.
type Json = Record<string, unknown>;

export interface FakeTag {
	id: number;
	name: string;
	/** Followers with the tag: those listed in `members` plus any the fake does not model one by one. */
	count: number;
}

const OPENID_PATTERN = /^[A-Za-z0-9_-]{28}$/;

/** "不能修改0/1/2这三个系统默认保留的标签" (45058; old tag page, and the new delete page's "can't modify sys tag"). */
const RESERVED_TAG_IDS = new Set([0, 1, 2]);
/** "一个公众号最多可以创建100个标签" (api_createtag); the pages do not say whether tags 0/1/2 count: here they do not. */
const MAX_CREATED_TAGS = 100;
/**
 * "标签名（30个字符以内）" says api_createtag, but its own error is "45158 标签名长度超过30个字节" and WeChat's staff
 * answer "是30个字节，因为是utf8编码 一个汉字3字节"
 * (https://developers.weixin.qq.com/community/minihome/doc/0008628e3289e8f8f6ce7f46f5b000): bytes of UTF-8.
 */
const MAX_TAG_NAME_BYTES = 30;
/** "粉丝openid列表，最多50个" (api_batchtagging); the untagging page gives no number, the old page 50 for both (40032). */
const MAX_OPENIDS_PER_TAGGING = 50;
/** "标签功能目前支持公众号为用户打上最多20个标签。" (api_batchtagging), 45059 when over (old page). */
const MAX_TAGS_PER_FOLLOWER = 20;
/** "当某个标签下的粉丝超过10w时，后台不可直接删除标签" (old page; 45057). The new delete page is silent. */
const MAX_FOLLOWERS_TO_DELETE_TAG = 100_000;
/** "一次拉取调用最多拉取10000个关注者的OpenID" (api_getfans). user/tag/get's page gives no page size: the same here. */
const FOLLOWERS_PER_PAGE = 10_000;
/** "最多支持一次拉取100条。" (api_batchuserinfo); the page names no errcode for more: 40032 as for tagging. */
const MAX_USERS_PER_BATCHGET = 100;

const INVALID_OPENID = { errcode: 40003, errmsg: 'invalid openid' };
const INVALID_TAG = { errcode: 45159, errmsg: 'invalid tag id' };

/** The OpenID of generated follower `index`: 28 characters, as WeChat's are. */
export function generatedOpenId(index: number): string {
	return `oFake${String(index).padStart(23, '0')}`;
}

export class FakeAudience {
	tags: FakeTag[];
	/** Followers made by `generateFollowers`, OpenIDs by index (a million cost no memory until tagged). */
	private generatedCount = 0;
	private readonly extraFollowers: string[] = [];
	private readonly extraSet = new Set<string>();
	/** Tag IDs per follower, for followers that have any. */
	private readonly tagsOf = new Map<string, number[]>();
	/** Tagged followers per tag, in the order they were tagged. */
	private readonly members = new Map<number, Set<string>>();
	/** OpenIDs of another account's followers: "49003 传入的openid不属于此AppID" (old page). */
	readonly foreignOpenIds = new Set<string>();
	private nextTagId = 100;
	/** The scene of the code each follower followed through, for those who did. */
	private readonly followedThrough = new Map<string, string | number>();

	constructor(tags: FakeTag[]) {
		this.tags = tags;
		this.nextTagId = Math.max(99, ...tags.map((tag) => tag.id)) + 1;
	}

	/** Adds `count` generated followers (see generatedOpenId), before those added by `addFollowers`. */
	generateFollowers(count: number): void {
		this.generatedCount += count;
	}

	/** `qrCode`: they followed by scanning a code with this scene (user/info's subscribe_scene ADD_SCENE_QR_CODE, qr_scene, qr_scene_str). */
	addFollowers(openIds: string[], qrCode?: { scene: string | number }): void {
		for (const openId of openIds) {
			if (this.isFollower(openId)) continue;
			this.extraFollowers.push(openId);
			this.extraSet.add(openId);
			if (qrCode) this.followedThrough.set(openId, qrCode.scene);
		}
	}

	/**
	 * An unfollow: the follower leaves the list and their tags. Only followers added by `addFollowers` can (generated ones are
	 * numbered). False when `openId` follows no more.
	 */
	removeFollower(openId: string): boolean {
		if (!this.extraSet.delete(openId)) return false;
		this.extraFollowers.splice(this.extraFollowers.indexOf(openId), 1);
		for (const tagId of this.tagIdsOf(openId)) {
			this.members.get(tagId)?.delete(openId);
			const tag = this.tags.find((known) => known.id === tagId);
			if (tag) tag.count--;
		}
		this.tagsOf.delete(openId);
		this.followedThrough.delete(openId);
		return true;
	}

	get followerCount(): number {
		return this.generatedCount + this.extraFollowers.length;
	}

	isFollower(openId: string): boolean {
		if (this.extraSet.has(openId)) return true;
		const match = /^oFake(\d{23})$/.exec(openId);
		return match !== null && Number(match[1]) < this.generatedCount;
	}

	tagIdsOf(openId: string): number[] {
		return this.tagsOf.get(openId) ?? [];
	}

	membersOf(tagId: number): string[] {
		return [...(this.members.get(tagId) ?? [])];
	}

	private followerAt(index: number): string {
		return index < this.generatedCount ? generatedOpenId(index) : this.extraFollowers[index - this.generatedCount];
	}

	private indexOf(openId: string): number {
		const match = /^oFake(\d{23})$/.exec(openId);
		if (match && Number(match[1]) < this.generatedCount) return Number(match[1]);
		const extra = this.extraFollowers.indexOf(openId);
		return extra < 0 ? -1 : this.generatedCount + extra;
	}

	private nameError(name: unknown, exceptId?: number): Json | undefined {
		if (typeof name !== 'string' || name === '' || Buffer.byteLength(name, 'utf8') > MAX_TAG_NAME_BYTES) return { errcode: 45158, errmsg: 'tag name too long' };
		// "45157 标签名非法，请注意不能和其他标签重名" (old page).
		if (this.tags.some((tag) => tag.name === name && tag.id !== exceptId)) return { errcode: 45157, errmsg: 'invalid tag name' };
		return undefined;
	}

	/** tags/create, https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_createtag: {"tag":{"id":134,"name":"广东"}}. */
	create(body: Json): Json {
		const name = (body.tag as Json | undefined)?.name;
		const error = this.nameError(name);
		if (error) return error;
		// "45056 创建的标签数过多，请注意不能超过100个" (old page).
		if (this.tags.filter((tag) => !RESERVED_TAG_IDS.has(tag.id)).length >= MAX_CREATED_TAGS) return { errcode: 45056, errmsg: 'too many tags' };
		const tag = { id: this.nextTagId++, name: name as string, count: 0 };
		this.tags.push(tag);
		return { tag: { id: tag.id, name: tag.name } };
	}

	/** tags/get, https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettags.html: {"tags":[{"id","name","count"}]}. */
	list(): Json {
		return { tags: this.tags.map((tag) => ({ ...tag })) };
	}

	private tagOf(id: unknown): FakeTag | undefined {
		return this.tags.find((tag) => tag.id === id);
	}

	/** tags/update, https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_updatetag: {"tag":{"id","name"}}. */
	update(body: Json): Json {
		const { id, name } = (body.tag as Json | undefined) ?? {};
		if (typeof id === 'number' && RESERVED_TAG_IDS.has(id)) return { errcode: 45058, errmsg: "can't modify sys tag" };
		const tag = this.tagOf(id);
		if (!tag) return INVALID_TAG;
		const error = this.nameError(name, tag.id);
		if (error) return error;
		tag.name = name as string;
		return { errcode: 0, errmsg: 'ok' };
	}

	/** tags/delete, https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_deletetag: {"tag":{"id"}}. */
	delete(body: Json): Json {
		const id = (body.tag as Json | undefined)?.id;
		if (typeof id === 'number' && RESERVED_TAG_IDS.has(id)) return { errcode: 45058, errmsg: "can't modify sys tag" };
		const tag = this.tagOf(id);
		if (!tag) return INVALID_TAG;
		if (tag.count > MAX_FOLLOWERS_TO_DELETE_TAG) return { errcode: 45057, errmsg: 'too many fans in this tag' };
		this.tags.splice(this.tags.indexOf(tag), 1);
		for (const openId of this.members.get(tag.id) ?? []) this.tagsOf.set(openId, this.tagIdsOf(openId).filter((tagId) => tagId !== tag.id));
		this.members.delete(tag.id);
		return { errcode: 0, errmsg: 'ok' };
	}

	/** What is wrong with a follower of a call, in the order WeChat's old page lists the codes. */
	private openIdError(openId: unknown): Json | undefined {
		if (typeof openId !== 'string' || !OPENID_PATTERN.test(openId)) return INVALID_OPENID;
		if (this.foreignOpenIds.has(openId)) return { errcode: 49003, errmsg: 'not match openid with appid' };
		// "不合法的 OpenID ，请开发者确认 OpenID （该用户）是否已关注公众号" (api_batchtagging).
		if (!this.isFollower(openId)) return INVALID_OPENID;
		return undefined;
	}

	/**
	 * tags/members/batchtagging and batchuntagging
	 * (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_batchtagging, .../api_batchuntagging):
	 * {"openid_list":[...],"tagid":134}. The pages do not say whether a call with one bad OpenID tags the
	 * others: here it tags none, so a caller must find the bad one.
	 */
	tagging(body: Json, untag: boolean): Json {
		const list = body.openid_list;
		if (!Array.isArray(list) || list.length === 0 || list.length > MAX_OPENIDS_PER_TAGGING) return { errcode: 40032, errmsg: 'invalid openid list size' };
		const tag = this.tagOf(body.tagid);
		if (!tag || tag.id === 0 || tag.id === 1) return INVALID_TAG;
		for (const openId of list) {
			const error = this.openIdError(openId);
			if (error) return error;
		}
		const openIds = [...new Set(list as string[])];
		if (!untag && openIds.some((openId) => !this.tagIdsOf(openId).includes(tag.id) && this.tagIdsOf(openId).length >= MAX_TAGS_PER_FOLLOWER)) {
			return { errcode: 45059, errmsg: 'fans tag count exceeds the limit' };
		}
		const members = this.members.get(tag.id) ?? new Set<string>();
		this.members.set(tag.id, members);
		for (const openId of openIds) {
			const has = this.tagIdsOf(openId).includes(tag.id);
			if (untag && has) {
				this.tagsOf.set(openId, this.tagIdsOf(openId).filter((tagId) => tagId !== tag.id));
				members.delete(openId);
				tag.count--;
			} else if (!untag && !has) {
				this.tagsOf.set(openId, [...this.tagIdsOf(openId), tag.id]);
				members.add(openId);
				tag.count++;
			}
		}
		return { errcode: 0, errmsg: 'ok' };
	}

	/** tags/getidlist, https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettagidlist: {"tagid_list":[134,2]}. */
	tagIdList(body: Json): Json {
		const error = this.openIdError(body.openid);
		return error ?? { tagid_list: this.tagIdsOf(body.openid as string) };
	}

	/**
	 * user/tag/get (POST), https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettagfans:
	 * {"count":2,"data":{"openid":[...]},"next_openid":"<the last one>"}; next_openid is "拉取列表最后一个用户的openid".
	 * What the call after the last page answers the page does not say: here count 0 and an empty next_openid, as user/get.
	 */
	tagFans(body: Json): Json {
		const tag = this.tagOf(body.tagid);
		if (!tag) return { errcode: 45159, errmsg: 'invalid tag_id' };
		const members = this.membersOf(tag.id);
		const after = typeof body.next_openid === 'string' && body.next_openid !== '' ? members.indexOf(body.next_openid) : -1;
		if (typeof body.next_openid === 'string' && body.next_openid !== '' && after < 0) return INVALID_OPENID;
		return page(members.slice(after + 1, after + 1 + FOLLOWERS_PER_PAGE));
	}

	/**
	 * user/get (GET ?next_openid=), https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_getfans:
	 * {"total":23000,"count":10000,"data":{"openid":[...]},"next_openid":"OPENID10000"}; "最后一次返回时next_openid可能为空表示列表结束".
	 * As followers report (and the old page's own last example shows), the last page's next_openid is its last OpenID;
	 * the call after it answers count 0.
	 */
	followers(query: Record<string, string>): Json {
		const next = query.next_openid ?? '';
		const after = next === '' ? -1 : this.indexOf(next);
		if (next !== '' && after < 0) return INVALID_OPENID;
		const from = after + 1;
		const to = Math.min(this.followerCount, from + FOLLOWERS_PER_PAGE);
		const openIds: string[] = [];
		for (let index = from; index < to; index++) openIds.push(this.followerAt(index));
		return { total: this.followerCount, ...page(openIds) };
	}

	/**
	 * user/info/batchget, https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_batchuserinfo:
	 * {"user_list":[{"openid","lang"}]} → {"user_info_list":[...]}, the fields of user/info
	 * (https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo) without those WeChat
	 * stopped giving ("2021年12月27日之后，不再输出头像、昵称信息"; language "【注意：该字段不再提供】").
	 */
	batchUserInfo(body: Json): Json {
		const list = body.user_list;
		if (!Array.isArray(list) || list.length === 0 || list.length > MAX_USERS_PER_BATCHGET) return { errcode: 40032, errmsg: 'invalid openid list size' };
		const infos: Json[] = [];
		for (const entry of list as Json[]) {
			const error = this.openIdError(entry?.openid);
			if (error) return error;
			const openid = entry.openid as string;
			const scene = this.followedThrough.get(openid);
			infos.push({
				subscribe: 1,
				openid,
				subscribe_time: 1764547200 + (Math.max(0, this.indexOf(openid)) % 86400),
				remark: '',
				groupid: 0,
				tagid_list: this.tagIdsOf(openid),
				subscribe_scene: 'ADD_SCENE_QR_CODE',
				qr_scene: typeof scene === 'number' ? scene : 0,
				qr_scene_str: typeof scene === 'string' ? scene : '',
			});
		}
		return { user_info_list: infos };
	}
}

function page(openIds: string[]): Json {
	if (openIds.length === 0) return { count: 0, next_openid: '' };
	return { count: openIds.length, data: { openid: openIds }, next_openid: openIds[openIds.length - 1] };
}
