// n8n's lint on the source the package ships (package.json, nodes/, credentials/), twice:
// 1. `n8n-node lint`, n8n's own tool, in strict mode: eslint.config.mjs is its default config, as
//    `"strict": true` requires. It lints the whole folder it runs in, where the tests, benchmarks and
//    scripts would fail rules meant for node code (no timers, no node:http), so it runs on a copy of
//    what ships.
// 2. The lint of n8n's verification scanner (@n8n/scan-community-package's analyzePackage): the rule
//    sets and files `npx @n8n/scan-community-package` lints in a package's GitHub source, where inline
//    eslint-disable comments count for nothing.
// The scanner's lint of the packed tarball runs in test/e2e/packagedTarball.e2e.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const shipped = ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials'];

const copy = mkdtempSync(join(tmpdir(), 'wechat-mass-lint-'));
let failed = false;
try {
	for (const path of shipped) cpSync(join(root, path), join(copy, path), { recursive: true });
	symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
	console.log('n8n-node lint (strict) on package.json, nodes/ and credentials/');
	const lint = spawnSync(join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], { cwd: copy, stdio: 'inherit' });
	console.log(lint.status === 0 ? '  passed' : '  failed');
	failed ||= lint.status !== 0;

	console.log("n8n's verification scanner on package.json, nodes/ and credentials/");
	const scanner = await import(join(root, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs'));
	const scan = await scanner.analyzePackage(root, scanner.SOURCE_FILE_PATTERNS);
	if (scan.passed) {
		console.log('  passed');
	} else {
		console.log(`  ${scan.message}\n${scan.details ?? ''}`);
		failed = true;
	}
} finally {
	rmSync(copy, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
