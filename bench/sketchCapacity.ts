// Sketch capacity: how often the reached-followers sketch (actions/massMessage/reachedSketch.ts)
// cannot recover a list's changes, by how many followers were added and removed together. A failure
// is safe (the followers concerned are reported, never sent to), but it stops a re-run from reaching
// the new ones: the figure that sets TRACEABLE_CHANGES. Random 64-bit fingerprints, as SHA-256 gives.
import './lib/environment';

import { randomBytes } from 'node:crypto';

import { ReachedSketch, TRACEABLE_CHANGES } from '../nodes/WeChatMassMessage/actions/massMessage/reachedSketch';
import { emitResult, log, runMain } from './lib/report';

const CHANGES = [2, 100, 500, TRACEABLE_CHANGES, 850, 900, 950];
const TRIALS = Number(process.env.SKETCH_TRIALS ?? 5000);

async function main(): Promise<void> {
	const rows: Array<{ changes: number; trials: number; failures: number }> = [];
	for (const changes of CHANGES) {
		let failures = 0;
		for (let trial = 0; trial < TRIALS; trial++) {
			const reached = ReachedSketch.empty();
			const today = ReachedSketch.empty();
			// Half removed from the list since (only in the reached sketch), half added (only in today's).
			for (let n = 0; n < changes; n++) (n % 2 === 0 ? reached : today).add(randomBytes(8).toString('hex'));
			if (reached.difference(today) === undefined) failures++;
		}
		rows.push({ changes, trials: TRIALS, failures });
		log(`${changes} changes: ${failures} of ${TRIALS} not recoverable`);
	}
	const full = ReachedSketch.of(Array.from({ length: 5000 }, () => randomBytes(8).toString('hex'))).toStored();
	emitResult({ benchmark: 'sketchCapacity', sketchBytes: Buffer.from(full, 'base64').length, storedChars: full.length, rows });
}

runMain(main);
