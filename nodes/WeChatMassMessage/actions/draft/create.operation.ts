import { createHash } from 'crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { absoluteImageUrl, sniffImageFormat, withInlineImagesAsHosted } from '../../helpers/articleHtml';
import { addOutputHint, asNodeError, checkEachItem, runEachChecked } from '../../helpers/items';
import {
	ARTICLE_IMAGE_RULE,
	DRAFT_LIMITS,
	MAX_ARTICLES,
	PERMANENT_MEDIA_RULES,
	buildDraftAddBody,
	describeRule,
	draftArticleProblem,
	formatSize,
	type DraftArticleValues,
} from '../../helpers/mediaPayloads';
import type { AddMaterialResponse, DraftAddResponse } from '../../helpers/mediaTypes';
import { inputError, textOf } from '../../helpers/validation';
import { readLocatorValue } from '../versions';
import { weChatApiRequest } from '../../transport';
import { downloadFile } from '../../transport/download';
import type { MultipartFile } from '../../transport/multipart';
import { articleLinkAndCommentFields, permanentImageLocator } from '../common.descriptions';
import { readBinaryFile } from '../media/binaryFile';
import {
	type HostedImage,
	type HostingCache,
	type ImageAddressPolicy,
	ImageHostingError,
	type LeftOutImage,
	type UnhostableImages,
	IMAGE_ACCEPT,
	describeImageFormat,
	hostArticleImages,
	imagesWeChatWouldDrop,
} from './hostArticleImages';

const show = { resource: ['draft'], operation: ['create'] };
const BEFORE_VERSION_4 = { '@version': [{ _cnd: { lt: 4 } }] };
const FROM_VERSION_4 = { '@version': [{ _cnd: { gte: 4 } }] };
const otherRules = `Author: at most ${DRAFT_LIMITS.author} characters; Summary: at most ${DRAFT_LIMITS.digest}.`;

export const description: INodeProperties[] = [
	{
		// A notice, not only hints: n8n hides a field's hint while the field holds an expression.
		displayName: `Each article needs a title (at most ${DRAFT_LIMITS.title} characters), HTML content and a cover: exactly one of Cover Image URL (downloaded and uploaded for you), Cover Image Binary Field (an image from the input, uploaded for you) and Cover from Material Library (an image the account already has). ${otherRules}`,
		name: 'articleRulesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, ...FROM_VERSION_4 } },
	},
	{
		displayName: `Each article needs a title (at most ${DRAFT_LIMITS.title} characters), HTML content and a cover: exactly one of Cover Image Binary Field (an image from the input, uploaded for you) and Cover Media ID (an image from Media > Upload Permanent). ${otherRules}`,
		name: 'articleRulesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, ...BEFORE_VERSION_4 } },
	},
	{
		displayName: 'Articles',
		name: 'articles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Article',
		default: {},
		required: true,
		description: `The draft's articles, 1 to ${MAX_ARTICLES}, in the order followers see them: the first is the large headline card`,
		displayOptions: { show },
		options: [
			{
				displayName: 'Article',
				name: 'article',
				values: [
					{
						displayName: 'Author',
						name: 'author',
						type: 'string',
						default: '',
						description: 'Shown under the title. Leave empty for none.',
						hint: `At most ${DRAFT_LIMITS.author} characters`,
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 8 },
						default: '',
						required: true,
						description: 'The article body as HTML. Images are hosted on WeChat for you (see Options); WeChat removes scripts.',
						hint: `Fewer than ${DRAFT_LIMITS.contentChars.toLocaleString('en-US')} characters and under ${DRAFT_LIMITS.contentBytes / (1024 * 1024)} MB`,
					},
					{
						...permanentImageLocator({
							displayName: 'Cover from Material Library',
							name: 'coverImage',
							description: 'An image the account already has as permanent material (Media > Upload Permanent, or the console\'s material library): pick it, or give its media ID',
							hint: 'Exactly one of this, Cover Image URL and Cover Image Binary Field',
						}),
						displayOptions: { show: FROM_VERSION_4 },
					},
					{
						displayName: 'Cover Image Binary Field',
						name: 'coverBinaryField',
						type: 'string',
						default: '',
						placeholder: 'e.g. data',
						description: 'The input binary field holding the cover image. It is uploaded for you as permanent material.',
						hint: `Exactly one cover field; ${describeRule(PERMANENT_MEDIA_RULES.image)}`,
					},
					{
						displayName: 'Cover Image URL',
						name: 'coverImageUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://blog.example.com/images/cover.jpg',
						description:
							'The address of the cover image. It is downloaded as the content\'s images are (see Options: Image Addresses, Image Download Time Limit) and uploaded for you as permanent material.',
						hint: `Exactly one cover field; ${describeRule(PERMANENT_MEDIA_RULES.image)}`,
						displayOptions: { show: FROM_VERSION_4 },
					},
					{
						displayName: 'Cover Media ID',
						name: 'coverMediaId',
						type: 'string',
						default: '',
						description: 'The media ID of an image from Media > Upload Permanent, when the cover is not given as binary data',
						hint: 'Exactly one of this and Cover Image Binary Field',
						displayOptions: { show: BEFORE_VERSION_4 },
					},
					{
						displayName: 'Summary',
						name: 'digest',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'The text under the title in the chat. Only a single-article message shows it; when empty, WeChat uses the start of the content.',
						hint: `At most ${DRAFT_LIMITS.digest} characters`,
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						description: 'The headline',
						hint: `At most ${DRAFT_LIMITS.title} characters`,
					},
					...articleLinkAndCommentFields,
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Allowed Private Hosts',
				name: 'allowedPrivateHosts',
				type: 'string',
				default: '',
				placeholder: 'e.g. cms.intranet.local, 192.168.1.20',
				description: 'With Public Addresses Only: host names or addresses on your own network that images may come from all the same, separated by commas',
			},
			{
				displayName: 'Host Images in Content',
				name: 'hostImages',
				type: 'boolean',
				default: true,
				description:
					'Whether to download every image of the HTML that is not on WeChat\'s image host (JPG or PNG, at most 1 MB: of an image with several sizes, the largest that fits) and upload it to WeChat, rewriting its src. WeChat drops images from other hosts.',
			},
			{
				displayName: 'If an Image Cannot Be Hosted',
				name: 'unhostableImages',
				type: 'options',
				default: 'leaveOut',
				options: [
					{
						name: 'Leave It Out and List It',
						value: 'leaveOut',
						description: 'The draft is created without it; imagesLeftOut in the output names each such image and why',
					},
					{ name: 'Fail the Item', value: 'fail', description: 'No draft is created for the item; the error names the article, the image and why' },
				],
				description:
					'What to do with an image none of whose sizes WeChat can host (not JPG or PNG, over 1 MB, or not downloadable). Emoji images become their emoji as text. Nodes added before this option fail the item unless it is set.',
			},
			{
				displayName: 'Image Addresses',
				name: 'imageAddresses',
				type: 'options',
				default: 'publicOnly',
				options: [
					{
						name: 'Public Addresses Only',
						value: 'publicOnly',
						description: 'Images on loopback, private or link-local addresses (this machine, the office network, cloud metadata) are refused, also after a redirect, unless listed in Allowed Private Hosts',
					},
					{ name: 'Any Address', value: 'any', description: 'Images are downloaded from wherever the HTML points, this machine\'s own networks included' },
				],
				description: 'Which addresses images may be downloaded from, for HTML written by people you may not trust. Nodes added before this option download from any address unless it is set.',
			},
			{
				displayName: 'Image Download Time Limit (Seconds)',
				name: 'imageTimeLimitSeconds',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description: 'How long one image\'s download may take from the first request to the last byte, redirects included; all images of one item together, covers given by URL included, take at most four times as long',
			},
		],
	},
];

/** Where Draft: Create may download an article's images from, and how long it may take. */
function readImageAddressPolicy(this: IExecuteFunctions, options: IDataObject): ImageAddressPolicy {
	const chosen = options.imageAddresses ?? (this.getNode().typeVersion >= 3 ? 'publicOnly' : 'any');
	const imageTimeLimitMs = (typeof options.imageTimeLimitSeconds === 'number' && options.imageTimeLimitSeconds > 0 ? options.imageTimeLimitSeconds : 30) * 1000;
	if (chosen === 'any') return { anyAddress: true, allowedPrivateHosts: new Set(), imageTimeLimitMs };
	const hosts = String(options.allowedPrivateHosts ?? '')
		.split(/[\s,;]+/)
		.map((host) => host.trim().toLowerCase().replace(/^\[|\]$/g, ''))
		.filter((host) => host !== '');
	return { anyAddress: false, allowedPrivateHosts: new Set(hosts), imageTimeLimitMs };
}

interface ArticleInput {
	values: Omit<DraftArticleValues, 'coverMediaId'>;
	cover: { binaryField: string } | { mediaId: string } | { url: string };
}

interface PreparedDraft {
	itemIndex: number;
	articles: ArticleInput[];
	hostImages: boolean;
	imageAddresses: ImageAddressPolicy;
	unhostableImages: UnhostableImages;
}

/** A draft whose binary cover files are read and checked: one entry per article, undefined for a cover given by media ID or URL. */
interface ReadyDraft extends PreparedDraft {
	coverFiles: Array<MultipartFile | undefined>;
}

const field = (article: number, name: string) => `Articles > Article ${article} > ${name}`;

/**
 * An article's cover: exactly one of a binary field, an address (version 4) and a permanent image
 * (picked from the material library in version 4, a Cover Media ID before).
 */
function readCover(this: IExecuteFunctions, itemIndex: number, article: number, entry: IDataObject): ArticleInput['cover'] {
	const latest = this.getNode().typeVersion >= 4;
	const binaryField = textOf(entry.coverBinaryField).trim();
	const url = latest ? textOf(entry.coverImageUrl).trim() : '';
	const mediaId = latest ? readLocatorValue(entry.coverImage) : textOf(entry.coverMediaId).trim();
	const given = [binaryField && 'Cover Image Binary Field', url && 'Cover Image URL', mediaId && (latest ? 'Cover from Material Library' : 'Cover Media ID')].filter(Boolean);
	if (given.length !== 1) {
		const problem = latest
			? given.length === 0
				? 'give a Cover Image URL or a Cover Image Binary Field (uploaded for you as permanent material), or pick a Cover from Material Library'
				: `give one cover, not ${given.join(' and ')}`
			: binaryField === ''
				? 'give a Cover Image Binary Field (uploaded for you as permanent material) or a Cover Media ID from Media > Upload Permanent'
				: 'give either a Cover Image Binary Field or a Cover Media ID, not both';
		throw inputError.call(this, itemIndex, field(article, 'Cover'), problem);
	}
	if (url !== '') {
		const address = absoluteImageUrl(url);
		if (!/^https?:\/\/\S+$/i.test(address)) throw inputError.call(this, itemIndex, field(article, 'Cover Image URL'), `"${url}" is not a full http or https address`);
		return { url: address };
	}
	return binaryField !== '' ? { binaryField } : { mediaId };
}

/**
 * A cover given by address: downloaded as the content's images are (Image Addresses, the time limit,
 * JPEG or PNG asked for) and taken only when its bytes are an image WeChat keeps as permanent material,
 * whatever type its server claims.
 */
async function downloadCover(this: IExecuteFunctions, draft: PreparedDraft, article: number, url: string, deadline: number): Promise<MultipartFile> {
	const rule = PERMANENT_MEDIA_RULES.image;
	const { imageAddresses: policy } = draft;
	const refused = (problem: string) => inputError.call(this, draft.itemIndex, field(article, 'Cover Image URL'), `the image ${url} could not be used as the cover: ${problem}`);
	const download = await downloadFile(this, url, {
		maxBytes: rule.maxBytes,
		deadline: Math.min(deadline, Date.now() + policy.imageTimeLimitMs),
		anyAddress: policy.anyAddress,
		allowedPrivateHosts: policy.allowedPrivateHosts,
		accept: IMAGE_ACCEPT,
	});
	if (!download.ok) {
		if ('problem' in download) throw refused(download.problem);
		throw refused(`it is ${download.bytes === undefined ? `over ${formatSize(rule.maxBytes)}` : formatSize(download.bytes)}; WeChat takes cover images up to ${formatSize(rule.maxBytes)}`);
	}
	const format = sniffImageFormat(download.data);
	const accepted = format === undefined ? undefined : rule.formats.find((candidate) => candidate.extensions.includes(format));
	if (format === undefined || accepted === undefined) {
		throw refused(`it is ${describeImageFormat(format, download.contentType)}; WeChat takes ${rule.formatNames} images as covers`);
	}
	return { fieldName: 'media', fileName: `cover.${format}`, contentType: accepted.mimeTypes[0], data: download.data };
}

function prepare(this: IExecuteFunctions, itemIndex: number): PreparedDraft {
	const entries = this.getNodeParameter('articles.article', itemIndex, []) as IDataObject[];
	if (!Array.isArray(entries) || entries.length === 0) {
		throw inputError.call(this, itemIndex, 'Articles', `add at least one article (WeChat takes 1 to ${MAX_ARTICLES})`);
	}
	if (entries.length > MAX_ARTICLES) {
		throw inputError.call(this, itemIndex, 'Articles', `WeChat takes at most ${MAX_ARTICLES} articles per draft, got ${entries.length}`);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const hostImages = options.hostImages !== false;
	const articles = entries.map((entry, index): ArticleInput => {
		const number = index + 1;
		const values: ArticleInput['values'] = {
			title: textOf(entry.title).trim(),
			content: textOf(entry.content),
			author: textOf(entry.author).trim(),
			digest: textOf(entry.digest),
			contentSourceUrl: textOf(entry.contentSourceUrl),
			openComments: entry.openComments === true,
			onlyFollowersCanComment: entry.onlyFollowersCanComment === true,
		};
		if (values.title === '') throw inputError.call(this, itemIndex, field(number, 'Title'), 'is required');
		if (values.content.trim() === '') throw inputError.call(this, itemIndex, field(number, 'Content'), 'is required');
		// Inline images count as the WeChat addresses they become; the hosted content is measured again.
		const tooLong = draftArticleProblem(hostImages ? { ...values, content: withInlineImagesAsHosted(values.content) } : values);
		if (tooLong) throw inputError.call(this, itemIndex, field(number, tooLong.field), tooLong.problem);

		return { values, cover: readCover.call(this, itemIndex, number, entry) };
	});
	const unhostableImages = options.unhostableImages ?? (this.getNode().typeVersion >= 4 ? 'leaveOut' : 'fail');
	if (unhostableImages !== 'leaveOut' && unhostableImages !== 'fail') {
		throw inputError.call(this, itemIndex, 'Options > If an Image Cannot Be Hosted', `must be leaveOut or fail, got ${JSON.stringify(unhostableImages)}`);
	}
	return { itemIndex, articles, hostImages, imageAddresses: readImageAddressPolicy.call(this, options), unhostableImages };
}

/** What one execution shares between its items: each image URL and each cover file is uploaded once. */
interface UploadCaches {
	images: HostingCache;
	covers: Map<string, Promise<AddMaterialResponse>>;
}

interface UploadedCover {
	article: number;
	media_id: string;
	url?: string;
	/** For a cover given by address. */
	sourceUrl?: string;
}

async function readCoverFiles(this: IExecuteFunctions, draft: PreparedDraft): Promise<ReadyDraft> {
	const coverFiles: ReadyDraft['coverFiles'] = [];
	for (const [index, { cover }] of draft.articles.entries()) {
		coverFiles.push(
			'binaryField' in cover
				? await readBinaryFile.call(this, draft.itemIndex, cover.binaryField, field(index + 1, 'Cover Image Binary Field'), PERMANENT_MEDIA_RULES.image, 'cover')
				: undefined,
		);
	}
	return { ...draft, coverFiles };
}

async function createDraft(this: IExecuteFunctions, draft: ReadyDraft, caches: UploadCaches): Promise<IDataObject> {
	const { itemIndex } = draft;
	// Every download of the item, covers and content images together, ends within four time limits.
	const itemDeadline = Date.now() + 4 * draft.imageAddresses.imageTimeLimitMs;
	// Covers by address first: a download that fails leaves nothing uploaded for the item.
	const coverFiles = [...draft.coverFiles];
	const coversByUrl = new Map<string, MultipartFile>();
	for (const [index, { cover }] of draft.articles.entries()) {
		if (!('url' in cover)) continue;
		const file = coversByUrl.get(cover.url) ?? (await downloadCover.call(this, draft, index + 1, cover.url, itemDeadline));
		coversByUrl.set(cover.url, file);
		coverFiles[index] = file;
	}

	const hostedImages: HostedImage[] = [];
	const imagesLeftOut: LeftOutImage[] = [];
	const contents: string[] = [];
	const hosting = { policy: draft.imageAddresses, itemDeadline, unhostable: draft.unhostableImages };
	for (const [index, { values }] of draft.articles.entries()) {
		if (!draft.hostImages) {
			contents.push(values.content);
			const dropped = imagesWeChatWouldDrop(values.content);
			if (dropped.length > 0) {
				addOutputHint(
					this,
					`Article ${index + 1} of item ${itemIndex + 1}: WeChat drops ${dropped.length} image(s) that are not on its image host. Turn on Host Images in Content to keep them.`,
				);
			}
			continue;
		}
		try {
			const hosted = await hostArticleImages(this, values.content, index + 1, caches.images, itemIndex, hosting);
			if (hosted.html.trim() === '') {
				const leftOut = hosted.leftOut.map(({ url, reason }) => `${url}: ${reason}`).join('; ');
				throw inputError.call(this, itemIndex, field(index + 1, 'Content'), `nothing is left of it once the images WeChat cannot host are left out (${leftOut})`);
			}
			const tooLong = draftArticleProblem({ ...values, content: hosted.html });
			if (tooLong) throw inputError.call(this, itemIndex, field(index + 1, tooLong.field), `${tooLong.problem} after hosting its images`);
			contents.push(hosted.html);
			hostedImages.push(...hosted.hosted);
			imagesLeftOut.push(...hosted.leftOut);
		} catch (error) {
			if (!(error instanceof ImageHostingError)) throw asNodeError(this, error, itemIndex);
			const refused = inputError.call(this, itemIndex, field(error.article, 'Content'), error.message);
			refused.description = `Put a JPG or PNG of at most ${ARTICLE_IMAGE_RULE.maxBytes / (1024 * 1024)} MB at that address, or set Options > If an Image Cannot Be Hosted to Leave It Out and List It to create the draft without it.`;
			throw refused;
		}
	}
	if (imagesLeftOut.length > 0) {
		addOutputHint(
			this,
			`Item ${itemIndex + 1}: ${imagesLeftOut.length} image(s) WeChat cannot host were left out of the draft; imagesLeftOut in the output names each and why.`,
		);
	}

	const uploadedCovers: UploadedCover[] = [];
	const articles: DraftArticleValues[] = [];
	for (const [index, { values, cover }] of draft.articles.entries()) {
		const file = coverFiles[index];
		let coverMediaId = 'mediaId' in cover ? cover.mediaId : '';
		if (file) {
			const key = createHash('sha256').update(file.data).digest('hex');
			let upload = caches.covers.get(key);
			if (!upload) {
				upload = weChatApiRequest<AddMaterialResponse>(
					this,
					// Adds to the material library: never repeated blindly.
					{ method: 'POST', path: '/cgi-bin/material/add_material', qs: { type: 'image' }, file, idempotent: false },
					itemIndex,
				);
				caches.covers.set(key, upload);
				// A refused upload is tried again by the next item with the same cover, not refused for it too.
				upload.catch(() => caches.covers.delete(key));
			}
			const uploaded = await upload;
			coverMediaId = uploaded.media_id;
			uploadedCovers.push({ article: index + 1, media_id: uploaded.media_id, ...(uploaded.url ? { url: uploaded.url } : {}), ...('url' in cover ? { sourceUrl: cover.url } : {}) });
		}
		articles.push({ ...values, content: contents[index], coverMediaId });
	}

	const result = await weChatApiRequest<DraftAddResponse>(
		this,
		// Each call adds another draft.
		{ method: 'POST', path: '/cgi-bin/draft/add', body: buildDraftAddBody(articles), idempotent: false },
		itemIndex,
	);
	return {
		...result,
		articleCount: articles.length,
		hostedImages: hostedImages as unknown as IDataObject[],
		imagesLeftOut: imagesLeftOut as unknown as IDataObject[],
		uploadedCovers: uploadedCovers as unknown as IDataObject[],
	};
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	// Every item, its cover files too, is read and checked before the first upload.
	const checked = await checkEachItem(this, items, async (itemIndex) => await readCoverFiles.call(this, prepare.call(this, itemIndex)));
	const caches: UploadCaches = { images: new Map(), covers: new Map() };
	return await runEachChecked(this, checked, async (draft) => await createDraft.call(this, draft, caches));
}
