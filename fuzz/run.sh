#!/bin/sh
# Builds the libFuzzer targets (only what changed) and runs each for a while.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 10; the deep run uses 600). Without TARGETs,
# every fuzz/*.c target runs. Prints one line per target, "ok - name" or
# "not ok - name", then "N passed, N failed"; exits non-zero on any failure.
# A target passes when it ran its time without a crash, leak, timeout or
# out-of-memory.
#
# Environment:
#   FUZZ_JOBS   targets run at once (default: the number of CPUs)
#   FUZZ_CC     compiler (default clang)
#
# Files, all under fuzz/out/ (not committed):
#   fuzz/out/<target>          the binaries
#   fuzz/out/corpus/<target>/  the working corpus: the committed seeds of
#                              fuzz/corpus/<target>/ plus what fuzzing found;
#                              the committed corpus is never written
#   fuzz/out/crashes/          crash, leak, timeout and oom inputs
#   fuzz/out/logs/<target>.log the fuzzer's output
set -u

cd "$(dirname "$0")/.." || exit 2
OUT=fuzz/out

# Longest input each target is given.
max_len() {
	case $1 in
	clock | codes | sniff) echo 64 ;;
	parse | router | pii) echo 256 ;;
	event_list) echo 512 ;;
	geojson) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

dict_for() {
	case $1 in
	json_body | api_json | geojson | json_out) echo fuzz/dict/json.dict ;;
	api_request | router) echo fuzz/dict/http.dict ;;
	csv | division_import | unit_import | person_import) echo fuzz/dict/csv.dict ;;
	*) echo "" ;;
	esac
}

# Runs one target; writes its result line to $RESULTS/<target>.
run_one() {
	t=$1
	secs=$2
	log=$OUT/logs/$t.log
	work=$OUT/corpus/$t
	res=$RESULTS/$t
	mkdir -p "$work" "$OUT/crashes" "$OUT/logs"
	if [ -d "fuzz/corpus/$t" ]; then
		# Seeds join the working corpus; nothing is ever written back.
		for f in "fuzz/corpus/$t"/*; do
			[ -f "$f" ] && cp -p "$f" "$work/seed-$(basename "$f")"
		done
	fi
	dict=$(dict_for "$t")
	set -- -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=30 \
		-rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$OUT/crashes/$t-"
	if [ -n "$dict" ] && [ -f "$dict" ]; then
		set -- "$@" -dict="$dict"
	fi
	# make test pins the seed and the number of runs, so that a clean clone
	# explores the same inputs every time; the deep run explores freely.
	if [ -n "${FUZZ_SEED:-}" ]; then
		set -- "$@" -seed="$FUZZ_SEED"
	fi
	if [ -n "${FUZZ_RUNS:-}" ]; then
		set -- "$@" -runs="$FUZZ_RUNS"
	fi
	# The databases live in memory when possible: commits fsync.
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		tmp=$(mktemp -d /dev/shm/pingan-fuzz-run.XXXXXX)
	else
		tmp=$(mktemp -d "${TMPDIR:-/tmp}/pingan-fuzz-run.XXXXXX")
	fi
	FUZZ_TMPDIR=$tmp \
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		timeout $((secs * 2 + 300)) "$OUT/$t" "$@" "$work" >"$log" 2>&1
	status=$?
	rm -rf "$tmp"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ "$status" -eq 0 ] && [ -z "$artifact" ]; then
		echo "ok - $t (${secs} s, ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?})" >"$res"
		return
	fi
	{
		echo "not ok - $t (exit $status${artifact:+, input $artifact})"
		grep -E '^==FUZZ==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' \
			"$log" | head -n 6 | sed 's/^/    /'
		echo "    log: $log; replay: $OUT/$t${artifact:+ $artifact}"
	} >"$res"
}

if [ "${1:-}" = "--one" ]; then
	RESULTS=$4
	run_one "$2" "$3"
	exit 0
fi

secs=10
case ${1:-} in
'' | *[!0-9]*) ;;
*) secs=$1; shift ;;
esac
if [ "$secs" -lt 1 ]; then
	echo "fuzz/run.sh: SECONDS must be at least 1" >&2
	exit 2
fi
if [ $# -gt 0 ]; then
	targets=$*
	for t in $targets; do
		if [ ! -f "fuzz/$t.c" ]; then
			echo "fuzz/run.sh: no target $t (targets are the fuzz/*.c files)" >&2
			exit 2
		fi
	done
else
	targets=$(for f in fuzz/*.c; do basename "$f" .c; done)
fi

CC_FUZZ=${FUZZ_CC:-clang}
probe=$(mktemp -d "${TMPDIR:-/tmp}/pingan-fuzz-probe.XXXXXX")
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$probe/probe.c"
if ! "$CC_FUZZ" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" \
	>"$probe/err" 2>&1; then
	echo "not ok - build: $CC_FUZZ cannot link libFuzzer (Debian: apt-get install clang libclang-rt-14-dev)"
	sed 's/^/    /' "$probe/err" | head -n 5
	rm -rf "$probe"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -rf "$probe"

mkdir -p "$OUT"
bins=""
for t in $targets; do
	bins="$bins $OUT/$t"
done
# shellcheck disable=SC2086 # one word per binary
if ! make -f fuzz/fuzz.mk -j"$(nproc 2>/dev/null || echo 2)" FUZZ_CC="$CC_FUZZ" $bins \
	>"$OUT/build.log" 2>&1; then
	echo "not ok - build (see $OUT/build.log)"
	{ grep -E 'error|Error' "$OUT/build.log" || tail -n 5 "$OUT/build.log"; } | head -n 10 |
		sed 's/^/    /'
	echo "0 passed, 1 failed"
	exit 1
fi

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
# Results of this run only: another run may be going on at the same time.
RESULTS=$(mktemp -d "$OUT/results.XXXXXX")
trap 'rm -rf "$RESULTS"' EXIT
for t in $targets; do
	echo "$t"
done | xargs -P "$jobs" -I{} sh fuzz/run.sh --one {} "$secs" "$RESULTS"

passed=0
failed=0
for t in $targets; do
	if [ -f "$RESULTS/$t" ]; then
		cat "$RESULTS/$t"
		if grep -q '^ok - ' "$RESULTS/$t"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	else
		echo "not ok - $t (no result)"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
