// What `npm publish` would ship: only the built package, and nothing n8n's community-package
// scanner (the check for verified community nodes) objects to.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tarball = process.env.N8N_E2E_PACKAGE ?? '';

describe('the packed package', () => {
	test('holds only dist/, the READMEs, LICENSE and package.json', () => {
		const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
		expect(files.filter((file) => !file.startsWith('package/dist/')).sort()).toEqual([
			'package/LICENSE',
			'package/README.md',
			'package/package.json',
		]);
		expect(files).toEqual(expect.arrayContaining(['package/dist/nodes/WeChatMassMessage/WeChatMassMessage.node.js', 'package/dist/nodes/WeChatMassMessage/WeChatMassMessage.node.json']));
	});

	test('its code loads nothing but n8n-workflow, node:crypto and its own files', () => {
		const dir = mkdtempSync(join(tmpdir(), 'unpacked-'));
		execFileSync('tar', ['xzf', tarball, '-C', dir, '--strip-components=1']);
		const code = execFileSync('find', [join(dir, 'dist'), '-name', '*.js'], { encoding: 'utf8' }).trim().split('\n');
		const required = new Set<string>();
		for (const file of code) {
			for (const match of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) if (!match[1].startsWith('.')) required.add(match[1]);
		}
		expect([...required].sort()).toEqual(['crypto', 'n8n-workflow']);
	});

	test('passes n8n\'s community package scanner', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'scan-'));
		execFileSync('tar', ['xzf', tarball, '-C', dir, '--strip-components=1']);
		// The scanner is an ES module: run it in its own Node process, as its CLI does.
		const scannerModule = join(__dirname, '../../node_modules/@n8n/scan-community-package/scanner/scanner.mjs');
		const script = `const { analyzePackage } = await import(${JSON.stringify(scannerModule)}); console.log(JSON.stringify(await analyzePackage(process.argv[1])));`;
		const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, dir], { encoding: 'utf8' });
		const result = JSON.parse(output.trim().split('\n').pop()!) as { passed: boolean; message?: string; details?: string };
		expect(result.details ?? result.message ?? '').toBe('');
		expect(result.passed).toBe(true);
	});
});
