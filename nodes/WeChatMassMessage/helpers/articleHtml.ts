// An article's HTML as WeChat treats it: only images on WeChat's own image host survive `draft/add`
// ("涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤",
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add). Nothing here knows about n8n.

// The markup is read as browsers read it, with scripting on (as WeChat's article view runs): attributes
// need no space between them after a quoted value, values may be quoted either way or not at all,
// names are case-insensitive, and nothing inside a comment, CDATA section, <script>, <style>,
// <textarea>, <title> or <noscript> is a tag.

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
	/** For an <img> inside a <picture>: the <source> tags before it there. */
	pictureSources?: StartTag[];
}

interface Span {
	start: number;
	end: number;
}

/**
 * Elements whose content is text to a browser, never tags. <noscript> is one with scripting on ("A
 * start tag whose tag name is "noscript", if the scripting flag is enabled: Follow the generic raw
 * text element parsing algorithm", https://html.spec.whatwg.org/multipage/parsing.html#parsing-main-inbody).
 */
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);
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
 * lazysizes' noscript plugin keeps an image only inside `<noscript>` in an element marked
 * `data-noscript`, and its script shows it (https://github.com/aFarkas/lazysizes/tree/gh-pages/plugins/noscript):
 * such a <noscript> is read as markup and only its own tags are taken out.
 */
function opensShownNoscript(html: string, tags: StartTag[], noscript: StartTag): boolean {
	const parent = tags[tags.length - 2];
	return parent !== undefined && parent.attributes.some((attribute) => attribute.name === 'data-noscript') && html.slice(parent.end, noscript.start).trim() === '';
}

/**
 * The start tags of `html`, in order, and what a browser with scripting on does not show (comments,
 * <noscript> elements); declarations, end tags and raw text skipped. `<![CDATA[` is read as HTML
 * reads it outside SVG and MathML: a bogus comment up to the first ">", so an <img> after it is seen
 * (inside SVG this sees more than a browser would, never less).
 */
function tokenize(html: string): { tags: StartTag[]; hidden: Span[] } {
	const tags: StartTag[] = [];
	const hidden: Span[] = [];
	let picture: StartTag[] | undefined;
	let shownNoscripts = 0;
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
			hidden.push({ start: open, end: at });
		} else if (html[open + 1] === '/') {
			at = toFirstClose(open + 2);
			const name = /^<\/([A-Za-z][^\t\n\f\r />]*)/.exec(html.slice(open, open + 20))?.[1].toLowerCase();
			if (name === 'picture') picture = undefined;
			if (name === 'noscript' && shownNoscripts > 0) {
				shownNoscripts--;
				hidden.push({ start: open, end: at });
			}
		} else if (html[open + 1] === '!' || html[open + 1] === '?') {
			at = toFirstClose(open + 2);
		} else if (/[A-Za-z]/.test(html[open + 1] ?? '')) {
			const tag = readStartTag(html, open);
			tags.push(tag);
			at = tag.end;
			if (tag.name === 'picture') picture = [];
			else if (tag.name === 'source') picture?.push(tag);
			else if (tag.name === 'img' && picture) tag.pictureSources = picture;
			if (tag.name === 'noscript' && opensShownNoscript(html, tags, tag)) {
				shownNoscripts++;
				hidden.push({ start: tag.start, end: tag.end });
			} else if (RAW_TEXT_ELEMENTS.has(tag.name)) {
				at = rawTextEnd(html, tag.end, tag.name);
				if (tag.name === 'noscript') hidden.push({ start: tag.start, end: at });
			}
		} else {
			at = open + 1;
		}
	}
	return { tags, hidden };
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
 * Where lazy-loading scripts keep an image's real address while `src` holds a placeholder, in the
 * order they are looked at:
 * - `data-opt-src`: Optimole (`$opt_format = ' data-opt-src="%s" '`, inc/lazyload_replacer.php,
 *   https://github.com/Codeinwp/optimole-wp), whose `src` is a low-quality copy or an SVG;
 * - `data-lazy-src` / `data-lazy-srcset` / `data-lazy-sizes`: Lazy Load by WP Rocket and WP Rocket
 *   (src/Image.php, https://github.com/wp-media/rocket-lazyload-common), Jetpack's Lazy Images;
 * - `data-src` / `data-srcset` / `data-sizes`: lazysizes ("a ``data-src`` and/or ``data-srcset``
 *   attribute", https://github.com/aFarkas/lazysizes), vanilla-lazyload (`data_src: "src"`,
 *   https://github.com/verlok/vanilla-lazyload), and the WordPress plugins built on them: Smush,
 *   LiteSpeed Cache, EWWW, Autoptimize, a3 Lazy Load, Perfmatters, W3 Total Cache;
 * - `data-lazy-original`: WP Rocket 1.x; `data-original`: jQuery Lazy Load 1.x ("Put the image URL
 *   inside a data-original attribute", https://github.com/tuupola/lazyload/tree/1.x).
 */
const LAZY_SOURCE_ATTRIBUTES = ['data-opt-src', 'data-lazy-src', 'data-src', 'data-lazy-original', 'data-original'];
const LAZY_SRCSET_ATTRIBUTES = ['data-lazy-srcset', 'data-srcset'];
/** Candidate lists of responsive images; WeChat shows an article's `src`, so they are taken out. */
const SRCSET_ATTRIBUTES = ['srcset', 'data-srcset', 'data-lazy-srcset', 'sizes', 'data-sizes', 'data-lazy-sizes'];
/** <picture> sources of formats WeChat does not host ("图片仅支持jpg/png格式", media/uploadimg); Substack's are always WebP. */
const UNHOSTED_SOURCE_TYPE = /^image\/(webp|avif|jxl|svg\+xml)\b/i;

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

/**
 * A srcset's addresses, largest first: by width where any candidate has one, else by density; equals
 * in their order. A `data:` candidate is a lazy-loading placeholder (Jetpack's and EWWW's 1x1 GIF), never the image.
 */
function largestFirst(srcset: string | undefined): string[] {
	const candidates = srcsetCandidates(srcset ?? '').filter((candidate) => !/^data:/i.test(candidate.url));
	const byWidth = candidates.some((candidate) => candidate.width !== undefined);
	const size = (candidate: SrcsetCandidate) => (byWidth ? candidate.width ?? 0 : candidate.density);
	return candidates
		.map((candidate, index) => ({ candidate, index }))
		.sort((a, b) => size(b.candidate) - size(a.candidate) || a.index - b.index)
		.map(({ candidate }) => candidate.url);
}

const firstOf = (tag: StartTag, names: string[]) => names.map((name) => attributeValue(tag, name)).find((value) => value !== undefined);

/**
 * The addresses an <img> shows once its page has loaded, best first: a lazy-loading attribute's address
 * and then its lazy srcset, largest first (`src` is then a placeholder, never tried); else `src`; then
 * the other sizes in `srcset`, largest first, and the sources of its <picture> in formats WeChat hosts.
 */
function candidatesOf(tag: StartTag): string[] {
	const lazy = firstOf(tag, LAZY_SOURCE_ATTRIBUTES);
	const lazySizes = largestFirst(firstOf(tag, LAZY_SRCSET_ATTRIBUTES));
	const own = lazy !== undefined || lazySizes.length > 0 ? [lazy, ...lazySizes] : [attributeValue(tag, 'src')];
	const pictureSizes = (tag.pictureSources ?? [])
		.filter((source) => !UNHOSTED_SOURCE_TYPE.test(attributeValue(source, 'type') ?? ''))
		.flatMap((source) => largestFirst(firstOf(source, ['srcset', ...LAZY_SRCSET_ATTRIBUTES])));
	const all = [...own, ...largestFirst(attributeValue(tag, 'srcset')), ...pictureSizes].filter((url): url is string => url !== undefined);
	return [...new Set(all)];
}

/**
 * Emoji drawn as images: WordPress's (`class="wp-smiley"` from wp_staticize_emoji in feeds, `class="emoji"`
 * from wp-emoji.js in the browser) and Twemoji's (default className "emoji"). Their alt is the emoji itself.
 */
const EMOJI_CLASS = /(?:^|\s)(?:emoji|wp-smiley)(?:\s|$)/i;

/** The text an emoji image stands for: its alt, else the code points its file is named by (1f469-200d-1f4bb.svg). */
function emojiTextOf(tag: StartTag, source: string | undefined): string | undefined {
	if (!EMOJI_CLASS.test(attributeValue(tag, 'class') ?? '')) return undefined;
	const alt = attributeValue(tag, 'alt');
	if (alt !== undefined) return alt;
	const named = /\/([0-9a-f]{2,6}(?:-[0-9a-f]{2,6})*)\.(?:png|svg)(?:[?#]|$)/i.exec(source ?? '');
	const codePoints = named?.[1].split('-').map((hex) => Number.parseInt(hex, 16));
	return codePoints?.every((codePoint) => codePoint <= 0x10ffff) ? String.fromCodePoint(...codePoints) : undefined;
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

function htmlText(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An image of an article as WeChat will show it. */
export interface ArticleImage {
	/** The address the HTML shows it at (the first candidate): what the article's replacements are keyed by. */
	source: string;
	/** Every address of the image, best first (see candidatesOf), `source` first. */
	candidates: string[];
	/** For an emoji drawn as an image: the emoji, which the article gets as text instead. */
	emoji?: string;
}

/** The images of `html`, one per distinct source, in order of appearance, with HTML entities decoded. */
export function articleImages(html: string): ArticleImage[] {
	const images = new Map<string, ArticleImage>();
	for (const tag of tokenize(html).tags) {
		if (tag.name !== 'img') continue;
		const candidates = candidatesOf(tag);
		const emoji = emojiTextOf(tag, candidates[0]);
		if (candidates.length === 0 || images.has(candidates[0])) continue;
		images.set(candidates[0], { source: candidates[0], candidates, ...(emoji === undefined ? {} : { emoji }) });
	}
	return [...images.values()];
}

/**
 * `html` as WeChat should get it: each <img> shows its image at `src` (replaced by its entry in
 * `hosted`, if any), without lazy-loading or srcset attributes; an image in `leftOut` is taken out,
 * and an emoji image becomes its emoji; a link to a hosted image points at WeChat's copy. What a
 * browser with scripting on does not show goes: comments and <noscript> elements (the fallback copies
 * lazy-loading plugins add), and a <picture>'s <source> tags, which only list other sizes of its
 * <img>. Everything else stays.
 */
export function replaceImageSources(html: string, hosted: ReadonlyMap<string, string>, leftOut: ReadonlySet<string> = new Set()): string {
	const { tags, hidden } = tokenize(html);
	const edits: Array<Span & { text: string }> = hidden.map((span) => ({ ...span, text: '' }));
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
		const linkedImage = href?.value === undefined ? undefined : hosted.get(href.value.trim());
		// A link to an image the article shows (Notion and most editors wrap images so) points at WeChat's copy.
		if (href && linkedImage !== undefined) edits.push({ start: href.start, end: href.end, text: `href="${attributeText(linkedImage)}"` });
		if (tag.name !== 'img') continue;
		const image = candidatesOf(tag)[0];
		const emoji = emojiTextOf(tag, image);
		if (emoji !== undefined || (image !== undefined && leftOut.has(image))) {
			edits.push({ start: tag.start, end: tag.end, text: htmlText(emoji ?? '') });
			continue;
		}
		const src = tag.attributes.find((attribute) => attribute.name === 'src');
		// A second src is one browsers ignore, and an address WeChat must not get.
		const dropped = tag.attributes.filter(
			(attribute) => LAZY_SOURCE_ATTRIBUTES.includes(attribute.name) || SRCSET_ATTRIBUTES.includes(attribute.name) || (attribute.name === 'src' && attribute !== src),
		);
		const target = image === undefined ? undefined : hosted.get(image) ?? image;
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

export type ImageFormat = 'jpg' | 'png' | 'gif' | 'bmp' | 'webp' | 'avif' | 'svg';

/** The image format by its first bytes: a downloaded file's Content-Type or name cannot be trusted. */
export function sniffImageFormat(data: Buffer): ImageFormat | undefined {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
	if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'gif';
	if (data.length >= 2 && data[0] === 0x42 && data[1] === 0x4d) return 'bmp';
	if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
	if (data.length >= 12 && data.subarray(4, 8).toString('latin1') === 'ftyp' && /^avi[fs]$/.test(data.subarray(8, 12).toString('latin1'))) return 'avif';
	if (/^(\ufeff)?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(data.subarray(0, 4096).toString('utf8'))) return 'svg';
	return undefined;
}

/**
 * The bytes of a `data:` address (`data:image/png;base64,...`), or undefined when it is not one. Read
 * as browsers read it: a "%" not followed by two hex digits stays as it is (the URL standard's
 * percent-decode), as in the `width='100%'` of Optimole's placeholder SVG.
 */
export function dataUrlBytes(src: string): Buffer | undefined {
	const match = /^data:[^,]*?(;base64)?,(.*)$/is.exec(src);
	if (!match) return undefined;
	if (match[1]) return Buffer.from(match[2], 'base64');
	const bytes = Buffer.from(match[2], 'utf8');
	const decoded: number[] = [];
	for (let at = 0; at < bytes.length; at++) {
		const hex = bytes[at] === 0x25 ? bytes.subarray(at + 1, at + 3).toString('latin1') : '';
		if (/^[0-9a-f]{2}$/i.test(hex)) {
			decoded.push(Number.parseInt(hex, 16));
			at += 2;
		} else {
			decoded.push(bytes[at]);
		}
	}
	return Buffer.from(decoded);
}
