// Fields shared by several resources: pick a draft or a tag from the account, or give its ID.
import type { INodeProperties } from 'n8n-workflow';

/** A draft from the draft box (草稿箱), searchable by title, newest first; or its media_id. */
export function draftLocator(field: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions' | 'hint'>): INodeProperties {
	return {
		...field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From Draft Box',
				name: 'list',
				type: 'list',
				placeholder: 'Select a draft...',
				typeOptions: { searchListMethod: 'searchDrafts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. the media_id from Draft > Create',
				validation: [{ type: 'regex', properties: { regex: '\\S+', errorMessage: 'Enter a media ID' } }],
			},
		],
	};
}

/** A follower tag of the account, listed with its follower count; or its numeric ID. */
export function tagLocator(field: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions'>): INodeProperties {
	return {
		...field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a tag...',
				typeOptions: { searchListMethod: 'searchTags', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 100',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A tag ID is a whole number' } }],
			},
		],
	};
}
