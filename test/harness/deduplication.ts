// n8n's deduplication store (`this.helpers.checkProcessedAndRecord` and siblings) as n8n's server
// implements it, for workflows run in-process. n8n-core only forwards the helpers to a store the
// server installs (`DataDeduplicationService.init`, called by `n8n start`, `worker`, `webhook`,
// `execute`); the store itself is the server's `DeduplicationHelper`
// (packages/cli/src/deduplication/deduplication-helper.ts, the same code in n8n 1.123.x and 2.41.1):
// one row per workflow and context ('' for scope 'workflow', `n:<node id>` for 'node'), entries kept
// as base64 MD5 hashes in insertion order, the oldest dropped beyond `maxEntries`, no lock: each call
// reads the row (`findOne`), then writes the whole row back (`update`), two database round trips
// apart. This replica keeps those rules, the gap included (`roundTripMs`), so two executions that
// record at about the same time can both be told "new" and one's entries can be lost, as in n8n; and
// it can be told to fail, as the server's store does on a database error.
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

export class DeduplicationStore implements IDataDeduplicator {
	private readonly rows = new Map<string, string[]>();
	/** Every call to the store, in order: what the tests read to see what the node recorded. */
	readonly calls: Array<{ method: string; items: DeduplicationItemTypes[] }> = [];
	/** While set, every call fails as the server's store does on a database error. */
	failWith: Error | undefined;
	/** The time between reading a row and writing it back: n8n's two database round trips. */
	roundTripMs = 2;

	private static rowKey(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
		if (!context.workflow.id) throw new Error('The expression evaluated to a falsy value:\n\n  assert.ok(contextData.workflow.id)\n');
		if (scope === 'node' && !context.node) throw new Error("Deduplication Failed: No node information has been provided and so cannot use scope 'node'");
		return `${context.workflow.id}\u0000${scope === 'node' ? `n:${context.node!.id}` : ''}`;
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	private check(method: string, items: DeduplicationItemTypes[], options: ICheckProcessedOptions): void {
		this.calls.push({ method, items });
		if (this.failWith) throw this.failWith;
		if (options.mode !== 'entries') throw new Error(`This replica keeps only mode "entries", not "${options.mode}"`);
	}

	/** A copy of the row as n8n reads it, one round trip before the write that follows. */
	private async read(key: string): Promise<string[]> {
		const row = [...(this.rows.get(key) ?? [])];
		await new Promise((resolve) => setTimeout(resolve, this.roundTripMs));
		return row;
	}

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		this.check('checkProcessedAndRecord', items, options);
		const key = DeduplicationStore.rowKey(scope, context);
		const row = await this.read(key);
		const before = new Set(row);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const hash = DeduplicationStore.hash(item);
			if (before.has(hash)) output.processed.push(item);
			else {
				output.new.push(item);
				row.push(hash);
			}
		}
		if (options.maxEntries) row.splice(0, row.length - options.maxEntries);
		this.rows.set(key, row);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<void> {
		this.check('removeProcessed', items, options);
		const key = DeduplicationStore.rowKey(scope, context);
		if (!this.rows.has(key)) return;
		const row = await this.read(key);
		for (const item of items) {
			const at = row.indexOf(DeduplicationStore.hash(item));
			if (at !== -1) row.splice(at, 1);
		}
		this.rows.set(key, row);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(DeduplicationStore.rowKey(scope, context));
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<number> {
		return this.rows.get(DeduplicationStore.rowKey(scope, context))?.length ?? 0;
	}

	/** How many entries the store holds, in all rows. */
	get size(): number {
		let entries = 0;
		for (const row of this.rows.values()) entries += row.length;
		return entries;
	}

	/** Forgets everything, as deleting and re-creating n8n's database would. */
	clear(): void {
		this.rows.clear();
	}
}

/** Makes `store` the deduplication store of every workflow n8n-core runs in this test file. */
export async function installDeduplicationStore(store: DeduplicationStore): Promise<void> {
	// n8n-core allows one init per process; each test environment brings its own store.
	(DataDeduplicationService as unknown as { instance?: unknown }).instance = undefined;
	await DataDeduplicationService.init(store);
}
