import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { EventLoopPacer } from './eventLoop';

/**
 * Runs `work` for each input item, the n8n way: output items are paired with their input item, and
 * with Continue On Fail an item's error becomes an output item instead of failing the node.
 */
export async function forEachItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<object | object[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await work(itemIndex);
			output.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result as IDataObject | IDataObject[]), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			output.push(errorItem(error, [itemIndex]));
		}
	}
	return output;
}

/** The output item Continue On Fail produces for an error, paired with the items it concerns. */
export function errorItem(error: unknown, itemIndexes: number[]): INodeExecutionData {
	const json: IDataObject = { error: error instanceof Error ? error.message : String(error) };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description !== '') json.errorDescription = description;
	// NodeApiError keeps the object it was built from (here WeChat's {errcode, errmsg}) as errorResponse.
	const errcode = (error as { errorResponse?: { errcode?: unknown } }).errorResponse?.errcode;
	if (typeof errcode === 'number') json.errcode = errcode;
	return { json, pairedItem: itemIndexes.map((item) => ({ item })) };
}

/** A note in n8n's output pane, under the node's result; n8n before 1.84 has no such notes. */
export function addOutputHint(ctx: IExecuteFunctions, message: string): void {
	ctx.addExecutionHints?.({ message, location: 'outputPane' });
}

/** Errors from this package are already n8n's; anything unexpected is wrapped so n8n shows its item. */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

export type PreparedOrFailed<T> = T | { itemIndex: number; error: unknown };

/**
 * Checks every item before the first call, so a mistake in a later item stops the run with nothing
 * sent. With Continue On Fail a failing item is kept as its error and the others go on.
 */
export function prepareEachItem<T extends { itemIndex: number }>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (itemIndex: number) => T,
): Array<PreparedOrFailed<T>> {
	const prepared: Array<PreparedOrFailed<T>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) prepared.push(prepareItem(ctx, itemIndex, prepare));
	return prepared;
}

/** prepareEachItem for many items (one OpenID each, from a sheet): n8n's event loop is let go now and then. */
export async function prepareEachItemPaced<T extends { itemIndex: number }>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (itemIndex: number) => T,
): Promise<Array<PreparedOrFailed<T>>> {
	const pacer = new EventLoopPacer();
	const prepared: Array<PreparedOrFailed<T>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		prepared.push(prepareItem(ctx, itemIndex, prepare));
		if (pacer.due()) await pacer.pause();
	}
	return prepared;
}

function prepareItem<T extends { itemIndex: number }>(ctx: IExecuteFunctions, itemIndex: number, prepare: (itemIndex: number) => T): PreparedOrFailed<T> {
	try {
		return prepare(itemIndex);
	} catch (error) {
		if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
		return { itemIndex, error };
	}
}
