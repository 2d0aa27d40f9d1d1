// The sandbox: a real n8n (latest 2.x) with this package installed as a community package, a
// credential pointing at the bundled fake WeChat API, and the example workflows imported, ready to run
// with "Execute workflow": sample input is pinned where the source needs an account (Google Sheets,
// the CRM's webhook, WeChat's event), and stand-ins serve the blog whose images
// examples/blog-post-to-wechat-article.json hosts on WeChat and take the team's email. The fake WeChat
// pushes its events (a finished send, a finished publish) to the examples' WeChat triggers, as WeChat
// pushes them to the account's server URL.
//   npm start                  against the fake WeChat API (no WeChat account needed)
//   npm start -- --real-wechat against WeChat itself: set WECHAT_APP_ID and WECHAT_APP_SECRET
//                              (and WECHAT_API_BASE_URL for a regional host or relay)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

import type { PushDelivery, PushTarget } from '../test/fake-wechat/push';
import { FakeWeChatServer } from '../test/fake-wechat/server';
import { PACKAGE_ROOT } from '../test/harness/workflow';
import { FileServer, SAMPLE_JPEG, SAMPLE_PNG, SAMPLE_WEBP, type ServedFile, jpegOfSize } from '../test/helpers/fileServer';
import { SmtpSink, type ReceivedEmail } from '../test/helpers/smtpSink';

const N8N_VERSION = process.env.SANDBOX_N8N_VERSION ?? '2.41.1';
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const FAKE_WECHAT_PORT = Number(process.env.FAKE_WECHAT_PORT ?? 18080);
const IMAGES_PORT = Number(process.env.SANDBOX_IMAGES_PORT ?? 18081);
const SMTP_PORT = Number(process.env.SANDBOX_SMTP_PORT ?? 18025);
/** Where the examples link their images; the sandbox serves them itself when it runs the fake WeChat API. */
const EXAMPLE_BLOG = 'https://blog.example.com';
/**
 * The sandbox's n8n user folder and imports, outside the repository: n8n loads a community package's `n8n-workflow`
 * from its own installation only when no node_modules above the package holds one, and the repository's holds its
 * development copy. With that copy, the package's errors are not n8n's error classes to n8n, which then logs a user's
 * mistake (a validation error) as an unexpected error with its stack trace. One folder per checkout, in the cache
 * folder n8n is installed into.
 */
export function sandboxFolder(packageRoot: string, cacheRoot = process.env.WECHAT_MASS_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-wechat-mass')): string {
	const checkout = createHash('sha256').update(packageRoot).digest('hex').slice(0, 8);
	return join(cacheRoot, 'sandbox', `${basename(packageRoot)}-${checkout}`);
}
const SANDBOX = sandboxFolder(PACKAGE_ROOT);
export const CREDENTIAL = { id: 'sandboxWeChatApi01', name: 'WeChat Official Account' };
export const CALLBACK_CREDENTIAL = { id: 'sandboxCallback001', name: 'WeChat callback' };
export const SMTP_CREDENTIAL = { id: 'sandboxSmtpMail001', name: 'Mail (sandbox)' };
/** The sandbox's message push settings: its callback credential holds them, and its WeChat signs and encrypts with them. */
const SANDBOX_CALLBACK = { token: 'sandboxToken123', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', mode: 'safe', originalId: 'gh_5a4db0c0ffee' } as const;
export const TRIGGER_NODE_TYPE = 'n8n-nodes-wechat-mass.weChatMassMessageTrigger';

/** The media the examples send, as the fake WeChat API knows them when the sandbox starts it. */
export const SANDBOX_MEDIA: ReadonlyArray<readonly [mediaId: string, type: string, fileName?: string]> = [
	['SANDBOX_ARTICLE_MEDIA_ID', 'news'],
	// The Article Media ID of sheet-rows-to-openids.json, until the user puts in one of their own.
	['YOUR_ARTICLE_MEDIA_ID', 'news'],
	// The draft named by the request pinned in crm-webhook-to-tag.json.
	['Kx3pQ7vN2mZ8wR4tY6bH1cJ9dF5gL0aSeUiO3kW7nEq', 'news'],
	['SANDBOX_IMAGE_MEDIA_ID', 'image', 'store-opening.jpg'],
	// Covers to pick in Draft: Create's Cover from Material Library.
	['SANDBOX_COVER_SPRING', 'image', 'spring-sale-cover.jpg'],
	['SANDBOX_COVER_NEWSLETTER', 'image', 'newsletter-cover.png'],
];

/** The followers the examples' pinned rows and requests name (the sheets' and the CRM's). */
export const SANDBOX_FOLLOWERS: readonly string[] = [
	'oKx3s5Fq8Rm1VbT7nYc0Lh2Wd9Pe',
	'oKx3s5Mz4Gt6Jw0pQa8Xe1Nr7Ub2',
	'oKx3s5Hd2Ls9Cv5kTn3Bw6Yq0Zi8',
	'oKx3s5Pj7Ea1Ro4uGm9Sf2Kx6Ht3',
	'oKx3s5Vq1Ip8Dn2Wc7Rz4Ty6Mb0A',
];

/**
 * Drafts in the sandbox's draft box (草稿箱) from the start, as an editor would have left them in the
 * console, so that the Article field's "From Draft Box" picker has something to pick. No example
 * sends them, so they stay there (a send takes its draft out of the box).
 */
export const SANDBOX_DRAFTS: ReadonlyArray<{ mediaId: string; titles: string[]; hoursAgo: number }> = [
	{ mediaId: 'SANDBOX_DRAFT_WINTER_SALE', titles: ['冬季会员日：全场 8 折', '会员日活动规则'], hoursAgo: 2 },
	{ mediaId: 'SANDBOX_DRAFT_NEW_MENU', titles: ['12 月新品上市'], hoursAgo: 26 },
	{ mediaId: 'SANDBOX_DRAFT_NEWSLETTER', titles: ['Monthly newsletter: what we shipped'], hoursAgo: 72 },
];

/** The msg_data_id whose statistics article-stats-to-sheet.json reads. */
export const SANDBOX_STATS_MSG_DATA_ID = '2247490001';

/** The fake WeChat API as the sandbox and the examples' tests start it: the examples' media, a few drafts, followers, and 120 followers more. */
export function prepareSandboxWeChat(wechat: FakeWeChatServer): void {
	for (const [mediaId, type, fileName] of SANDBOX_MEDIA) wechat.registerMedia(mediaId, type, 'permanent', fileName);
	const now = Math.floor(Date.now() / 1000);
	for (const draft of SANDBOX_DRAFTS) wechat.registerDraft(draft.mediaId, draft.titles, now - draft.hoursAgo * 3600);
	wechat.audience.addFollowers([...SANDBOX_FOLLOWERS]);
	wechat.audience.generateFollowers(120);
	// Yesterday's figures (China time) for the two articles of article-stats-to-sheet.json's send.
	const yesterday = new Date(Date.now() + 8 * 3600 * 1000 - 24 * 3600 * 1000).toISOString().slice(0, 10);
	wechat.articleStats.set(`${SANDBOX_STATS_MSG_DATA_ID}_1`, yesterday, { read: { read_user: 4123 }, share: { share_user: 210 } });
	wechat.articleStats.set(`${SANDBOX_STATS_MSG_DATA_ID}_2`, yesterday, { read: { read_user: 800 } });
}


/**
 * The blog's images (under EXAMPLE_BLOG) that examples/blog-post-to-wechat-article.json downloads, as
 * a blog serves them: the team photo's original is over WeChat's 1 MB (its 1024w copy fits), and the
 * office photo comes from a CDN that sends WebP to whoever allows it.
 */
export const BLOG_IMAGES: Readonly<Record<string, ServedFile>> = {
	'/images/chart.png': { body: SAMPLE_PNG, contentType: 'image/png' },
	'/images/team.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' },
	'/images/team-2560.jpg': { body: jpegOfSize(2 * 1024 * 1024), contentType: 'image/jpeg' },
	'/images/office.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg', webp: SAMPLE_WEBP },
	'/images/cover.jpg': { body: SAMPLE_JPEG, contentType: 'image/jpeg' },
};

/** An example as the sandbox imports it (the fields the sandbox and the tests read). */
export interface SandboxWorkflow {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; parameters?: Record<string, unknown>; credentials?: object }>;
	connections: Record<string, Record<string, Array<Array<{ node: string }> | null>>>;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
}

function step(message: string): void {
	console.log(`\n> ${message}`);
}

function installN8n(): { nodeBin: string; n8nBin: string } {
	step(`Real n8n ${N8N_VERSION} (installed once into ~/.cache/n8n-nodes-wechat-mass; the first time takes a few minutes)`);
	const line = execFileSync('bash', [join(PACKAGE_ROOT, 'scripts', 'install-n8n.sh'), N8N_VERSION], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	const [nodeBin, n8nBin] = line.trim().split('\t');
	return { nodeBin, n8nBin };
}

function installPackage(userFolder: string): void {
	step('Packing this package and installing it the way n8n installs community packages');
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', SANDBOX], { cwd: PACKAGE_ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	rmSync(join(nodesDir, 'node_modules', 'n8n-nodes-wechat-mass'), { recursive: true, force: true });
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--omit=dev', join(SANDBOX, tarball)], { cwd: nodesDir, stdio: 'ignore' });
}

/** Draft: Create downloads only from public addresses: the sandbox's image server is allowed by name. */
export function allowLocalBlog(exampleText: string, blogUrl: string): string {
	return exampleText.replaceAll('"imageAddresses": "publicOnly"', `"imageAddresses": "publicOnly", "allowedPrivateHosts": "${new URL(blogUrl).hostname}"`);
}

/**
 * The examples, with their WeChat and email nodes already pointing at the sandbox credentials and,
 * when `blogUrl` is given, their blog links pointing at the sandbox's image server.
 */
export function examplesWithCredentials(blogUrl?: string): Array<{ file: string; workflow: SandboxWorkflow }> {
	const dir = join(PACKAGE_ROOT, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file, index) => {
			let text = readFileSync(join(dir, file), 'utf8');
			if (blogUrl) text = allowLocalBlog(text.replaceAll(EXAMPLE_BLOG, blogUrl), blogUrl);
			const workflow = JSON.parse(text) as Omit<SandboxWorkflow, 'id'>;
			for (const node of workflow.nodes) {
				if (node.type === 'n8n-nodes-wechat-mass.weChatMassMessage') node.credentials = { weChatOfficialAccountApi: CREDENTIAL };
				if (node.type === TRIGGER_NODE_TYPE) node.credentials = { weChatCallbackApi: CALLBACK_CREDENTIAL };
				if (node.type === 'n8n-nodes-base.emailSend') node.credentials = { smtp: SMTP_CREDENTIAL };
			}
			return { file, workflow: { ...workflow, id: `sandboxExample${String(index).padStart(2, '0')}` } };
		});
}

/** The WeChat API credential's data for the fake WeChat API. */
export function fakeWeChatCredentialData(wechat: FakeWeChatServer): Record<string, string> {
	// The fake serves showqrcode too, which WeChat serves from mp.weixin.qq.com.
	return { appId: wechat.appId, appSecret: wechat.appSecret, grantEndpoint: 'stable', baseUrl: wechat.baseUrl, qrCodeImageBaseUrl: wechat.baseUrl, accessToken: '' };
}

/** The credentials the sandbox imports: WeChat's API (`api`: the fake's or the real one), its callback, the mail server. */
export function sandboxCredentials(api: Record<string, string>, mail: SmtpSink): object[] {
	return [
		{ ...CREDENTIAL, type: 'weChatOfficialAccountApi', data: api },
		{
			...CALLBACK_CREDENTIAL,
			type: 'weChatCallbackApi',
			data: { appId: api.appId, token: SANDBOX_CALLBACK.token, encryptionMode: SANDBOX_CALLBACK.mode, encodingAesSecretKey: SANDBOX_CALLBACK.encodingAesKey },
		},
		{ ...SMTP_CREDENTIAL, type: 'smtp', data: mail.credentialData() },
	];
}

/**
 * The sandbox's fake WeChat: a repeated clientmsgid is refused for 5 s (WeChat: a minute), and msg_ids go on from the
 * second it starts (1000 per second), never those of an earlier start. n8n keeps what the trigger has seen (by msg_id,
 * for a day) across starts of the sandbox, and takes an event with a msg_id it has seen for WeChat's repeat of it.
 */
export function sandboxWeChatOptions(now: number): { clientMsgIdRepeatWindowMs: number; firstMsgId: number } {
	return { clientMsgIdRepeatWindowMs: 5000, firstMsgId: Math.floor(now / 1000) * 1000 };
}

/** The examples the sandbox publishes (activates): those a WeChat event starts, so a send or publish in the sandbox runs them. */
export function examplesToActivate(examples: SandboxWorkflow[]): SandboxWorkflow[] {
	return examples.filter((workflow) => workflow.nodes.some((node) => node.type === TRIGGER_NODE_TYPE));
}

/** Activates a workflow for the next `n8n start`, with n8n's CLI: 2.x publishes it, 1.x sets it active. */
export function activationCommand(n8nVersion: string, workflowId: string): string[] {
	return n8nVersion.startsWith('1.') ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`];
}

export interface SandboxPushTarget extends PushTarget {
	workflow: string;
	kind: 'test' | 'production';
}

/**
 * Where the sandbox's WeChat pushes its events: for each example's WeChat trigger, its test URL (n8n answers it only
 * while the editor listens, for "Test this trigger"; a 404 otherwise) and then its production URL (the published
 * workflow), in that order, so that an editor listening on a published workflow sees the event first. WeChat itself
 * pushes to the one URL set in its console.
 */
export function sandboxPushTargets(n8nBaseUrl: string, examples: SandboxWorkflow[]): SandboxPushTarget[] {
	return examples.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.type === TRIGGER_NODE_TYPE && node.webhookId !== undefined)
			.flatMap((node) =>
				(['test', 'production'] as const).map((kind) => ({
					...SANDBOX_CALLBACK,
					url: `${n8nBaseUrl}/${kind === 'test' ? 'webhook-test' : 'webhook'}/${node.webhookId}/webhook`,
					workflow: workflow.name,
					kind,
				})),
			),
	);
}

/**
 * The sandbox's WeChat pushes to the examples' triggers, and reports 1 follower in 400 (at least one) of every send as
 * not reached, as a send to real followers does, so that notify-on-finished-send has failures to email about.
 */
export function configureSandboxPush(wechat: FakeWeChatServer, n8nBaseUrl: string, examples: SandboxWorkflow[]): SandboxPushTarget[] {
	const targets = sandboxPushTargets(n8nBaseUrl, examples);
	wechat.push.setTargets(targets);
	wechat.push.massSendOutcome = ({ recipients }) => ({ errorCount: Math.min(recipients, Math.ceil(recipients / 400)) });
	return targets;
}

/** What a pushed event is about, by kind, for the terminal's line (an event without one is named by its id). */
const EVENT_SUBJECTS: Partial<Record<string, (id: string) => string>> = {
	MASSSENDJOBFINISH: (id) => `mass send ${id} finished`,
	PUBLISHJOBFINISH: (id) => `publish ${id} finished`,
};

/** One line for a push the sandbox's WeChat made; none for a test URL nobody listened on. */
export function describeDelivery(delivery: PushDelivery, targets: SandboxPushTarget[]): string | undefined {
	const target = targets.find((candidate) => candidate.url === delivery.url);
	if (target?.kind === 'test' && delivery.outcome === 'refused' && delivery.attempts.at(-1)?.status === 404) return undefined;
	const what = EVENT_SUBJECTS[delivery.event]?.(delivery.id) ?? delivery.id;
	const where = target ? `the trigger of "${target.workflow}" (${target.kind === 'test' ? 'its test URL: the editor was listening' : 'production URL'})` : delivery.url;
	const last = delivery.attempts.at(-1);
	const answer =
		delivery.outcome === 'accepted'
			? 'answered success'
			: delivery.outcome === 'refused'
				? `answered HTTP ${String(last?.status)}${last?.body ? ` ${last.body.slice(0, 120)}` : ''}`
				: `no answer to ${delivery.attempts.length} requests`;
	return `WeChat pushed ${delivery.event} (${what}) to ${where}: ${answer}`;
}

/**
 * What of n8n's output the sandbox's terminal shows: all of it but two kinds of line. n8n logs a node's error once per
 * report it makes of it, the same line twice in a row: shown once. And a push of the sandbox's WeChat to a trigger's
 * test URL while no editor listens makes n8n log "Received request for unknown webhook": the push's own line says
 * nothing for it either. Any other line (a crash, its stack, an unknown webhook nobody pushed to) is shown.
 */
export class SandboxLog {
	private previous = { line: '', at: 0 };

	constructor(
		/** The test URLs the sandbox's WeChat is pushing to right now (a push whose answer has not come). */
		private readonly testPushesInFlight: () => string[],
		private readonly now: () => number = () => Date.now(),
	) {}

	shows(line: string): boolean {
		const repeated = line.trim() !== '' && line === this.previous.line && this.now() - this.previous.at < 2000;
		this.previous = { line, at: this.now() };
		if (repeated) return false;
		if (!line.includes('Received request for unknown webhook')) return true;
		return !this.testPushesInFlight().some((url) => line.includes(`"${new URL(url).pathname.replace(/^\/webhook-test\//, '')}"`));
	}
}

/** The test URLs of `targets` with a push under way. */
export function testPushesInFlight(deliveries: PushDelivery[], targets: SandboxPushTarget[]): string[] {
	const testUrls = new Set(targets.filter((target) => target.kind === 'test').map((target) => target.url));
	return deliveries.filter((delivery) => delivery.outcome === 'pending' && testUrls.has(delivery.url)).map((delivery) => delivery.url);
}

/** Copies a stream's lines to `out`, those `log` shows. */
function copyLines(from: NodeJS.ReadableStream, out: NodeJS.WritableStream, log: SandboxLog): void {
	let rest = '';
	from.setEncoding('utf8');
	from.on('data', (chunk: string) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop() ?? '';
		for (const line of lines) if (log.shows(line)) out.write(`${line}\n`);
	});
	from.on('end', () => {
		if (rest && log.shows(rest)) out.write(rest);
	});
}

function printEmail(email: ReceivedEmail): void {
	console.log(`\n> The sandbox's mail server received an email for ${email.to.join(', ')}: ${email.subject}\n${email.text.replace(/^/gm, '  ')}`);
}

async function main(): Promise<void> {
	const realWeChat = process.argv.includes('--real-wechat');
	mkdirSync(SANDBOX, { recursive: true });
	const { nodeBin, n8nBin } = installN8n();
	const userFolder = join(SANDBOX, 'n8n');
	installPackage(userFolder);

	let wechat: FakeWeChatServer | undefined;
	let images: FileServer | undefined;
	let apiCredential: Record<string, string>;
	if (realWeChat) {
		const appId = process.env.WECHAT_APP_ID;
		const appSecret = process.env.WECHAT_APP_SECRET;
		if (!appId || !appSecret) throw new Error('--real-wechat needs WECHAT_APP_ID and WECHAT_APP_SECRET in the environment');
		apiCredential = { appId, appSecret, grantEndpoint: 'stable', baseUrl: process.env.WECHAT_API_BASE_URL ?? 'https://api.weixin.qq.com', accessToken: '' };
		step(`Using the real WeChat API at ${apiCredential.baseUrl} for App ID ${appId}`);
	} else {
		wechat = await new FakeWeChatServer(sandboxWeChatOptions(Date.now())).start(FAKE_WECHAT_PORT);
		prepareSandboxWeChat(wechat);
		apiCredential = fakeWeChatCredentialData(wechat);
		step(`Fake WeChat API listening on ${wechat.baseUrl} (tags: ${wechat.tags.map((tag) => `${tag.id} ${tag.name}`).join(', ')})`);
		step(`Its draft box holds ${SANDBOX_DRAFTS.length} drafts to pick in an Article field's "From Draft Box": ${SANDBOX_DRAFTS.map((draft) => draft.titles[0]).join(' · ')}`);
		images = await new FileServer(BLOG_IMAGES).start(IMAGES_PORT);
		step(`The examples' blog images (${EXAMPLE_BLOG}/images/…) served from ${images.baseUrl}`);
	}
	const mail = await new SmtpSink(printEmail).start(SMTP_PORT);
	step(`A mail server for the examples' emails on ${mail.host}:${mail.listeningPort} (it prints what it receives)`);

	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(N8N_PORT),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
	};
	// n8n as it runs in its own Docker image: in development mode (no NODE_ENV) it also logs every error response,
	// with its stack trace, and puts the stack into the response.
	env.NODE_ENV = 'production';
	const cli = (...args: string[]) => execFileSync(nodeBin, [n8nBin, ...args], { env, stdio: 'ignore' });

	step('Importing the credentials and the example workflows');
	const imports = join(SANDBOX, 'imports');
	mkdirSync(imports, { recursive: true });
	// The credentials hold the App Secret (a real one with --real-wechat): readable by this user only, and gone once
	// n8n has them (encrypted) in its database.
	const credentialsFile = join(imports, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(sandboxCredentials(apiCredential, mail)), { mode: 0o600 });
	try {
		cli('import:credentials', `--input=${credentialsFile}`);
	} finally {
		rmSync(credentialsFile, { force: true });
	}
	const examples = examplesWithCredentials(images?.baseUrl).map(({ workflow }) => workflow);
	for (const workflow of examples) {
		const file = join(imports, `${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		cli('import:workflow', `--input=${file}`);
	}
	let targets: SandboxPushTarget[] = [];
	if (wechat) {
		for (const workflow of examplesToActivate(examples)) cli(...activationCommand(N8N_VERSION, workflow.id));
		targets = configureSandboxPush(wechat, `http://localhost:${N8N_PORT}`, examples);
		wechat.push.onDelivered = (delivery) => {
			const line = describeDelivery(delivery, targets);
			if (line) console.log(`\n> ${line}`);
		};
		const triggers = [...new Set(targets.map((target) => `"${target.workflow}"`))].join(', ');
		step(`When a send or a publish finishes, the fake WeChat pushes its event to the WeChat trigger of ${triggers} (published now), and to its test URL while the editor listens`);
	}

	step(`Starting n8n ${N8N_VERSION}`);
	const n8n = spawn(nodeBin, [n8nBin, 'start'], { env, stdio: ['inherit', 'pipe', 'pipe'] });
	const log = new SandboxLog(() => (wechat ? testPushesInFlight(wechat.push.deliveries, targets) : []));
	copyLines(n8n.stdout, process.stdout, log);
	copyLines(n8n.stderr, process.stderr, log);
	const stop = () => {
		n8n.kill('SIGTERM');
		void wechat?.stop();
		void images?.stop();
		void mail.stop();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	let exited = false;
	n8n.on('exit', (code) => {
		exited = true;
		void wechat?.stop();
		void images?.stop();
		void mail.stop();
		process.exit(code ?? process.exitCode ?? 0);
	});
	let up = false;
	for (let tries = 0; tries < 240 && !up && !exited; tries++) {
		up = await fetch(`http://localhost:${N8N_PORT}/healthz`).then((response) => response.ok).catch(() => false);
		if (!up) await new Promise((resolve) => setTimeout(resolve, 500));
	}
	if (!up) {
		console.error(`\nn8n did not answer on http://localhost:${N8N_PORT} within 2 minutes: its output above says why. Stopping.`);
		stop();
		process.exitCode = 1;
		return;
	}
	console.log(`
================================================================
 n8n is running: open http://localhost:${N8N_PORT}
 On the first visit n8n asks you to create its owner account.
 The credential "${CREDENTIAL.name}" points at ${apiCredential.baseUrl};
 the example workflows are under Overview, ready to run: open one
 and click "Execute workflow". Ctrl+C stops everything.
================================================================`);
}

// The end-to-end tests import the examples the way the sandbox does, without starting it.
if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
