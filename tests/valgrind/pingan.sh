#!/bin/sh
# Runs the real binary under valgrind's memcheck, so that a test suite
# pointed at this script (PINGAN_BIN=tests/valgrind/pingan.sh) checks every
# server and CLI run for invalid accesses and leaks. Reports go to
# $VG_LOG_DIR (default /tmp/pingan-valgrind), one file per process.
dir=${VG_LOG_DIR:-/tmp/pingan-valgrind}
mkdir -p "$dir"
here=$(cd "$(dirname "$0")/../.." && pwd)
exec valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --log-file="$dir/%p.log" \
	"$here/pingan" "$@"
