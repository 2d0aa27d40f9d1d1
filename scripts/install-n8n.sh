#!/usr/bin/env bash
# Installs a real n8n, once, into a cache folder outside the repository (the npm cache keeps its
# packages, so a later install is quick), and prints "NODE_BIN<TAB>N8N_BIN" for running it.
#   bash scripts/install-n8n.sh 2.41.1     latest 2.x, on Node 24
#   bash scripts/install-n8n.sh 1.123.81   last 1.x, on the machine's Node 20 when it has one
# n8n installs here with --ignore-scripts (one of its dependencies downloads zlib while building,
# which a machine without internet access cannot do); the native modules n8n needs are rebuilt after.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: install-n8n.sh VERSION}"
major="${version%%.*}"
cache="${WECHAT_MASS_CACHE:-$HOME/.cache/n8n-nodes-wechat-mass}"
target="$cache/n8n-$version"

machine_node="${MACHINE_NODE:-$(command -v node 2>/dev/null || true)}"
machine_major=$("$machine_node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" = "1" ] && [ "$machine_major" = "20" ]; then
	node_bin="$machine_node"
else
	source scripts/node24.sh
	use_node24 2>/dev/null
	node_bin="$(command -v node)"
fi
node_dir="$(dirname "$node_bin")"
# Native modules build against the headers of the Node that will run them (<prefix>/include/node).
nodedir="$(dirname "$node_dir")"

if [ ! -f "$target/.installed" ]; then
	echo "Installing n8n $version into $target (first time only: a few minutes)" >&2
	rm -rf "$target"
	mkdir -p "$target"
	if [ "$major" = "1" ]; then
		# n8n 1.x takes xlsx from the SheetJS CDN, which is not a package registry; the registry's xlsx stands in.
		echo '{ "name": "n8n-runtime", "private": true, "overrides": { "xlsx": "0.18.5" } }' > "$target/package.json"
	else
		echo '{ "name": "n8n-runtime", "private": true }' > "$target/package.json"
	fi
	(
		cd "$target"
		export PATH="$node_dir:$PATH" npm_config_nodedir="$nodedir"
		npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$version" >&2
		rebuild=(sqlite3)
		# n8n 2.x evaluates expressions in isolated-vm; 1.x carries it without needing it (and it does not build on Node 20).
		[ "$major" != "1" ] && [ -d node_modules/isolated-vm ] && rebuild+=(isolated-vm)
		# Explicitly on: under `npm run`, npm passes this project's ignore-scripts=true down as npm_config_ignore_scripts.
		npm rebuild --ignore-scripts=false --loglevel=error "${rebuild[@]}" >&2
	)
	touch "$target/.installed"
fi
printf '%s\t%s\n' "$node_bin" "$target/node_modules/n8n/bin/n8n"
