// Thousands of forged, corrupted and oversized requests against triggers that pass every event
// through: none may start a workflow, none may make webhook() throw, all get a 4xx. Each request
// is broken in a way that cannot be valid by chance, so "no start" is a real expectation.
import { randomBytes } from 'node:crypto';

import { TriggerHarness, sendOverHttp, type CallbackRequestSpec } from '../../harness/webhook';
import {
	compatibleRequest,
	encryptMessage,
	nowTimestamp,
	plainRequest,
	safeRequest,
	urlVerificationRequest,
	wechatSignature,
	withEncrypt,
	type CallbackAccount,
	type SignedRequest,
} from '../../helpers/wechatCallbackSigner';
import { ACCOUNT, credentialFor } from './fixtures';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const IN_PROCESS_REQUESTS = 10_000;
const OVER_HTTP_EVERY = 40;

type Mode = 'plain' | 'compatible' | 'safe';

interface FuzzCase {
	category: string;
	mode: Mode;
	request: CallbackRequestSpec;
}

/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
function createRandom(seed: number) {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const integer = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
	const pick = <T>(values: readonly T[]): T => values[integer(0, values.length - 1)];
	const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => integer(0, 255)));
	const text = (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string =>
		Array.from({ length }, () => alphabet[integer(0, alphabet.length - 1)]).join('');
	return { next, integer, pick, bytes, text };
}

type Random = ReturnType<typeof createRandom>;

/** A genuine-looking event, so that only the deliberate defect stands between it and a workflow start. */
function randomEventXml(random: Random): string {
	const items = Array.from(
		{ length: random.integer(0, 3) },
		(_, index) => `<item><ArticleIdx>${index + 1}</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/${random.text(8)}]]></ArticleUrl></item>`,
	).join('');
	return random.pick([
		`<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[o${random.text(27)}]]></FromUserName><CreateTime>${nowTimestamp()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>${random.integer(2 ** 31, 2 ** 40)}</MsgID><Status><![CDATA[${random.pick(['send success', 'send fail', 'err(20013)'])}]]></Status><TotalCount>${random.integer(0, 1e6)}</TotalCount><FilterCount>1</FilterCount><SentCount>1</SentCount><ErrorCount>${random.integer(0, 999)}</ErrorCount><ArticleUrlResult><Count>1</Count><ResultList>${items}</ResultList></ArticleUrlResult></xml>`,
		`<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><FromUserName><![CDATA[o${random.text(27)}]]></FromUserName><CreateTime>${nowTimestamp()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${random.pick(['subscribe', 'unsubscribe', 'CLICK', 'VIEW'])}]]></Event></xml>`,
		`<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${random.text(40)} &amp; 你好]]></Content><MsgId>${random.integer(1, 2 ** 50)}</MsgId></xml>`,
	]);
}

/** Changes that leave XML certainly not well-formed (or not a WeChat message). */
function breakXml(random: Random, xml: string): string {
	const mutations: Array<() => string> = [
		() => xml.slice(0, random.integer(1, xml.length - 1)),
		() => xml.replace(/<\/[A-Za-z]+>/, (closing) => closing.replace('</', '<')),
		() => `<!DOCTYPE xml [<!ENTITY boom "${'x'.repeat(random.integer(1, 50))}">]>${xml}`,
		() => xml.replace('</xml>', '&bogus;</xml>'),
		() => xml.replace('</xml>', `${random.pick(['&', '&#0;', '&#xD800;', '&amp'])}</xml>`),
		() => `${xml}${random.pick(['junk', '<xml/>', '<![CDATA[x]]>'])}`,
		() => `${random.pick(['junk', '<<', '>', '&amp;'])}${xml}`,
		() => xml.replace(/^<xml>/, '<message>').replace(/<\/xml>$/, '</message>'),
		() => xml.replace('</xml>', `${'<a>'.repeat(random.integer(16, 40))}${'</a>'.repeat(random.integer(16, 40))}</xml>`),
		() => xml.replace('</xml>', `${'<i/>'.repeat(10_001)}</xml>`),
		() => xml.replace('<![CDATA[', '<![CDATA').replace(/\]\]>/g, ''),
		() => xml.replace(/<([A-Za-z]+)>/, '<$1 attribute>'),
		() => random.bytes(random.integer(1, 600)).toString('latin1'),
		() => '',
	];
	return random.pick(mutations)();
}

function encryptedFor(mode: Mode): (account: CallbackAccount, xml: string, options?: { appIdInCiphertext?: string }) => SignedRequest {
	return mode === 'compatible' ? compatibleRequest : safeRequest;
}

function genuine(random: Random, mode: Mode): SignedRequest {
	const xml = randomEventXml(random);
	return mode === 'plain' ? plainRequest(ACCOUNT, xml) : encryptedFor(mode)(ACCOUNT, xml);
}

function post(signed: SignedRequest): CallbackRequestSpec {
	return { method: 'POST', query: signed.query, body: signed.body };
}

function base64Of(request: SignedRequest): string {
	return /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(request.body)![1];
}

const GENERATORS: Array<{ category: string; modes: readonly Mode[]; build(random: Random, mode: Mode): CallbackRequestSpec }> = [
	{
		category: 'forged signature',
		modes: ['plain', 'compatible', 'safe'],
		build(random, mode) {
			const signed = genuine(random, mode);
			const name = mode === 'plain' ? 'signature' : 'msg_signature';
			const forged = random.pick([
				() => random.text(40, '0123456789abcdef'),
				() => signed.query[name].slice(0, random.integer(0, 39)),
				() => `${signed.query[name]}0`,
				() => signed.query[name].replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
				() => wechatSignature('someoneElse42', signed.query.timestamp, signed.query.nonce),
				() => random.text(random.integer(1, 600), 'ghijklmnopqrstuvwxyz%&=/ '),
			])();
			return { method: 'POST', query: { ...signed.query, [name]: forged }, body: signed.body };
		},
	},
	{
		category: 'signed for other parameters',
		modes: ['plain', 'compatible', 'safe'],
		build(random, mode) {
			const signed = genuine(random, mode);
			const changed = random.pick(['timestamp', 'nonce'] as const);
			const value = changed === 'timestamp' ? String(Number(signed.query.timestamp) + random.integer(1, 1000)) : `${signed.query.nonce}${random.integer(0, 9)}`;
			return { method: 'POST', query: { ...signed.query, [changed]: value }, body: signed.body };
		},
	},
	{
		category: 'missing, repeated or oversized parameters',
		modes: ['plain', 'compatible', 'safe'],
		build(random, mode) {
			const signed = genuine(random, mode);
			const names = Object.keys(signed.query).filter((name) => name !== 'openid' && name !== (mode === 'plain' ? 'msg_signature' : 'signature'));
			const name = random.pick(names);
			const query: CallbackRequestSpec['query'] = { ...signed.query };
			const defect = random.integer(0, 3);
			if (defect === 0) delete query[name];
			else if (defect === 1) query[name] = [signed.query[name], signed.query[name]];
			else if (defect === 2) query[name] = '';
			else query.timestamp = random.pick(['-1', '1.5', '１２３', 'abc', '1e9', '9'.repeat(13)]);
			return { method: 'POST', query, body: signed.body };
		},
	},
	{
		category: 'truncated ciphertext',
		modes: ['compatible', 'safe'],
		build(random, mode) {
			const encrypted = base64Of(genuine(random, mode));
			return post(withEncrypt(ACCOUNT, encrypted.slice(0, random.integer(0, encrypted.length - 1))));
		},
	},
	{
		category: 'bit flipped in the last two blocks',
		modes: ['compatible', 'safe'],
		build(random, mode) {
			const ciphertext = Buffer.from(base64Of(genuine(random, mode)), 'base64');
			ciphertext[random.integer(ciphertext.length - 32, ciphertext.length - 1)] ^= 1 << random.integer(0, 7);
			return post(withEncrypt(ACCOUNT, ciphertext.toString('base64')));
		},
	},
	{
		category: 'encrypted with another key',
		modes: ['compatible', 'safe'],
		build(random) {
			const otherKey = randomBytes(32).toString('base64').slice(0, 43);
			return post(withEncrypt(ACCOUNT, encryptMessage(randomEventXml(random), { ...ACCOUNT, encodingAesKey: otherKey })));
		},
	},
	{
		category: 'encrypted for another AppID',
		modes: ['compatible', 'safe'],
		build(random, mode) {
			const appId = random.pick([`wx${random.text(16, '0123456789abcdef')}`, '', ACCOUNT.appId.slice(0, -1), `${ACCOUNT.appId} `, ACCOUNT.appId.toUpperCase()]);
			return post(encryptedFor(mode)(ACCOUNT, randomEventXml(random), { appIdInCiphertext: appId }));
		},
	},
	{
		category: 'ciphertext that is not base64 or not AES blocks',
		modes: ['compatible', 'safe'],
		build(random) {
			const encrypted = random.pick([
				() => random.bytes(random.integer(1, 300)).toString('base64').replace(/=+$/, ''),
				() => random.bytes(random.integer(1, 20) * 16 + random.integer(1, 15)).toString('base64'),
				() => `${random.bytes(64).toString('base64')}${random.pick(['!', '-', '_', ' ', '\n', '%'])}`,
				() => random.text(random.integer(1, 200), '!@#$%^*()[]{}'),
				() => '',
			])();
			return post(withEncrypt(ACCOUNT, encrypted));
		},
	},
	{
		category: 'random bytes decrypting to garbage',
		modes: ['compatible', 'safe'],
		build(random) {
			return post(withEncrypt(ACCOUNT, random.bytes(random.integer(1, 40) * 16).toString('base64')));
		},
	},
	{
		category: 'malformed XML inside a genuine ciphertext',
		modes: ['compatible', 'safe'],
		build(random, mode) {
			return post(encryptedFor(mode)(ACCOUNT, breakXml(random, randomEventXml(random))));
		},
	},
	{
		category: 'malformed envelope',
		modes: ['compatible', 'safe'],
		build(random, mode) {
			const signed = genuine(random, mode);
			return { method: 'POST', query: signed.query, body: breakXml(random, signed.body) };
		},
	},
	{
		category: 'malformed XML with a genuine plain signature',
		modes: ['plain'],
		build(random) {
			const signed = plainRequest(ACCOUNT, randomEventXml(random));
			return { method: 'POST', query: signed.query, body: breakXml(random, signed.body) };
		},
	},
	{
		category: 'wrong encryption mode',
		modes: ['plain', 'compatible', 'safe'],
		build(random, mode) {
			const xml = randomEventXml(random);
			const signed = mode === 'plain' ? safeRequest(ACCOUNT, xml) : plainRequest(ACCOUNT, xml);
			const query = { ...signed.query };
			if (mode !== 'plain' && random.next() < 0.5) query.encrypt_type = random.pick(['AES', 'raw', 'des', '']);
			return { method: 'POST', query, body: signed.body };
		},
	},
	{
		category: 'forged URL check',
		modes: ['plain', 'compatible', 'safe'],
		build(random) {
			const { query } = urlVerificationRequest(random.next() < 0.5 ? { ...ACCOUNT, token: random.text(10) } : ACCOUNT, random.text(20));
			const tampered = random.next() < 0.5 ? { ...query, echostr: `${query.echostr}x`, signature: random.text(40, '0123456789abcdef') } : { ...query, nonce: `${query.nonce}1` };
			return { method: 'GET', query: tampered };
		},
	},
];

/** Bodies at and over the 1 MB limit, and deep or wide XML under it: each has its own defect. */
function oversizedCases(random: Random): FuzzCase[] {
	const megabyte = 1024 * 1024;
	const cases: FuzzCase[] = [];
	for (const mode of ['plain', 'compatible', 'safe'] as const) {
		const signed = genuine(random, mode);
		cases.push(
			{ category: 'body over 1 MB', mode, request: { method: 'POST', query: signed.query, body: signed.body.replace('<xml>', `<xml>${' '.repeat(megabyte)}`) } },
			{ category: 'body over 1 MB', mode, request: { method: 'POST', query: signed.query, body: random.bytes(megabyte + random.integer(1, 4096)) } },
			{ category: 'body over 1 MB', mode, request: { method: 'POST', query: signed.query, body: 'x'.repeat(3 * megabyte) } },
			{ category: 'deep XML under 1 MB', mode, request: post(mode === 'plain' ? plainRequest(ACCOUNT, `<xml>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</xml>`) : encryptedFor(mode)(ACCOUNT, `<xml>${'<a>'.repeat(50_000)}</xml>`)) },
			{ category: 'wide XML under 1 MB', mode, request: post(mode === 'plain' ? plainRequest(ACCOUNT, `<xml>${'<i/>'.repeat(200_000)}</xml>`) : encryptedFor(mode)(ACCOUNT, `<xml>${'<i>1</i>'.repeat(20_000)}</xml>`)) },
		);
	}
	return cases;
}

function generateCases(random: Random, count: number): FuzzCase[] {
	const cases = oversizedCases(random);
	while (cases.length < count) {
		const generator = GENERATORS[cases.length % GENERATORS.length];
		const mode = random.pick(generator.modes);
		cases.push({ category: generator.category, mode, request: generator.build(random, mode) });
	}
	return cases;
}

describe(`robustness against ${IN_PROCESS_REQUESTS} forged and malformed requests (seed ${SEED})`, () => {
	const harnesses = {} as Record<Mode, TriggerHarness>;
	const cases = generateCases(createRandom(SEED), IN_PROCESS_REQUESTS);

	beforeAll(async () => {
		for (const mode of ['plain', 'compatible', 'safe'] as const) {
			harnesses[mode] = await TriggerHarness.create(credentialFor(ACCOUNT, mode), { events: 'all' });
		}
	});

	it('covers every kind of defect many times', () => {
		const perCategory = new Map<string, number>();
		for (const { category } of cases) perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
		expect(cases).toHaveLength(IN_PROCESS_REQUESTS);
		expect(perCategory.size).toBe(GENERATORS.length + 3);
		for (const generator of GENERATORS) expect(perCategory.get(generator.category)).toBeGreaterThan(500);
	});

	it('answers every one with a 4xx, starts nothing and never throws', async () => {
		const unexpected: string[] = [];
		for (const [index, fuzzCase] of cases.entries()) {
			const reply = await harnesses[fuzzCase.mode].invoke(fuzzCase.request);
			if (reply.status < 400 || reply.status > 499 || reply.result?.workflowData !== undefined) {
				unexpected.push(`#${index} ${fuzzCase.category} (${fuzzCase.mode}): ${reply.status} ${reply.body}`);
			}
		}
		expect(unexpected.slice(0, 20)).toEqual([]);
		for (const harness of Object.values(harnesses)) {
			expect(harness.errors).toEqual([]);
			expect(harness.starts).toHaveLength(0);
		}
	});

	it('does the same over HTTP for a sample', async () => {
		const urls = {} as Record<Mode, string>;
		for (const mode of ['plain', 'compatible', 'safe'] as const) urls[mode] = await harnesses[mode].listen();
		try {
			const sample = cases.filter((_, index) => index < 15 || index % OVER_HTTP_EVERY === 0);
			const statuses = await Promise.all(sample.map(async ({ mode, request }) => (await sendOverHttp(urls[mode], request)).status));
			expect(statuses.filter((status) => status < 400 || status > 499)).toEqual([]);
			expect(sample.length).toBeGreaterThan(250);
		} finally {
			for (const harness of Object.values(harnesses)) await harness.close();
		}
		for (const harness of Object.values(harnesses)) {
			expect(harness.errors).toEqual([]);
			expect(harness.starts).toHaveLength(0);
		}
	});

	it('still starts the workflow for a genuine request, so the silence above means something', async () => {
		const random = createRandom(SEED + 1);
		for (const mode of ['plain', 'compatible', 'safe'] as const) {
			const reply = await harnesses[mode].invoke(post(genuine(random, mode)));
			expect(reply).toMatchObject({ status: 200, body: 'success' });
			expect(harnesses[mode].starts).toHaveLength(1);
		}
	});
});

describe('robustness of the replay guard', () => {
	it('refuses genuine requests from outside the window, whatever they carry', async () => {
		const harness = await TriggerHarness.create(credentialFor(ACCOUNT, 'safe'), { events: 'all', maxMessageAge: 60 });
		const random = createRandom(SEED + 2);
		for (let index = 0; index < 200; index += 1) {
			const offset = random.integer(61, 10 ** 7) * (random.next() < 0.5 ? -1 : 1);
			const timestamp = String(Math.max(0, Number(nowTimestamp()) + offset));
			const reply = await harness.invoke(post(safeRequest(ACCOUNT, randomEventXml(random), { timestamp })));
			expect(reply).toMatchObject({ status: 403, body: 'timestamp outside the accepted window' });
		}
		expect(harness.starts).toHaveLength(0);
		expect(harness.errors).toEqual([]);
	});
});
