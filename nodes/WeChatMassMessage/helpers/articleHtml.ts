// An article's HTML as WeChat treats it: only images on WeChat's own image host survive `draft/add`
// ("涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤",
// https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add). Nothing here knows about n8n.

const IMG_SRC = /(<img\b[^>]*?\ssrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

/** `media/uploadimg` answers URLs on mmbiz.qpic.cn; WeChat's editor also uses other qpic.cn / qlogo.cn hosts. */
export function isWeChatHostedImage(src: string): boolean {
	try {
		const { hostname } = new URL(src);
		return /(^|\.)(qpic\.cn|qlogo\.cn)$/i.test(hostname);
	} catch {
		return false;
	}
}

function decodeAttribute(value: string): string {
	return value.replace(/&amp;/g, '&').trim();
}

/** Every distinct `<img src>` in `html`, in order of appearance, with `&amp;` decoded. */
export function imageSources(html: string): string[] {
	const sources = new Set<string>();
	for (const match of html.matchAll(IMG_SRC)) sources.add(decodeAttribute(match[2] ?? match[3] ?? match[4] ?? ''));
	sources.delete('');
	return [...sources];
}

/** `html` with each `<img src>` found in `replacements` pointing at its replacement; the rest untouched. */
export function replaceImageSources(html: string, replacements: ReadonlyMap<string, string>): string {
	return html.replace(IMG_SRC, (whole, prefix: string, double?: string, single?: string, bare?: string) => {
		const replacement = replacements.get(decodeAttribute(double ?? single ?? bare ?? ''));
		return replacement === undefined ? whole : `${prefix}"${replacement.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
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
