// The node's versions. Version 2 turned the Article and Tag fields into pickers (resource locators);
// version 1 keeps the fields that workflows saved with it hold. Version 3 has the fields of version 2;
// Draft: Create downloads an article's images only from public addresses unless told otherwise
// (versions 1 and 2 download from any address, as workflows saved with them expect). Version 4 outputs
// a send's `clientMsgId` as the key the user gave ('' when derived), beside WeChat's `clientmsgid`;
// earlier versions output the clientmsgid WeChat got under both names; and Draft: Create leaves out an
// image WeChat cannot host and lists it, where earlier versions fail the item.
import type { IDisplayOptions, IExecuteFunctions } from 'n8n-workflow';

export const NODE_VERSIONS = [1, 2, 3, 4];
export const LATEST_VERSION = 4;

export const ONLY_VERSION_1: IDisplayOptions['show'] = { '@version': [1] };
export const FROM_VERSION_2: IDisplayOptions['show'] = { '@version': [{ _cnd: { gte: 2 } }] };

/**
 * The value of a field that is a resource locator from version 2 on: n8n's `extractValue` gives the
 * chosen ID, and a plain value (version 1, or a version-2 node given a plain string) comes as it is.
 */
export function readLocatorValue(value: unknown): string {
	const raw = value !== null && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
	return raw === undefined || raw === null ? '' : String(raw).trim();
}

/** A field's name in errors: the one the node's version shows. */
export function fieldLabel(ctx: IExecuteFunctions, labels: { version1: string; latest: string }): string {
	return ctx.getNode().typeVersion === 1 ? labels.version1 : labels.latest;
}
