// Who a send has reached, in the same 19 KB whatever the audience: an invertible Bloom lookup table
// (Goodrich & Mitzenmacher, "Invertible Bloom Lookup Tables", 2011) of the recipients' fingerprints.
// The sketch of the followers reached, minus the sketch of today's list, gives back exactly the
// followers added to or taken off the list since, as long as they are not too many (about 750);
// beyond that `difference` says it cannot tell, and never guesses.
import { createHash } from 'crypto';

/** A follower's fingerprint: the first 64 bits of the SHA-256 of the OpenID, as 16 hex digits. */
export type Fingerprint = string;

export function fingerprintOf(openId: string): Fingerprint {
	return createHash('sha256').update(openId).digest('hex').slice(0, 16);
}

const HASHES = 4;
const CELLS_PER_HASH = 300;
const CELLS = HASHES * CELLS_PER_HASH;
/** count (int32), the fingerprint's two halves and a check word (uint32 each). */
const CELL_BYTES = 16;
/** How many additions and removals together `difference` recovers, with room to spare: it starts to fail at about 900 (bench/RESULTS.md). */
export const TRACEABLE_CHANGES = 750;
/** Stored as a list of fingerprints up to this many followers (8 KB at most, a third of the table; the list is read back by peeling, which needs room). */
const LISTED_UP_TO = 500;
const LISTED = 'list:';

function fmix32(value: number): number {
	let h = value >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

const SEEDS = [0x9e3779b9, 0x7f4a7c15, 0x2545f491, 0x6a09e667];

function halvesOf(fingerprint: Fingerprint): [number, number] {
	return [Number.parseInt(fingerprint.slice(0, 8), 16) >>> 0, Number.parseInt(fingerprint.slice(8, 16), 16) >>> 0];
}

function hexOf(high: number, low: number): Fingerprint {
	return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

function checkOf(high: number, low: number): number {
	return fmix32(high ^ fmix32(low ^ 0x1b873593));
}

function cellOf(hash: number, high: number, low: number): number {
	return hash * CELLS_PER_HASH + (fmix32((high ^ SEEDS[hash]) + Math.imul(low, 0x9e3779b1)) % CELLS_PER_HASH);
}

export interface SketchDifference {
	/** In the other sketch only: on today's list, not reached. */
	added: Fingerprint[];
	/** In this sketch only: reached, no longer on the list. */
	removed: Fingerprint[];
}

export class ReachedSketch {
	private constructor(
		private readonly counts: Int32Array,
		private readonly highs: Uint32Array,
		private readonly lows: Uint32Array,
		private readonly checks: Uint32Array,
	) {}

	static empty(): ReachedSketch {
		return new ReachedSketch(new Int32Array(CELLS), new Uint32Array(CELLS), new Uint32Array(CELLS), new Uint32Array(CELLS));
	}

	static of(fingerprints: Iterable<Fingerprint>): ReachedSketch {
		const sketch = ReachedSketch.empty();
		for (const fingerprint of fingerprints) sketch.add(fingerprint);
		return sketch;
	}

	/** The sketch `toStored` wrote; undefined for anything else, which is then treated as no memory. */
	static fromStored(text: unknown): ReachedSketch | undefined {
		if (typeof text !== 'string') return undefined;
		if (text.startsWith(LISTED)) {
			const listed = text.slice(LISTED.length);
			if (listed.length % 16 !== 0 || !/^[0-9a-f]*$/.test(listed)) return undefined;
			return ReachedSketch.of(Array.from({ length: listed.length / 16 }, (_, n) => listed.slice(n * 16, n * 16 + 16)));
		}
		const bytes = Buffer.from(text, 'base64');
		if (bytes.length !== CELLS * CELL_BYTES) return undefined;
		const sketch = ReachedSketch.empty();
		for (let cell = 0; cell < CELLS; cell++) {
			const at = cell * CELL_BYTES;
			sketch.counts[cell] = bytes.readInt32LE(at);
			sketch.highs[cell] = bytes.readUInt32LE(at + 4);
			sketch.lows[cell] = bytes.readUInt32LE(at + 8);
			sketch.checks[cell] = bytes.readUInt32LE(at + 12);
		}
		return sketch;
	}

	/**
	 * As the node keeps it: while it holds at most 500 followers, their fingerprints themselves
	 * (16 characters each, so a send to a few followers keeps a few dozen characters); beyond, the
	 * table (19 KB, 25,600 characters in base64).
	 */
	toStored(): string {
		// Each follower adds 1 to HASHES cells: a sketch holding more than the list's worth is stored as
		// the table without peeling it (a large send stores its sketch after every accepted call).
		const held = this.heldCount() <= LISTED_UP_TO ? this.difference(ReachedSketch.empty()) : undefined;
		if (held !== undefined && held.added.length === 0 && held.removed.length <= LISTED_UP_TO) return LISTED + held.removed.sort().join('');
		const bytes = Buffer.alloc(CELLS * CELL_BYTES);
		for (let cell = 0; cell < CELLS; cell++) {
			const at = cell * CELL_BYTES;
			bytes.writeInt32LE(this.counts[cell], at);
			bytes.writeUInt32LE(this.highs[cell], at + 4);
			bytes.writeUInt32LE(this.lows[cell], at + 8);
			bytes.writeUInt32LE(this.checks[cell], at + 12);
		}
		return bytes.toString('base64');
	}

	/** Followers added minus followers removed. */
	private heldCount(): number {
		let total = 0;
		for (let cell = 0; cell < CELLS; cell++) total += this.counts[cell];
		return total / HASHES;
	}

	add(fingerprint: Fingerprint): void {
		this.toggle(...halvesOf(fingerprint), 1);
	}

	remove(fingerprint: Fingerprint): void {
		this.toggle(...halvesOf(fingerprint), -1);
	}

	/**
	 * What is in this sketch and not in `other` (removed) and the reverse (added), recovered by
	 * peeling cells that hold a single fingerprint. Undefined when the two differ by too much to
	 * recover it all: then nothing can be said about any single follower.
	 */
	difference(other: ReachedSketch): SketchDifference | undefined {
		const diff = ReachedSketch.empty();
		for (let cell = 0; cell < CELLS; cell++) {
			diff.counts[cell] = this.counts[cell] - other.counts[cell];
			diff.highs[cell] = (this.highs[cell] ^ other.highs[cell]) >>> 0;
			diff.lows[cell] = (this.lows[cell] ^ other.lows[cell]) >>> 0;
			diff.checks[cell] = (this.checks[cell] ^ other.checks[cell]) >>> 0;
		}
		const result: SketchDifference = { added: [], removed: [] };
		const pending = Array.from({ length: CELLS }, (_, cell) => cell);
		let peeled = 0;
		while (pending.length > 0) {
			const cell = pending.pop()!;
			const count = diff.counts[cell];
			if (count !== 1 && count !== -1) continue;
			const high = diff.highs[cell];
			const low = diff.lows[cell];
			if (diff.checks[cell] !== checkOf(high, low)) continue;
			(count === 1 ? result.removed : result.added).push(hexOf(high, low));
			if (++peeled > CELLS) return undefined;
			diff.toggle(high, low, -count);
			for (let hash = 0; hash < HASHES; hash++) pending.push(cellOf(hash, high, low));
		}
		for (let cell = 0; cell < CELLS; cell++) {
			if (diff.counts[cell] !== 0 || diff.highs[cell] !== 0 || diff.lows[cell] !== 0 || diff.checks[cell] !== 0) return undefined;
		}
		return result;
	}

	private toggle(high: number, low: number, sign: number): void {
		const check = checkOf(high, low);
		for (let hash = 0; hash < HASHES; hash++) {
			const cell = cellOf(hash, high, low);
			this.counts[cell] += sign;
			this.highs[cell] = (this.highs[cell] ^ high) >>> 0;
			this.lows[cell] = (this.lows[cell] ^ low) >>> 0;
			this.checks[cell] = (this.checks[cell] ^ check) >>> 0;
		}
	}
}
