// A small XML reader for WeChat's callback bodies: elements, text, CDATA, entities, comments.
// It refuses DOCTYPE and anything it does not understand instead of guessing, and never expands
// entities beyond XML's five predefined ones and numeric references.

import type { XmlElement, XmlJsonObject, XmlJsonValue } from './types';

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; reason: string };

export type XmlLimits = {
	maxDepth: number;
	maxElements: number;
};

// WeChat's deepest path is xml > CopyrightCheckResult > ResultList > item > field.
export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 16, maxElements: 10_000 };

const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y;
const ATTRIBUTE = /\s+[A-Za-z_][A-Za-z0-9_.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*')/y;
const TAG_END = /\s*(\/?)>/y;
const CLOSING_TAG_END = /\s*>/y;
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/y;
const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function failure(reason: string, offset: number): XmlParseResult {
	return { ok: false, reason: `${reason} at offset ${offset}` };
}

function matchAt(pattern: RegExp, text: string, offset: number): RegExpExecArray | null {
	pattern.lastIndex = offset;
	return pattern.exec(text);
}

/** Decodes entity and character references; undefined when an `&` starts no valid reference. */
export function decodeEntities(text: string): string | undefined {
	let decoded = '';
	let offset = 0;
	for (let ampersand = text.indexOf('&'); ampersand !== -1; ampersand = text.indexOf('&', offset)) {
		const reference = matchAt(REFERENCE, text, ampersand);
		const character = reference === null ? undefined : referencedCharacter(reference);
		if (reference === null || character === undefined) return undefined;
		decoded += text.slice(offset, ampersand) + character;
		offset = ampersand + reference[0].length;
	}
	return decoded + text.slice(offset);
}

function referencedCharacter([, hex, decimal, named]: RegExpExecArray): string | undefined {
	if (named !== undefined) return PREDEFINED_ENTITIES[named];
	const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
	const isXmlCharacter =
		codePoint === 0x9 ||
		codePoint === 0xa ||
		codePoint === 0xd ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0x10ffff && codePoint !== 0xfffe && codePoint !== 0xffff);
	return isXmlCharacter ? String.fromCodePoint(codePoint) : undefined;
}

/** Skips a comment, processing instruction or the XML declaration; -1 when it is unterminated. */
function skipMarkup(xml: string, offset: number): number {
	if (xml.startsWith('<!--', offset)) {
		const end = xml.indexOf('-->', offset + 4);
		return end === -1 ? -1 : end + 3;
	}
	const end = xml.indexOf('?>', offset + 2);
	return end === -1 ? -1 : end + 2;
}

function isWhitespace(text: string): boolean {
	return /^[ \t\r\n]*$/.test(text);
}

export function parseXml(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlParseResult {
	let offset = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	const open: XmlElement[] = [];
	let root: XmlElement | undefined;
	let elementCount = 0;

	while (offset < xml.length) {
		const current = open[open.length - 1];
		if (xml[offset] !== '<') {
			const end = xml.indexOf('<', offset);
			const text = xml.slice(offset, end === -1 ? xml.length : end);
			if (!isWhitespace(text)) {
				if (current === undefined) return failure('text outside the root element', offset);
				const decoded = decodeEntities(text);
				if (decoded === undefined) return failure('malformed entity reference', offset);
				current.text += decoded;
			}
			offset = end === -1 ? xml.length : end;
			continue;
		}

		if (xml.startsWith('<![CDATA[', offset)) {
			if (current === undefined) return failure('CDATA outside the root element', offset);
			const end = xml.indexOf(']]>', offset + 9);
			if (end === -1) return failure('unterminated CDATA section', offset);
			current.text += xml.slice(offset + 9, end);
			offset = end + 3;
			continue;
		}

		if (xml.startsWith('<!--', offset) || xml.startsWith('<?', offset)) {
			const next = skipMarkup(xml, offset);
			if (next === -1) return failure('unterminated comment or processing instruction', offset);
			offset = next;
			continue;
		}

		if (xml.startsWith('<!', offset)) return failure('DOCTYPE and other declarations are not accepted', offset);

		if (xml.startsWith('</', offset)) {
			const name = matchAt(NAME, xml, offset + 2);
			if (name === null) return failure('malformed closing tag', offset);
			const end = matchAt(CLOSING_TAG_END, xml, offset + 2 + name[0].length);
			if (end === null) return failure('malformed closing tag', offset);
			if (current === undefined || current.name !== name[0]) return failure('closing tag does not match the open element', offset);
			open.pop();
			offset = end.index + end[0].length;
			continue;
		}

		if (root !== undefined && current === undefined) return failure('a second root element', offset);
		const name = matchAt(NAME, xml, offset + 1);
		if (name === null) return failure('malformed tag', offset);
		let cursor = offset + 1 + name[0].length;
		for (let attribute = matchAt(ATTRIBUTE, xml, cursor); attribute !== null; attribute = matchAt(ATTRIBUTE, xml, cursor)) {
			cursor += attribute[0].length;
		}
		const tagEnd = matchAt(TAG_END, xml, cursor);
		if (tagEnd === null) return failure('malformed tag', offset);

		elementCount += 1;
		if (elementCount > limits.maxElements) return failure('too many elements', offset);
		const element: XmlElement = { name: name[0], text: '', children: [] };
		if (current === undefined) root = element;
		else current.children.push(element);
		const selfClosing = tagEnd[1] === '/';
		if (!selfClosing) {
			if (open.length >= limits.maxDepth) return failure('elements nested too deeply', offset);
			open.push(element);
		}
		offset = cursor + tagEnd[0].length;
	}

	if (open.length > 0) return failure('unclosed element', xml.length);
	if (root === undefined) return failure('no root element', xml.length);
	return { ok: true, root };
}

export function findChild(element: XmlElement, name: string): XmlElement | undefined {
	return element.children.find((child) => child.name === name);
}

export function findChildren(element: XmlElement, name: string): XmlElement[] {
	return element.children.filter((child) => child.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
	return findChild(element, name)?.text;
}

function setOwn(target: XmlJsonObject, name: string, value: XmlJsonValue): void {
	// defineProperty, so an element named __proto__ becomes data instead of replacing the prototype.
	Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** The element's children as JSON: leaves become their text, repeated names become arrays. */
export function toJson(element: XmlElement): XmlJsonObject {
	const json: XmlJsonObject = {};
	for (const child of element.children) {
		const value: string | XmlJsonObject = child.children.length === 0 ? child.text : toJson(child);
		if (!Object.prototype.hasOwnProperty.call(json, child.name)) {
			setOwn(json, child.name, value);
			continue;
		}
		const existing = json[child.name];
		if (Array.isArray(existing)) existing.push(value);
		else setOwn(json, child.name, [existing, value]);
	}
	return json;
}
