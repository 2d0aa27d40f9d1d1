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
