import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
