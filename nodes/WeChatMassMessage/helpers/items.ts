import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { EventLoopPacer } from './eventLoop';

/** An item as its check left it: what the operation read from it (`checked`), or (Continue On Fail) its error. */
export type Checked<T> = { itemIndex: number; checked: T } | { itemIndex: number; error: Error };

/**
 * The per-item policy of every operation, the way n8n's own nodes keep it: every item's parameters
 * are read and checked (`check`) before the first call to WeChat, so that without Continue On Fail a
 * bad item fails the node before anything happens; with it, the bad item becomes an error item and
 * the others go on. Then each checked item runs (`run`); a run's error fails the node, or becomes an
 * error item paired with its item. Output items are paired with their input item.
 */
export async function forEachItem<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	check: (itemIndex: number) => T | Promise<T>,
	run: (checked: T, itemIndex: number) => Promise<object | object[]>,
): Promise<INodeExecutionData[]> {
	return await runEachChecked(ctx, await checkEachItem(ctx, items, check), run);
}

/** The second half of forEachItem: each checked item run, its errors as the node's or as error items. */
export async function runEachChecked<T>(ctx: IExecuteFunctions, checked: Array<Checked<T>>, run: (checked: T, itemIndex: number) => Promise<object | object[]>): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const entry of checked) {
		if ('error' in entry) {
			output.push(errorItem(entry.error, [entry.itemIndex]));
			continue;
		}
		try {
			const result = await run(entry.checked, entry.itemIndex);
			output.push(...ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(result as IDataObject | IDataObject[]), { itemData: { item: entry.itemIndex } }));
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, entry.itemIndex);
			output.push(errorItem(error, [entry.itemIndex]));
		}
	}
	return output;
}

/**
 * A further check of checked items against what WeChat said before anything was changed (the
 * account's tags, say): a bad item fails the node, or (Continue On Fail) becomes its error.
 */
export function checkAgainst<T>(ctx: IExecuteFunctions, checked: Array<Checked<T>>, check: (checked: T, itemIndex: number) => void): Array<Checked<T>> {
	return checked.map((entry) => {
		if ('error' in entry) return entry;
		try {
			check(entry.checked, entry.itemIndex);
			return entry;
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, entry.itemIndex);
			return { itemIndex: entry.itemIndex, error: asNodeError(ctx, error, entry.itemIndex) };
		}
	});
}

/**
 * Reads and checks every item before the first call: a bad item fails the node at once, or (Continue
 * On Fail) is kept as its error. Paced: one OpenID per item from a large sheet is many items.
 */
export async function checkEachItem<T>(ctx: IExecuteFunctions, items: INodeExecutionData[], check: (itemIndex: number) => T | Promise<T>): Promise<Array<Checked<T>>> {
	const pacer = new EventLoopPacer();
	const checked: Array<Checked<T>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			checked.push({ itemIndex, checked: await check(itemIndex) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
			checked.push({ itemIndex, error: asNodeError(ctx, error, itemIndex) });
		}
		if (pacer.due()) await pacer.pause();
	}
	return checked;
}

/** The output item Continue On Fail produces for an error, paired with the items it concerns. */
export function errorItem(error: unknown, itemIndexes: number[]): INodeExecutionData {
	const json: IDataObject = { error: error instanceof Error ? error.message : String(error) };
	const description = (error as { description?: unknown }).description;
	if (typeof description === 'string' && description !== '') json.errorDescription = description;
	// NodeApiError keeps the object it was built from as errorResponse: WeChat's {errcode, errmsg}, and
	// the ids of what was done before the error (a publish_id, a msg_id), kept apart from our words.
	const response = (error as { errorResponse?: IDataObject }).errorResponse ?? {};
	for (const [field, value] of Object.entries(response)) {
		if (field !== 'message' && (typeof value === 'number' || typeof value === 'string')) json[field] = value;
	}
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

