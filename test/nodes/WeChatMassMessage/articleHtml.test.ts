// What survives draft/add: "涉及图片url必须来源 "上传图文消息内的图片获取URL"接口获取。外部图片url将被过滤"
// (https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add).
import { articleImages, dataUrlBytes, isWeChatHostedImage, replaceImageSources, sniffImageFormat } from '../../../nodes/WeChatMassMessage/helpers/articleHtml';

/** The address each image of `html` is shown at. */
const imageSources = (html: string) => articleImages(html).map((image) => image.source);

describe('imageSources', () => {
	test('quoted attributes may hold ">" or "src=" without fooling it; entities are decoded', () => {
		const html = `<img alt="a > b" src="https://a.example/gt.jpg"><img title="x src=https://evil.example/y.jpg" src="https://a.example/real.jpg">` +
			`<img src="https://a.example/q.jpg?a=1&#38;b=2&#x26;c=3">`;
		expect(imageSources(html)).toEqual(['https://a.example/gt.jpg', 'https://a.example/real.jpg', 'https://a.example/q.jpg?a=1&b=2&c=3']);
	});

	test('every distinct src, in order, in any quoting, with &amp; decoded', () => {
		const html = `<p><img src="https://a.example/1.png" alt="x"><IMG class=big SRC='https://a.example/2.jpg?w=1&amp;h=2'>
			<img src=https://a.example/3.png /><img src="https://a.example/1.png"><img alt="no src"></p>`;
		expect(imageSources(html)).toEqual(['https://a.example/1.png', 'https://a.example/2.jpg?w=1&h=2', 'https://a.example/3.png']);
	});
});

describe('real blog markup', () => {
	const placeholder = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

	test('lazy-loaded images: the real image over the placeholder, whichever attribute the script uses', () => {
		const html =
			`<img src="${placeholder}" data-src="https://blog.example/a.jpg" class="lazyload">` +
			`<img data-lazy-src="https://blog.example/b.jpg">` +
			`<img src="https://blog.example/c-lowres.jpg" data-original="https://blog.example/c.jpg">` +
			`<img data-srcset="https://blog.example/d-300.jpg 300w, https://blog.example/d-1200.jpg 1200w, https://blog.example/d-600.jpg 600w">`;
		expect(imageSources(html)).toEqual(['https://blog.example/a.jpg', 'https://blog.example/b.jpg', 'https://blog.example/c.jpg', 'https://blog.example/d-1200.jpg']);
	});

	test('minified and unusual markup as browsers read it: no space after a quoted value, unquoted values, upper case, " / >"', () => {
		const html = `<IMG SRC="https://blog.example/1.png"alt="x"><img src=https://blog.example/2.png / ><img\nsrc='https://blog.example/3.png'/>`;
		expect(imageSources(html)).toEqual(['https://blog.example/1.png', 'https://blog.example/2.png', 'https://blog.example/3.png']);
	});

	test('nothing inside a comment, CDATA, <script>, <style>, <textarea> or <title> is an image', () => {
		const html =
			`<!-- <img src="https://intranet.example/draft.png"> --><![CDATA[<img src="https://x.example/cdata.png">]]>` +
			`<script>document.write('<img src="https://x.example/js.png">')</script><style>/* <img src="https://x.example/css.png"> */</style>` +
			`<textarea><img src="https://x.example/ta.png"></textarea><img src="https://blog.example/real.png">`;
		expect(imageSources(html)).toEqual(['https://blog.example/real.png']);
	});

	test('a character reference beyond Unicode is read as U+FFFD, as browsers do, instead of failing', () => {
		expect(imageSources('<img src="https://blog.example/&#x110000;&#0;&#xD800;.png">')).toEqual(['https://blog.example/\uFFFD\uFFFD\uFFFD.png']);
	});

	test('the images WeChat gets: src set to the hosted address, lazy and srcset attributes, <picture> sources and comments taken out', () => {
		const html =
			`<!-- draft: https://intranet.example/x.png --><picture><source type="image/webp" srcset="https://blog.example/a.webp 1x"><source data-srcset="https://blog.example/a-2x.jpg 2x">` +
			`<img src="${placeholder}" data-src="https://blog.example/a.jpg" srcset="https://blog.example/a-300.jpg 300w" sizes="100vw" alt="A"></picture>` +
			`<img data-lazy-src="https://blog.example/b.jpg"alt="B"><video><source src="https://blog.example/v.mp4"></video>`;
		const hosted = new Map([
			['https://blog.example/a.jpg', 'http://mmbiz.qpic.cn/mmbiz_jpg/a/0'],
			['https://blog.example/b.jpg', 'http://mmbiz.qpic.cn/mmbiz_jpg/b/0'],
		]);
		expect(replaceImageSources('<img src="https://blog.example/a.jpg" SRC="https://intranet.example/b.jpg">', hosted)).toBe('<img src="http://mmbiz.qpic.cn/mmbiz_jpg/a/0">');
		expect(replaceImageSources(html, hosted)).toBe(
			`<picture><img src="http://mmbiz.qpic.cn/mmbiz_jpg/a/0" alt="A"></picture><img src="http://mmbiz.qpic.cn/mmbiz_jpg/b/0" alt="B"><video><source src="https://blog.example/v.mp4"></video>`,
		);
	});
});

test('replaceImageSources rewrites only the images it is given, keeping the rest of each tag', () => {
	const html = `<img class="a" src='https://a.example/1.png?x=1&amp;y=2' alt="one"><img src="https://mmbiz.qpic.cn/keep/0">`;
	const replaced = replaceImageSources(html, new Map([['https://a.example/1.png?x=1&y=2', 'http://mmbiz.qpic.cn/mmbiz_png/abc/0?wx_fmt=png&from=1']]));
	expect(replaced).toBe(`<img class="a" src="http://mmbiz.qpic.cn/mmbiz_png/abc/0?wx_fmt=png&amp;from=1" alt="one"><img src="https://mmbiz.qpic.cn/keep/0">`);
});

test('replaceImageSources rewrites the src attribute itself, not a look-alike inside another attribute', () => {
	const html = `<img title="x src=https://a.example/1.png" src="https://a.example/1.png" />`;
	expect(replaceImageSources(html, new Map([['https://a.example/1.png', 'http://mmbiz.qpic.cn/z/0']]))).toBe(
		`<img title="x src=https://a.example/1.png" src="http://mmbiz.qpic.cn/z/0" />`,
	);
});

test('dataUrlBytes decodes inline images and nothing else', () => {
	expect(dataUrlBytes('data:image/png;base64,iVBORw0KGgo=')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	expect(dataUrlBytes('https://a.example/x.png')).toBeUndefined();
});

test('isWeChatHostedImage: WeChat\'s image hosts, and nothing that only looks like them', () => {
	// uploadimg's example answer: "url": "http://mmbiz.qpic.cn/XXXXX" (api_uploadimage page).
	expect(
		['http://mmbiz.qpic.cn/mmbiz_jpg/a/0', '//mmbiz.qpic.cn/mmbiz_png/b/0', 'https://mmbiz.qlogo.cn/x', 'https://qpic.cn.evil.example/x', 'https://example.com/qpic.cn.png', '/relative.png', 'data:image/png;base64,AA', 'https://evil.example&sol;.qpic.cn/a.png'].map(
			isWeChatHostedImage,
		),
	).toEqual([true, true, true, false, false, false, false, false]);
});

test('sniffImageFormat reads the first bytes, not the name', () => {
	const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
	expect([png, Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('GIF89a...'), Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.from('<html>')].map(sniffImageFormat)).toEqual([
		'png',
		'jpg',
		'gif',
		'webp',
		undefined,
	]);
});

// How browsers read what follows comes from the HTML standard's tokenizer
// (https://html.spec.whatwg.org/multipage/parsing.html: "character reference state", "comment start state",
// "script data end tag name state") and its srcset parsing
// (https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute).
describe('read as the HTML standard reads it', () => {
	test('every named character reference is decoded, legacy ones without ";" only where a browser decodes them in an attribute', () => {
		expect(imageSources('<img src="https&colon;&sol;&sol;blog&period;example&sol;a&lowbar;b.png">')).toEqual(['https://blog.example/a_b.png']);
		// "&copy=" and "&notit" stay as written in an attribute; "&not" before a non-alphanumeric becomes "¬".
		expect(imageSources('<img src="https://blog.example/x.png?a=1&copy=2&notit=3&not-4&frac12;">')).toEqual(['https://blog.example/x.png?a=1&copy=2&notit=3\u00ac-4\u00bd']);
		// Numeric references need no ";"; 0x80-0x9F are read as Windows-1252; any number of digits.
		expect(imageSources('<img src="https://blog.example/&#x41&#66;&#128;&#x0000000000000043;&#99999999999;.png">')).toEqual(['https://blog.example/AB\u20acC\uFFFD.png']);
	});

	test('a WeChat address with a query (&from=appmsg, as WeChat\'s editor writes them) is WeChat\'s own; a decoded &sol; is not', () => {
		expect(imageSources('<img src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg&amp;from=appmsg">').map(isWeChatHostedImage)).toEqual([true]);
		expect(imageSources('<img src="https://evil.example&sol;.qpic.cn/a.png">').map(isWeChatHostedImage)).toEqual([false]);
	});

	test('lazysizes with only data-srcset: the largest real candidate over the placeholder src', () => {
		const html =
			'<img src="/wp-content/themes/x/placeholder.gif" data-srcset="https://blog.example/e-400.jpg 400w, https://blog.example/e-800.jpg 800w" class="lazyload">' +
			'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-lazy-srcset="https://blog.example/f-1x.jpg 1x, https://blog.example/f-2x.jpg 2x">';
		expect(imageSources(html)).toEqual(['https://blog.example/e-800.jpg', 'https://blog.example/f-2x.jpg']);
		expect(replaceImageSources(html, new Map([['https://blog.example/e-800.jpg', 'http://mmbiz.qpic.cn/e/0']]))).toBe(
			'<img src="http://mmbiz.qpic.cn/e/0" class="lazyload"><img src="https://blog.example/f-2x.jpg">',
		);
	});

	test('srcset candidates are split where the standard splits them: commas inside a URL (Cloudinary, data:) stay', () => {
		const cloudinary = 'https://res.cloudinary.com/demo/image/upload';
		expect(imageSources(`<img srcset="${cloudinary}/w_400,c_fill/a.jpg 400w, ${cloudinary}/w_800,c_fill/a.jpg 800w,${cloudinary}/w_600,c_fill/a.jpg 600w">`)).toEqual([
			`${cloudinary}/w_800,c_fill/a.jpg`,
		]);
		expect(imageSources('<img srcset="data:image/png;base64,iVBORw0KGgo= 1x, https://blog.example/g@2x.png 2x">')).toEqual(['https://blog.example/g@2x.png']);
		expect(imageSources('<img srcset="https://blog.example/h.png,, https://blog.example/i.png 1.5x">')).toEqual(['https://blog.example/i.png']);
	});

	test('comments end where browsers end them: <!-->, <!---> and --!>; outside SVG, <![CDATA[ ends at the first ">"', () => {
		const html =
			'<!--><img src="https://blog.example/1.png"><!---><img src="https://blog.example/2.png"><!-- old --!><img src="https://blog.example/3.png">' +
			'<!-- <img src="https://x.example/hidden.png"> --><![CDATA[ 1 > 0 <img src="https://blog.example/4.png"> ]]>';
		expect(imageSources(html)).toEqual(['https://blog.example/1.png', 'https://blog.example/2.png', 'https://blog.example/3.png', 'https://blog.example/4.png']);
		expect(replaceImageSources(html, new Map())).toBe(
			'<img src="https://blog.example/1.png"><img src="https://blog.example/2.png"><img src="https://blog.example/3.png"><![CDATA[ 1 > 0 <img src="https://blog.example/4.png"> ]]>',
		);
	});

	test('a <script> ends only at "</script" followed by a space, "/" or ">", in any case', () => {
		const html = '<script>var a = "</scripts><img src=\'https://x.example/js.png\'>";</SCRIPT ><img src="https://blog.example/real.png">';
		expect(imageSources(html)).toEqual(['https://blog.example/real.png']);
	});
});

describe('the images real blogs serve', () => {
	const gif = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

	test('each image\'s addresses, best first: the lazy address and its sizes (never the placeholder src), else src and its srcset, then <picture> sources WeChat can host', () => {
		const html =
			`<img src="${gif}" data-srcset="https://b.example/t-300.jpg 300w, https://b.example/t-2560.jpg 2560w, https://b.example/t-1024.jpg 1024w">` +
			`<img src="https://b.example/g.jpg" srcset="https://b.example/g-600.jpg 600w, https://b.example/g.jpg 2000w, https://b.example/g-1600.jpg 1600w">` +
			`<picture><source type="image/avif" srcset="https://b.example/p.avif"><source type="image/webp" srcset="https://b.example/p.webp"><source media="(min-width: 800px)" srcset="https://b.example/p-wide.jpg 2x, https://b.example/p-wide-1x.jpg">` +
			`<img src="https://b.example/p.jpg"></picture>` +
			`<img data-opt-src="https://b.example/o.jpg" src="https://cdn.example/q:eco/o.jpg">`;
		expect(articleImages(html).map((image) => image.candidates)).toEqual([
			['https://b.example/t-2560.jpg', 'https://b.example/t-1024.jpg', 'https://b.example/t-300.jpg'],
			['https://b.example/g.jpg', 'https://b.example/g-1600.jpg', 'https://b.example/g-600.jpg'],
			['https://b.example/p.jpg', 'https://b.example/p-wide.jpg', 'https://b.example/p-wide-1x.jpg'],
			['https://b.example/o.jpg'],
		]);
	});

	test('emoji images (WordPress wp-smiley and emoji, Twemoji) stand for their alt, or for the code points of their file name', () => {
		const html =
			`<img class="wp-smiley" alt="✅" src="https://s.w.org/images/core/emoji/15.0.3/72x72/2705.png">` +
			`<img class="emoji" alt="" src="https://s.w.org/images/core/emoji/15.0.3/svg/1f469-200d-1f4bb.svg">` +
			`<img class="emoji" draggable="false" alt="❤️" src="https://cdn.jsdelivr.net/gh/jdecked/twemoji@latest/assets/svg/2764.svg">` +
			`<img class="emojis-gallery" src="https://b.example/not-an-emoji.png">`;
		expect(articleImages(html).map((image) => image.emoji)).toEqual(['✅', '👩‍💻', '❤️', undefined]);
		expect(replaceImageSources(`<p>Done <img class="emoji" alt="&lt;3" src="https://x.example/2764.svg"></p>`, new Map())).toBe('<p>Done &lt;3</p>');
	});

	test('<noscript> is raw text, as browsers with scripting read it, and taken out; lazysizes\' data-noscript keeps its content', () => {
		const html =
			`<img data-src="https://b.example/a.jpg" src="${gif}"><noscript><img src="https://b.example/a.jpg"><img src="https://b.example/only-in-noscript.jpg"></noscript>` +
			`<div class="lazyload" data-noscript=""><noscript><img src="https://b.example/b.jpg"></noscript></div>`;
		expect(articleImages(html).map((image) => image.source)).toEqual(['https://b.example/a.jpg', 'https://b.example/b.jpg']);
		expect(replaceImageSources(html, new Map([['https://b.example/a.jpg', 'http://mmbiz.qpic.cn/a/0']]))).toBe(
			'<img src="http://mmbiz.qpic.cn/a/0"><div class="lazyload" data-noscript=""><img src="https://b.example/b.jpg"></div>',
		);
	});

	test('an image left out is taken out with its tag; the rest of the markup stays', () => {
		const html = `<figure><img src="https://b.example/x.webp" alt="X"><figcaption>X</figcaption></figure><img src="https://b.example/y.jpg">`;
		expect(replaceImageSources(html, new Map([['https://b.example/y.jpg', 'http://mmbiz.qpic.cn/y/0']]), new Set(['https://b.example/x.webp']))).toBe(
			'<figure><figcaption>X</figcaption></figure><img src="http://mmbiz.qpic.cn/y/0">',
		);
	});

	test('a data: address is percent-decoded as the URL standard does: a "%" without two hex digits stays, never an exception', () => {
		expect(dataUrlBytes("data:image/svg+xml;utf8,<svg width='100%' height='100%25'/>")?.toString()).toBe("<svg width='100%' height='100%'/>");
		expect(dataUrlBytes('data:image/svg+xml,%3Csvg%20viewBox%3D%220%200%20100%%20100%%22%3E')?.toString()).toBe('<svg viewBox="0 0 100% 100%">');
	});

	test('sniffImageFormat tells SVG and AVIF, whatever their server calls them', () => {
		expect(sniffImageFormat(Buffer.from('<?xml version="1.0"?>\n<!-- Generator: Sketch -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
		expect(sniffImageFormat(Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypavif'), Buffer.alloc(16)]))).toBe('avif');
		expect(sniffImageFormat(Buffer.from('<html><body>Not found</body></html>'))).toBeUndefined();
	});
});
