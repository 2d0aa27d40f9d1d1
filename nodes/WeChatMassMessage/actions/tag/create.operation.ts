import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import type { TagCreateRequest, TagCreateResponse, TagsResponse } from '../../helpers/types';
import { callWeChat, unknownOutcomeError, weChatApiRequest, weChatError } from '../../transport';
import { MAX_TAGS_PER_ACCOUNT, MAX_TAG_NAME_BYTES, readTagName } from './tagFields';

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
			{ name: 'Fail', value: 'fail', description: 'Fail the item with WeChat\'s error' },
		],
		displayOptions: { show },
	},
];

async function findTagNamed(ctx: IExecuteFunctions, name: string, itemIndex: number) {
	const { tags } = await weChatApiRequest<TagsResponse>(ctx, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true }, itemIndex);
	return tags.find((tag) => tag.name === name);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (itemIndex) => {
		const name = readTagName.call(this, itemIndex, 'name', 'Name');
		const useExisting = this.getNodeParameter('ifNameTaken', itemIndex, 'useExisting') === 'useExisting';
		const body: TagCreateRequest = { tag: { name } };
		// Not replayed blindly: a create that went through would then answer 45157. A lost answer is settled by looking the name up.
		const request = { method: 'POST', path: '/cgi-bin/tags/create', body, idempotent: false } as const;
		const reply = await callWeChat<TagCreateResponse>(this, request, itemIndex);
		if (reply.outcome === 'unknown') {
			const tag = await findTagNamed(this, name, itemIndex);
			if (tag) return { tag: { id: tag.id, name: tag.name }, existing: false };
			throw unknownOutcomeError(this, request, reply.why, itemIndex, ` The account has no tag named "${name}": nothing was created, and running again is safe.`);
		}
		const errcode = reply.result.errcode ?? 0;
		if (errcode === NAME_IN_USE && useExisting) {
			const tag = await findTagNamed(this, name, itemIndex);
			if (tag) return { tag: { id: tag.id, name: tag.name }, existing: true };
		}
		if (errcode !== 0) throw weChatError(this, reply.result, itemIndex, '/cgi-bin/tags/create');
		return { tag: reply.result.tag, existing: false };
	});
}
