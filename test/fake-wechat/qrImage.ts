// The fake's QR code images: real baseline JPEG files (what showqrcode serves, "Content-Type:image/jpg"),
// made here without an image library. Each module of the code is one 8×8 block of one shade, so every
// block is its DC coefficient alone: a DC difference coded with the standard luminance DC table
// (ITU-T T.81 Annex K.3), then end-of-block. The modules are not a decodable QR symbol: three finder
// patterns and a pattern drawn from the ticket, so different tickets give different images.
import { createHash } from 'node:crypto';

const MODULES = 25;
const QUIET = 4;
const BLOCK = 8;

/** T.81 Table K.3: how many DC codes of each length 1..16, then the categories 0..11 they stand for. */
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** An AC table with one code, "0", for end-of-block (0x00): every block here has no AC coefficient. */
const AC_COUNTS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_SYMBOLS = [0x00];

/** The canonical Huffman codes of a table (T.81 Annex C): symbol → [code, length]. */
function huffmanCodes(counts: number[], symbols: number[]): Map<number, [number, number]> {
	const codes = new Map<number, [number, number]>();
	let code = 0;
	let next = 0;
	for (let length = 1; length <= 16; length++) {
		for (let n = 0; n < counts[length - 1]; n++) codes.set(symbols[next++], [code++, length]);
		code <<= 1;
	}
	return codes;
}

class BitWriter {
	private readonly bytes: number[] = [];
	private current = 0;
	private filled = 0;

	write(value: number, length: number): void {
		for (let bit = length - 1; bit >= 0; bit--) {
			this.current = (this.current << 1) | ((value >> bit) & 1);
			if (++this.filled === 8) this.flushByte();
		}
	}

	private flushByte(): void {
		this.bytes.push(this.current);
		// A 0xFF byte in the scan is followed by a stuffed 0x00 (T.81 F.1.2.3).
		if (this.current === 0xff) this.bytes.push(0x00);
		this.current = 0;
		this.filled = 0;
	}

	/** The scan's bytes, the last one padded with 1-bits. */
	finish(): Buffer {
		if (this.filled > 0) this.write((1 << (8 - this.filled)) - 1, 8 - this.filled);
		return Buffer.from(this.bytes);
	}
}

function segment(marker: number, body: number[]): Buffer {
	return Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
}

/** A grayscale baseline JPEG of blocks, each 8×8 pixels of one shade (0 black .. 255 white); rows of equal length. */
export function flatBlockJpeg(shades: number[][]): Buffer {
	const height = shades.length * BLOCK;
	const width = shades[0].length * BLOCK;
	const dc = huffmanCodes(DC_COUNTS, DC_SYMBOLS);
	const eob = huffmanCodes(AC_COUNTS, AC_SYMBOLS).get(0x00)!;
	const scan = new BitWriter();
	let previous = 0;
	for (const row of shades) {
		for (const shade of row) {
			// With a quantizer of 1, a flat block's DC coefficient is 8 × (shade − 128) (T.81 A.3.3).
			const value = 8 * (Math.round(shade) - 128);
			const diff = value - previous;
			previous = value;
			const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
			const [code, length] = dc.get(category)!;
			scan.write(code, length);
			// Negative differences are written as their one's complement in `category` bits (T.81 F.1.2.1).
			if (category > 0) scan.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
			scan.write(eob[0], eob[1]);
		}
	}
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
		segment(0xdb, [0x00, ...Array<number>(64).fill(1)]),
		segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
		segment(0xc4, [0x00, ...DC_COUNTS, ...DC_SYMBOLS]),
		segment(0xc4, [0x10, ...AC_COUNTS, ...AC_SYMBOLS]),
		segment(0xda, [1, 1, 0x00, 0, 63, 0]),
		scan.finish(),
		Buffer.from([0xff, 0xd9]),
	]);
}

function inFinder(row: number, column: number): boolean | undefined {
	for (const [top, left] of [
		[0, 0],
		[0, MODULES - 7],
		[MODULES - 7, 0],
	]) {
		const r = row - top;
		const c = column - left;
		if (r >= 0 && r < 7 && c >= 0 && c < 7) return r === 0 || r === 6 || c === 0 || c === 6 || (r >= 2 && r <= 4 && c >= 2 && c <= 4);
	}
	return undefined;
}

/** The image showqrcode serves for `ticket`: a QR-like code of 25 modules with a quiet zone, 264×264 pixels. */
export function qrCodeJpeg(ticket: string): Buffer {
	const bits = createHash('sha512').update(ticket).digest();
	const size = MODULES + 2 * QUIET;
	const shades = Array.from({ length: size }, (_, y) =>
		Array.from({ length: size }, (_, x) => {
			const row = y - QUIET;
			const column = x - QUIET;
			if (row < 0 || column < 0 || row >= MODULES || column >= MODULES) return 255;
			const finder = inFinder(row, column);
			const dark = finder ?? ((bits[(row * MODULES + column) % bits.length] >> ((row + column) % 8)) & 1) === 1;
			return dark ? 0 : 255;
		}),
	);
	return flatBlockJpeg(shades);
}
