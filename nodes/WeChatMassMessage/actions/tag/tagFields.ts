// Reading a tag and a tag name from the node's fields, with the rules WeChat's tag pages give
// (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_createtag and the pages beside it).
import type { IExecuteFunctions } from 'n8n-workflow';

import type { Tag, TagsResponse } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';
import { readLocatorValue } from '../versions';

/**
 * "标签名（30个字符以内）", says the page, but WeChat counts bytes of UTF-8: its error 45158 is "标签名长度超过30个字节",
 * and its staff answer "是30个字节 … 一个汉字3字节" (developers.weixin.qq.com/community/minihome/doc/0008628e3289e8f8f6ce7f46f5b000).
 */
export const MAX_TAG_NAME_BYTES = 30;
/** "一个公众号最多可以创建100个标签" (api_createtag). */
export const MAX_TAGS_PER_ACCOUNT = 100;
/** "不能修改0/1/2这三个系统默认保留的标签" (45058): untagged, blacklist and 星标组 (starred). */
export const RESERVED_TAG_IDS: ReadonlySet<number> = new Set([0, 1, 2]);

/** The tag of a Tag field (a picker, or an ID given by expression). */
export function readTagId(this: IExecuteFunctions, itemIndex: number, field = 'tagId', label = 'Tag'): number {
	const raw = readLocatorValue(this.getNodeParameter(field, itemIndex, '', { extractValue: true }));
	const tagId = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(tagId)) throw inputError.call(this, itemIndex, label, raw === '' ? 'choose a tag, or give its ID' : `"${raw}" is not a tag ID (a whole number)`);
	return tagId;
}

/** A tag that Update and Delete may change: not one of WeChat's own. */
export function readChangeableTagId(this: IExecuteFunctions, itemIndex: number): number {
	const tagId = readTagId.call(this, itemIndex);
	if (RESERVED_TAG_IDS.has(tagId)) {
		throw inputError.call(this, itemIndex, 'Tag', `tag ${tagId} is one of WeChat's own (0 untagged, 1 blacklist, 2 starred), which cannot be renamed or deleted`);
	}
	return tagId;
}

export function readTagName(this: IExecuteFunctions, itemIndex: number, field: string, label: string): string {
	const name = String(this.getNodeParameter(field, itemIndex, '') ?? '').trim();
	if (name === '') throw inputError.call(this, itemIndex, label, 'give the tag a name');
	const bytes = Buffer.byteLength(name, 'utf8');
	if (bytes > MAX_TAG_NAME_BYTES) {
		throw inputError.call(this, itemIndex, label, `"${name}" is ${bytes} bytes; WeChat takes tag names of at most ${MAX_TAG_NAME_BYTES} bytes of UTF-8 (a Chinese character is 3 bytes, so 10 of them)`);
	}
	return name;
}

/** The account's tags by ID (tags/get), read once per run to check its tags before anything is changed. */
export async function readAccountTags(ctx: IExecuteFunctions): Promise<Map<number, Tag>> {
	const { tags } = await weChatApiRequest<TagsResponse>(ctx, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true });
	return new Map(tags.map((tag) => [tag.id, tag]));
}

/** The error for a tag that is not on the account, naming the account's tags. */
export function requireTag(ctx: IExecuteFunctions, tags: Map<number, Tag>, tagId: number, itemIndex: number, label = 'Tag'): Tag {
	const tag = tags.get(tagId);
	if (tag !== undefined) return tag;
	const names = [...tags.values()].map((known) => `${known.id} ${known.name}`).join(', ');
	throw inputError.call(ctx, itemIndex, label, `the account has no tag ${tagId} (its tags: ${names || 'none'})`);
}

/** How many tags the account has made itself: WeChat's own 0, 1 and 2 do not count against its 100. */
export function createdTagCount(tags: Map<number, Tag>): number {
	return [...tags.keys()].filter((id) => !RESERVED_TAG_IDS.has(id)).length;
}
