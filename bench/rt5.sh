# Request Tracker 5 as the peer reference; sourced by bench/run.sh (uses its
# helpers: need_pkgs, free_port, wait_http, scenario, emit, log, ...).
#
# Debian's packages (request-tracker5, rt5-db-sqlite, rt5-standalone) on a
# private SQLite database in the work directory, configured through
# RT_SITE_CONFIG / RT_SITE_CONFIG_DIR so nothing under /etc is touched. The
# standalone server (Starlet, prefork, 2 workers per core) answers REST2 on a
# free loopback port. Requests authenticate with a session cookie from one
# sign-in, as pingan's use a bearer session token: RT checks a password or
# an API token with bcrypt on every request, which would measure bcrypt.
# Starlet closes the connection after each answer, so loadgen runs with
# --close (a new connection per request, at most -c in flight).

RT_LIBEXEC=/usr/share/request-tracker5/libexec

rt5_skip() {
	log "RT5: not measured: $1"
	emit "{\"kind\":\"ref_skip\",\"ref\":\"rt5\",\"reason\":$(jstr "$1")}"
}

rt5_reference() {
	local dir="$WORK/rt5" port url pid workers cookie n
	need_pkgs request-tracker5 rt5-db-sqlite rt5-standalone ||
		{ rt5_skip "installing request-tracker5 rt5-db-sqlite rt5-standalone failed (see apt log)"; return; }
	[ -x "$RT_LIBEXEC/rt-server" ] || { rt5_skip "rt-server not found in $RT_LIBEXEC"; return; }
	port=$(free_port)
	url="http://127.0.0.1:$port"
	workers=$((2 * $(nproc)))
	mkdir -p "$dir/d"
	cat > "$dir/RT_SiteConfig.pm" <<EOF
Set(\$rtname, 'bench.local');
Set(\$Organization, 'bench.local');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$dir/rtdb');
Set(\$WebPath, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $port);
Set(\$WebBaseURL, 'http://127.0.0.1:$port');
Set(\$MailCommand, 'testfile');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'error');
Set(\$LogToFile, undef);
Set(\$Timezone, 'Asia/Shanghai');
1;
EOF
	export RT_SITE_CONFIG="$dir/RT_SiteConfig.pm" RT_SITE_CONFIG_DIR="$dir/d"
	log "RT5: creating its SQLite database"
	if ! /usr/sbin/rt-setup-database-5 --action init --skip-create < /dev/null > "$dir/setup.log" 2>&1; then
		rt5_skip "rt-setup-database --action init failed: $(tail -n 1 "$dir/setup.log")"
		unset RT_SITE_CONFIG RT_SITE_CONFIG_DIR
		return
	fi
	"$RT_LIBEXEC/rt-server" --port "$port" --host 127.0.0.1 --max-workers "$workers" \
		--max-reqs-per-child 1000000 > "$dir/server.log" 2>&1 &
	pid=$!
	STARTED_PIDS="$STARTED_PIDS $pid"
	unset RT_SITE_CONFIG RT_SITE_CONFIG_DIR
	if ! wait_http "$url/NoAuth/Login.html" 90; then
		rt5_skip "rt-server did not answer: $(tail -n 1 "$dir/server.log")"
		return
	fi
	curl -s -c "$dir/jar" -o /dev/null -d 'user=root&pass=password' "$url/NoAuth/Login.html"
	cookie=$(awk '/RT_SID/{print $6 "=" $7}' "$dir/jar")
	[ -n "$cookie" ] || { rt5_skip "signing in as root failed"; return; }
	SERVER_PIDS=$pid
	PORT=$port
	# RT refuses a cookie-authenticated POST or PUT whose Origin is not its own
	# (REST2's CSRF check, Debian's 5.0.3+dfsg-3~deb12u7 on); its own pages send it.
	printf 'Cookie: %s\nContent-Type: application/json\nOrigin: %s\n' "$cookie" "$url" > "$dir/h"
	LG_EXTRA=(--close)

	echo /REST/2.0/ticket > "$dir/p-create"
	echo '{"Queue":"General","Subject":"邻里纠纷：宅基地界址争议 {{seq}}","Content":"村民反映相邻宅基地界址不清，双方多次争吵，请求调解。","ContentType":"text/plain"}' > "$dir/b-create"
	scenario reference rt5_create "$url" POST "$dir/p-create" "$dir/b-create" "$dir/h"

	n=$(curl -s -H "Cookie: $cookie" "$url/REST/2.0/tickets?query=id>0&per_page=1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("total",0))' 2>/dev/null)
	n=${n:-0}
	[ "$n" -gt 999 ] && n=999
	[ $((n % 2)) -eq 0 ] && n=$((n - 1))      # odd: each ticket sees both statuses in turn
	if [ "$n" -lt 1 ]; then
		rt5_skip "no tickets were created"
		LG_EXTRA=()
		return
	fi
	seq 1 "$n" | sed 's|^|/REST/2.0/ticket/|' > "$dir/p-read"
	scenario reference rt5_read "$url" GET "$dir/p-read" "" "$dir/h"

	{
		echo "/REST/2.0/tickets?query=Queue%3D%27General%27&per_page=20"
		echo "/REST/2.0/tickets?query=Queue%3D%27General%27%20AND%20Status%3D%27new%27&per_page=20"
		echo "/REST/2.0/tickets?query=Queue%3D%27General%27&per_page=20&page=2"
	} > "$dir/p-list"
	scenario reference rt5_list "$url" GET "$dir/p-list" "" "$dir/h"

	printf '{"Status":"open"}\n{"Status":"stalled"}\n' > "$dir/b-status"
	scenario reference rt5_status "$url" PUT "$dir/p-read" "$dir/b-status" "$dir/h"

	emit "{\"kind\":\"rt5\",\"workers\":$workers,\"tickets\":$n,\"version\":$(jstr "$(dpkg-query -W -f='${Version}' request-tracker5)")}"
	LG_EXTRA=()
	stop_pid "$pid"
	SERVER_PIDS=""
}
