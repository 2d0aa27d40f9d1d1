#!/usr/bin/env bash
# End-to-end: pack the package, install it into real n8n the way n8n installs community packages,
# and run test/e2e against each n8n version users run (latest 2.x and the last 1.x by default).
#   bash scripts/e2e.sh                 both versions
#   N8N_E2E_VERSIONS=2.41.1 bash scripts/e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
versions="${N8N_E2E_VERSIONS:-2.41.1 1.123.81}"

npm run build >/dev/null
pack_dir="$(mktemp -d)"
tarball="$pack_dir/$(npm pack --silent --pack-destination "$pack_dir" | tail -n 1)"
echo "Packed $tarball: $(tar tzf "$tarball" | grep -vc '^package/dist/') files outside dist/ ($(tar tzf "$tarball" | grep -v '^package/dist/' | tr '\n' ' '))"

for version in $versions; do
	IFS=$'\t' read -r node_bin n8n_bin < <(bash scripts/install-n8n.sh "$version")
	echo "== n8n $version on Node $("$node_bin" --version)"
	N8N_E2E_VERSION="$version" N8N_E2E_NODE="$node_bin" N8N_E2E_BIN="$n8n_bin" N8N_E2E_PACKAGE="$tarball" \
		npx jest --config jest.e2e.config.js
done
rm -rf "$pack_dir"
