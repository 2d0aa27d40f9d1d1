#!/usr/bin/env bash
# n8n in queue mode for real (run through `bash scripts/dev.sh queue`): installs what is missing
# (Debian's redis-server and postgresql, n8n 2.41.1 in the cache folder), packs this package, then
# scripts/queue.ts starts Redis, PostgreSQL, n8n (main, two workers, webhook process) and the fake
# WeChat API, runs the scenarios and prints the figures. Everything it starts is stopped again.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${WECHAT_MASS_CACHE:-$HOME/.cache/n8n-nodes-wechat-mass}"

postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[ -n "$(postgres_bin)" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
	echo "Installing ${missing[*]} with apt-get" >&2
	sudo=""
	[ "$(id -u)" = "0" ] || sudo="sudo -n"
	# Debian starts a cluster of its own after installing postgresql where it can; this run uses its own.
	$sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
		{ $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
fi

IFS=$'\t' read -r node_bin n8n_bin < <(bash scripts/install-n8n.sh 2.41.1)
npm run build >/dev/null
npm run build:tools >/dev/null
pack_dir="$(mktemp -d)"
trap 'rm -rf "$pack_dir"' EXIT
tarball="$pack_dir/$(npm pack --silent --pack-destination "$pack_dir" | tail -n 1)"

QUEUE_N8N_NODE="$node_bin" QUEUE_N8N_BIN="$n8n_bin" QUEUE_PACKAGE="$tarball" QUEUE_POSTGRES_BIN="$(postgres_bin)" QUEUE_CACHE="$cache" \
	node .cache/tools/scripts/queue.js
