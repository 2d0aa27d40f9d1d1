// Hosting an article's images on WeChat before `draft/add`, which drops every <img> not on WeChat's
// image host. Each address is downloaded and uploaded (`media/uploadimg`) once per execution, once it succeeds.
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	type ArticleImage,
	type ImageFormat,
	absoluteImageUrl,
	articleImages,
	dataUrlBytes,
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
	/** The address downloaded (a `data:` address shortened to its type and size). */
	sourceUrl: string;
	url: string;
}

/** An image the draft was made without, and why. */
export interface LeftOutImage {
	article: number;
	/** The image's address in the HTML, shortened. */
	url: string;
	reason: string;
}

/** What Draft: Create does with an image WeChat cannot host (its option If an Image Cannot Be Hosted). */
export type UnhostableImages = 'fail' | 'leaveOut';

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
	unhostable: UnhostableImages;
}

/** Address and the addresses its item may download from → where WeChat hosts it; shared by the items of one execution. */
export type HostingCache = Map<string, Promise<Hosting>>;

/**
 * What image servers are asked for: the formats WeChat hosts. Image CDNs that pick the format by the
 * request's Accept header (Cloudflare Polish and Images, Jetpack's Photon, Shopify, Cloudinary's
 * f_auto, imgix's auto=format) then send JPEG or PNG instead of WebP or AVIF.
 */
export const IMAGE_ACCEPT = 'image/jpeg, image/png';

const FORMAT_NAMES: Readonly<Record<ImageFormat, string>> = { jpg: 'a JPG', png: 'a PNG', gif: 'a GIF', bmp: 'a BMP', webp: 'a WebP', avif: 'an AVIF', svg: 'an SVG' };

/** What a downloaded file is, by its bytes first: "a WebP", "an image of type image/heic", "not an image (text/html)". */
export function describeImageFormat(format: ImageFormat | undefined, contentType: string): string {
	if (format !== undefined) return FORMAT_NAMES[format];
	return contentType.startsWith('image/') ? `an image of type ${contentType}` : `not an image (${contentType || 'unknown type'})`;
}

/** Whether WeChat hosts an image of this format in an article: the formats of Upload Image for Article. */
function hostedFormat(format: ImageFormat | undefined): boolean {
	return format !== undefined && ARTICLE_IMAGE_RULE.formats.some((accepted) => accepted.extensions.includes(format));
}

/** An image of the article that cannot be hosted: the message names it, the caller names the item and the article. */
export class ImageHostingError extends Error {
	constructor(
		readonly article: number,
		sourceUrl: string,
		problem: string,
	) {
		super(`the image ${describeSource(sourceUrl)} could not be hosted on WeChat: ${problem}`);
	}
}

/** The images of `html` that WeChat would drop; emoji are not counted, they become text. */
export function imagesWeChatWouldDrop(html: string): ArticleImage[] {
	return articleImages(html).filter((image) => image.emoji === undefined && !isWeChatHostedImage(image.source));
}

/**
 * `html` with every image hosted by WeChat, each from the first of its addresses that WeChat can host,
 * and every emoji image as its emoji. An image none of whose addresses can be hosted throws an
 * ImageHostingError naming the article and the address, or is left out and listed, as `limits` says.
 */
export async function hostArticleImages(
	ctx: IExecuteFunctions,
	html: string,
	article: number,
	cache: HostingCache,
	itemIndex: number,
	limits: HostingLimits,
): Promise<{ html: string; hosted: HostedImage[]; leftOut: LeftOutImage[] }> {
	const replacements = new Map<string, string>();
	const hosted: HostedImage[] = [];
	const leftOut: LeftOutImage[] = [];
	const leftOutSources = new Set<string>();
	for (const image of imagesWeChatWouldDrop(html)) {
		const problems: Array<{ url: string; problem: string }> = [];
		for (const url of image.candidates) {
			const result = await hostOnce(ctx, url, cache, itemIndex, limits);
			if (result.ok) {
				replacements.set(image.source, result.url);
				hosted.push({ article, sourceUrl: describeSource(url), url: result.url });
				break;
			}
			problems.push({ url, problem: result.problem });
		}
		if (replacements.has(image.source)) continue;
		const reason = combinedProblem(problems);
		if (limits.unhostable === 'fail') throw new ImageHostingError(article, image.source, reason);
		leftOutSources.add(image.source);
		leftOut.push({ article, url: describeSource(image.source), reason });
	}
	return { html: replaceImageSources(html, replacements, leftOutSources), hosted, leftOut };
}

/** The first address's problem, and the other addresses' in brief: an image with sizes tried names them. */
function combinedProblem(problems: Array<{ url: string; problem: string }>): string {
	const [first, ...others] = problems;
	if (others.length === 0) return first.problem;
	const shown = others.slice(0, 3).map(({ url, problem }) => `${describeSource(url)}: ${problem.replace(/;.*$/, '')}`);
	const more = others.length > 3 ? `; and ${others.length - 3} more` : '';
	return `${first.problem}. Its ${others.length} other size(s) in the HTML could not be hosted either (${shown.join('; ')}${more})`;
}

/** One address hosted, or its problem; a hosted address is shared with the later items of the execution. */
async function hostOnce(ctx: IExecuteFunctions, url: string, cache: HostingCache, itemIndex: number, limits: HostingLimits): Promise<Hosting> {
	// An image hosted for an item allowed its private host is no image for an item not allowed it.
	const key = JSON.stringify([url, limits.policy.anyAddress, [...limits.policy.allowedPrivateHosts].sort()]);
	let hosting = cache.get(key);
	if (!hosting) {
		hosting = hostImage(ctx, url, itemIndex, limits);
		cache.set(key, hosting);
	}
	// Only a hosted image is shared with later items: a failed download or upload is tried again by the next item that has it.
	const forget = (failed: Promise<Hosting>) => cache.get(key) === failed && cache.delete(key);
	const result = await hosting.catch((error: unknown) => {
		forget(hosting);
		throw error;
	});
	if (!result.ok) forget(hosting);
	return result;
}

/** The bytes of an image written inline (`data:`) or at an absolute http(s) address. */
async function fetchImage(ctx: IExecuteFunctions, src: string, limits: HostingLimits): Promise<Download> {
	const inline = dataUrlBytes(src);
	if (inline) return { ok: true, data: inline, contentType: /^data:([^;,]*)/i.exec(src)?.[1] ?? '' };
	const url = absoluteImageUrl(src);
	if (!/^https?:\/\//i.test(url)) return { ok: false, problem: 'it is not a full http or https address; write the image\'s whole URL in the HTML' };
	const deadline = Math.min(Date.now() + limits.policy.imageTimeLimitMs, limits.itemDeadline);
	return await downloadFile(ctx, url, {
		maxBytes: ARTICLE_IMAGE_RULE.maxBytes,
		deadline,
		anyAddress: limits.policy.anyAddress,
		allowedPrivateHosts: limits.policy.allowedPrivateHosts,
		accept: IMAGE_ACCEPT,
	});
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
		return { ok: false, problem: `it is ${describeImageFormat(format, image.contentType)}; WeChat hosts only ${ARTICLE_IMAGE_RULE.formatNames} images in articles` };
	}
	if (image.data.length > ARTICLE_IMAGE_RULE.maxBytes) {
		return { ok: false, problem: `it is ${formatSize(image.data.length)}; WeChat hosts article images up to ${formatSize(ARTICLE_IMAGE_RULE.maxBytes)}` };
	}
	const file = { fieldName: 'media', fileName: `image.${format}`, contentType: format === 'png' ? 'image/png' : 'image/jpeg', data: image.data };
	const { url } = await uploadArticleImage(ctx, file, itemIndex);
	return { ok: true, url };
}

/** How an image's address is named in output and errors: a `data:` address by its type and size, a long one by its start and end. */
function describeSource(src: string): string {
	const inline = dataUrlBytes(src);
	if (inline) return `${/^data:[^,;]*/i.exec(src)?.[0] ?? 'data:'} (${inline.length.toLocaleString('en-US')} bytes, inline)`;
	return src.length > 120 ? `${src.slice(0, 70)}…${src.slice(-45)}` : src;
}
