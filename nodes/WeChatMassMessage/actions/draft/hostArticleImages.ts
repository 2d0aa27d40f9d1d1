// Hosting an article's images on WeChat before `draft/add`, which drops every <img> not on WeChat's
// image host. Each source URL is downloaded and uploaded (`media/uploadimg`) once per execution.
import type { IExecuteFunctions } from 'n8n-workflow';

import { type ImageFormat, imageSources, isWeChatHostedImage, replaceImageSources, sniffImageFormat } from '../../helpers/articleHtml';
import { ARTICLE_IMAGE_RULE, formatSize } from '../../helpers/mediaPayloads';
import { downloadFile } from '../../transport/download';
import { uploadArticleImage } from '../media/uploadArticleImage.operation';

export interface HostedImage {
	/** 1-based, as the user counts articles. */
	article: number;
	sourceUrl: string;
	url: string;
}

type Hosting = { ok: true; url: string } | { ok: false; problem: string };

/** Source URL → where WeChat hosts it; shared by the items of one execution. */
export type HostingCache = Map<string, Promise<Hosting>>;

const HOSTED_FORMATS: ReadonlySet<ImageFormat> = new Set(['jpg', 'png']);

export class ImageHostingError extends Error {
	constructor(
		readonly article: number,
		readonly sourceUrl: string,
		readonly problem: string,
	) {
		super(`the image ${shorten(sourceUrl)} could not be hosted on WeChat: ${problem}`);
	}
}

/** The images of `html` that WeChat would drop. */
export function imagesWeChatWouldDrop(html: string): string[] {
	return imageSources(html).filter((src) => !isWeChatHostedImage(src));
}

/** `html` with every image hosted by WeChat; throws ImageHostingError naming the article and the URL. */
export async function hostArticleImages(
	ctx: IExecuteFunctions,
	html: string,
	article: number,
	cache: HostingCache,
	itemIndex: number,
): Promise<{ html: string; hosted: HostedImage[] }> {
	const replacements = new Map<string, string>();
	const hosted: HostedImage[] = [];
	for (const sourceUrl of imagesWeChatWouldDrop(html)) {
		let hosting = cache.get(sourceUrl);
		if (!hosting) {
			hosting = hostImage(ctx, sourceUrl, itemIndex);
			cache.set(sourceUrl, hosting);
		}
		const result = await hosting;
		if (!result.ok) throw new ImageHostingError(article, sourceUrl, result.problem);
		replacements.set(sourceUrl, result.url);
		hosted.push({ article, sourceUrl, url: result.url });
	}
	return { html: replaceImageSources(html, replacements), hosted };
}

async function hostImage(ctx: IExecuteFunctions, sourceUrl: string, itemIndex: number): Promise<Hosting> {
	const download = await downloadFile(ctx, sourceUrl);
	if (!download.ok) return download;
	const format = sniffImageFormat(download.data);
	if (format === undefined || !HOSTED_FORMATS.has(format)) {
		const found = format === undefined ? `not an image (${download.contentType || 'unknown type'})` : `a ${format.toUpperCase()}`;
		return { ok: false, problem: `it is ${found}; WeChat hosts only ${ARTICLE_IMAGE_RULE.formatNames} images in articles` };
	}
	if (download.data.length > ARTICLE_IMAGE_RULE.maxBytes) {
		return { ok: false, problem: `it is ${formatSize(download.data.length)}; WeChat hosts article images up to ${formatSize(ARTICLE_IMAGE_RULE.maxBytes)}` };
	}
	const file = { fieldName: 'media', fileName: `image.${format}`, contentType: format === 'png' ? 'image/png' : 'image/jpeg', data: download.data };
	try {
		const { url } = await uploadArticleImage(ctx, file, itemIndex);
		return { ok: true, url };
	} catch (error) {
		return { ok: false, problem: error instanceof Error ? error.message : String(error) };
	}
}

function shorten(url: string): string {
	return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}
