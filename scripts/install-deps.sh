#!/bin/sh
# Installs the Debian packages pingan needs to build, test and run, and
# nothing else. Idempotent: packages already present are not touched, so
# a second run is quick and works offline.
set -eu

# clang + libclang-rt-14-dev: libFuzzer and the sanitizer runtimes (fuzz/, make test SAN=1);
# valgrind: the memcheck run of check-deep; python3-yaml: the docs suite reads openapi.yaml.
PACKAGES="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libsodium-dev libcurl4-openssl-dev sqlite3 chromium clang libclang-rt-14-dev valgrind
python3 python3-yaml"

missing=""
# Node.js may come from Debian (nodejs + npm) or already be on the machine
# with npm bundled; either serves, so only a missing command asks for them.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	exit 0
fi
echo "pingan: installing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
