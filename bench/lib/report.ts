// How a benchmark process hands its figures to bench/run.ts: one line on stdout starting with
// RESULT_PREFIX followed by JSON. Everything else a benchmark prints is for people to read.

export const RESULT_PREFIX = 'BENCH_RESULT ';

export type ResultValue = string | number | boolean | null | ResultValue[] | { [key: string]: ResultValue };

export interface BenchmarkResult {
	benchmark: string;
	[key: string]: ResultValue;
}

export function emitResult(result: BenchmarkResult): void {
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

export function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

/** Runs a benchmark's main function, exiting non-zero with the error if it throws. */
export function runMain(main: () => Promise<void>): void {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
