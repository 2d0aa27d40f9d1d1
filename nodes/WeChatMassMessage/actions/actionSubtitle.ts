import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The node is named after this resource, so its actions are shown by their operation's name alone. */
const RESOURCE_NAMED_BY_NODE = 'massMessage';

function isOption(option: NonNullable<INodeProperties['options']>[number]): option is INodePropertyOptions {
	return 'value' in option;
}

/**
 * The node's canvas subtitle: the chosen action's name ("Send to OpenIDs", "Draft: Create"), looked
 * up from the operation lists. n8n evaluates a subtitle as an expression; a lookup in a flat object
 * literal runs in every expression engine of n8n 1.x and 2.x.
 */
export function actionSubtitle(resource: INodeProperties, properties: INodeProperties[]): string {
	const resourceNames = new Map((resource.options ?? []).filter(isOption).map((option) => [option.value, option.name]));
	const actionNames: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		const operations = (property.options ?? []).filter(isOption);
		for (const resourceValue of property.displayOptions?.show?.resource ?? []) {
			if (typeof resourceValue !== 'string') continue;
			for (const operation of operations) {
				actionNames[`${resourceValue}:${operation.value}`] =
					resourceValue === RESOURCE_NAMED_BY_NODE ? operation.name : `${resourceNames.get(resourceValue)}: ${operation.name}`;
			}
		}
	}
	return `={{ ${JSON.stringify(actionNames)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
