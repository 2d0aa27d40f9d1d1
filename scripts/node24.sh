# Sourced by scripts/dev.sh: puts Node.js 24 or newer on PATH. n8n 2.x and its n8n-core (used by
# the tests) need it. When the machine's Node is older, the official Node binary is installed once
# from the npm registry (package node-linux-<arch>) into a cache folder outside the repository.

use_node24() {
	# Remembered so that scripts can still run the machine's own Node (n8n 1.x on Node 20).
	export MACHINE_NODE="${MACHINE_NODE:-$(command -v node 2>/dev/null || true)}"
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "$major" -ge 24 ]; then
		return 0
	fi

	local arch
	case "$(uname -m)" in
		x86_64) arch=x64 ;;
		aarch64 | arm64) arch=arm64 ;;
		*) echo "No Node 24 package for $(uname -m); install Node 24 yourself." >&2; return 1 ;;
	esac

	local cache="${WECHAT_MASS_CACHE:-$HOME/.cache/n8n-nodes-wechat-mass}/node24"
	local pkg="$cache/node_modules/node-linux-$arch"
	if [ ! -x "$pkg/bin/node" ]; then
		echo "Installing Node 24 (npm package node-linux-$arch@24) into $cache" >&2
		mkdir -p "$cache"
		npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund "node-linux-$arch@24" >&2
	fi
	export PATH="$pkg/bin:$PATH"
	# Native modules must build against this Node's headers, not the machine's older ones.
	export npm_config_nodedir="$pkg"
}
