#!/bin/sh
# The API suite with every pingan process under memcheck; fails when any
# process reported an error or a definite leak. Part of `make check-deep`.
set -u
dir=$(mktemp -d /tmp/pingan-valgrind-XXXXXX)
export VG_LOG_DIR="$dir"
PINGAN_BIN=tests/valgrind/pingan.sh PINGAN_SLOW=1 "${BUILD:-build}/api-tests" "$@"
status=$?
bad=$(grep -l -E "ERROR SUMMARY: [1-9]|definitely lost: [1-9]|Invalid (read|write)" "$dir"/*.log 2>/dev/null)
if [ -n "$bad" ]; then
	echo "valgrind found problems:"
	for f in $bad; do echo "== $f"; head -60 "$f"; done
	exit 1
fi
echo "valgrind: $(ls "$dir" | wc -l) processes checked, no invalid access, no definite leak"
exit $status
