// An article's HTML as WeChat treats it: only images on WeChat's own image host survive `draft/add`
// ("涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤",
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add). Nothing here knows about n8n.

// The markup is read as browsers read it: attributes need no space between them after a quoted
// value, values may be quoted either way or not at all, names are case-insensitive, and nothing
// inside a comment, CDATA section, <script>, <style>, <textarea> or <title> is a tag.

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

function skipTo(html: string, from: number, marker: string, caseInsensitive = false): number {
	const found = caseInsensitive ? html.toLowerCase().indexOf(marker, from) : html.indexOf(marker, from);
	return found < 0 ? html.length : found + marker.length;
}

/** The start tags of `html`, in order, and where its comments are; CDATA, declarations, end tags and raw text skipped. */
function tokenize(html: string): { tags: StartTag[]; comments: Array<{ start: number; end: number }> } {
	const tags: StartTag[] = [];
	const comments: Array<{ start: number; end: number }> = [];
	let at = 0;
	while (at < html.length) {
		const open = html.indexOf('<', at);
		if (open < 0) break;
		if (html.startsWith('<!--', open)) {
			at = skipTo(html, open + 4, '-->');
			comments.push({ start: open, end: at });
		} else if (html.startsWith('<![CDATA[', open)) {
			at = skipTo(html, open + 9, ']]>');
		} else if (html[open + 1] === '!' || html[open + 1] === '?' || html[open + 1] === '/') {
			at = skipTo(html, open + 2, '>');
		} else if (/[A-Za-z]/.test(html[open + 1] ?? '')) {
			const tag = readStartTag(html, open);
			tags.push(tag);
			at = RAW_TEXT_ELEMENTS.has(tag.name) ? skipTo(html, tag.end, `</${tag.name}`, true) : tag.end;
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

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** A character reference's code point as a browser takes it: none, a surrogate or one beyond Unicode becomes U+FFFD. */
function codePointText(codePoint: number): string {
	const valid = Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
	return String.fromCodePoint(valid ? codePoint : 0xfffd);
}

function decodeEntities(value: string): string {
	return value.replace(/&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,9})|([a-zA-Z]+));/g, (entity: string, hex?: string, decimal?: string, name?: string) => {
		if (hex !== undefined) return codePointText(Number.parseInt(hex, 16));
		if (decimal !== undefined) return codePointText(Number(decimal));
		return NAMED_ENTITIES[name!.toLowerCase()] ?? entity;
	});
}

/**
 * Where lazy-loading scripts keep an image's real address while `src` holds a placeholder:
 * lazysizes and vanilla-lazyload `data-src` / `data-srcset`, Lazy Load by WP Rocket `data-lazy-src` /
 * `data-lazy-srcset` (its first versions `data-lazy-original`), jQuery Lazy Load `data-original`.
 */
const LAZY_SOURCE_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-lazy-original', 'data-original'];
/** Candidate lists of responsive images; WeChat shows an article's `src`, so they are taken out. */
const SRCSET_ATTRIBUTES = ['srcset', 'data-srcset', 'data-lazy-srcset', 'sizes', 'data-sizes'];

function attributeValue(tag: StartTag, name: string): string | undefined {
	const value = tag.attributes.find((attribute) => attribute.name === name)?.value?.trim();
	return value === '' ? undefined : value;
}

/** The largest candidate of a srcset (by its `w` or `x` descriptor; the first of equals). */
function largestCandidate(srcset: string): string | undefined {
	let best: { url: string; size: number } | undefined;
	for (const candidate of srcset.split(/,(?=\s*[^\s,])/)) {
		const [url, descriptor] = candidate.trim().split(/\s+/);
		if (!url) continue;
		const size = Number.parseFloat(descriptor ?? '1') || 1;
		if (best === undefined || size > best.size) best = { url, size };
	}
	return best?.url;
}

/** The image an <img> shows once its page has loaded: a lazy-loading attribute's over `src`, else `src`, else the largest srcset candidate. */
function imageOf(tag: StartTag): string | undefined {
	for (const name of LAZY_SOURCE_ATTRIBUTES) {
		const value = attributeValue(tag, name);
		if (value !== undefined) return value;
	}
	const src = attributeValue(tag, 'src');
	if (src !== undefined) return src;
	for (const name of ['srcset', 'data-srcset', 'data-lazy-srcset']) {
		const value = attributeValue(tag, name);
		if (value !== undefined) return largestCandidate(value);
	}
	return undefined;
}

/** A protocol-relative address (`//host/path`), common in CMS output, is read as https. */
export function absoluteImageUrl(src: string): string {
	return src.startsWith('//') ? `https:${src}` : src;
}

/** `media/uploadimg` answers URLs on mmbiz.qpic.cn; WeChat's editor also uses other qpic.cn / qlogo.cn hosts. */
export function isWeChatHostedImage(src: string): boolean {
	try {
		// A value with an entity left undecoded (&sol;...) is read by browsers as another address.
		if (src.includes('&')) return false;
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
