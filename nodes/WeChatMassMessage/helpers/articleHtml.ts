// An article's HTML as WeChat treats it: only images on WeChat's own image host survive `draft/add`
// ("涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤",
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add). Nothing here knows about n8n.

/** An <img> tag: attributes with quoted values may hold ">" and "src=" without ending or misleading it. */
const IMG_TAG = /<img\b((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

interface SrcAttribute {
	/** Where the whole `src=...` attribute starts and ends inside the tag's attribute text. */
	start: number;
	end: number;
	value: string;
}

function findSrc(attributes: string): SrcAttribute | undefined {
	for (const match of attributes.matchAll(ATTRIBUTE)) {
		if (match[1].toLowerCase() !== 'src') continue;
		const raw = match[2] ?? match[3] ?? match[4];
		if (raw === undefined) return undefined;
		return { start: match.index ?? 0, end: (match.index ?? 0) + match[0].length, value: decodeEntities(raw).trim() };
	}
	return undefined;
}

function decodeEntities(value: string): string {
	return value
		.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** A protocol-relative address (`//host/path`), common in CMS output, is read as https. */
export function absoluteImageUrl(src: string): string {
	return src.startsWith('//') ? `https:${src}` : src;
}

/** `media/uploadimg` answers URLs on mmbiz.qpic.cn; WeChat's editor also uses other qpic.cn / qlogo.cn hosts. */
export function isWeChatHostedImage(src: string): boolean {
	try {
		const { hostname } = new URL(absoluteImageUrl(src));
		return /(^|\.)(qpic\.cn|qlogo\.cn)$/i.test(hostname);
	} catch {
		return false;
	}
}

/** Every distinct `<img src>` in `html`, in order of appearance, with HTML entities decoded. */
export function imageSources(html: string): string[] {
	const sources = new Set<string>();
	for (const match of html.matchAll(IMG_TAG)) {
		const src = findSrc(match[1])?.value;
		if (src) sources.add(src);
	}
	return [...sources];
}

/** `html` with each `<img src>` found in `replacements` pointing at its replacement; the rest untouched. */
export function replaceImageSources(html: string, replacements: ReadonlyMap<string, string>): string {
	return html.replace(IMG_TAG, (tag: string, attributes: string) => {
		const src = findSrc(attributes);
		const replacement = src && replacements.get(src.value);
		if (!src || replacement === undefined) return tag;
		const encoded = replacement.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
		const rewritten = `${attributes.slice(0, src.start)}src="${encoded}"${attributes.slice(src.end)}`;
		return `<img${rewritten}${tag.slice(4 + attributes.length)}`;
	});
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
