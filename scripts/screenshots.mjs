// Screenshots for the README, written to docs/images/: each example workflow on the n8n canvas
// (<example>.png), the Send to OpenIDs parameter panel (send-to-openids-panel.png), the nodes panel
// searched for "WeChat" (nodes-panel.png), the Article field's draft picker (draft-picker.png) and the
// trigger's panel with its set-up steps (trigger-panel.png).
//
// Not part of the build or the tests; a maintainer runs it by hand when the nodes or examples change:
//   1. npm start                          (the sandbox: n8n on http://localhost:5678, examples imported)
//   2. apt-get install -y chromium fonts-noto-cjk pngquant optipng   (the CJK fonts draw the fields' Chinese
//      terms; pngquant/optipng are optional: they shrink the PNGs)
//   3. in a scratch folder OUTSIDE the repo: npm install playwright-core
//   4. from that folder: node /path/to/repo/scripts/screenshots.mjs
// It creates the sandbox's owner account if n8n has none yet (N8N_EMAIL / N8N_PASSWORD, default
// owner@example.com / Sandbox123!), logs in through the REST API, and drives Debian's chromium headless
// with a fresh profile. Other environment: N8N_URL (default http://localhost:5678), CHROMIUM (default
// /usr/bin/chromium), REPO_DIR (default: the folder above this script), OUT_DIR (default REPO_DIR/docs/images).
// Canvas shots are the editor's canvas after zoom-to-fit (1341 x 641 px); the panel shots are node
// dialogs, cropped to the dialog.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// playwright-core is not a dependency of this package: load it from the folder the script is run from.
const { chromium } = createRequire(join(process.cwd(), 'noop.js'))('playwright-core');

const REPO = process.env.REPO_DIR ? resolve(process.env.REPO_DIR) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const N8N_URL = process.env.N8N_URL ?? 'http://localhost:5678';
const OUT_DIR = resolve(process.env.OUT_DIR ?? join(REPO, 'docs', 'images'));
const OWNER = {
	email: process.env.N8N_EMAIL ?? 'owner@example.com',
	firstName: 'Sandbox',
	lastName: 'Owner',
	password: process.env.N8N_PASSWORD ?? 'Sandbox123!',
};
const PANEL = { workflow: 'sheet-rows-to-openids', node: 'Send Article to Sheet OpenIDs', file: 'send-to-openids-panel' };
const TRIGGER_PANEL = { workflow: 'notify-on-finished-send', node: 'Mass Send Finished', file: 'trigger-panel' };
/** The sandbox's API credential (scripts/sandbox.ts CREDENTIAL). */
const CREDENTIAL = { id: 'sandboxWeChatApi01', name: 'WeChat Official Account' };

/** A call to n8n's REST API as the logged-in owner (after login()); its `data`. */
async function rest(method, path, body) {
	const response = await fetch(`${N8N_URL}${path}`, {
		method,
		headers: { 'content-type': 'application/json', cookie: `n8n-auth=${cookie}` },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return (await response.json()).data;
}

async function login() {
	const post = (path, body) =>
		fetch(`${N8N_URL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await post('/rest/owner/setup', OWNER); // refused once an owner exists: fine
	const response = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	return cookie.split(';')[0].slice('n8n-auth='.length);
}

/** Workflow ids in the sandbox follow the order of `ls examples/*.json` (sandboxExample00, 01, ...). */
function examples() {
	return readdirSync(join(REPO, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file, index) => ({ name: file.replace(/\.json$/, ''), id: `sandboxExample${String(index).padStart(2, '0')}` }));
}

/** A fresh headless Chromium (own new profile) with the n8n login cookie set. */
async function open(cookie, { width, height, scale }) {
	const profile = mkdtempSync(join(tmpdir(), 'n8n-shots-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		headless: true,
		viewport: { width, height },
		deviceScaleFactor: scale,
		colorScheme: 'light',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	await context.addCookies([{ name: 'n8n-auth', value: cookie, domain: new URL(N8N_URL).hostname, path: '/' }]);
	const page = context.pages()[0] ?? (await context.newPage());
	page.close = async () => {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	};
	return page;
}

async function openWorkflow(page, id) {
	await page.goto(`${N8N_URL}/workflow/${id}`, { waitUntil: 'networkidle' });
	await page.waitForSelector('[data-test-id="canvas-node"]');
	await page.waitForTimeout(2000); // nodes fade in
	// Close whatever popup n8n may show on a first visit (none in 2.41 with the sandbox's settings).
	for (let i = 0; i < 3; i++) {
		const popup = page.locator('.el-overlay:visible, .el-drawer:visible, [role="dialog"]:visible');
		if ((await popup.count()) === 0) break;
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);
	}
	await page.locator('.vue-flow__pane').click({ position: { x: 10, y: 10 } });
	await page.keyboard.press('1'); // zoom to fit
	await page.mouse.move(0, 0);
	await page.waitForTimeout(1000);
}

/** Screenshot of the page region `clip` (CSS pixels), then optimized. */
async function shoot(page, clip, file) {
	const path = join(OUT_DIR, `${file}.png`);
	await page.screenshot({ path, clip, animations: 'disabled' });
	optimize(path);
	console.log(`${path}  ${Math.round(statSync(path).size / 1024)} KB`);
}

function optimize(path) {
	const run = (command, args) => {
		try {
			execFileSync(command, args, { stdio: 'ignore' });
		} catch {
			// tool missing (or nothing gained): keep the PNG as it is
		}
	};
	run('pngquant', ['--force', '--skip-if-larger', '--quality', '70-95', '--strip', '--output', path, path]);
	run('optipng', ['-quiet', '-o5', '-strip', 'all', path]);
}

const cookie = await login();
mkdirSync(OUT_DIR, { recursive: true });

// Canvas: a small viewport keeps the workflow large; zoom-to-fit stops at 100 %, the scale factor gives ~1340 px.
const canvas = await open(cookie, { width: 1000, height: 560, scale: 1.4 });
try {
	for (const example of examples()) {
		await openWorkflow(canvas, example.id);
		// The canvas; the Editor / Executions / Evaluations switcher of the header overlaps its top: hide it.
		await canvas.evaluate(() => {
			const switcher = document.querySelector('.tab-bar-container');
			if (switcher) switcher.style.visibility = 'hidden';
		});
		await shoot(canvas, await canvas.locator('.vue-flow').boundingBox(), example.name);
	}
} finally {
	await canvas.close();
}

/** Opens a node's dialog (NDV) on the open workflow. */
async function openNode(page, name) {
	await page.locator('[data-test-id="canvas-node"]', { hasText: name }).dblclick();
	await page.waitForSelector('[data-test-id="ndv"]');
	await page.mouse.move(0, 0);
	await page.waitForTimeout(1500);
}

/** A node's dialog (NDV) in an example workflow, cropped to the dialog. */
async function shootNodePanel({ workflow, node, file }) {
	const page = await open(cookie, { width: 1100, height: 830, scale: 1.25 });
	try {
		await openWorkflow(page, examples().find((example) => example.name === workflow).id);
		await openNode(page, node);
		await shoot(page, await page.locator('[data-test-id="ndv"]').boundingBox(), file);
	} finally {
		await page.close();
	}
}

// The Send to OpenIDs parameter panel, and the trigger's panel with its numbered set-up steps.
await shootNodePanel(PANEL);
await shootNodePanel(TRIGGER_PANEL);

// The Article field's "From Draft Box" list, on a new Send to Tag node (the sandbox seeds the draft box).
const pickerWorkflow = await rest('POST', '/rest/workflows', {
	name: 'Draft picker (screenshot)',
	active: false,
	connections: {},
	nodes: [
		{
			id: 'b0c7e0a4-5f7c-4c55-9a51-2d3e8f1a6b01',
			name: 'Send Article',
			type: 'n8n-nodes-wechat-mass.weChatMassMessage',
			typeVersion: 3,
			position: [0, 0],
			parameters: { resource: 'massMessage', operation: 'sendToTag', sendTo: 'all', messageType: 'mpnews', articleMediaId: { __rl: true, mode: 'list', value: '' } },
			credentials: { weChatOfficialAccountApi: CREDENTIAL },
		},
	],
});
const picker = await open(cookie, { width: 1100, height: 830, scale: 1.25 });
try {
	await openWorkflow(picker, pickerWorkflow.id);
	await openNode(picker, 'Send Article');
	await picker.locator('[data-test-id="rlc-input"]').first().click();
	await picker.waitForSelector('[data-test-id="rlc-item"]');
	await picker.waitForTimeout(1000);
	await shoot(picker, await picker.locator('[data-test-id="ndv"]').boundingBox(), 'draft-picker');
} finally {
	await picker.close();
	// n8n 2.x deletes only archived workflows; 1.x has no archive and deletes directly.
	await rest('POST', `/rest/workflows/${pickerWorkflow.id}/archive`).catch(() => undefined);
	await rest('DELETE', `/rest/workflows/${pickerWorkflow.id}`).catch(() => undefined);
}

// The nodes panel, searched for "WeChat": the action node and the trigger as one entry, with the trigger's description.
const nodesPanel = await open(cookie, { width: 1000, height: 700, scale: 1.4 });
try {
	await openWorkflow(nodesPanel, examples()[0].id);
	await nodesPanel.locator('[data-test-id="node-creator-plus-button"], [data-test-id="canvas-plus-button"]').first().click();
	await nodesPanel.waitForSelector('[data-test-id="node-creator-search-bar"]');
	await nodesPanel.keyboard.type('WeChat');
	await nodesPanel.waitForTimeout(1500);
	await shoot(nodesPanel, await nodesPanel.locator('[data-test-id="node-creator"]').boundingBox(), 'nodes-panel');
} finally {
	await nodesPanel.close();
}
