import { decodeEntities, findChildren, parseXml, toJson } from '../../../nodes/WeChatMassMessageTrigger/callbackXml';
import type { XmlElement } from '../../../nodes/WeChatMassMessageTrigger/types';
import { readFixture } from './fixtures';

function parsed(xml: string): XmlElement {
	const result = parseXml(xml);
	if (!result.ok) throw new Error(`expected well-formed XML, got: ${result.reason}`);
	return result.root;
}

function rejection(xml: string): string {
	const result = parseXml(xml);
	if (result.ok) throw new Error('expected the XML to be refused');
	return result.reason;
}

describe('parseXml reads WeChat callback XML', () => {
	it('keeps CDATA content exactly, including characters that are markup elsewhere', () => {
		const root = parsed('<xml><Content><![CDATA[ <b>a & b</b> ]]></Content></xml>');
		expect(root.children[0]).toEqual({ name: 'Content', text: ' <b>a & b</b> ', children: [] });
	});

	it('decodes the five predefined entities and numeric character references', () => {
		const root = parsed('<xml><Url>a&amp;b&lt;c&gt;d&quot;e&apos;f&#20013;&#x6587;</Url></xml>');
		expect(root.children[0].text).toBe('a&b<c>d"e\'f中文');
	});

	it('joins text and CDATA that sit side by side', () => {
		expect(parsed('<xml><A>x<![CDATA[&y]]>&amp;z</A></xml>').children[0].text).toBe('x&y&z');
	});

	it('drops indentation between elements but keeps whitespace that is content', () => {
		const root = parsed('<xml>\n  <A> 12 </A>\n  <B>\n    <C>1</C>\n  </B>\n</xml>');
		expect(root.text).toBe('');
		expect(root.children.map((child) => [child.name, child.text])).toEqual([
			['A', ' 12 '],
			['B', ''],
		]);
	});

	it('accepts an XML declaration, comments, a byte order mark and ignores attributes', () => {
		const root = parsed('\ufeff<?xml version="1.0" encoding="utf-8"?><!-- pushed --><xml a="1" b=\'2\'><A x="y"/><!-- inside --></xml>\n');
		expect(root).toEqual({ name: 'xml', text: '', children: [{ name: 'A', text: '', children: [] }] });
	});

	it('reads empty and self-closing elements as empty text', () => {
		const root = parsed('<xml><A></A><B/><C><![CDATA[]]></C></xml>');
		expect(root.children.map((child) => child.text)).toEqual(['', '', '']);
	});

	it('keeps every repeated item in order', () => {
		const items = findChildren(parsed('<xml><L><item>1</item><item>2</item><item>3</item></L></xml>').children[0], 'item');
		expect(items.map((item) => item.text)).toEqual(['1', '2', '3']);
	});

	it('parses the full MASSSENDJOBFINISH example', () => {
		const root = parsed(readFixture('finished-with-failures'));
		expect(root.children.map((child) => child.name)).toEqual([
			'ToUserName',
			'FromUserName',
			'CreateTime',
			'MsgType',
			'Event',
			'MsgID',
			'Status',
			'TotalCount',
			'FilterCount',
			'SentCount',
			'ErrorCount',
			'CopyrightCheckResult',
			'ArticleUrlResult',
		]);
	});
});

describe('parseXml refuses what is not well-formed or not plain data', () => {
	it.each([
		['an unclosed element', '<xml><A>1</A>', 'unclosed element'],
		['a closing tag for another element', '<xml><A>1</B></xml>', 'closing tag does not match'],
		['a stray closing tag', '</xml>', 'closing tag does not match'],
		['a second root', '<xml></xml><xml></xml>', 'a second root element'],
		['text after the root', '<xml></xml>trailing', 'text outside the root element'],
		['text before the root', 'leading<xml></xml>', 'text outside the root element'],
		['an empty document', '', 'no root element'],
		['whitespace only', ' \n ', 'no root element'],
		['a DOCTYPE', '<!DOCTYPE xml [<!ENTITY a "b">]><xml>&a;</xml>', 'DOCTYPE'],
		['an unknown entity', '<xml><A>&nbsp;</A></xml>', 'malformed entity'],
		['a bare ampersand', '<xml><A>a & b</A></xml>', 'malformed entity'],
		['a reference to a non-character', '<xml><A>&#0;</A></xml>', 'malformed entity'],
		['an unterminated CDATA section', '<xml><A><![CDATA[abc</A></xml>', 'unterminated CDATA'],
		['an unterminated comment', '<xml><!-- abc</xml>', 'unterminated comment'],
		['a tag without a name', '<xml>< A>1</A></xml>', 'malformed tag'],
		['an attribute without a value', '<xml><A b>1</A></xml>', 'malformed tag'],
		['a tag cut off', '<xml><A', 'malformed tag'],
	])('%s', (_case, xml, reason) => {
		expect(rejection(xml)).toContain(reason);
	});

	it('refuses nesting deeper than the limit', () => {
		expect(rejection(`${'<a>'.repeat(17)}${'</a>'.repeat(17)}`)).toContain('nested too deeply');
		expect(parseXml(`${'<a>'.repeat(16)}${'</a>'.repeat(16)}`).ok).toBe(true);
	});

	it('refuses more elements than the limit', () => {
		expect(rejection(`<xml>${'<i/>'.repeat(10_000)}</xml>`)).toContain('too many elements');
		expect(parseXml(`<xml>${'<i/>'.repeat(9_999)}</xml>`).ok).toBe(true);
	});

	it('says where the problem is', () => {
		expect(rejection('<xml><A>1</B></xml>')).toBe('closing tag does not match the open element at offset 9');
	});
});

describe('decodeEntities', () => {
	it('leaves text without references unchanged and refuses an unterminated reference', () => {
		expect(decodeEntities('plain text')).toBe('plain text');
		expect(decodeEntities('&amp')).toBeUndefined();
		expect(decodeEntities('&#xD800;')).toBeUndefined();
	});
});

describe('toJson', () => {
	it('turns leaves into text, blocks into objects and repeated names into arrays', () => {
		const json = toJson(parsed('<xml><A>1</A><B><item><X>x1</X></item><item><X>x2</X></item></B><C><item>only</item></C><D/></xml>'));
		expect(json).toEqual({ A: '1', B: { item: [{ X: 'x1' }, { X: 'x2' }] }, C: { item: 'only' }, D: '' });
	});

	it('keeps an element named __proto__ as data without touching the prototype', () => {
		const json = toJson(parsed('<xml><__proto__><polluted>yes</polluted></__proto__></xml>'));
		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect(Object.keys(json)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(JSON.parse(JSON.stringify(json))).toEqual(JSON.parse('{"__proto__":{"polluted":"yes"}}'));
	});
});
