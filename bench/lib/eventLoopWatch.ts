// Watches the event loop from a timer: every gap between two ticks much longer than the interval is
// a stretch of synchronous work during which nothing else in the process (n8n's webhooks, UI, other
// executions, queue-mode lock renewals) could run. Also samples the heap at each tick.

export interface Block {
	/** Epoch milliseconds, comparable with n8n-core's run data startTime. */
	start: number;
	end: number;
}

export class EventLoopWatch {
	readonly blocks: Block[] = [];
	peakHeapUsed = 0;
	private timer: NodeJS.Timeout | undefined;
	private lastTick = 0;

	constructor(
		private readonly intervalMs = 5,
		private readonly reportAboveMs = 20,
	) {}

	start(): this {
		this.lastTick = Date.now();
		this.peakHeapUsed = process.memoryUsage().heapUsed;
		this.timer = setInterval(() => this.tick(), this.intervalMs);
		return this;
	}

	private tick(): void {
		const now = Date.now();
		if (now - this.lastTick - this.intervalMs > this.reportAboveMs) this.blocks.push({ start: this.lastTick, end: now });
		this.lastTick = now;
		this.peakHeapUsed = Math.max(this.peakHeapUsed, process.memoryUsage().heapUsed);
	}

	stop(): this {
		this.tick();
		clearInterval(this.timer);
		return this;
	}

	/** The parts of blocks inside [from, to] lasting at least `minMs`, as [ms after `from`, duration ms]. */
	blocksWithin(from: number, to: number, minMs: number): Array<[number, number]> {
		return this.blocks
			.map((block): [number, number] => [Math.max(block.start, from) - from, Math.min(block.end, to) - Math.max(block.start, from)])
			.filter(([, duration]) => duration >= minMs);
	}

	/** The longest block's part inside [from, to] (epoch ms): time the loop was blocked during that window. */
	longestWithin(from: number, to: number): number {
		let longest = 0;
		for (const block of this.blocks) longest = Math.max(longest, Math.min(block.end, to) - Math.max(block.start, from));
		return longest;
	}
}
