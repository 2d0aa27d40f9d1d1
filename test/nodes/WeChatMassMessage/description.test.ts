// What a person reads in n8n's editor: the nodes' names, subtitles, hints, notices and numbers, as the
// built package describes them (both versions of WeChat Mass Message, and the trigger).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MAX_OPENIDS_PER_SEND, MIN_OPENIDS_PER_SEND } from '../../../nodes/WeChatMassMessage/helpers/recipients';
import { MAX_CLIENT_MSG_ID_BYTES } from '../../../nodes/WeChatMassMessage/transport/exactlyOnceSend';
import { explainErrcode } from '../../../nodes/WeChatMassMessage/transport/errorCodes';
import { WeChatCallbackApi } from '../../../credentials/WeChatCallbackApi.credentials';
import { WeChatOfficialAccountApi } from '../../../credentials/WeChatOfficialAccountApi.credentials';
import { MASS_NODE_TYPE, PACKAGE_NAME, PACKAGE_ROOT, loadPackage, type LoadedPackage } from '../../harness/workflow';
import { startFixture } from './fixtures';

const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.weChatMassMessageTrigger`;
const VERSIONS = [1, 2, 3];

/** One piece of text the editor shows, and where. */
interface Shown {
	kind: 'name' | 'description' | 'hint' | 'notice' | 'placeholder' | 'action';
	text: string;
	/** The field it belongs to, e.g. "options > clientMsgId". */
	field: string;
	property?: INodeProperties;
}

function isOption(option: NonNullable<INodeProperties['options']>[number]): option is INodePropertyOptions {
	return 'value' in option;
}

function isFixedCollectionEntry(option: NonNullable<INodeProperties['options']>[number]): option is INodePropertyCollection {
	return 'values' in option;
}

/** Every text of `properties` and of the fields inside collections, with the property it belongs to. */
function shownTexts(properties: INodeProperties[], path = ''): Shown[] {
	const shown: Shown[] = [];
	for (const property of properties) {
		const field = `${path}${property.name}`;
		const add = (kind: Shown['kind'], text: string | undefined) => {
			if (text !== undefined) shown.push({ kind, text, field, property });
		};
		add(property.type === 'notice' ? 'notice' : 'name', property.displayName);
		add('description', property.description);
		add('hint', property.hint);
		add('placeholder', property.placeholder);
		for (const mode of property.modes ?? []) {
			add('name', mode.displayName);
			add('placeholder', mode.placeholder);
			add('hint', mode.hint);
		}
		for (const option of property.options ?? []) {
			if (isOption(option)) {
				add('name', option.name);
				add('description', option.description);
				add('action', option.action);
			} else if (isFixedCollectionEntry(option)) {
				add('name', option.displayName);
				shown.push(...shownTexts(option.values, `${field} > ${option.name} > `));
			} else {
				shown.push(...shownTexts([option], `${field} > `));
			}
		}
	}
	return shown;
}

/** Every property, the fields inside collections included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...allProperties(
			(property.options ?? []).flatMap((option) => (isOption(option) ? [] : isFixedCollectionEntry(option) ? option.values : [option])),
		),
	]);
}

/** Proper names that are written in two capitals: everything else in camelCase is an API identifier. */
const PROPER_NAMES = /WeChat|OpenIDs?/g;

/** The identifiers WeChat's API and the node's parameters use: option values and parameter names. */
function apiWordsOf(descriptions: INodeTypeDescription[]): Set<string> {
	const words = new Set<string>();
	for (const property of descriptions.flatMap((description) => allProperties(description.properties))) {
		words.add(property.name.toLowerCase());
		for (const option of property.options ?? []) {
			if (isOption(option) && typeof option.value === 'string') words.add(option.value.toLowerCase());
		}
	}
	return words;
}

/** camelCase, snake_case, or an API word in brackets ("(Mpnews)", "(wxcard)"), whatever its case. */
function apiIdentifierIn(text: string, apiWords: Set<string>): string | undefined {
	const plain = text.replace(PROPER_NAMES, '');
	const bracketed = [...plain.matchAll(/\(([^)]*)\)/g)].find(([, word]) => apiWords.has(word.toLowerCase()) || /^[a-z][a-z_]*$/.test(word));
	return /[a-z][A-Z]/.exec(plain)?.[0] ?? bracketed?.[0] ?? /\w_\w/.exec(plain)?.[0];
}

/**
 * n8n's lint (eslint-plugin-n8n-nodes-base, which n8n's community package scanner applies) wants this
 * exact text on a dropdown whose options load from the account; it is the only HTML allowed.
 */
const LINT_MANDATED_DYNAMIC_OPTIONS_TEXT = 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';

let pkg: LoadedPackage;
let mass: INodeTypeDescription;
let trigger: INodeTypeDescription;
beforeAll(async () => {
	pkg = await loadPackage();
	mass = pkg.nodeTypes.getByNameAndVersion(MASS_NODE_TYPE, 2).description;
	trigger = pkg.nodeTypes.getByNameAndVersion(TRIGGER_NODE_TYPE, 1).description;
});

const descriptions = () => [mass, trigger];

/** A node as the editor holds it: the given values, every other shown parameter at its default. */
function editorNode(description: INodeTypeDescription, typeVersion: number, values: INodeParameters): INode {
	const parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, { typeVersion }, description) ?? {};
	return { id: 'node', name: 'Node', type: `${PACKAGE_NAME}.${description.name}`, typeVersion, position: [0, 0], parameters };
}

/** The canvas subtitle of `node`, evaluated by n8n's expression engine as the editor does. */
function subtitleOf(description: INodeTypeDescription, node: INode): unknown {
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes, staticData: {} });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {}, undefined, '');
}

/** The properties the editor shows for `node`. */
function shownProperties(description: INodeTypeDescription, node: INode): INodeProperties[] {
	return description.properties.filter((property) => NodeHelpers.displayParameter(node.parameters, property, node, description));
}

/** Each resource with the names of the operations its Operation dropdown offers in `typeVersion`. */
function actionsOf(typeVersion: number): Array<{ resource: INodePropertyOptions; operations: INodePropertyOptions[] }> {
	const resources = mass.properties.find((property) => property.name === 'resource')!.options!.filter(isOption);
	return resources.map((resource) => {
		const node = editorNode(mass, typeVersion, { resource: resource.value });
		const operation = shownProperties(mass, node).find((property) => property.name === 'operation')!;
		return { resource, operations: operation.options!.filter(isOption) };
	});
}

describe('names read as a person says them', () => {
	test('no option name or field name carries an API identifier (camelCase, snake_case, or an API word in brackets)', () => {
		const names = descriptions().flatMap((description) => shownTexts(description.properties)).filter((shown) => shown.kind === 'name');
		expect(names.length).toBeGreaterThan(100);
		const apiWords = apiWordsOf(descriptions());
		expect(['mpnews', 'mpvideo', 'wxcard', 'sendtotag'].filter((word) => !apiWords.has(word))).toEqual([]);
		expect(names.filter((shown) => apiIdentifierIn(shown.text, apiWords) !== undefined).map((shown) => `${shown.field}: ${shown.text}`)).toEqual([]);
	});

	test('the message types are named plainly', () => {
		const messageType = mass.properties.find((property) => property.name === 'messageType')!;
		expect(messageType.options!.filter(isOption).map((option) => [option.value, option.name])).toEqual([
			['mpnews', 'Article'],
			['wxcard', 'Card (Coupon)'],
			['image', 'Images'],
			['text', 'Text'],
			['mpvideo', 'Video'],
			['voice', 'Voice'],
		]);
	});

	test('every action has a description and an action text without API paths or identifiers', () => {
		for (const typeVersion of VERSIONS) {
			for (const { operations } of actionsOf(typeVersion)) {
				for (const operation of operations) {
					expect([operation.name, operation.description, operation.action]).toEqual([operation.name, expect.any(String), expect.any(String)]);
					const texts = [operation.description!, operation.action!];
					expect(texts.filter((text) => /\/|cgi-bin|\bmedia_id\b/.test(text) || /[a-z][A-Z]/.test(text.replace(PROPER_NAMES, '')))).toEqual([]);
				}
			}
		}
	});
});

describe('the canvas subtitle is the action\'s name', () => {
	test.each(VERSIONS)('version %i: every action, in n8n\'s expression engine', (typeVersion) => {
		const subtitles = actionsOf(typeVersion).flatMap(({ resource, operations }) =>
			operations.map((operation) => {
				const node = editorNode(mass, typeVersion, { resource: resource.value, operation: operation.value });
				return [resource.value, operation.value, subtitleOf(mass, node)];
			}),
		);
		expect(subtitles).toEqual(
			actionsOf(typeVersion).flatMap(({ resource, operations }) =>
				operations.map((operation) => [
					resource.value,
					operation.value,
					resource.value === 'massMessage' ? operation.name : `${resource.name}: ${operation.name}`,
				]),
			),
		);
		const apiWords = apiWordsOf(descriptions());
		expect(subtitles.filter(([, , subtitle]) => typeof subtitle !== 'string' || apiIdentifierIn(subtitle, apiWords) !== undefined)).toEqual([]);
	});

	test('a new node shows its default action', () => {
		expect(subtitleOf(mass, editorNode(mass, 2, {}))).toBe('Send to Tag or All');
		expect(subtitleOf(mass, editorNode(mass, 1, { resource: 'media' }))).toBe('Media: Upload Temporary');
		expect(subtitleOf(mass, editorNode(mass, 2, { resource: 'media' }))).toBe('Media: Upload Permanent');
		expect(subtitleOf(mass, editorNode(mass, 2, { resource: 'draft', operation: 'getAll' }))).toBe('Draft: Get Many');
	});

	test('the trigger\'s subtitle says which events start it', () => {
		expect(subtitleOf(trigger, editorNode(trigger, 1, {}))).toBe('Mass send finished');
		expect(subtitleOf(trigger, editorNode(trigger, 1, { events: 'all' }))).toBe('All events');
	});
});

describe('the limits that decide whether a send works are shown under the fields', () => {
	const CONTENT_FIELDS: Record<string, string> = {
		mpnews: 'articleMediaId',
		image: 'imageMediaIds',
		voice: 'voiceMediaId',
		mpvideo: 'videoMediaId',
		wxcard: 'cardId',
	};
	const cases = VERSIONS.flatMap((typeVersion) =>
		(['sendToTag', 'sendToOpenIds'] as const).flatMap((operation) =>
			Object.entries(CONTENT_FIELDS).map(([messageType, contentField]) => ({ typeVersion, operation, messageType, contentField })),
		),
	);

	test.each(cases)('version $typeVersion, $operation, message type $messageType', ({ typeVersion, operation, messageType, contentField }) => {
		const node = editorNode(mass, typeVersion, { resource: 'massMessage', operation, messageType, sendTo: 'tag' });
		const shown = shownProperties(mass, node);
		const hintOf = (name: string) => shown.find((property) => property.name === name)?.hint;
		const recipients = operation === 'sendToTag' ? 'tagId' : 'openIds';
		expect({ [recipients]: hintOf(recipients), messageType: hintOf('messageType'), [contentField]: hintOf(contentField) }).toEqual({
			[recipients]: expect.any(String),
			messageType: expect.stringMatching(/permanent material.*draft box/),
			[contentField]: expect.any(String),
		});
		const options = shown.find((property) => property.name === 'options')!.options as INodeProperties[];
		expect(options.find((option) => option.name === 'clientMsgId')?.hint).toBe(
			`At most ${MAX_CLIENT_MSG_ID_BYTES} bytes; WeChat sends each key once within 24 hours`,
		);
		expect(shown.find((property) => property.type === 'notice')?.displayName).toMatch(/Mass send quota.*once a day.*at most 4 mass messages a month/);
	});

	test('the OpenIDs hint gives WeChat\'s numbers from the rules the node enforces', () => {
		const openIds = mass.properties.find((property) => property.name === 'openIds')!;
		expect(openIds.hint).toBe(`At least ${MIN_OPENIDS_PER_SEND} and at most ${MAX_OPENIDS_PER_SEND.toLocaleString('en-US')} per send: longer lists are split into several sends`);
	});

	test('sending to all followers mentions the admin\'s confirmation (群发保护)', () => {
		const node = editorNode(mass, 3, { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all' });
		expect(shownProperties(mass, node).find((property) => property.name === 'allFollowersNotice')?.displayName).toMatch(/群发保护.*30 minutes/);
	});

	test('placeholders read as examples a person types, not expressions', () => {
		const placeholders = descriptions().flatMap((description) => shownTexts(description.properties)).filter((shown) => shown.kind === 'placeholder');
		expect(placeholders.filter((shown) => shown.text.startsWith('=') || shown.text.includes('{{'))).toEqual([]);
		expect(mass.properties.find((property) => property.name === 'openIds')!.placeholder).toMatch(/^e\.g\. o\S{27}, o\S{27}$/);
	});
});

test('no description, hint or notice shows raw HTML, except lists in notices (n8n 2.x renders a, ul and li there) and the text n8n\'s lint requires on a dropdown loaded from the account', () => {
	const texts = descriptions()
		.flatMap((description) => shownTexts(description.properties))
		.filter((shown) => shown.kind !== 'name')
		.map((shown) => {
			const withoutLintText = shown.property?.typeOptions?.loadOptionsMethod !== undefined ? shown.text.replace(LINT_MANDATED_DYNAMIC_OPTIONS_TEXT, '') : shown.text;
			return { field: shown.field, text: shown.kind === 'notice' ? withoutLintText.replace(/<\/?(ul|li)>/g, '') : withoutLintText };
		});
	expect(texts.filter(({ text }) => /<\/?[a-z][^>]*>/i.test(text))).toEqual([]);
	// The exception is used where the lint asks for it, and only there.
	const withLintText = descriptions()
		.flatMap((description) => shownTexts(description.properties))
		.filter((shown) => shown.text.includes(LINT_MANDATED_DYNAMIC_OPTIONS_TEXT));
	expect(withLintText.map((shown) => [shown.field, shown.property?.typeOptions?.loadOptionsMethod])).toEqual([['tagId', 'getTags']]);
});

test('texts are in English (n8n\'s verification guidelines); Chinese only as a label a user must find in WeChat\'s Chinese-only console', () => {
	// Menu paths on the WeChat Developer Platform and the Official Accounts Platform, and the fields of
	// the message push configuration, as the console labels them.
	const consoleLabels = ['我的业务', '基础信息', '开发密钥', 'API IP 白名单', '域名与消息推送配置', '群发保护', '设置 > 安全中心 > 风险操作保护', '开发者ID', '令牌', '消息加解密方式', '明文模式', '兼容模式', '安全模式', '消息加解密密钥', '自动回复', '自定义菜单'];
	const credentialTexts = [new WeChatCallbackApi(), new WeChatOfficialAccountApi()].flatMap((credential) => [credential.displayName, ...shownTexts(credential.properties).map((shown) => shown.text)]);
	const errorTexts = Array.from({ length: 100_000 }, (_, index) => explainErrcode(index - 1)).filter((text): text is string => text !== undefined);
	const texts = [...descriptions().flatMap((description) => [description.displayName, description.description, ...shownTexts(description.properties).map((shown) => shown.text)]), ...credentialTexts, ...errorTexts];
	expect(texts.length).toBeGreaterThan(500);
	const chinese = /[\u3400-\u9fff\uff00-\uffef]/;
	expect(texts.filter((text) => chinese.test(consoleLabels.reduce((rest, label) => rest.replaceAll(label, ''), text)))).toEqual([]);
});

test('number fields count whole units and show no decimals', () => {
	const numbers = descriptions().flatMap((description) => allProperties(description.properties)).filter((property) => property.type === 'number');
	expect(numbers.map((property) => property.name)).toEqual(
		expect.arrayContaining(['pollIntervalSeconds', 'timeLimitSeconds', 'confirmWithinSeconds', 'repeatWaitSeconds', 'limit', 'maxMessageAge']),
	);
	expect(numbers.filter((property) => property.typeOptions?.numberPrecision !== 0).map((property) => property.name)).toEqual([]);
});

describe('the Docs links open this package\'s README', () => {
	const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
	const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
	/** GitHub's anchors for the README's headings: lower case, punctuation dropped, spaces as hyphens. */
	const readmeAnchors = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));

	test.each([
		['weChatMassMessage', 'operations'],
		['weChatMassMessageTrigger', 'trigger-wechat-mass-message-trigger'],
	])('%s: its README section', (name, anchor) => {
		const node = pkg.loader.types.nodes.find((type) => type.name === name) as { codex?: { resources?: { primaryDocumentation?: Array<{ url: string }> } } };
		expect(node.codex?.resources?.primaryDocumentation).toEqual([{ url: `${repository}#${anchor}` }]);
		expect(readmeAnchors).toContain(anchor);
	});

	test.each([
		['weChatMassMessage', 'weChatOfficialAccountApi', 'credential-wechat-official-account-api'],
		['weChatMassMessageTrigger', 'weChatCallbackApi', 'trigger-wechat-mass-message-trigger'],
	])('%s\'s credential %s: its README section', (nodeName, credentialName, anchor) => {
		const node = pkg.loader.types.nodes.find((type) => type.name === nodeName) as { codex?: { resources?: { credentialDocumentation?: Array<{ url: string }> } } };
		expect(node.codex?.resources?.credentialDocumentation).toEqual([{ url: `${repository}#${anchor}` }]);
		expect(pkg.credentialTypes.getByName(credentialName).documentationUrl).toBe(`${repository}#${anchor}`);
		expect(readmeAnchors).toContain(anchor);
	});
});

describe('what a first-time user meets in the editor', () => {
	test('the API credential dialog opens with what a first call needs: the IP whitelist and where App ID and App Secret are', () => {
		const [first] = new WeChatOfficialAccountApi().properties;
		expect(first.type).toBe('notice');
		expect(first.displayName).toMatch(/^Before the first call, add the public IP address n8n calls WeChat from in the .*API IP Whitelist.*40164.*App ID and App Secret/);
	});

	test('no two actions of a resource read alike ("Get followers" beside "Get many followers")', () => {
		const operations = mass.properties.filter((property) => property.name === 'operation');
		const alike = operations.flatMap((property) => {
			const actions = (property.options ?? []).filter(isOption).map((option) => String(option.action));
			return actions.filter((action) => actions.includes(action.replace(/^Get many /, 'Get ')) && action.startsWith('Get many '));
		});
		expect(alike).toEqual([]);
	});

	test('Get Article Stats takes its days as text (YYYY-MM-DD in China time), not n8n\'s date picker that marks the browser\'s today', () => {
		const dates = mass.properties.filter((property) => property.name === 'fromDate' || property.name === 'toDate');
		expect(dates.map((property) => [property.name, property.type, property.placeholder])).toEqual([
			['fromDate', 'string', expect.stringMatching(/^e\.g\. \d{4}-\d\d-\d\d$/)],
			['toDate', 'string', expect.stringMatching(/^e\.g\. \d{4}-\d\d-\d\d$/)],
		]);
	});

	/**
	 * The nodes panel's entry for this package, by n8n's own rule (editor-ui 2.41.1,
	 * `generateMergedNodesAndActions` in the workflows store; the same in 1.123): a trigger whose type
	 * name is an action node's plus "Trigger" is merged into that node's entry, and the entry takes the
	 * trigger's description. So the trigger's description is what the panel shows for both nodes.
	 */
	function nodesPanelEntries(nodes: INodeTypeDescription[]): Array<{ displayName: string; description: string }> {
		const entries = nodes.filter((node) => !node.group.includes('trigger')).map((node) => ({ name: node.name, displayName: node.displayName, description: node.description }));
		for (const node of nodes.filter((candidate) => candidate.group.includes('trigger'))) {
			const merged = entries.find((entry) => entry.name === node.name.replace('Trigger', ''));
			if (merged) merged.description = node.description;
			else entries.push({ name: node.name, displayName: node.displayName, description: node.description });
		}
		return entries.map(({ displayName, description }) => ({ displayName, description }));
	}

	test('the nodes panel shows one entry, and its description speaks of the actions and of the trigger', () => {
		const entries = nodesPanelEntries([mass, trigger]);
		expect(entries.map((entry) => entry.displayName)).toEqual(['WeChat Mass Message']);
		const [{ description }] = entries;
		expect(description).toMatch(/\bsend\b/i);
		// In English, as n8n's verification asks; "群发" finds it as a search alias (methods.test.ts reads the codex).
		expect(description).toMatch(/mass messages/i);
		expect(description).toMatch(/start(s)? (a )?workflows? when/i);
		expect(description).not.toMatch(/^Starts the workflow/);
	});

	describe('the trigger panel sets WeChat up on its own', () => {
		const notice = () => trigger.properties.find((property) => property.name === 'setupNotice')!.displayName;
		/** The notice's steps: list items, the one layout n8n 2.x keeps in a notice (it allows only a, ul and li there). */
		const steps = () => [...notice().matchAll(/<li>(.*?)<\/li>/g)].map(([, step]) => step);

		test('its notice is numbered steps, one list item each', () => {
			expect(steps().map((step) => step.split('.')[0])).toEqual(['1', '2', '3', '4']);
			expect(notice().replace(/<\/?(ul|li)>/g, '')).not.toMatch(/<[a-z/]/i);
		});

		test('it says WeChat calls only a public URL on port 80 or 443, and that the URL shown while testing is not one', () => {
			expect(notice()).toMatch(/public/i);
			expect(notice()).toMatch(/port 80 \(http\) or 443 \(https\)/);
			expect(notice()).toMatch(/localhost/);
			expect(notice()).toMatch(/WEBHOOK_URL/);
		});

		test('it sends people to where WeChat keeps the server configuration now (the WeChat Developer Platform)', () => {
			// https://developers.weixin.qq.com/doc/service/guide/dev/migration.html: 服务器配置 moved from the
			// Official Accounts Platform's 开发接口管理 to 微信开发者平台 - 我的业务 - 服务号 - 基础信息 - 域名与消息推送配置.
			expect(notice()).toMatch(/WeChat Developer Platform/);
			expect(notice()).toMatch(/域名与消息推送配置/);
			expect(notice()).not.toMatch(/基本配置/);
		});
	});

	test.each([
		[3, /exactly one of Cover Image Binary Field .*and Cover Media ID/, ['coverBinaryField', 'coverMediaId']],
		[4, /exactly one of Cover Image URL .*, Cover Image Binary Field .*and Cover from Material Library/, ['coverImage', 'coverBinaryField', 'coverImageUrl']],
	])('Draft: Create (version %i) says in a notice, visible also when the fields are expressions, that each article takes exactly one cover, and shows that version\'s cover fields', (version, rule, coverFields) => {
		const node = editorNode(mass, version, { resource: 'draft', operation: 'create' });
		const notices = shownProperties(mass, node).filter((property) => property.type === 'notice');
		expect(notices.map((property) => property.displayName)).toEqual([expect.stringMatching(rule)]);
		const article = (mass.properties.find((property) => property.name === 'articles' && NodeHelpers.displayParameter(node.parameters, property, node, mass))!
			.options![0] as INodePropertyCollection).values;
		const shownCovers = article.filter((field) => field.name.startsWith('cover') && NodeHelpers.displayParameter({}, field, node, mass));
		expect(shownCovers.map((field) => field.name)).toEqual(coverFields);
		for (const field of shownCovers) expect(field.hint).toMatch(/Exactly one/);
	});

	test('the send options read as plain questions, not as the node\'s inner words', () => {
		const options = mass.properties.find((property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('sendToTag'))!
			.options as INodeProperties[];
		expect(options.map((option) => option.displayName)).toEqual([
			'Allow Reprint',
			'Client Message ID',
			'Confirmation Time Limit (Seconds)',
			'If Already Sent',
			'Reach Each Follower',
			'Wait Before Sending Again (Seconds)',
		]);
		const texts = shownTexts(options).map((shown) => shown.text);
		expect(texts.filter((text) => /Repeat Rule|On Repeat|Repeat Wait/.test(text))).toEqual([]);
	});

	test('Send to Tag or All: only sending to all followers speaks of the admin\'s confirmation', () => {
		const textsFor = (sendTo: string) =>
			shownProperties(mass, editorNode(mass, 3, { resource: 'massMessage', operation: 'sendToTag', sendTo }))
				.filter((property) => ['sendTo', 'tagId', 'allFollowersNotice'].includes(property.name))
				.flatMap((property) => [property.displayName, property.hint ?? '']);
		expect(textsFor('tag').filter((text) => /群发保护|all followers/i.test(text))).toEqual([]);
		expect(textsFor('all')).toEqual(expect.arrayContaining([expect.stringMatching(/群发保护.*30 minutes/)]));
	});
});

describe('what the pickers save with a workflow (the cached name n8n shows for a chosen item)', () => {
	test('a tag\'s cached name is its name alone: no follower count to go stale', async () => {
		const { wechat, env } = await startFixture();
		try {
			const before = await env.n8n.listSearch('searchTags', {});
			wechat.tags.find((tag) => tag.id === 100)!.count += 1;
			const after = await env.n8n.listSearch('searchTags', {});
			expect(after.results).toEqual(before.results);
			expect(after.results.map((result) => result.name)).toEqual(wechat.tags.map((tag) => tag.name));
		} finally {
			await wechat.stop();
		}
	});

	test('a draft\'s cached name shows its time with the zone it is in', async () => {
		const { wechat, env } = await startFixture();
		try {
			wechat.registerDraft('DRAFT_A', ['Spring sale'], 1_790_000_000);
			const { results } = await env.n8n.listSearch('searchDrafts', {});
			expect(results.map((result) => result.name)).toEqual(['Spring sale · 2026-09-21 22:13 (UTC+8)']);
		} finally {
			await wechat.stop();
		}
	});
});
