// Follower > Add Tag and Remove Tag (tags/members/batchtagging and batchuntagging,
// https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_batchtagging and .../api_batchuntagging).
// Tagging is idempotent on WeChat (a follower carries a tag or not), so a call whose answer was lost is
// simply made again, and running the step again is harmless.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkAgainst, checkEachItem, errorItem } from '../../helpers/items';
import type { TaggingRequest, WeChatResult } from '../../helpers/types';
import { explainErrcode } from '../../transport/errorCodes';
import { tagLocator } from '../common.descriptions';
import { readAccountTags, readTagId, requireTag } from '../tag/tagFields';
import { readOpenIds } from '../../helpers/validation';
import { callPerGroup, openIdsField } from './openIdBatches';

/** "粉丝openid列表，最多50个" (api_batchtagging; the old page says the same of untagging). */
export const MAX_OPENIDS_PER_TAGGING = 50;
/** "标签功能目前支持公众号为用户打上最多20个标签。" (api_batchtagging). */
export const MAX_TAGS_PER_FOLLOWER = 20;

type Direction = 'addTag' | 'removeTag';

export function taggingDescription(operation: Direction): INodeProperties[] {
	const show = { resource: ['follower'], operation: [operation] };
	const adding = operation === 'addTag';
	return [
		tagLocator({
			displayName: 'Tag',
			name: 'tagId',
			description: adding ? 'The tag to give the followers: pick it from the account\'s tags, or give its ID' : 'The tag to take from the followers: pick it, or give its ID',
			displayOptions: { show },
		}),
		openIdsField(
			show,
			'The OpenIDs of all items are combined, each once',
			adding
				? `Sent ${MAX_OPENIDS_PER_TAGGING} per call. A follower carries at most ${MAX_TAGS_PER_FOLLOWER} tags; one who already has the tag is left as is`
				: `Sent ${MAX_OPENIDS_PER_TAGGING} per call; a follower without the tag is left as is`,
		),
	];
}

interface TaggingItem {
	tagId: number;
	openIds: string[];
}

function refusalText(openId: string, refused: WeChatResult): string {
	const explanation = explainErrcode(refused.errcode ?? 0, undefined);
	return `${openId} (errcode ${refused.errcode} ${refused.errmsg ?? ''}${explanation ? `: ${explanation}` : ''})`;
}

/**
 * Add Tag / Remove Tag: every item checked (its tag on the account, its OpenIDs) before the first call,
 * then the OpenIDs of all items, each once per tag, in calls of 50 (see callPerGroup). One output item per
 * input item; a follower WeChat refuses fails its item, naming the follower; a tag whose calls fail fails
 * its items (with Continue On Fail) and the other tags go on.
 */
export async function executeTagging(this: IExecuteFunctions, items: INodeExecutionData[], direction: Direction): Promise<INodeExecutionData[]> {
	const path = direction === 'addTag' ? '/cgi-bin/tags/members/batchtagging' : '/cgi-bin/tags/members/batchuntagging';
	const verb = direction === 'addTag' ? 'tagged' : 'untagged';
	const checked = await checkEachItem(this, items, (itemIndex): TaggingItem => ({ tagId: readTagId.call(this, itemIndex), openIds: readOpenIds.call(this, itemIndex) }));
	const tags = checked.some((entry) => !('error' in entry)) ? await readAccountTags(this) : new Map();
	const ready = checkAgainst(this, checked, ({ tagId }, itemIndex) => void requireTag(this, tags, tagId, itemIndex));

	const outcomes = await callPerGroup<TaggingItem, number, WeChatResult>(
		this,
		ready,
		(entry) => entry.tagId,
		MAX_OPENIDS_PER_TAGGING,
		(tagId, batch) => ({ method: 'POST', path, body: { openid_list: batch, tagid: tagId } satisfies TaggingRequest, idempotent: true }),
		(tagId, done, total) => `Tag ${tagId}: ${done} of the ${total.toLocaleString('en-US')} followers were ${verb} before; running the step again is harmless.`,
	);

	const output: INodeExecutionData[] = [];
	for (const checkedItem of ready) {
		if ('error' in checkedItem) {
			output.push(errorItem(checkedItem.error, [checkedItem.itemIndex]));
			continue;
		}
		const entry = { ...checkedItem.checked, itemIndex: checkedItem.itemIndex };
		const tagOutcomes = outcomes.get(entry.tagId)!;
		if ('error' in tagOutcomes) {
			output.push(errorItem(tagOutcomes.error, [entry.itemIndex]));
			continue;
		}
		const calls = new Map<number, number>();
		const refused: IDataObject[] = [];
		for (const openId of entry.openIds) {
			const outcome = tagOutcomes.get(openId)!;
			if ('refused' in outcome) refused.push({ openid: openId, errcode: outcome.refused.errcode, errmsg: outcome.refused.errmsg });
			else calls.set(outcome.call, outcome.callOpenIdCount);
		}
		const json: IDataObject = {
			tagid: entry.tagId,
			openid_list: entry.openIds,
			calls: [...calls].map(([call, openidCount]) => ({ call, openidCount })),
		};
		if (refused.length === 0) {
			output.push({ json, pairedItem: { item: entry.itemIndex } });
			continue;
		}
		const shown = refused.slice(0, 3).map((entry) => refusalText(String(entry.openid), entry as WeChatResult)).join('; ');
		const message = `Item ${entry.itemIndex + 1}, "OpenIDs": WeChat refused ${refused.length} of ${entry.openIds.length} ${entry.openIds.length === 1 ? 'follower' : 'followers'}`;
		const description = `${shown}${refused.length > 3 ? `; and ${refused.length - 3} more` : ''}. The other followers were ${verb}; running the step again is harmless.`;
		const error = new NodeOperationError(this.getNode(), message, { itemIndex: entry.itemIndex, description });
		if (!this.continueOnFail()) throw error;
		output.push({ json: { error: message, errorDescription: description, ...json, refused }, pairedItem: { item: entry.itemIndex } });
	}
	return output;
}
