import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkAgainst, checkEachItem, runEachChecked } from '../../helpers/items';
import { inputError } from '../../helpers/validation';
import type { TagUpdateRequest, WeChatResult } from '../../helpers/types';
import { weChatApiRequest } from '../../transport';
import { tagLocator } from '../common.descriptions';
import { MAX_TAG_NAME_BYTES, readAccountTags, readChangeableTagId, readTagName, requireTag } from './tagFields';

const show = { resource: ['tag'], operation: ['update'] };

export const description: INodeProperties[] = [
	tagLocator({
		displayName: 'Tag',
		name: 'tagId',
		description: 'The tag to rename: pick it from the account\'s tags, or give its ID',
		displayOptions: { show },
	}),
	{
		displayName: 'New Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. VIP 2027',
		hint: `At most ${MAX_TAG_NAME_BYTES} bytes: 10 Chinese characters or ${MAX_TAG_NAME_BYTES} letters`,
		displayOptions: { show },
	},
];

/** tags/update (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_updatetag). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const checked = await checkEachItem(this, items, (itemIndex): TagUpdateRequest => ({ tag: { id: readChangeableTagId.call(this, itemIndex), name: readTagName.call(this, itemIndex, 'name', 'New Name') } }));
	const tags = checked.some((entry) => !('error' in entry)) ? await readAccountTags(this) : new Map();
	const ready = checkAgainst(this, checked, ({ tag }, itemIndex) => {
		requireTag(this, tags, tag.id, itemIndex);
		const other = [...tags.values()].find((known) => known.name === tag.name && known.id !== tag.id);
		if (other !== undefined) throw inputError.call(this, itemIndex, 'New Name', `the account already has a tag named "${tag.name}" (ID ${other.id}); tag names are unique`);
	});
	return await runEachChecked(this, ready, async (body, itemIndex) => {
		const { id, name } = body.tag;
		// Renaming twice to the same name leaves the same tag.
		const result = await weChatApiRequest<WeChatResult>(this, { method: 'POST', path: '/cgi-bin/tags/update', body, idempotent: true }, itemIndex);
		return { ...result, tag: { id, name } };
	});
}
