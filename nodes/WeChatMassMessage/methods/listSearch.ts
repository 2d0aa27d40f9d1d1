import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { chinaMinute } from '../helpers/chinaTime';
import type { DraftListEntry, MaterialBatchGetRequest, MaterialBatchGetResponse } from '../helpers/mediaTypes';
import type { TagsResponse } from '../helpers/types';
import { DRAFT_PAGE_SIZE, fetchDraftPage } from '../actions/draft/getAll.operation';
import { weChatApiRequest } from '../transport';
import { assertCredentialChosen } from './credentialChosen';

/** WeChat has no draft or material search: a filtered search reads this many pages at most per call, then offers "more". */
const MAX_PAGES_PER_SEARCH = 10;
/** `material/batchget_material`'s count: "取值在1到20之间". */
const MATERIAL_PAGE_SIZE = 20;

/**
 * "First title (+1 more) · 2026-11-30 09:05 (UTC+8)": what the picker lists and n8n saves as the
 * chosen draft's cached name. A search that matched a later article names it, since the first title
 * alone would not show why the draft was found.
 */
function draftName(entry: DraftListEntry, needle: string): string {
	const titles = (entry.content?.news_item ?? []).map((article) => article.title?.trim() ?? '');
	const [first = '', ...others] = titles;
	const matched = needle === '' || first.toLowerCase().includes(needle) ? -1 : titles.findIndex((title) => title.toLowerCase().includes(needle));
	const notes = [others.length > 0 ? `+${others.length} more` : '', matched > 0 ? `article ${matched + 1}: ${titles[matched]}` : ''].filter((note) => note !== '');
	return `${first || '(untitled)'}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} · ${Number.isFinite(entry.update_time) ? chinaMinute(entry.update_time * 1000) : ''}`;
}


export const listSearch = {
	/** The draft box as WeChat lists it, searchable by the titles of a draft's articles. */
	async searchDrafts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		assertCredentialChosen.call(this);
		const needle = filter?.trim().toLowerCase() ?? '';
		let offset = Number(paginationToken ?? 0) || 0;
		const results: INodeListSearchItems[] = [];
		for (let pages = 0; pages < (needle === '' ? 1 : MAX_PAGES_PER_SEARCH); pages++) {
			const page = await fetchDraftPage(this, offset, DRAFT_PAGE_SIZE, false);
			// In WeChat's order: the console lists the draft box newest first; the batchget page does not say.
			const entries = page.item ?? [];
			for (const entry of entries) {
				const titles = (entry.content?.news_item ?? []).map((article) => article.title ?? '').join('\n').toLowerCase();
				if (needle !== '' && !titles.includes(needle)) continue;
				const url = entry.content?.news_item?.[0]?.url;
				results.push({ name: draftName(entry, needle), value: entry.media_id, ...(typeof url === 'string' && url !== '' ? { url } : {}) });
			}
			offset += entries.length;
			if (entries.length === 0 || offset >= page.total_count) return { results };
			if (results.length >= DRAFT_PAGE_SIZE) break;
		}
		return { results, paginationToken: String(offset) };
	},

	/** The permanent images of the account's material library, in WeChat's order (its page names none), searchable by name. */
	async searchPermanentImages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		assertCredentialChosen.call(this);
		const needle = filter?.trim().toLowerCase() ?? '';
		let offset = Number(paginationToken ?? 0) || 0;
		const results: INodeListSearchItems[] = [];
		for (let pages = 0; pages < (needle === '' ? 1 : MAX_PAGES_PER_SEARCH); pages++) {
			const body: MaterialBatchGetRequest = { type: 'image', offset, count: MATERIAL_PAGE_SIZE };
			const page = await weChatApiRequest<MaterialBatchGetResponse>(this, { method: 'POST', path: '/cgi-bin/material/batchget_material', body, idempotent: true });
			const entries = page.item ?? [];
			for (const entry of entries) {
				const name = entry.name?.trim() || entry.media_id;
				if (needle !== '' && !name.toLowerCase().includes(needle) && entry.media_id.toLowerCase() !== needle) continue;
				const when = Number.isFinite(entry.update_time) && entry.update_time > 0 ? ` · ${chinaMinute(entry.update_time * 1000)}` : '';
				results.push({ name: `${name}${when}`, value: entry.media_id, ...(entry.url ? { url: entry.url } : {}) });
			}
			offset += entries.length;
			if (entries.length === 0 || offset >= page.total_count) return { results };
			if (results.length >= MATERIAL_PAGE_SIZE) break;
		}
		return { results, paginationToken: String(offset) };
	},

	/**
	 * The account's follower tags, searchable by name or ID. Named by their names alone: n8n saves the
	 * name with the workflow, where a follower count would go stale (names are unique in an account).
	 */
	async searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		assertCredentialChosen.call(this);
		const { tags } = await weChatApiRequest<TagsResponse>(this, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true });
		const needle = filter?.trim().toLowerCase() ?? '';
		return {
			results: tags
				.filter((tag) => needle === '' || tag.name.toLowerCase().includes(needle) || String(tag.id) === needle)
				.map((tag) => ({ name: tag.name, value: String(tag.id) })),
		};
	},
};
