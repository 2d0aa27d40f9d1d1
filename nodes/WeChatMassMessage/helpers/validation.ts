import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidOpenIds, parseOpenIdList } from './recipients';

/** An input error, raised before anything is sent; names the item (1-based, as n8n shows it) and the field. */
export function inputError(this: IExecuteFunctions, itemIndex: number, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}, "${field}": ${problem}`, { itemIndex });
}

export function integerInRange(
	this: IExecuteFunctions,
	value: unknown,
	range: { min: number; max: number },
	itemIndex: number,
	field: string,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < range.min || number > range.max) {
		throw inputError.call(this, itemIndex, field, `must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`);
	}
	return number;
}

/** A parameter value as text: '' for nothing (a fixedCollection entry leaves out fields never set). */
export function textOf(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

/** How many results a Get Many returns: Infinity with Return All, else its Limit. */
export function readLimit(this: IExecuteFunctions, itemIndex: number, returnAllDefault = false): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, returnAllDefault) as boolean;
	return returnAll ? Infinity : integerInRange.call(this, this.getNodeParameter('limit', itemIndex, 50), { min: 1, max: Number.MAX_SAFE_INTEGER }, itemIndex, 'Limit');
}

/**
 * Wait Until …, Poll Interval (Seconds) and Time Limit (Seconds) of an item, checked before anything
 * is sent: undefined when the item does not wait.
 */
export function readPolling(
	this: IExecuteFunctions,
	itemIndex: number,
	fields: { wait: string; waitDefault: boolean; intervalDefault: number; limitDefault: number },
): { intervalMs: number; limitMs: number } | undefined {
	if (this.getNodeParameter(fields.wait, itemIndex, fields.waitDefault) !== true) return undefined;
	const interval = secondsOf.call(this, this.getNodeParameter('pollIntervalSeconds', itemIndex, fields.intervalDefault), itemIndex, 'Poll Interval (Seconds)');
	const limit = secondsOf.call(this, this.getNodeParameter('timeLimitSeconds', itemIndex, fields.limitDefault), itemIndex, 'Time Limit (Seconds)');
	return { intervalMs: interval * 1000, limitMs: limit * 1000 };
}

/** A number of seconds from 0.1 to a day (the editor asks for whole ones; an expression may give any). */
function secondsOf(this: IExecuteFunctions, value: unknown, itemIndex: number, field: string): number {
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !(seconds >= 0.1 && seconds <= 86400)) {
		throw inputError.call(this, itemIndex, field, `must be a number of seconds from 0.1 to 86,400, got ${JSON.stringify(value)}`);
	}
	return seconds;
}

/**
 * An item's OpenIDs from its OpenIDs field: one, an array, or a list separated by commas or new lines;
 * each checked before anything is sent. `required`: an item without any is refused (Send to OpenIDs
 * combines the items and counts them all instead).
 */
export function readOpenIds(this: IExecuteFunctions, itemIndex: number, required = true): string[] {
	const openIds = parseOpenIdList(this.getNodeParameter('openIds', itemIndex, '') as unknown);
	if (required && openIds.length === 0) throw inputError.call(this, itemIndex, 'OpenIDs', 'give at least one OpenID');
	const invalid = invalidOpenIds(openIds);
	if (invalid.length > 0) {
		const shown = invalid.slice(0, 3).map((openId) => JSON.stringify(openId)).join(', ');
		const more = invalid.length > 3 ? ` and ${invalid.length - 3} more` : '';
		throw inputError.call(this, itemIndex, 'OpenIDs', `${shown}${more} ${invalid.length === 1 ? 'is not an OpenID' : 'are not OpenIDs'} (28 letters, digits, - or _)`);
	}
	return openIds;
}
