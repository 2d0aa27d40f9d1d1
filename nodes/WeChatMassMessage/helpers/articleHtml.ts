// An article's HTML as WeChat treats it: only images on WeChat's own image host survive `draft/add`
// ("涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤",
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add). Nothing here knows about n8n.

// The markup is read as browsers read it: attributes need no space between them after a quoted
// value, values may be quoted either way or not at all, names are case-insensitive, and nothing
// inside a comment, CDATA section, <script>, <style>, <textarea> or <title> is a tag.

import { LEGACY_NAMES_WITHOUT_SEMICOLON, NAMED_CHARACTER_REFERENCES } from './htmlEntities';

/** One attribute of a start tag: its name (lower case), its value with entities decoded, and where it stands in the HTML. */
interface Attribute {
	name: string;
	value: string | undefined;
	start: number;
	end: number;
}

interface StartTag {
	name: string;
	start: number;
	/** Just after the tag's ">" (or the end of the HTML). */
	end: number;
	/** Just after the tag's name, where a new attribute can go. */
	afterName: number;
	attributes: Attribute[];
}

/** Elements whose content is text to a browser, never tags. */
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
const SPACE = /[\t\n\f\r ]/;

/** Where a comment that starts at `open` ("<!--") ends: "-->", "--!>", or at once for "<!-->" and "<!--->". */
function commentEnd(html: string, open: number): number {
	if (html.startsWith('>', open + 4)) return open + 5;
	if (html.startsWith('->', open + 4)) return open + 6;
	const ends = [html.indexOf('-->', open + 4), html.indexOf('--!>', open + 4)].filter((at) => at >= 0);
	if (ends.length === 0) return html.length;
	const end = Math.min(...ends);
	return end + (html.startsWith('-->', end) ? 3 : 4);
}

/** Where raw text started at `from` ends: at "</name" followed by a space, "/" or ">", in any case. */
function rawTextEnd(html: string, from: number, name: string): number {
	const closing = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
	closing.lastIndex = from;
	const found = closing.exec(html);
	if (!found) return html.length;
	const close = html.indexOf('>', found.index);
	return close < 0 ? html.length : close + 1;
}

/**
 * The start tags of `html`, in order, and where its comments are; declarations, end tags and raw text
 * skipped. `<![CDATA[` is read as HTML reads it outside SVG and MathML: a bogus comment up to the first
 * ">", so an <img> after it is seen (inside SVG this sees more than a browser would, never less).
 */
function tokenize(html: string): { tags: StartTag[]; comments: Array<{ start: number; end: number }> } {
	const tags: StartTag[] = [];
	const comments: Array<{ start: number; end: number }> = [];
	const toFirstClose = (from: number) => {
		const close = html.indexOf('>', from);
		return close < 0 ? html.length : close + 1;
	};
	let at = 0;
	while (at < html.length) {
		const open = html.indexOf('<', at);
		if (open < 0) break;
		if (html.startsWith('<!--', open)) {
			at = commentEnd(html, open);
			comments.push({ start: open, end: at });
		} else if (html[open + 1] === '!' || html[open + 1] === '?' || html[open + 1] === '/') {
			at = toFirstClose(open + 2);
		} else if (/[A-Za-z]/.test(html[open + 1] ?? '')) {
			const tag = readStartTag(html, open);
			tags.push(tag);
			at = RAW_TEXT_ELEMENTS.has(tag.name) ? rawTextEnd(html, tag.end, tag.name) : tag.end;
		} else {
			at = open + 1;
		}
	}
	return { tags, comments };
}

function readStartTag(html: string, start: number): StartTag {
	let at = start + 1;
	while (at < html.length && !SPACE.test(html[at]) && html[at] !== '/' && html[at] !== '>') at++;
	const tag: StartTag = { name: html.slice(start + 1, at).toLowerCase(), start, end: html.length, afterName: at, attributes: [] };
	while (at < html.length) {
		const char = html[at];
		if (char === '>') {
			tag.end = at + 1;
			return tag;
		}
		if (SPACE.test(char) || char === '/') {
			at++;
			continue;
		}
		const nameStart = at;
		at++;
		while (at < html.length && !SPACE.test(html[at]) && !'/>='.includes(html[at])) at++;
		const name = html.slice(nameStart, at).toLowerCase();
		let valueAt = at;
		while (valueAt < html.length && SPACE.test(html[valueAt])) valueAt++;
		if (html[valueAt] !== '=') {
			tag.attributes.push({ name, value: undefined, start: nameStart, end: at });
			continue;
		}
		valueAt++;
		while (valueAt < html.length && SPACE.test(html[valueAt])) valueAt++;
		const quote = html[valueAt];
		let raw: string;
		if (quote === '"' || quote === "'") {
			const close = html.indexOf(quote, valueAt + 1);
			const valueEnd = close < 0 ? html.length : close;
			raw = html.slice(valueAt + 1, valueEnd);
			at = Math.min(html.length, valueEnd + 1);
		} else {
			at = valueAt;
			while (at < html.length && !SPACE.test(html[at]) && html[at] !== '>') at++;
			raw = html.slice(valueAt, at);
		}
		tag.attributes.push({ name, value: decodeEntities(raw), start: nameStart, end: at });
	}
	return tag;
}

const NAMED_REFERENCES: ReadonlyMap<string, string> = new Map(Object.entries(NAMED_CHARACTER_REFERENCES));

/** What a numeric reference of 0x80-0x9F stands for: the HTML standard reads those as Windows-1252. */
const WINDOWS_1252: Readonly<Record<number, number>> = {
	0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
	0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
	0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
	0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/** A numeric reference's character as a browser takes it: none, a surrogate or one beyond Unicode becomes U+FFFD. */
function numericReferenceText(digits: string, radix: 10 | 16): string {
	const significant = digits.replace(/^0+/, '');
	// Past eight hex or ten decimal digits it is beyond Unicode, whatever the digits.
	if (significant.length > (radix === 16 ? 8 : 10)) return '\ufffd';
	const codePoint = significant === '' ? 0 : Number.parseInt(significant, radix);
	if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return '\ufffd';
	return String.fromCodePoint(WINDOWS_1252[codePoint] ?? codePoint);
}

/**
 * An attribute value with its character references decoded as the HTML standard's tokenizer does in
 * an attribute: numeric ones with or without ";", every named one with ";", and the legacy names
 * without ";" (&amp, &copy...) unless a letter, digit or "=" follows, as in a URL's "&copy=2".
 */
function decodeEntities(value: string): string {
	return value.replace(/&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([a-zA-Z][a-zA-Z0-9]*)(;?))/g, (reference: string, hex?: string, decimal?: string, name?: string, semicolon?: string, offset?: number) => {
		if (hex !== undefined) return numericReferenceText(hex, 16);
		if (decimal !== undefined) return numericReferenceText(decimal, 10);
		if (semicolon === ';' && NAMED_REFERENCES.has(name!)) return NAMED_REFERENCES.get(name!)!;
		if (semicolon === '' && LEGACY_NAMES_WITHOUT_SEMICOLON.has(name!) && value[offset! + reference.length] !== '=') return NAMED_REFERENCES.get(name!)!;
		return reference;
	});
}

/**
 * Where lazy-loading scripts keep an image's real address while `src` holds a placeholder:
 * lazysizes and vanilla-lazyload `data-src` / `data-srcset`, Lazy Load by WP Rocket `data-lazy-src` /
 * `data-lazy-srcset` (its first versions `data-lazy-original`), jQuery Lazy Load `data-original`.
 */
const LAZY_SOURCE_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-lazy-original', 'data-original'];
const LAZY_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset'];
/** Candidate lists of responsive images; WeChat shows an article's `src`, so they are taken out. */
const SRCSET_ATTRIBUTES = ['srcset', 'data-srcset', 'data-lazy-srcset', 'sizes', 'data-sizes'];

function attributeValue(tag: StartTag, name: string): string | undefined {
	const value = tag.attributes.find((attribute) => attribute.name === name)?.value?.trim();
	return value === '' ? undefined : value;
}

interface SrcsetCandidate {
	url: string;
	/** The `w` descriptor, if any. */
	width?: number;
	/** The `x` descriptor, 1 when there is none. */
	density: number;
}

/**
 * A srcset's candidates as the HTML standard parses them: a URL runs to the next space (commas inside
 * it, as in Cloudinary's `w_800,c_fill` or a `data:` address, are its own), trailing commas end it, and
 * its descriptors run to a comma outside parentheses.
 */
function srcsetCandidates(srcset: string): SrcsetCandidate[] {
	const candidates: SrcsetCandidate[] = [];
	let at = 0;
	while (at < srcset.length) {
		while (at < srcset.length && (SPACE.test(srcset[at]) || srcset[at] === ',')) at++;
		if (at >= srcset.length) break;
		const urlStart = at;
		while (at < srcset.length && !SPACE.test(srcset[at])) at++;
		let url = srcset.slice(urlStart, at);
		const descriptors: string[] = [];
		if (url.endsWith(',')) {
			url = url.replace(/,+$/, '');
		} else {
			let current = '';
			let inParentheses = false;
			for (; at < srcset.length; at++) {
				const char = srcset[at];
				if (inParentheses) {
					if (char === ')') inParentheses = false;
					current += char;
				} else if (char === ',') {
					at++;
					break;
				} else if (SPACE.test(char)) {
					if (current) descriptors.push(current);
					current = '';
				} else {
					if (char === '(') inParentheses = true;
					current += char;
				}
			}
			if (current) descriptors.push(current);
		}
		if (!url) continue;
		const width = descriptors.find((descriptor) => /^\d+w$/.test(descriptor));
		const density = descriptors.find((descriptor) => /^\d*\.?\d+(e[+-]?\d+)?x$/i.test(descriptor));
		candidates.push({ url, width: width === undefined ? undefined : Number.parseInt(width, 10), density: density === undefined ? 1 : Number.parseFloat(density) });
	}
	return candidates;
}

/** The largest candidate of a srcset: by its width where any candidate has one, else by its density; the first of equals. */
function largestCandidate(srcset: string): string | undefined {
	const candidates = srcsetCandidates(srcset);
	const byWidth = candidates.some((candidate) => candidate.width !== undefined);
	const size = (candidate: SrcsetCandidate) => (byWidth ? candidate.width ?? 0 : candidate.density);
	let best: SrcsetCandidate | undefined;
	for (const candidate of candidates) if (best === undefined || size(candidate) > size(best)) best = candidate;
	return best?.url;
}

/**
 * The image an <img> shows once its page has loaded: a lazy-loading attribute's (an address, else the
 * largest candidate of a lazy srcset) over `src`, which then holds a placeholder; else `src`, else the
 * largest candidate of `srcset`.
 */
function imageOf(tag: StartTag): string | undefined {
	for (const name of LAZY_SOURCE_ATTRIBUTES) {
		const value = attributeValue(tag, name);
		if (value !== undefined) return value;
	}
	for (const name of LAZY_SRCSET_ATTRIBUTES) {
		const value = attributeValue(tag, name);
		const largest = value === undefined ? undefined : largestCandidate(value);
		if (largest !== undefined) return largest;
	}
	const src = attributeValue(tag, 'src');
	if (src !== undefined) return src;
	const srcset = attributeValue(tag, 'srcset');
	return srcset === undefined ? undefined : largestCandidate(srcset);
}

/** A protocol-relative address (`//host/path`), common in CMS output, is read as https. */
export function absoluteImageUrl(src: string): string {
	return src.startsWith('//') ? `https:${src}` : src;
}

/** `media/uploadimg` answers URLs on mmbiz.qpic.cn; WeChat's editor also uses other qpic.cn / qlogo.cn hosts. */
export function isWeChatHostedImage(src: string): boolean {
	try {
		const { hostname } = new URL(absoluteImageUrl(src));
		return /^([a-z0-9-]+\.)*(qpic|qlogo)\.cn$/i.test(hostname);
	} catch {
		return false;
	}
}

function attributeText(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** The image of every <img> in `html` (see imageOf), distinct, in order of appearance, with HTML entities decoded. */
export function imageSources(html: string): string[] {
	const sources = new Set<string>();
	for (const tag of tokenize(html).tags) {
		const src = tag.name === 'img' ? imageOf(tag) : undefined;
		if (src) sources.add(src);
	}
	return [...sources];
}

/**
 * `html` as WeChat should get it: each <img> shows its image at `src` (replaced by its entry in
 * `replacements`, if any), without lazy-loading or srcset attributes; a link to a replaced image
 * points at its replacement; a <picture>'s <source> tags, which only list other sizes of its <img>,
 * and HTML comments are taken out. Everything else stays.
 */
export function replaceImageSources(html: string, replacements: ReadonlyMap<string, string>): string {
	const { tags, comments } = tokenize(html);
	const edits: Array<{ start: number; end: number; text: string }> = comments.map((comment) => ({ ...comment, text: '' }));
	// An attribute goes with the space before it; a space stays where the next one would touch what came before.
	const removal = (attribute: Attribute) => {
		let start = attribute.start;
		while (start > 0 && SPACE.test(html[start - 1])) start--;
		const next = html[attribute.end] ?? '>';
		return { start, end: attribute.end, text: SPACE.test(next) || next === '/' || next === '>' ? '' : ' ' };
	};
	for (const tag of tags) {
		if (tag.name === 'source' && tag.attributes.some((attribute) => SRCSET_ATTRIBUTES.includes(attribute.name))) {
			edits.push({ start: tag.start, end: tag.end, text: '' });
			continue;
		}
		const href = tag.name === 'a' ? tag.attributes.find((attribute) => attribute.name === 'href') : undefined;
		const linkedImage = href?.value === undefined ? undefined : replacements.get(href.value.trim());
		// A link to an image the article shows (Notion and most editors wrap images so) points at WeChat's copy.
		if (href && linkedImage !== undefined) edits.push({ start: href.start, end: href.end, text: `href="${attributeText(linkedImage)}"` });
		if (tag.name !== 'img') continue;
		const image = imageOf(tag);
		const src = tag.attributes.find((attribute) => attribute.name === 'src');
		// A second src is one browsers ignore, and an address WeChat must not get.
		const dropped = tag.attributes.filter(
			(attribute) => LAZY_SOURCE_ATTRIBUTES.includes(attribute.name) || SRCSET_ATTRIBUTES.includes(attribute.name) || (attribute.name === 'src' && attribute !== src),
		);
		const target = image === undefined ? undefined : replacements.get(image) ?? image;
		if (dropped.length === 0 && (target === undefined || target === src?.value?.trim())) continue;
		for (const attribute of dropped) edits.push(removal(attribute));
		if (target === undefined) continue;
		const encoded = `src="${attributeText(target)}"`;
		edits.push(src ? { start: src.start, end: src.end, text: encoded } : { start: tag.afterName, end: tag.afterName, text: ` ${encoded}` });
	}
	// From the end, so that earlier positions stay right; at one position, a removal before an insertion.
	edits.sort((a, b) => b.start - a.start || b.end - a.end);
	let result = html;
	for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
	return result;
}

/** About as long as an address `media/uploadimg` answers (http://mmbiz.qpic.cn/mmbiz_png/…/0?wx_fmt=png). */
const HOSTED_ADDRESS_STAND_IN = `http://mmbiz.qpic.cn/mmbiz_png/${'x'.repeat(80)}/0?wx_fmt=png`;

/** `html` with each inline (`data:`) image as long as the WeChat address it becomes once hosted, to measure it before hosting. */
export function withInlineImagesAsHosted(html: string): string {
	return html.replace(/data:image\/[^"'\s>]*/gi, HOSTED_ADDRESS_STAND_IN);
}

export type ImageFormat = 'jpg' | 'png' | 'gif' | 'bmp' | 'webp';

/** The image format by its first bytes: a downloaded file's Content-Type or name cannot be trusted. */
export function sniffImageFormat(data: Buffer): ImageFormat | undefined {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'gif';
	if (data.length >= 2 && data[0] === 0x42 && data[1] === 0x4d) return 'bmp';
	if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
	return undefined;
}

/** The bytes of a `data:` address (`data:image/png;base64,...`), or undefined when it is not one. */
export function dataUrlBytes(src: string): Buffer | undefined {
	const match = /^data:[^,]*?(;base64)?,(.*)$/is.exec(src);
	if (!match) return undefined;
	return match[1] ? Buffer.from(match[2], 'base64') : Buffer.from(decodeURIComponent(match[2]), 'utf8');
}
