#!/usr/bin/env bash
# One entry point for a fresh machine: sets up Node 24 and the dependencies, then runs a job.
#   bash scripts/dev.sh start  the sandbox: real n8n with this package, the fake WeChat API and the examples
#   bash scripts/dev.sh demo   a campaign's loop without n8n (tag, QR code and a follow through it, draft, send, pushed event, publish, stats), run by n8n-core against the fake API
#   bash scripts/dev.sh test   lint, unit and workflow tests, then the end-to-end tests in real n8n 2.x and 1.x (what CI runs)
#   bash scripts/dev.sh bench  the benchmarks in bench/
#   bash scripts/dev.sh queue  n8n in queue mode (Redis, PostgreSQL, two workers, a webhook process): scenarios and figures
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
		npm run e2e
		;;
	start)
		install_dependencies
		npm start -- "${@:2}"
		;;
	demo)
		install_dependencies
		# The build's own lines (gulp's timestamps) only when it fails: the demo prints one line per step.
		if ! build_log=$(npm run --silent build 2>&1 && npm run --silent build:tools 2>&1); then
			echo "$build_log" >&2
			exit 1
		fi
		node .cache/tools/scripts/demo.js
		;;
	bench)
		install_dependencies
		npm run bench
		;;
	queue)
		install_dependencies
		bash scripts/queue.sh
		;;
	*)
		echo "usage: bash scripts/dev.sh start|demo|test|bench|queue" >&2
		exit 2
		;;
esac
