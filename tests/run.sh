#!/bin/sh
# Runs every test suite and prints one closing line: "N passed, N failed".
# Exits non-zero when any test failed or a suite could not run.
#   PINGAN_BIN  the binary under test (default ./pingan)
#   BUILD       the build directory holding unit-tests and api-tests
set -u
BUILD=${BUILD:-build}
PINGAN_BIN=${PINGAN_BIN:-./pingan}
export PINGAN_BIN
passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Adds the counts of a suite whose output ends with "N passed, N failed".
count_suite() {
	name=$1
	out=$2
	status=$3
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		note "!! suite $name ended without a result line (exit $status): counted as one failure"
		# The test that was running when it stopped: the last line it wrote.
		tail -n 3 "$out" | sed "s/^/   last output of $name: /" >>"$log/summary"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed 's/^\([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
		note "!! suite $name exited $status with no failed test: counted as one failure"
		failed=$((failed + 1))
	fi
}

# Prints a line and keeps it for the summary at the end.
note() {
	echo "$1"
	echo "$1" >>"$log/summary"
}

run_suite() {
	name=$1
	shift
	echo "== $name"
	"$@" >"$log/$name.out" 2>"$log/$name.err"
	status=$?
	grep -v '^ok - ' "$log/$name.out" | grep -vE '^[0-9]+ passed, [0-9]+ failed'
	# A failed test's line, in each suite's own words (TAP-like, fuzz/run.sh, node's runner).
	grep -E '^not ok - |^[[:space:]]*✖ ' "$log/$name.out" | sed "s/^/   $name: /" >>"$log/summary"
	if [ "$status" -ne 0 ]; then
		echo "-- stderr of $name (last 40 lines):"
		tail -n 40 "$log/$name.err"
		tail -n 5 "$log/$name.err" | sed "s/^/   stderr of $name: /" >>"$log/summary"
	fi
	count_suite "$name" "$log/$name.out" "$status"
	grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/$name.out" | tail -n 1 | sed "s/^/   $name: /"
}

run_suite unit "$BUILD/unit-tests"
# Debian's python3, where scripts/install-deps.sh put python3-yaml.
run_suite docs /usr/bin/python3 tests/docs/check_openapi.py
run_suite api "$BUILD/api-tests"
if [ -x "$BUILD/reliability-tests" ]; then
	run_suite reliability "$BUILD/reliability-tests"
fi
if [ -x fuzz/run.sh ] && [ "${SAN:-0}" != 1 ]; then
	# A fixed seed and run count: the same inputs on every clean clone (check-deep explores).
	export FUZZ_SEED=1 FUZZ_RUNS=20000
	run_suite fuzz fuzz/run.sh 10
	unset FUZZ_SEED FUZZ_RUNS
fi
if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
	run_suite browser node tests/browser/run.mjs
fi

# CI shows the end of the output: what failed is repeated there, above the count.
if [ "$failed" -ne 0 ] && [ -s "$log/summary" ]; then
	echo "== what failed"
	cat "$log/summary"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
