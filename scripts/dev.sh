#!/usr/bin/env bash
# One entry point for a fresh machine: sets up Node 24 and the dependencies, then runs a job.
#   bash scripts/dev.sh demo   the sandbox: fake WeChat API + demo workflow run through n8n-core
#   bash scripts/dev.sh test   build, lint and the whole test suite (what CI runs)
#   bash scripts/dev.sh bench  the benchmarks in bench/
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node24.sh
use_node24

install_dependencies() {
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		npm ci --no-audit --no-fund
	fi
}

job="${1:-}"
case "$job" in
	test)
		install_dependencies
		npm run lint
		npm test
		;;
	demo)
		install_dependencies
		npm start
		;;
	bench)
		install_dependencies
		npm run bench
		;;
	*)
		echo "usage: bash scripts/dev.sh test|demo|bench" >&2
		exit 2
		;;
esac
