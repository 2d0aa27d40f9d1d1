// Fields shared by several resources and operations.
import type { INodeProperties } from 'n8n-workflow';

type LocatorField = Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions' | 'hint'>;

/** A resource locator: pick from a searchable list (a listSearch method), or give the ID. */
function locator(
	field: LocatorField,
	list: { displayName: string; placeholder: string; searchListMethod: string },
	id: { placeholder: string; regex: string; errorMessage: string },
): INodeProperties {
	return {
		...field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: list.displayName,
				name: 'list',
				type: 'list',
				placeholder: list.placeholder,
				typeOptions: { searchListMethod: list.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: id.placeholder,
				validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
			},
		],
	};
}

/** A draft from the draft box (草稿箱), searchable by title; or its media_id. */
export function draftLocator(field: LocatorField): INodeProperties {
	return locator(
		field,
		{ displayName: 'From Draft Box', placeholder: 'Select a draft...', searchListMethod: 'searchDrafts' },
		{ placeholder: 'e.g. the media ID from Draft > Create', regex: '\\S+', errorMessage: 'Enter a media ID' },
	);
}

/** A permanent image of the account's material library, searchable by name; or its media_id. */
export function permanentImageLocator(field: LocatorField): INodeProperties {
	return {
		...locator(
			field,
			{ displayName: 'From Material Library', placeholder: 'Select an image...', searchListMethod: 'searchPermanentImages' },
			{ placeholder: 'e.g. the media ID from Media > Upload Permanent', regex: '\\S+', errorMessage: 'Enter a media ID' },
		),
		required: false,
	};
}

/** A follower tag of the account, listed by name; or its numeric ID. */
export function tagLocator(field: LocatorField): INodeProperties {
	return locator(
		field,
		{ displayName: 'From List', placeholder: 'Select a tag...', searchListMethod: 'searchTags' },
		{ placeholder: 'e.g. 100', regex: '^\\s*\\d+\\s*$', errorMessage: 'A tag ID is a whole number' },
	);
}

/** Return All, and Limit when it is off: n8n's fields for a Get Many. */
export function returnAllFields(show: Record<string, string[]>, returnAllDefault = false): INodeProperties[] {
	// A literal default: n8n's verification lint reads a boolean default only when it is written out.
	const returnAll: INodeProperties = {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	};
	return [
		returnAllDefault ? { ...returnAll, default: true } : returnAll,
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The article fields Draft > Create and the legacy Upload Articles share: the "Read more" link and comments. */
export const articleLinkAndCommentFields: INodeProperties[] = [
	{
		displayName: 'Original Article URL',
		name: 'contentSourceUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/blog/spring-sale',
		description: 'The page the "Read more" link at the end of the article opens. Leave empty for no link.',
	},
	{
		displayName: 'Open Comments',
		name: 'openComments',
		type: 'boolean',
		default: false,
		description: 'Whether readers can comment on the article (the account needs the comment feature)',
	},
	{
		displayName: 'Only Followers Can Comment',
		name: 'onlyFollowersCanComment',
		type: 'boolean',
		default: false,
		description: 'Whether only followers of the account can comment. Applies only when Open Comments is on.',
	},
];

/** Include Content: whether a Get Many of drafts or published articles returns each article's HTML. */
export function includeContentField(show: Record<string, string[]>, listedWithout: string): INodeProperties {
	return {
		displayName: 'Include Content',
		name: 'includeContent',
		type: 'boolean',
		default: true,
		description: `Whether to return each article's HTML. Turn off to list ${listedWithout} only (lighter).`,
		displayOptions: { show },
	};
}
