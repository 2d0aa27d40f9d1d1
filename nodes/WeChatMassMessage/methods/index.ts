import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { TagsResponse } from '../helpers/types';
import { weChatApiRequest } from '../transport';
import { assertCredentialChosen } from './credentialChosen';

export { listSearch } from './listSearch';

export const loadOptions = {
	/** The account's follower tags, for the Tag dropdown of version 1 nodes. */
	async getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		assertCredentialChosen.call(this);
		const { tags } = await weChatApiRequest<TagsResponse>(this, { method: 'GET', path: '/cgi-bin/tags/get', idempotent: true });
		return tags.map((tag) => ({
			name: `${tag.name} (${tag.count.toLocaleString('en-US')} followers)`,
			value: tag.id,
			description: `Tag ID ${tag.id}`,
		}));
	},
};
