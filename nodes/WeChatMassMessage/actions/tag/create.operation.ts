import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkAgainst, checkEachItem, runEachChecked } from '../../helpers/items';
import { inputError } from '../../helpers/validation';
import type { TagCreateRequest, TagCreateResponse, TagsResponse } from '../../helpers/types';
import { callWeChat, unknownOutcomeError, weChatApiRequest, weChatError } from '../../transport';
import { MAX_TAGS_PER_ACCOUNT, MAX_TAG_NAME_BYTES, createdTagCount, readAccountTags, readTagName } from './tagFields';

const show = { resource: ['tag'], operation: ['create'] };
const NAME_IN_USE = 45157;

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. VIP',
		description: 'The tag\'s name, unique within the account',
		hint: `At most ${MAX_TAG_NAME_BYTES} bytes: 10 Chinese characters or ${MAX_TAG_NAME_BYTES} letters. An account has at most ${MAX_TAGS_PER_ACCOUNT} tags.`,
		displayOptions: { show },
	},
	{
		displayName: 'If the Name Is Taken',
		name: 'ifNameTaken',
		type: 'options',
		default: 'useExisting',
		description: 'What to do when the account already has a tag with this name (WeChat\'s 45157)',
		options: [
			{ name: 'Use the Existing Tag', value: 'useExisting', description: 'Output the tag that has the name, so that running the workflow again is harmless' },
			{ name: 'Fail', value: 'fail', description: 'Refuse the item before any tag is made' },
		],
		displayOptions: { show },
	},
];

async function findTagNamed(ctx: IExecuteFunctions, name: string, itemIndex: number) {
	const { tags } = await weChatApiRequest<TagsResponse>(ctx, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true }, itemIndex);
	return tags.find((tag) => tag.name === name);
}

/**
 * tags/create (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_createtag). The account's
 * tags are read first, so that a taken name (with If the Name Is Taken: Fail) and a 101st tag are refused
 * before any tag is made, and `existing` says whether the tag was there before this run.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const checked = await checkEachItem(this, items, (itemIndex) => ({
		name: readTagName.call(this, itemIndex, 'name', 'Name'),
		useExisting: this.getNodeParameter('ifNameTaken', itemIndex, 'useExisting') === 'useExisting',
	}));
	if (checked.every((entry) => 'error' in entry)) return await runEachChecked(this, checked, async () => ({}));
	const tags = await readAccountTags(this);
	const byName = new Map([...tags.values()].map((tag) => [tag.name, tag]));
	const toCreate = new Set<string>();
	const accountTags = createdTagCount(tags);
	const ready = checkAgainst(this, checked, ({ name, useExisting }, itemIndex) => {
		const taken = byName.get(name);
		if (taken !== undefined && !useExisting) {
			throw inputError.call(this, itemIndex, 'Name', `the account already has a tag named "${name}" (ID ${taken.id}), and If the Name Is Taken is Fail`);
		}
		if (taken !== undefined || toCreate.has(name)) return;
		if (accountTags + toCreate.size >= MAX_TAGS_PER_ACCOUNT) {
			throw inputError.call(this, itemIndex, 'Name', `the account has ${accountTags} tags${toCreate.size > 0 ? ` and this run makes ${toCreate.size} more` : ''}; WeChat allows ${MAX_TAGS_PER_ACCOUNT} (45056). Delete tags that are no longer used first`);
		}
		toCreate.add(name);
	});
	return await runEachChecked(this, ready, async ({ name }, itemIndex) => {
		const known = byName.get(name);
		if (known !== undefined) return { tag: { id: known.id, name: known.name }, existing: tags.has(known.id) };
		const body: TagCreateRequest = { tag: { name } };
		// Not replayed blindly: a create that went through would then answer 45157. A lost answer is settled by looking the name up.
		const request = { method: 'POST', path: '/cgi-bin/tags/create', body, idempotent: false } as const;
		const reply = await callWeChat<TagCreateResponse>(this, request, itemIndex);
		let tag: { id: number; name: string } | undefined;
		if (reply.outcome === 'unknown') {
			tag = await findTagNamed(this, name, itemIndex);
			if (tag === undefined) throw unknownOutcomeError(this, request, reply.why, itemIndex, ` The account has no tag named "${name}": nothing was created, and running again is safe.`);
		} else if ((reply.result.errcode ?? 0) === NAME_IN_USE) {
			// Made by another run since this one read the account's tags.
			const existing = await findTagNamed(this, name, itemIndex);
			if (existing === undefined) throw weChatError(this, reply.result, itemIndex, '/cgi-bin/tags/create');
			byName.set(name, existing);
			return { tag: { id: existing.id, name: existing.name }, existing: true };
		} else if ((reply.result.errcode ?? 0) !== 0) {
			throw weChatError(this, reply.result, itemIndex, '/cgi-bin/tags/create');
		} else tag = reply.result.tag;
		byName.set(name, tag);
		return { tag: { id: tag.id, name: tag.name }, existing: false };
	});
}
