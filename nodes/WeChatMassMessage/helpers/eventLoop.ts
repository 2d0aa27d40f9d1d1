import { sleep } from 'n8n-workflow';

/**
 * Keeps a long synchronous loop from holding n8n's event loop: reading a million input items (an
 * expression per item) takes about a minute of CPU, during which n8n could otherwise serve no
 * webhook, editor request or other execution, and a queue-mode worker could not renew its job lock.
 * The loop counts its work with `due()` and, when a stretch has lasted `maxBlockingMs`, awaits
 * `pause()`, which lets everything else waiting run before it carries on. Each pause costs about a
 * millisecond (a timer turn), so with 100 ms stretches the loop takes about 1% longer.
 */
export class EventLoopPacer {
	private stretchStartedAt = Date.now();
	private unitsSinceCheck = 0;

	constructor(
		private readonly maxBlockingMs = 100,
		private readonly unitsBetweenClockChecks = 64,
	) {}

	/** Counts `units` of work; true when the current stretch of work has lasted `maxBlockingMs`. */
	due(units = 1): boolean {
		this.unitsSinceCheck += units;
		if (this.unitsSinceCheck < this.unitsBetweenClockChecks) return false;
		this.unitsSinceCheck = 0;
		return Date.now() - this.stretchStartedAt >= this.maxBlockingMs;
	}

	async pause(): Promise<void> {
		await sleep(0);
		this.stretchStartedAt = Date.now();
	}
}
