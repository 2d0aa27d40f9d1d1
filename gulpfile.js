const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// tsc only emits JavaScript; n8n loads each node's icons and codex (.node.json) and each
// credential's icons from dist, next to the code.
function copyNodeAssets() {
	return src(path.resolve('nodes', '**', '*.{png,svg,node.json}'), { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
}

function copyCredentialIcons() {
	return src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'credentials')));
}

task('build:icons', parallel(copyNodeAssets, copyCredentialIcons));
