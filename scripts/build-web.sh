#!/bin/sh
# Builds the browser console (called by `make web`): installs the pinned npm
# packages when node_modules is missing or older than package-lock.json, then
# copies the libraries into web/vendor/ and precompiles the Vue templates
# (scripts/build-web.mjs). A second run works offline and takes a moment.
set -eu
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "build-web: node and npm are needed (scripts/install-deps.sh installs them)" >&2
	exit 1
fi

# npm writes this record at the end of every install: missing means no
# complete install, older than the lock file means the pins changed since.
record=node_modules/.package-lock.json
if [ ! -f "$record" ] || [ package-lock.json -nt "$record" ] || [ package.json -nt "$record" ]; then
	echo "build-web: npm ci"
	npm ci --no-audit --no-fund --loglevel=error
fi

exec node scripts/build-web.mjs
