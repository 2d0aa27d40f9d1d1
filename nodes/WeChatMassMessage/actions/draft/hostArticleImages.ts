// Hosting an article's images on WeChat before `draft/add`, which drops every <img> not on WeChat's
// image host. Each source URL is downloaded and uploaded (`media/uploadimg`) once per execution, once it succeeds.
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	type ImageFormat,
	absoluteImageUrl,
	dataUrlBytes,
	imageSources,
	isWeChatHostedImage,
	replaceImageSources,
	sniffImageFormat,
} from '../../helpers/articleHtml';
import { ARTICLE_IMAGE_RULE, formatSize } from '../../helpers/mediaPayloads';
import { type Download, downloadFile } from '../../transport/download';
import { uploadArticleImage } from '../media/uploadArticleImage.operation';

export interface HostedImage {
	/** 1-based, as the user counts articles. */
	article: number;
	/** The src as written (a `data:` address shortened to its type and size). */
	sourceUrl: string;
	url: string;
}

type Hosting = { ok: true; url: string } | { ok: false; problem: string };

/** Where images may be downloaded from and how long one may take (Draft: Create's options). */
export interface ImageAddressPolicy {
	anyAddress: boolean;
	allowedPrivateHosts: ReadonlySet<string>;
	imageTimeLimitMs: number;
}

interface HostingLimits {
	policy: ImageAddressPolicy;
	itemDeadline: number;
}

/** Source URL and the addresses its item may download from → where WeChat hosts it; shared by the items of one execution. */
export type HostingCache = Map<string, Promise<Hosting>>;

/** Whether WeChat hosts an image of this format in an article: the formats of Upload Image for Article. */
function hostedFormat(format: ImageFormat | undefined): boolean {
	return format !== undefined && ARTICLE_IMAGE_RULE.formats.some((accepted) => accepted.extensions.includes(format));
}

/** An image of the article that cannot be hosted: the message names it, the caller names the article. */
export class ImageHostingError extends Error {
	constructor(
		readonly article: number,
		sourceUrl: string,
		problem: string,
	) {
		super(`the image ${describeSource(sourceUrl)} could not be hosted on WeChat: ${problem}`);
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
	limits: HostingLimits,
): Promise<{ html: string; hosted: HostedImage[] }> {
	const replacements = new Map<string, string>();
	const hosted: HostedImage[] = [];
	for (const sourceUrl of imagesWeChatWouldDrop(html)) {
		// An image hosted for an item allowed its private host is no image for an item not allowed it.
		const key = JSON.stringify([sourceUrl, limits.policy.anyAddress, [...limits.policy.allowedPrivateHosts].sort()]);
		let hosting = cache.get(key);
		if (!hosting) {
			hosting = hostImage(ctx, sourceUrl, itemIndex, limits);
			cache.set(key, hosting);
		}
		// Only a hosted image is shared with later items: a failed download or upload is tried again by the next item that has it.
		const forget = (failed: Promise<Hosting>) => cache.get(key) === failed && cache.delete(key);
		const result = await hosting.catch((error: unknown) => {
			forget(hosting!);
			throw error;
		});
		if (!result.ok) {
			forget(hosting);
			throw new ImageHostingError(article, sourceUrl, result.problem);
		}
		replacements.set(sourceUrl, result.url);
		hosted.push({ article, sourceUrl: describeSource(sourceUrl), url: result.url });
	}
	return { html: replaceImageSources(html, replacements), hosted };
}

/** The bytes of an image written inline (`data:`) or at an absolute http(s) address. */
async function fetchImage(ctx: IExecuteFunctions, src: string, limits: HostingLimits): Promise<Download> {
	const inline = dataUrlBytes(src);
	if (inline) return { ok: true, data: inline, contentType: /^data:([^;,]*)/i.exec(src)?.[1] ?? '' };
	const url = absoluteImageUrl(src);
	if (!/^https?:\/\//i.test(url)) return { ok: false, problem: 'it is not a full http or https address; write the image\'s whole URL in the HTML' };
	const deadline = Math.min(Date.now() + limits.policy.imageTimeLimitMs, limits.itemDeadline);
	return await downloadFile(ctx, url, { maxBytes: ARTICLE_IMAGE_RULE.maxBytes, deadline, anyAddress: limits.policy.anyAddress, allowedPrivateHosts: limits.policy.allowedPrivateHosts });
}

/**
 * Downloads, checks and uploads one image. WeChat's own refusals of the upload (a spent quota, a
 * token that cannot be had) are thrown as they are, with their errcode; only problems of the image
 * itself come back as a problem.
 */
async function hostImage(ctx: IExecuteFunctions, src: string, itemIndex: number, limits: HostingLimits): Promise<Hosting> {
	const image = await fetchImage(ctx, src, limits);
	if (!image.ok) {
		if ('problem' in image) return image;
		const size = image.bytes === undefined ? `over ${formatSize(ARTICLE_IMAGE_RULE.maxBytes)} (reading stopped there)` : formatSize(image.bytes);
		return { ok: false, problem: `it is ${size}; WeChat hosts article images up to ${formatSize(ARTICLE_IMAGE_RULE.maxBytes)}` };
	}
	const format = sniffImageFormat(image.data);
	if (!hostedFormat(format)) {
		const found = format === undefined ? `not an image (${image.contentType || 'unknown type'})` : `a ${format.toUpperCase()}`;
		return { ok: false, problem: `it is ${found}; WeChat hosts only ${ARTICLE_IMAGE_RULE.formatNames} images in articles` };
	}
	if (image.data.length > ARTICLE_IMAGE_RULE.maxBytes) {
		return { ok: false, problem: `it is ${formatSize(image.data.length)}; WeChat hosts article images up to ${formatSize(ARTICLE_IMAGE_RULE.maxBytes)}` };
	}
	const file = { fieldName: 'media', fileName: `image.${format}`, contentType: format === 'png' ? 'image/png' : 'image/jpeg', data: image.data };
	const { url } = await uploadArticleImage(ctx, file, itemIndex);
	return { ok: true, url };
}

/** How an image's src is named in output and errors: a long `data:` address only by its type and size. */
function describeSource(src: string): string {
	const inline = dataUrlBytes(src);
	if (inline) return `${/^data:[^,;]*/i.exec(src)?.[0] ?? 'data:'} (${inline.length.toLocaleString('en-US')} bytes, inline)`;
	return src.length > 200 ? `${src.slice(0, 200)}…` : src;
}
