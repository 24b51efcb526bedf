#!/usr/bin/env bash
# pingan benchmark suite: `make bench` (all scales) or `make bench SCALE=county`.
#
#   bench/run.sh [county|city|province ...]     (no argument: county city province)
#
# For each scale: generated data (pingan gen; without it, the demo county plus
# the events the intake scenario creates), a server on a free loopback port
# with a temporary data directory, then every scenario of bench/README.md:
# wrk for the peak rate, bench/out/loadgen at a fixed rate (70 % of that peak,
# and at the target rate where the target names one) for latencies, the
# server's CPU and peak RSS from /proc. Then the references on the same
# machine in the same run: nginx serving a static JSON file as large as one
# event, raw SQLite (bench/out/sqlite_ref) and Request Tracker 5 on SQLite;
# at each scale also the server's own floor (GET /healthz, no session and no
# database) beside the single read, and raw SQLite writing the CSV import's
# rows with the same indexes into as many persons, just before the import.
# A dated section goes on top of bench/RESULTS.md (newest first).
#
# Environment (all optional):
#   BENCH_DURATION=10  seconds of each measured load run    BENCH_WARMUP=2
#   BENCH_PEAK=10      seconds of each wrk run             BENCH_CONNS=64
#   BENCH_RT=1         0 skips Request Tracker              BENCH_NGINX=1, BENCH_SQLITE=1
#   BENCH_KEEP=0       1 keeps the work directory (logs, data) in /tmp
#   BENCH_RESULTS=bench/RESULTS.md                         BENCH_INSTALL=1 (0: never apt-get)
#   BENCH_EVENTS_COUNTY / _CITY / _PROVINCE=N   events to generate (pingan gen --events N)
#   BENCH_PERSONS_COUNTY / _CITY / _PROVINCE=N  residents to generate (pingan gen --persons N)
#   BENCH_IMPORT_FILES=4, BENCH_IMPORT_ROWS=50000   the registry scenario's CSV import
#   BENCH_DATA_COUNTY / _CITY / _PROVINCE=DIR   use a data directory made earlier by
#                      `pingan gen` instead of generating one (used in place: the run adds
#                      events and bench users to it); its gen.log, if any, is quoted
#
# Only 127.0.0.1 is ever loaded; every run is bounded in time.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OUT="$BENCH/out"
PINGAN="$ROOT/pingan"
SCALES="${*:-${SCALE:-county city province}}"
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
PEAK_D="${BENCH_PEAK:-10}"
CONNS="${BENCH_CONNS:-64}"
RESULTS="${BENCH_RESULTS:-$BENCH/RESULTS.md}"
PW='Bench#Pingan2026x'
SIGNIN_COSTS="${BENCH_SIGNIN_COSTS:-2:19456 3:19456 4:19456 2:47104 2:65536}"
COMMAND_LINE="bench/run.sh $SCALES"

WORK=$(mktemp -d /tmp/pingan-bench.XXXXXX)
JSONL="$WORK/results.jsonl"
SERVER_PIDS=""           # processes whose CPU and memory are being measured
STARTED_PIDS=""          # everything this script started, stopped on exit
LG_EXTRA=()              # extra loadgen options (--close for servers that close)
: > "$JSONL"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
	local p
	for p in $STARTED_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 1
	for p in $STARTED_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		log "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

emit() { printf '%s\n' "$1" >> "$JSONL"; }
# A JSON string from shell text (python3 does the escaping).
jstr() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
num_or_null() { case "$1" in ''|*[!0-9.]*) echo null ;; *) echo "$1" ;; esac; }

# ------------------------------------------------------------------ setup

need_pkgs() {
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "${BENCH_INSTALL:-1}" = 1 ] || { log "missing:$missing (BENCH_INSTALL=0)"; return 1; }
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	log "installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing > "$WORK/apt.log" 2>&1 || {
		$sudo apt-get update -qq >> "$WORK/apt.log" 2>&1
		# shellcheck disable=SC2086
		$sudo apt-get install -y -qq --no-install-recommends $missing >> "$WORK/apt.log" 2>&1
	}
}

build_tools() {
	local cflags="-std=c17 -O2 -g -Wall -Wextra -Wshadow -Wconversion -Wformat=2"
	mkdir -p "$OUT"
	cc $cflags -o "$OUT/loadgen" "$BENCH/loadgen.c" &&
		cc $cflags -o "$OUT/transitions" "$BENCH/transitions.c" -ljansson -lpthread &&
		cc $cflags -o "$OUT/sqlite_ref" "$BENCH/sqlite_ref.c" -lsqlite3 -lpthread
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() {   # URL SECONDS: until it answers 2xx
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		curl -sf -o /dev/null "$1" && return 0
		sleep 0.1
	done
	return 1
}

# ------------------------------------------------- CPU and memory from /proc

# Clock ticks used so far by the measured processes and their reaped children.
cpu_ticks() {
	local p total=0 t
	for p in $SERVER_PIDS; do
		[ -r "/proc/$p/stat" ] || continue
		# Fields after the ")" of the command name: utime is $12, stime $13, cutime $14, cstime $15.
		t=$(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12+$13+$14+$15}')
		total=$((total + t))
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			t=$(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | awk '{print $12+$13}')
			total=$((total + ${t:-0}))
		done
	done
	echo "$total"
}
CPU_T0=0; CPU_C0=0
cpu_start() { CPU_T0=$(date +%s.%N); CPU_C0=$(cpu_ticks); }
cpu_pct() {    # CPU % since cpu_start (100 = one core)
	local t1 c1
	t1=$(date +%s.%N); c1=$(cpu_ticks)
	python3 -c "print(round(($c1-$CPU_C0)/$(getconf CLK_TCK)/($t1-$CPU_T0)*100))"
}
# Peak RSS (VmHWM) in MB, summed over the measured processes and their children.
peak_rss_mb() {
	local p c kb=0 v
	for p in $SERVER_PIDS; do
		for c in $p $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			v=$(awk '/^VmHWM/{print $2}' "/proc/$c/status" 2>/dev/null)
			kb=$((kb + ${v:-0}))
		done
	done
	python3 -c "print(round($kb/1024, 1))"
}
# Starts a new peak: the kernel resets VmHWM to the current RSS.
reset_peak() {
	local p c
	for p in $SERVER_PIDS; do
		for c in $p $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			echo 5 > "/proc/$c/clear_refs" 2>/dev/null
		done
	done
	return 0
}

# Waits (at most 60 s) until the measured server is idle, i.e. has finished the
# requests wrk or loadgen left queued, so one run does not spill into the next.
settle() {
	local i c0 c1 hz
	hz=$(getconf CLK_TCK)
	for ((i = 0; i < 120; i++)); do
		c0=$(cpu_ticks)
		sleep 0.5
		c1=$(cpu_ticks)
		[ $((c1 - c0)) -le $((hz / 40)) ] && return 0     # under 5 % of a core
	done
	log "server still busy after 60 s"
}

# Other busy processes on the machine (they share the cores with the run).
busy_elsewhere() {
	top -b -n 1 -o %CPU 2>/dev/null | awk 'NR > 7 && $9 + 0 >= 5 {printf "%s%s %s%%", sep, $12, $9; sep = ", "}'
}

# ------------------------------------------------------------ load runners

# peak URL METHOD PATHS BODIES HEADERS CONNS -> sets PEAK_RPS, PEAK_NON2XX, PEAK_CPU, PEAK_REQS
peak() {
	local f="$WORK/wrk-$RANDOM.txt"
	cpu_start
	WRK_METHOD="$2" WRK_PATHS="$3" WRK_BODIES="$4" WRK_HEADERS="$5" \
		WRK_SEQ_BASE="$(date +%s%N | cut -c1-15)" \
		wrk -t2 -c"$6" -d"${PEAK_D}s" --timeout 10s -s "$BENCH/wrk.lua" "$1" > "$f" 2>&1
	PEAK_CPU=$(cpu_pct)
	PEAK_RPS=$(awk '/^Requests\/sec/{print $2}' "$f")
	PEAK_NON2XX=$(awk '/Non-2xx or 3xx responses/{print $NF}' "$f")
	PEAK_NON2XX=${PEAK_NON2XX:-0}
	PEAK_REQS=$(awk '/requests in/{print $1}' "$f")
	cat "$f" >> "$WORK/wrk.log"
}

# fixed URL METHOD PATHS BODIES HEADERS CONNS RATE LABEL [DURATION] [WARMUP]
#   -> sets LG_JSON (loadgen's last line), LG_CPU
fixed() {
	local args=() line f="$WORK/loadgen-$RANDOM.txt"
	while IFS= read -r line; do
		[ -n "$line" ] && args+=(-H "$line")
	done < "$5"
	[ -n "$4" ] && args+=(-L "$4")
	cpu_start
	"$OUT/loadgen" -c "$6" -r "$7" -d "${9:-$DUR}" --warmup "${10:-$WARM}" -m "$2" -U "$3" \
		-l "$8" "${args[@]}" "${LG_EXTRA[@]}" "$1" > "$f" 2>&1
	LG_CPU=$(cpu_pct)
	LG_JSON=$(tail -n 1 "$f")
	case "$LG_JSON" in "{"*) ;; *) LG_JSON='{}' ;; esac
	sed 's/^/    /' "$f" >&2
	cat "$f" >> "$WORK/loadgen.log"
}

rate_of() {   # 70 % of a peak, at least 1
	python3 -c "import sys; v=float(sys.argv[1] or 0)*0.7; print(max(1, round(v, 1)))" "${1:-0}"
}

# "SECONDS COMMITS": how long the server's one database writer has been held so far
# and the write transactions it committed (GET /metrics), or "".
writer_busy() {
	[ -n "${METRICS_TOKEN:-}" ] || return 0
	curl -s -H "Authorization: Bearer $METRICS_TOKEN" "$1/metrics" |
		awk '/^pingan_db_writer_busy_seconds_total /{s=$2} /^pingan_db_write_transactions_total /{c=$2}
		     END {if (s != "" && c != "") print s, c}'
}

# scenario SCALE NAME URL METHOD PATHS BODIES HEADERS [TARGET_RATE]
# One row: wrk peak, loadgen at 70 % of it, CPU, peak RSS, and the writer's time and
# commits during the peak; a second row at TARGET_RATE when given.
scenario() {
	local scale=$1 name=$2 url=$3 method=$4 paths=$5 bodies=$6 headers=$7 target=${8:-}
	local rate rss wb0 wb1 wbd wtd
	log "$scale: $name: peak (wrk -t2 -c$CONNS -d${PEAK_D}s)"
	reset_peak
	wb0=$(writer_busy "$url")
	peak "$url" "$method" "$paths" "$bodies" "$headers" "$CONNS"
	wb1=$(writer_busy "$url")
	read -r wbd wtd < <(echo "$wb0 $wb1" | awk 'NF == 4 {printf "%.6f %d\n", $3 - $1, $4 - $2}')
	rate=$(rate_of "$PEAK_RPS")
	log "$scale: $name: peak $PEAK_RPS req/s (non-2xx $PEAK_NON2XX); fixed rate $rate req/s"
	settle
	fixed "$url" "$method" "$paths" "$bodies" "$headers" "$CONNS" "$rate" "$name"
	rss=$(peak_rss_mb)
	emit "{\"kind\":\"row\",\"scale\":\"$scale\",\"scenario\":\"$name\",\"peak_rps\":$(num_or_null "$PEAK_RPS"),\"peak_non2xx\":$(num_or_null "$PEAK_NON2XX"),\"cpu_peak\":$(num_or_null "$PEAK_CPU"),\"cpu_rate\":$(num_or_null "$LG_CPU"),\"rss_mb\":$(num_or_null "$rss"),\"conns\":$CONNS,\"peak_reqs\":$(num_or_null "$PEAK_REQS"),\"peak_s\":$PEAK_D,\"writer_busy_s\":$(num_or_null "$wbd"),\"write_txns\":$(num_or_null "$wtd"),\"lg\":$LG_JSON}"
	settle
	if [ -n "$target" ]; then
		log "$scale: $name: at the target rate $target req/s"
		reset_peak
		fixed "$url" "$method" "$paths" "$bodies" "$headers" "$CONNS" "$target" "$name@target"
		rss=$(peak_rss_mb)
		emit "{\"kind\":\"row\",\"scale\":\"$scale\",\"scenario\":\"$name@target\",\"peak_rps\":null,\"cpu_peak\":null,\"cpu_rate\":$(num_or_null "$LG_CPU"),\"rss_mb\":$(num_or_null "$rss"),\"conns\":$CONNS,\"lg\":$LG_JSON}"
		settle
	fi
}

# ------------------------------------------------------------------- pingan

has_gen() { "$PINGAN" help 2>&1 | grep -qE '^[[:space:]]+gen([[:space:]]|$)'; }

# write_config FILE PORT DATA_DIR [OPS MEM]
write_config() {
	{
		echo "listen = 127.0.0.1:$2"
		echo "data_dir = $3"
		echo "log_level = warn"
		echo "signin_rate_per_minute = 100000"
		[ -n "${4:-}" ] && echo "argon2_opslimit = $4"
		[ -n "${5:-}" ] && echo "argon2_memlimit_kib = $5"
	} > "$1"
}

start_pingan() {   # CONFIG LOG [serve|demo] -> SERVER_PID
	"$PINGAN" "${3:-serve}" --config "$1" > "$2" 2>&1 &
	SERVER_PID=$!
	STARTED_PIDS="$STARTED_PIDS $SERVER_PID"
	SERVER_PIDS=$SERVER_PID
	wait_http "http://127.0.0.1:$PORT/readyz" 120
}

stop_pid() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for ((i = 0; i < 200; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

signin() {   # USER -> token on stdout
	curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$PW\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))' 2>/dev/null
}

headers_file() {   # FILE TOKEN [extra header lines...]
	local f=$1 t=$2
	shift 2
	{
		echo "Authorization: Bearer $t"
		echo "Content-Type: application/json"
		for h in "$@"; do echo "$h"; done
	} > "$f"
}

q() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }

# Users the scenarios sign in as, made with the CLI while the server is stopped.
make_users() {   # DATA_DIR CONFIG
	local dir=$1 cfg=$2 county unit ops mem c
	county=$(q "SELECT code FROM divisions WHERE level='county' AND retired_at IS NULL ORDER BY id LIMIT 1")
	unit=$(q "SELECT u.id FROM units u JOIN divisions d ON d.id=u.division_id WHERE d.code='$county' AND u.name LIKE '%公安局%' AND u.retired_at IS NULL ORDER BY u.id LIMIT 1")
	[ -z "$unit" ] && unit=$(q "SELECT u.id FROM units u JOIN divisions d ON d.id=u.division_id WHERE d.code='$county' AND u.retired_at IS NULL ORDER BY u.id LIMIT 1")
	COUNTY=$county
	UNIT=$unit
	add_user() {   # NAME ROLE CONFIG [--division X] [--unit Y]
		local name=$1 role=$2 conf=$3
		shift 3
		printf '%s\n' "$PW" | "$PINGAN" user add "$name" --role "$role" "$@" --config "$conf" \
			>> "$WORK/users.log" 2>&1 ||
			[ -n "$(q "SELECT 1 FROM users WHERE username = '$name'")" ]   # a reused data directory
	}
	add_user bench_center county_center "$cfg" --division "$county" &&
		add_user bench_dept department "$cfg" --division "$county" --unit "$unit" || return 1
	# The reader sees everything (no division): lists, search and statistics at full scale.
	add_user bench_reader leader "$cfg" || add_user bench_reader leader "$cfg" --division "$county"
	# Reads /metrics (the writer's busy time); the run goes on without it.
	add_user bench_admin admin "$cfg" || log "cannot create the metrics user"
	for c in $SIGNIN_COSTS; do
		ops=${c%%:*}
		mem=${c##*:}
		write_config "$WORK/cost-$ops-$mem.conf" "$PORT" "$dir" "$ops" "$mem"
		add_user "bench_s_${ops}_${mem}" leader "$WORK/cost-$ops-$mem.conf" --division "$county" ||
			log "cannot create a user with argon2 ops $ops mem $mem KiB (config refused it?)"
	done
}

prepare_data() {   # SCALE DATA_DIR CONFIG -> DATA_SOURCE
	local scale=$1 dir=$2 cfg=$3 t0 data_var="BENCH_DATA_${1^^}"
	if [ -n "${!data_var:-}" ]; then
		[ -f "$dir/pingan.db" ] || { log "$scale: $dir has no pingan.db"; return 1; }
		GEN_SUMMARY=$(grep -m 1 '^generated' "$dir/gen.log" 2>/dev/null || true)
		DATA_SOURCE="data directory generated before the run by \`pingan gen --scale $scale --seed 1\`: ${GEN_SUMMARY:-no gen.log}"
		return 0
	fi
	if has_gen; then
		t0=$(date +%s)
		log "$scale: pingan gen --scale $scale --seed 1 (this can take a while)"
		# gen initialises the data directory itself; it must not exist yet.
		local ev_var="BENCH_EVENTS_${scale^^}" pe_var="BENCH_PERSONS_${scale^^}" ev_args=()
		[ -n "${!ev_var:-}" ] && ev_args=(--events "${!ev_var}")
		[ -n "${!pe_var:-}" ] && ev_args+=(--persons "${!pe_var}")
		if ! "$PINGAN" gen --scale "$scale" --seed 1 "${ev_args[@]}" --config "$cfg" --data-dir "$dir" \
			> "$WORK/gen-$scale.log" 2>&1; then
			tail -5 "$WORK/gen-$scale.log" >&2
			return 1
		fi
		GEN_SUMMARY=$(grep -m 1 '^generated' "$WORK/gen-$scale.log" || true)
		DATA_SOURCE="\`pingan gen --scale $scale --seed 1${ev_args[*]:+ ${ev_args[*]}}\` in $(($(date +%s) - t0)) s: $GEN_SUMMARY"
		return 0
	fi
	[ "$scale" = county ] || return 1
	# No generator yet: the demo county, filled by the intake scenario.
	start_pingan "$cfg" "$WORK/demo-init.log" demo || return 1
	stop_pid "$SERVER_PID"
	DATA_SOURCE="pingan demo (no pingan gen yet): demo county + events created by the intake scenario"
	return 0
}

# Request bodies for intake: realistic reports over a few townships and categories.
intake_bodies() {   # FILE
	local towns cats
	towns=$(q "SELECT code FROM divisions WHERE level='township' AND path LIKE '/$COUNTY/%' AND retired_at IS NULL ORDER BY id LIMIT 6" | tr '\n' ' ')
	cats=$(q "SELECT code FROM categories WHERE code IN ('dispute.neighbour','dispute.labour','hazard.fire','city.sanitation','dispute.land','security','dispute.family','hazard.traffic')" | tr '\n' ' ')
	python3 - "$1" "$towns" "$cats" <<'EOF'
import json, sys
out, towns, cats = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
titles = {
 "dispute.neighbour": ("邻里纠纷：宅基地界址争议", "村民反映相邻宅基地界址不清，双方多次争吵，请求村调委会调解。"),
 "dispute.labour": ("劳资纠纷：拖欠农民工工资", "某建筑工地十余名农民工反映被拖欠三个月工资，情绪激动。"),
 "hazard.fire": ("消防隐患：楼道堆放杂物", "居民楼楼道长期堆放电动车和纸箱，堵塞消防通道，存在火灾隐患。"),
 "city.sanitation": ("环境卫生：垃圾清运不及时", "集镇垃圾中转站连续三天未清运，异味严重，群众多次反映。"),
 "dispute.land": ("土地山林纠纷：山林权属争议", "两村村民对交界处山林权属有争议，砍伐时发生口角。"),
 "security": ("治安：夜间噪音扰民", "沿街烧烤店深夜营业噪音扰民，周边居民无法休息。"),
 "dispute.family": ("婚姻家庭纠纷：赡养老人问题", "三兄弟对赡养八旬老母亲的费用分担意见不一，老人求助。"),
 "hazard.traffic": ("交通隐患：村口急弯缺少警示标志", "村口急弯处缺少减速带和警示标志，近期发生两起剐蹭。"),
}
with open(out, "w") as f:
    for i, c in enumerate(cats or ["dispute.neighbour"]):
        for j, t in enumerate(towns):
            title, desc = titles.get(c, ("群众反映问题", "群众来访反映问题，请求处理。"))
            body = {"channel": "walk_in", "category_code": c, "division_code": t,
                    "title": title + " {{seq}}", "description": desc,
                    "reporter_name": "张三", "reporter_phone": "13800138000",
                    "urgency": "urgent" if (i + j) % 5 == 0 else "normal"}
            f.write(json.dumps(body, ensure_ascii=False) + "\n")
EOF
}

# Chinese phrases (3-4 characters) taken from event titles, URL-encoded.
search_paths() {   # FILE
	q "SELECT title FROM events WHERE id IN ($(sample_ids 400 | paste -sd, -))" | python3 -c '
import sys, re, urllib.parse, random
random.seed(1)
seen = []
for line in sys.stdin:
    runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", line) if len(r) >= 3]
    for r in runs:
        k = random.choice([3, 4]) if len(r) >= 4 else 3
        i = random.randrange(0, len(r) - k + 1)
        p = r[i:i + k]
        if p not in seen:
            seen.append(p)
    if len(seen) >= 12:
        break
for p in seen or ["邻里纠纷"]:
    print("/api/v1/events?limit=20&q=" + urllib.parse.quote(p))
' > "$1"
}

list_paths() {   # FILE
	local town mid cat path
	# Cheap picks (no scan, whatever the scale): the newest event's township and category.
	path=$(q "SELECT division_path FROM events ORDER BY id DESC LIMIT 1")
	town=$(echo "$path" | cut -d/ -f3)
	[ -z "$town" ] && town=$(q "SELECT code FROM divisions WHERE level='township' ORDER BY id LIMIT 1")
	mid=$(q "SELECT max(id)/2 FROM events")
	cat=$(q "SELECT c.code FROM categories c WHERE c.id = (SELECT category_id FROM events ORDER BY id DESC LIMIT 1)")
	{
		echo "/api/v1/events?limit=20&state=closed"
		echo "/api/v1/events?limit=20&division=$town"
		echo "/api/v1/events?limit=20&category=$cat"
		echo "/api/v1/events?limit=20&division=$town&state=closed&cursor=${mid:-1}"
		echo "/api/v1/events?limit=20&urgency=urgent&cursor=${mid:-1}"
		echo "/api/v1/events?limit=20&division=$town&category=$cat&cursor=${mid:-1}"
	} > "$1"
}

# Up to N ids of existing events spread over the whole table (no full scan).
# The statement goes in on standard input: 20,000 ids of a province are longer
# than one command-line argument may be (128 KiB).
sample_ids() {   # N
	local max
	max=$(q "SELECT max(id) FROM events")
	python3 -c "import random,sys; random.seed(7); m=int(sys.argv[1] or 1); print('SELECT id FROM events WHERE id IN (%s);' % ','.join(str(random.randint(1, m)) for _ in range(int(sys.argv[2]))))" "${max:-1}" "$1" |
		sqlite3 -cmd '.timeout 5000' "$DB"
}

# --------------------------------------------------------- the transitions

transitions_scenario() {   # SCALE URL CENTER DEPT
	local scale=$1 url=$2 center=$3 dept=$4 town n=1000 rate p step body who i
	local dir="$WORK/tr-$scale"
	mkdir -p "$dir"
	town=$(q "SELECT code FROM divisions WHERE level='township' AND path LIKE '/$COUNTY/%' ORDER BY id LIMIT 1")
	log "$scale: transitions: create $n events, then 16 workers race through their chains"
	"$OUT/transitions" create --port "$PORT" --token "$center" --n $n --division "$town" \
		--category dispute.neighbour --out "$dir/ids" -w 16 >&2
	reset_peak
	cpu_start
	"$OUT/transitions" race --port "$PORT" --center "$center" --dept "$dept" --unit "$UNIT" \
		--ids "$dir/ids" -w 16 --max-seconds 120 > "$dir/race.txt" 2>&1
	local cpu rss
	cpu=$(cpu_pct)
	rss=$(peak_rss_mb)
	sed 's/^/    /' "$dir/race.txt" >&2
	emit "{\"kind\":\"race\",\"scale\":\"$scale\",\"cpu\":$(num_or_null "$cpu"),\"rss_mb\":$(num_or_null "$rss"),\"r\":$(tail -n 1 "$dir/race.txt" | grep '^{' || echo '{}')}"

	# Fixed-rate latency of each step: every event's step is sent twice, back to
	# back on different connections; exactly one of the two may succeed.
	rate=$(python3 -c "import json,sys; r=json.loads(sys.argv[1] or '{}').get('rate',20); print(max(10, round(r*0.7)))" \
		"$(tail -n 1 "$dir/race.txt" | grep '^{' || echo '{}')")
	p=$(( (rate * 5 + 1) / 2 ))
	[ $p -gt 3000 ] && { p=3000; rate=$((2 * p / 5)); }
	log "$scale: transitions at a fixed rate: $rate req/s, $p events, each step sent twice"
	"$OUT/transitions" create --port "$PORT" --token "$center" --n $p --division "$town" \
		--category dispute.neighbour --out "$dir/ids2" -w 16 >&2
	for step in accept dispatch sign feedback verify; do
		case $step in
		accept) body='{}'; who=$center ;;
		dispatch) body="{\"lead_unit_id\":$UNIT}"; who=$center ;;
		sign) body='{}'; who=$dept ;;
		feedback) body='{"note":"已办理并反馈（基准测试）"}'; who=$dept ;;
		verify) body='{"ok":true}'; who=$center ;;
		esac
		while read -r i; do
			echo "/api/v1/events/$i/$step"
			echo "/api/v1/events/$i/$step"
		done < "$dir/ids2" > "$dir/paths-$step"
		echo "$body" > "$dir/body-$step"
		headers_file "$dir/h-$step" "$who"
		reset_peak
		fixed "$url" POST "$dir/paths-$step" "$dir/body-$step" "$dir/h-$step" "$CONNS" "$rate" \
			"transition:$step" 5 0
		emit "{\"kind\":\"row\",\"scale\":\"$scale\",\"scenario\":\"transition:$step\",\"peak_rps\":null,\"cpu_peak\":null,\"cpu_rate\":$(num_or_null "$LG_CPU"),\"rss_mb\":$(num_or_null "$(peak_rss_mb)"),\"conns\":$CONNS,\"events\":$(wc -l < "$dir/ids2"),\"lg\":$LG_JSON}"
	done
	"$OUT/transitions" check --port "$PORT" --token "$center" --ids "$dir/ids2" > "$dir/check.txt" 2>&1
	sed 's/^/    /' "$dir/check.txt" >&2
	emit "{\"kind\":\"phase_check\",\"scale\":\"$scale\",\"r\":$(tail -n 1 "$dir/check.txt" | grep '^{' || echo '{}')}"
}

# ------------------------------------------------------------ one scale

# ------------------------------------------------------------ the registry

# 7. CSV import of new residents (4 files of 50,000, one after the other, as
#    the county centre), then lookups of their ID numbers and searches of
#    their whole names among everyone the scale already holds.
registry_scenario() {   # SCALE URL CENTER READER
	local scale=$1 url=$2 center=$3 reader=$4 files=${BENCH_IMPORT_FILES:-4} rows=${BENCH_IMPORT_ROWS:-50000}
	local before t0 t1 f out created=0 updated=0 failed=0 rss
	q "SELECT code FROM divisions WHERE level = 'grid' AND path LIKE '/$COUNTY/%' AND retired_at IS NULL ORDER BY id LIMIT 300" > "$WORK/grids-$scale"
	python3 "$BENCH/persons_csv.py" "$WORK/persons-$scale" "$files" "$rows" "$WORK/grids-$scale" "$(date +%s)"
	before=$(q "SELECT count(*) FROM persons")
	# Raw SQLite writing rows shaped like these with the same four indexes into as
	# many rows, just before on the same disk: what this storage layout allows.
	if [ "${BENCH_SQLITE:-1}" = 1 ]; then
		log "$scale: registry: raw SQLite, $files × $rows rows with the same indexes into $before"
		"$OUT/sqlite_ref" "$WORK/sqlite-reg.db" 3 1 registry "$before" > "$WORK/sqlite-reg.txt" 2>&1
		sed 's/^/    /' "$WORK/sqlite-reg.txt" >&2
		rm -f "$WORK/sqlite-reg.db" "$WORK/sqlite-reg.db-wal" "$WORK/sqlite-reg.db-shm"
		emit "{\"kind\":\"sqlite_registry\",\"scale\":\"$scale\",\"r\":$(tail -n 1 "$WORK/sqlite-reg.txt" | grep '^{' || echo '{}')}"
		settle
	fi
	log "$scale: registry: importing $files × $rows persons into $before"
	reset_peak
	cpu_start
	t0=$(date +%s.%N)
	for f in $(seq 1 "$files"); do
		out=$(curl -s -X POST "$url/api/v1/persons/import" -H "Authorization: Bearer $center" \
			-H 'Content-Type: text/csv; charset=utf-8' --data-binary "@$WORK/persons-$scale-$f.csv")
		created=$((created + $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("created",0))' 2>/dev/null || echo 0)))
		updated=$((updated + $(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("updated",0))' 2>/dev/null || echo 0)))
		case "$out" in *'"imported"'*) ;; *) failed=$((failed + 1)); log "$scale: import $f failed: ${out:0:300}" ;; esac
	done
	t1=$(date +%s.%N)
	rss=$(peak_rss_mb)
	emit "{\"kind\":\"import\",\"scale\":\"$scale\",\"files\":$files,\"rows\":$rows,\"persons_before\":$before,\"created\":$created,\"updated\":$updated,\"failed\":$failed,\"seconds\":$(python3 -c "print(round($t1 - $t0, 3))"),\"cpu\":$(num_or_null "$(cpu_pct)"),\"rss_mb\":$(num_or_null "$rss")}"
	settle
	headers_file "$WORK/h-reader" "$reader"
	sed 's|^|/api/v1/persons?id_number=|' "$WORK/persons-$scale-ids.txt" > "$WORK/p-person-id"
	scenario "$scale" person_id "$url" GET "$WORK/p-person-id" "" "$WORK/h-reader"
	python3 -c 'import sys, urllib.parse
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        print("/api/v1/persons?limit=20&name=" + urllib.parse.quote(line.strip()))' "$WORK/persons-$scale-names.txt" > "$WORK/p-person-name"
	scenario "$scale" person_name "$url" GET "$WORK/p-person-name" "" "$WORK/h-reader"
}

run_scale() {
	local scale=$1
	local data_var="BENCH_DATA_${1^^}"
	local dir="${!data_var:-$WORK/data-$scale}" cfg="$WORK/pingan-$scale.conf" url center dept reader
	local c ops mem ids size
	PORT=$(free_port)
	url="http://127.0.0.1:$PORT"
	write_config "$cfg" "$PORT" "$dir"
	DB="$dir/pingan.db"
	if ! prepare_data "$scale" "$dir" "$cfg"; then
		local why="pingan gen is not available yet (pingan help lists no gen)"
		has_gen && why="pingan gen --scale $scale failed (see the log)"
		log "$scale: not measured: $why"
		emit "{\"kind\":\"skip\",\"scale\":\"$scale\",\"reason\":$(jstr "$why")}"
		return 0
	fi
	# Start on a quiet disk: gen or an upgrade can leave gigabytes of dirty pages that the
	# kernel would write back during the first scenarios, and every commit's fsync waits.
	sync
	make_users "$dir" "$cfg" || { log "$scale: cannot create the bench users"; cat "$WORK/users.log" >&2; return 1; }
	start_pingan "$cfg" "$WORK/pingan-$scale.log" || { log "$scale: server did not start"; tail "$WORK/pingan-$scale.log" >&2; return 1; }
	center=$(signin bench_center); dept=$(signin bench_dept); reader=$(signin bench_reader)
	METRICS_TOKEN=$(signin bench_admin)
	if [ -z "$center" ] || [ -z "$dept" ] || [ -z "$reader" ]; then
		log "$scale: sign-in failed"
		return 1
	fi
	emit "{\"kind\":\"scale\",\"scale\":\"$scale\",\"source\":$(jstr "$DATA_SOURCE"),\"events_before\":$(q 'SELECT count(*) FROM events'),\"divisions\":$(q 'SELECT count(*) FROM divisions'),\"units\":$(q 'SELECT count(*) FROM units'),\"users\":$(q 'SELECT count(*) FROM users'),\"persons\":$(q 'SELECT count(*) FROM persons'),\"db_mb\":$(du -sm "$dir" | cut -f1),\"rss_start_mb\":$(peak_rss_mb)}"

	# 1. Sign-in at the configured (default) cost, then the cost sweep.
	echo /api/v1/session > "$WORK/p-session"
	printf '{"username":"bench_s_2_19456","password":"%s"}\n' "$PW" > "$WORK/b-session"
	printf 'Content-Type: application/json\n' > "$WORK/h-plain"
	scenario "$scale" signin "$url" POST "$WORK/p-session" "$WORK/b-session" "$WORK/h-plain"
	for c in $SIGNIN_COSTS; do
		ops=${c%%:*}; mem=${c##*:}
		printf '{"username":"bench_s_%s_%s","password":"%s"}\n' "$ops" "$mem" "$PW" > "$WORK/b-s-$ops-$mem"
		log "$scale: sign-in cost ops=$ops mem=${mem}KiB: peak (wrk -c16, 5 s)"
		local save=$PEAK_D; PEAK_D=5
		peak "$url" POST "$WORK/p-session" "$WORK/b-s-$ops-$mem" "$WORK/h-plain" 16
		PEAK_D=$save
		settle
		emit "{\"kind\":\"signin_cost\",\"scale\":\"$scale\",\"ops\":$ops,\"mem_kib\":$mem,\"rps\":$(num_or_null "$PEAK_RPS"),\"non2xx\":$(num_or_null "$PEAK_NON2XX"),\"cpu\":$(num_or_null "$PEAK_CPU")}"
	done

	# 2. Intake: authenticated, durable, 64 connections; also at the 5,000/s target.
	#    Raw SQLite's durable insert rate is taken just before, on the same disk.
	"$OUT/sqlite_ref" "$WORK/sqlite-near.db" 3 1 insert > "$WORK/sqlite-near.txt" 2>&1
	rm -f "$WORK/sqlite-near.db" "$WORK/sqlite-near.db-wal" "$WORK/sqlite-near.db-shm"
	emit "{\"kind\":\"sqlite_near\",\"scale\":\"$scale\",\"r\":$(tail -n 1 "$WORK/sqlite-near.txt" | grep '^{' || echo '{}')}"
	echo /api/v1/events > "$WORK/p-events"
	intake_bodies "$WORK/b-intake"
	headers_file "$WORK/h-intake" "$center" 'Idempotency-Key: bench-{{seq}}'
	scenario "$scale" intake "$url" POST "$WORK/p-events" "$WORK/b-intake" "$WORK/h-intake" 5000

	# 5. Transitions under concurrency (before the reads so they see its events too).
	transitions_scenario "$scale" "$url" "$center" "$dept"

	# 3. Read one event with its timeline; lists with filters and a cursor.
	headers_file "$WORK/h-reader" "$reader"
	ids=$(sample_ids 1000)
	printf '%s\n' $ids | sed 's|^|/api/v1/events/|' > "$WORK/p-read"
	size=$(curl -s -H "Authorization: Bearer $reader" "$url$(head -n 1 "$WORK/p-read")" | tee "$WORK/event-sample.json" | wc -c)
	emit "{\"kind\":\"event_size\",\"scale\":\"$scale\",\"bytes\":$size}"
	scenario "$scale" read_one "$url" GET "$WORK/p-read" "" "$WORK/h-reader"
	# The same over 20,000 ids, many more than the server keeps answers for
	# (event_cache_mb): mostly the cost of rendering an event from the database.
	printf '%s\n' $(sample_ids 20000) | sed 's|^|/api/v1/events/|' > "$WORK/p-read-spread"
	if grep -q '[0-9]$' "$WORK/p-read-spread"; then
		scenario "$scale" read_spread "$url" GET "$WORK/p-read-spread" "" "$WORK/h-reader"
	else
		log "$scale: read_spread: no event ids could be sampled; skipped"
	fi
	# The floor under every answer: the same server answering /healthz (no session,
	# no database), with the same wrk settings.
	echo /healthz > "$WORK/p-health"
	: > "$WORK/h-none"
	log "$scale: http_floor: peak of GET /healthz"
	peak "$url" GET "$WORK/p-health" "" "$WORK/h-none" "$CONNS"
	emit "{\"kind\":\"http_floor\",\"scale\":\"$scale\",\"peak_rps\":$(num_or_null "$PEAK_RPS"),\"peak_non2xx\":$(num_or_null "$PEAK_NON2XX"),\"cpu_peak\":$(num_or_null "$PEAK_CPU")}"
	settle
	list_paths "$WORK/p-list"
	scenario "$scale" list_filtered "$url" GET "$WORK/p-list" "" "$WORK/h-reader"

	# 4. Full-text search in Chinese.
	search_paths "$WORK/p-search"
	scenario "$scale" search_zh "$url" GET "$WORK/p-search" "" "$WORK/h-reader"

	# 6. Dashboard statistics.
	{
		echo "/api/v1/stats/events?division=$COUNTY"
		echo "/api/v1/stats/events?by=unit"
	} > "$WORK/p-stats"
	scenario "$scale" stats "$url" GET "$WORK/p-stats" "" "$WORK/h-reader"

	# 7. Registry: CSV import, lookup by ID number, search by name.
	registry_scenario "$scale" "$url" "$center" "$reader"

	emit "{\"kind\":\"scale_end\",\"scale\":\"$scale\",\"events_after\":$(q 'SELECT count(*) FROM events'),\"db_mb\":$(du -sm "$dir" | cut -f1),\"rss_hwm_mb\":$(awk '/^VmHWM/{print $2/1024}' /proc/$SERVER_PID/status)}"
	cp "$WORK/event-sample.json" "$WORK/event-$scale.json"
	stop_pid "$SERVER_PID"
	SERVER_PIDS=""
}

# -------------------------------------------------------------- references

ref_nginx() {
	local dir="$WORK/nginx" port pid
	need_pkgs nginx-light || { emit '{"kind":"ref_skip","ref":"nginx","reason":"nginx not installed"}'; return; }
	port=$(free_port)
	mkdir -p "$dir/root" "$dir/tmp" "$dir/logs"
	# nginx's workers run as www-data when started by root: let them reach the file.
	chmod o+x "$WORK" "$dir"
	chmod o+rx "$dir/root"
	if [ -s "$WORK/event-county.json" ]; then
		cp "$WORK/event-county.json" "$dir/root/event.json"
	else
		head -c 1500 /dev/zero | tr '\0' 'x' > "$dir/root/event.json"
	fi
	chmod o+r "$dir/root/event.json"
	cat > "$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
	uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
	keepalive_requests 1000000;
	server { listen 127.0.0.1:$port; root $dir/root; default_type application/json; }
}
EOF
	nginx -c "$dir/nginx.conf" -p "$dir" > "$dir/logs/out.log" 2>&1 &
	pid=$!
	STARTED_PIDS="$STARTED_PIDS $pid"
	PORT=$port
	wait_http "http://127.0.0.1:$port/event.json" 10 || { emit '{"kind":"ref_skip","ref":"nginx","reason":"nginx did not start"}'; return; }
	SERVER_PIDS=$pid
	echo /event.json > "$dir/paths"
	: > "$dir/h"
	scenario reference nginx_static "http://127.0.0.1:$port" GET "$dir/paths" "" "$dir/h"
	emit "{\"kind\":\"nginx_file\",\"bytes\":$(wc -c < "$dir/root/event.json"),\"version\":$(jstr "$(nginx -v 2>&1)")}"
	stop_pid "$pid"
	SERVER_PIDS=""
}

ref_sqlite() {
	local f="$WORK/sqlite-ref.db"
	log "reference: raw SQLite (3 s per test)"
	"$OUT/sqlite_ref" "$f" 3 4 > "$WORK/sqlite-ref.txt" 2>&1
	sed 's/^/    /' "$WORK/sqlite-ref.txt" >&2
	emit "{\"kind\":\"sqlite\",\"r\":$(tail -n 1 "$WORK/sqlite-ref.txt" | grep '^{' || echo '{}')}"
	rm -f "$f" "$f-wal" "$f-shm"
}

ref_rt() {
	[ "${BENCH_RT:-1}" = 1 ] || { emit '{"kind":"ref_skip","ref":"rt5","reason":"BENCH_RT=0"}'; return; }
	# shellcheck source=bench/rt5.sh
	. "$BENCH/rt5.sh"
	rt5_reference
}

# -------------------------------------------------------------------- main

main() {
	local s
	log "scales: $SCALES; work directory $WORK"
	# pingan's own build dependencies come from its setup script; the bench adds its tools.
	if ! command -v cc > /dev/null || ! dpkg-query -W libjansson-dev libsqlite3-dev > /dev/null 2>&1; then
		sh "$ROOT/scripts/install-deps.sh" || { log "scripts/install-deps.sh failed"; exit 1; }
	fi
	need_pkgs wrk curl sqlite3 python3 procps || { log "cannot install wrk curl sqlite3 python3 procps"; exit 1; }
	build_tools || { log "building bench tools failed"; exit 1; }
	if [ ! -x "$PINGAN" ] || [ "${BENCH_BUILD:-1}" = 1 ]; then
		make -s -C "$ROOT" pingan > "$WORK/make.log" 2>&1 || [ -x "$PINGAN" ] ||
			{ log "cannot build ./pingan"; cat "$WORK/make.log" >&2; exit 1; }
	fi
	emit "{\"kind\":\"meta\",\"date\":$(jstr "$(date '+%Y-%m-%d %H:%M %Z')"),\"nproc\":$(nproc),\"cpu\":$(jstr "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"),\"mem\":$(jstr "$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"),\"kernel\":$(jstr "$(uname -r)"),\"load\":$(jstr "$(cut -d' ' -f1-3 /proc/loadavg)"),\"busy\":$(jstr "$(busy_elsewhere)"),\"pingan\":$(jstr "$("$PINGAN" version 2>&1 | head -n 1)"),\"sqlite\":$(jstr "$(sqlite3 --version | cut -d' ' -f1)"),\"wrk\":$(jstr "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"),\"command\":$(jstr "$COMMAND_LINE"),\"duration\":$DUR,\"warmup\":$WARM,\"peak_d\":$PEAK_D,\"conns\":$CONNS,\"has_gen\":$(has_gen && echo true || echo false)}"
	for s in $SCALES; do
		case $s in
		county | city | province) run_scale "$s" || log "$s: aborted" ;;
		*) log "unknown scale $s (county, city or province)"; exit 2 ;;
		esac
	done
	[ "${BENCH_NGINX:-1}" = 1 ] && ref_nginx
	[ "${BENCH_SQLITE:-1}" = 1 ] && ref_sqlite
	ref_rt
	emit "{\"kind\":\"end\",\"load\":$(jstr "$(cut -d' ' -f1-3 /proc/loadavg)"),\"busy\":$(jstr "$(busy_elsewhere)")}"
	cp "$JSONL" "$OUT/last-results.jsonl"
	python3 "$BENCH/report.py" "$JSONL" "$RESULTS" || { log "report failed; raw results in $OUT/last-results.jsonl"; exit 1; }
	log "wrote a new section at the top of $RESULTS (raw: bench/out/last-results.jsonl)"
}

main
