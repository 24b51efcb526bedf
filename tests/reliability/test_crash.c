/*
 * Crash consistency under load (docs/reliability.md, test 1). The real
 * server runs the demo county while client threads report events (each
 * with an Idempotency-Key), walk them through the closed loop and edit the
 * unit registry; at a random moment the server gets SIGKILL. A snapshot of
 * the files it left (database and WAL, as a reboot finds them) must pass
 * `PRAGMA integrity_check` and `pingan audit verify`, hold every write a
 * client saw acknowledged, and hold nothing half-written. The server then
 * restarts on the crashed files themselves and must serve every
 * acknowledged event; a retry of each unanswered report with its key
 * returns the event it created, if any, and creates nothing twice.
 */
#include "rel.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_PREFIX "崩溃测试"
#define REPORTERS 3
#define WALKERS 2
#define MAX_EVENTS 50000
#define MAX_UNITS 4000
#define MAX_PENDING 256
#define REQ_TIMEOUT_MS 8000

/* The closed loop as the walkers drive it, with the state each step reaches. */
static const struct step {
	const char *who, *action, *state;
} loop_steps[] = {
	{ "center", "accept", "accepted" },
	{ "center", "dispatch", "dispatched" },
	{ "dept", "sign", "handling" },
	{ "dept", "feedback", "handled" },
	{ "center", "verify", "closed" },
};

static const char *const state_order[] = { "reported", "accepted", "dispatched", "handling",
	"handled", "closed" };

static int
state_rank(const char *s)
{
	for (int i = 0; s && i < 6; i++)
		if (strcmp(s, state_order[i]) == 0)
			return i;
	return -1;
}

struct ev {
	long long id;
	char title[64];
	int rank;               /* furthest state acknowledged (0: reported) */
	int steps;              /* acknowledged transitions */
	int cycle;
};

struct unit {
	long long id;
	char name[64], renamed[72];
	bool rename_acked;
};

/* A report that got no answer: retried with its key after the restart. */
struct pending {
	char title[64], key[48];
};

static struct {
	pthread_mutex_t lock;
	struct rel_server srv;
	char tok_grid[96], tok_center[96], tok_dept[96], tok_admin[96];
	long long police;
	struct ev events[MAX_EVENTS];
	int nevents;
	int walk_next;          /* next event index a walker takes */
	struct unit units[MAX_UNITS];
	int nunits;
	struct pending pending[MAX_PENDING];
	int npending;
	int cycle;
	atomic_bool stop;
	atomic_int seq;
	atomic_int unexpected;
	int transitions_acked, renames_acked, replayed, recreated;
} cs = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
unexpected(const char *what, const struct rel_resp *r)
{
	if (atomic_fetch_add(&cs.unexpected, 1) < 10)
		printf("    unexpected answer to %s: %ld %.300s\n", what, r->status, r->body);
}

static const char *
token_of(const char *who)
{
	return strcmp(who, "dept") == 0 ? cs.tok_dept : cs.tok_center;
}

/* --- the clients ---------------------------------------------------------- */

/* v as compact text (caller frees); v is released. */
static char *
dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (s == NULL)
		abort();
	return s;
}

static char *
report_body(const char *title)
{
	return dump(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "channel",
	    "grid", "category_code", "dispute.neighbour", "title", title, "description",
	    "排水沟堵塞引发邻里争吵，双方多次口角。", "division_code", "330824115205001",
	    "reporter_name", "张三", "reporter_phone", "13812345678", "parties", "name", "李四",
	    "id_number", "34052419800101001X"));
}

/* POSTs a report with its Idempotency-Key; fills r. */
static void
post_report(struct rel_http *h, const char *title, const char *key, struct rel_resp *r)
{
	char hdr[80];
	const char *headers[] = { hdr, NULL };
	char *body = report_body(title);

	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
	rel_request(h, "POST", "/api/v1/events", cs.tok_grid, body, headers, REQ_TIMEOUT_MS, r);
	free(body);
}

static void
record_event(long long id, const char *title)
{
	pthread_mutex_lock(&cs.lock);
	if (cs.nevents < MAX_EVENTS) {
		struct ev *e = &cs.events[cs.nevents++];

		e->id = id;
		snprintf(e->title, sizeof e->title, "%s", title);
		e->rank = 0;
		e->steps = 0;
		e->cycle = cs.cycle;
	}
	pthread_mutex_unlock(&cs.lock);
}

static void
record_pending(const char *title, const char *key)
{
	pthread_mutex_lock(&cs.lock);
	if (cs.npending < MAX_PENDING) {
		snprintf(cs.pending[cs.npending].title, sizeof cs.pending[0].title, "%s", title);
		snprintf(cs.pending[cs.npending].key, sizeof cs.pending[0].key, "%s", key);
		cs.npending++;
	}
	pthread_mutex_unlock(&cs.lock);
}

static void *
reporter(void *arg)
{
	struct rel_http *h = rel_http_new(cs.srv.base);
	int index = (int)(long)arg;

	while (!atomic_load(&cs.stop)) {
		int seq = atomic_fetch_add(&cs.seq, 1);
		char title[64], key[48];
		struct rel_resp r;
		long status;

		snprintf(title, sizeof title, "%sC%d-R%d-%d", TITLE_PREFIX, cs.cycle, index, seq);
		snprintf(key, sizeof key, "crash-%d-%d", index, seq);
		post_report(h, title, key, &r);
		status = r.status;
		if (r.status == 201 && rel_jstr(r.json, "title") &&
		    strcmp(rel_jstr(r.json, "title"), title) == 0)
			record_event(rel_jint(r.json, "id", 0), title);
		else if (r.status == 0)
			record_pending(title, key);
		else
			unexpected("a report", &r);
		rel_resp_release(&r);
		if (status == 0)
			break;
	}
	rel_http_free(h);
	return NULL;
}

/* The next event of this cycle nobody walks yet, or -1. */
static int
take_event(void)
{
	int i = -1;

	pthread_mutex_lock(&cs.lock);
	while (cs.walk_next < cs.nevents && cs.events[cs.walk_next].cycle != cs.cycle)
		cs.walk_next++;
	if (cs.walk_next < cs.nevents)
		i = cs.walk_next++;
	pthread_mutex_unlock(&cs.lock);
	return i;
}

/* Walks one event through the loop. false when the server stopped answering. */
static bool
walk(struct rel_http *h, int i)
{
	char path[96], body[64];
	long long id;

	pthread_mutex_lock(&cs.lock);
	id = cs.events[i].id;
	pthread_mutex_unlock(&cs.lock);
	for (size_t s = 0; s < sizeof loop_steps / sizeof loop_steps[0]; s++) {
		const struct step *st = &loop_steps[s];
		struct rel_resp r;
		long status;
		bool ok;

		snprintf(path, sizeof path, "/api/v1/events/%lld/%s", id, st->action);
		if (strcmp(st->action, "dispatch") == 0)
			snprintf(body, sizeof body, "{\"lead_unit_id\":%lld}", cs.police);
		else if (strcmp(st->action, "feedback") == 0)
			snprintf(body, sizeof body, "{\"note\":\"已上门调解\"}");
		else if (strcmp(st->action, "verify") == 0)
			snprintf(body, sizeof body, "{\"ok\":true}");
		else
			snprintf(body, sizeof body, "{}");
		rel_request(h, "POST", path, token_of(st->who), body, NULL, REQ_TIMEOUT_MS, &r);
		status = r.status;
		ok = r.status == 200 && rel_jstr(r.json, "state") &&
		    strcmp(rel_jstr(r.json, "state"), st->state) == 0;
		if (ok) {
			pthread_mutex_lock(&cs.lock);
			cs.events[i].rank = state_rank(st->state);
			cs.events[i].steps++;
			cs.transitions_acked++;
			pthread_mutex_unlock(&cs.lock);
		} else if (r.status != 0) {
			unexpected(st->action, &r);
		}
		rel_resp_release(&r);
		if (!ok)
			return status != 0;
		if (atomic_load(&cs.stop))
			return false;
	}
	return true;
}

static void *
walker(void *arg)
{
	struct rel_http *h = rel_http_new(cs.srv.base);

	(void)arg;
	while (!atomic_load(&cs.stop)) {
		int i = take_event();

		if (i < 0) {
			rel_sleep_ms(5);
			continue;
		}
		if (!walk(h, i))
			break;
	}
	rel_http_free(h);
	return NULL;
}

/* Creates a unit, then renames it (registry edits). false when the server stopped answering. */
static bool
edit_unit(struct rel_http *h, int seq)
{
	struct unit u = { 0 };
	struct rel_resp r;
	char *body, path[64];
	long long version;
	long status;
	int slot;

	snprintf(u.name, sizeof u.name, "崩溃单位C%d-%d", cs.cycle, seq);
	snprintf(u.renamed, sizeof u.renamed, "%s改", u.name);
	body = dump(json_pack("{s:s, s:s, s:s}", "name", u.name, "kind", "department",
	    "division_code", "330824"));
	rel_request(h, "POST", "/api/v1/units", cs.tok_admin, body, NULL, REQ_TIMEOUT_MS, &r);
	free(body);
	status = r.status;
	if (status != 201) {
		if (status != 0)
			unexpected("a unit", &r);
		rel_resp_release(&r);
		return status != 0;
	}
	u.id = rel_jint(r.json, "id", 0);
	version = rel_jint(r.json, "version", 1);
	rel_resp_release(&r);
	pthread_mutex_lock(&cs.lock);
	slot = cs.nunits < MAX_UNITS ? cs.nunits++ : MAX_UNITS - 1;
	cs.units[slot] = u;
	pthread_mutex_unlock(&cs.lock);
	snprintf(path, sizeof path, "/api/v1/units/%lld", u.id);
	body = dump(json_pack("{s:s, s:s, s:s, s:I}", "name", u.renamed, "kind", "department",
	    "division_code", "330824", "version", (json_int_t)version));
	rel_request(h, "PATCH", path, cs.tok_admin, body, NULL, REQ_TIMEOUT_MS, &r);
	free(body);
	status = r.status;
	if (r.status == 200) {
		pthread_mutex_lock(&cs.lock);
		cs.units[slot].rename_acked = true;
		cs.renames_acked++;
		pthread_mutex_unlock(&cs.lock);
	} else if (r.status != 0) {
		unexpected("a unit rename", &r);
	}
	rel_resp_release(&r);
	return status != 0;
}

static void *
registrar(void *arg)
{
	struct rel_http *h = rel_http_new(cs.srv.base);

	(void)arg;
	while (!atomic_load(&cs.stop) && edit_unit(h, atomic_fetch_add(&cs.seq, 1)))
		;
	rel_http_free(h);
	return NULL;
}

/* --- the checks ------------------------------------------------------------ */

struct tally {
	long acked, found, lost;
};

/* Every acknowledged write against the file at db_path (a snapshot taken after the kill). */
static void
check_acked_sql(const char *db_path, struct tally *t)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *ev = NULL, *un = NULL;

	memset(t, 0, sizeof *t);
	if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT title, state FROM events WHERE id = ?1", -1, &ev,
		NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT name FROM units WHERE id = ?1", -1, &un, NULL) != SQLITE_OK) {
		printf("    cannot read %s: %s\n", db_path, sqlite3_errmsg(h));
		t->lost = 1;
		goto out;
	}
	pthread_mutex_lock(&cs.lock);
	for (int i = 0; i < cs.nevents; i++) {
		const struct ev *e = &cs.events[i];
		bool created = false, walked = false;

		sqlite3_reset(ev);
		sqlite3_bind_int64(ev, 1, e->id);
		if (sqlite3_step(ev) == SQLITE_ROW) {
			created = strcmp((const char *)sqlite3_column_text(ev, 0), e->title) == 0;
			walked = state_rank((const char *)sqlite3_column_text(ev, 1)) >= e->rank;
		}
		t->acked += 1 + e->steps;
		/* A state as far as acknowledged proves every acknowledged step before it. */
		t->found += created + (walked ? e->steps : 0);
		if (!created || !walked)
			printf("    lost: event %lld %s (acknowledged state %s)\n", e->id, e->title,
			    state_order[e->rank]);
	}
	for (int i = 0; i < cs.nunits; i++) {
		const struct unit *u = &cs.units[i];
		const char *name = NULL;

		sqlite3_reset(un);
		sqlite3_bind_int64(un, 1, u->id);
		if (sqlite3_step(un) == SQLITE_ROW)
			name = (const char *)sqlite3_column_text(un, 0);
		t->acked += 1 + u->rename_acked;
		if (name && (strcmp(name, u->renamed) == 0 || (!u->rename_acked &&
		    strcmp(name, u->name) == 0)))
			t->found += 1 + u->rename_acked;
		else
			printf("    lost: unit %lld %s (%s)\n", u->id, u->name, name ? name : "absent");
	}
	pthread_mutex_unlock(&cs.lock);
	t->lost = t->acked - t->found;
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(un);
	sqlite3_close(h);
}

/* Copies the files a crash left (not the WAL index: a reboot loses it) to dir. */
static int
snapshot(const char *dir)
{
	const char *argv[] = { "sh", "-c",
		"rm -rf \"$2\" && mkdir -p \"$2\" && cp \"$1/pingan.db\" \"$1/secret.key\" \"$2/\" && "
		"if [ -e \"$1/pingan.db-wal\" ]; then cp \"$1/pingan.db-wal\" \"$2/\"; fi",
		"snapshot", cs.srv.data_dir, dir, NULL };
	char out[512];

	if (rel_run(argv, NULL, out, sizeof out) != 0) {
		printf("    snapshot failed: %s\n", out);
		return -1;
	}
	return 0;
}

/* The offline checks on a snapshot. 0 when everything holds. */
static int
check_offline(const char *snap, struct tally *t)
{
	char db[320], out[2048];
	int bad = 0, rc;

	snprintf(db, sizeof db, "%s/pingan.db", snap);
	if (rel_integrity_cli(db, out, sizeof out) != 0) {
		printf("    integrity_check: %s\n", out);
		bad++;
	}
	{
		const char *argv[] = { rel_pingan_bin(), "audit", "verify", "--data-dir", snap, NULL };

		rc = rel_run(argv, NULL, out, sizeof out);
		if (rc != 0) {
			printf("    pingan audit verify exited %d: %s\n", rc, out);
			bad++;
		}
	}
	if (rel_check_complete(db, TITLE_PREFIX) != 0)
		bad++;
	check_acked_sql(db, t);
	return bad || t->lost ? -1 : 0;
}

/* After a restart: the events acknowledged in the last cycle, through the API. */
static int
check_online(int cycle)
{
	struct rel_http *h = rel_http_new(cs.srv.base);
	char path[64];
	int bad = 0;

	for (int i = 0; i < cs.nevents; i++) {
		struct ev *e = &cs.events[i];
		struct rel_resp r;

		if (e->cycle != cycle)
			continue;
		snprintf(path, sizeof path, "/api/v1/events/%lld", e->id);
		rel_request(h, "GET", path, cs.tok_center, NULL, NULL, REQ_TIMEOUT_MS, &r);
		if (r.status != 200 || !rel_jstr(r.json, "title") ||
		    strcmp(rel_jstr(r.json, "title"), e->title) != 0 ||
		    state_rank(rel_jstr(r.json, "state")) < e->rank) {
			printf("    after restart: event %lld: %ld %.200s\n", e->id, r.status, r.body);
			bad++;
		}
		rel_resp_release(&r);
	}
	rel_http_free(h);
	return bad;
}

/* Retries every unanswered report with its key: the same event when it was committed, else a new one. */
static int
retry_pending(void)
{
	struct rel_http *h = rel_http_new(cs.srv.base);
	int bad = 0;

	for (int i = 0; i < cs.npending; i++) {
		struct rel_resp r;

		post_report(h, cs.pending[i].title, cs.pending[i].key, &r);
		if ((r.status == 200 || r.status == 201) && rel_jstr(r.json, "title") &&
		    strcmp(rel_jstr(r.json, "title"), cs.pending[i].title) == 0) {
			if (r.status == 200)
				cs.replayed++;
			else
				cs.recreated++;
			record_event(rel_jint(r.json, "id", 0), cs.pending[i].title);
		} else {
			printf("    retry of %s: %ld %.200s\n", cs.pending[i].title, r.status, r.body);
			bad++;
		}
		rel_resp_release(&r);
	}
	cs.npending = 0;
	rel_http_free(h);
	return bad;
}

static int
sign_in_all(void)
{
	struct rel_http *h = rel_http_new(cs.srv.base);
	struct rel_resp r;
	int rc = 0;

	rc |= rel_signin(h, "grid", REL_PASSWORD, cs.tok_grid, sizeof cs.tok_grid);
	rc |= rel_signin(h, "center", REL_PASSWORD, cs.tok_center, sizeof cs.tok_center);
	rc |= rel_signin(h, "dept", REL_PASSWORD, cs.tok_dept, sizeof cs.tok_dept);
	rc |= rel_signin(h, "admin", REL_PASSWORD, cs.tok_admin, sizeof cs.tok_admin);
	rel_request(h, "GET", "/api/v1/units?limit=50&q=%E5%8E%BF%E5%85%AC%E5%AE%89%E5%B1%80",
	    cs.tok_center, NULL, NULL, REQ_TIMEOUT_MS, &r);
	cs.police = 0;
	for (size_t i = 0; i < json_array_size(rel_jget(r.json, "items")); i++) {
		json_t *u = json_array_get(rel_jget(r.json, "items"), i);

		if (rel_jstr(u, "name") && strcmp(rel_jstr(u, "name"), "县公安局") == 0)
			cs.police = rel_jint(u, "id", 0);
	}
	rel_resp_release(&r);
	rel_http_free(h);
	return rc == 0 && cs.police > 0 ? 0 : -1;
}

/* Load, then SIGKILL after a random 100-1500 ms. Returns the delay. */
static long
load_and_kill(uint64_t *rng)
{
	pthread_t th[REPORTERS + WALKERS + 1];
	int n = 0;
	long delay = rel_rand_range(rng, 100, 1500);

	atomic_store(&cs.stop, false);
	for (long i = 0; i < REPORTERS; i++)
		pthread_create(&th[n++], NULL, reporter, (void *)i);
	for (int i = 0; i < WALKERS; i++)
		pthread_create(&th[n++], NULL, walker, NULL);
	pthread_create(&th[n++], NULL, registrar, NULL);
	rel_sleep_ms(delay);
	rel_server_kill(&cs.srv);
	atomic_store(&cs.stop, true);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return delay;
}

TEST(crash_sigkill_under_load_loses_no_acknowledged_write)
{
	int cycles = rel_deep() ? 50 : 5, failed = 0;
	uint64_t rng = rel_seed("crash");
	struct tally t = { 0, 0, 0 };
	char snap[300];

	CHECK(rel_server_init(&cs.srv, "scan_interval_s = 1") == 0);
	snprintf(snap, sizeof snap, "%s/snapshot", cs.srv.dir);
	CHECK(rel_server_start(&cs.srv, "demo", 60000) == 0);
	CHECK(sign_in_all() == 0);
	for (int c = 0; c < cycles; c++) {
		long delay;

		cs.cycle = c;
		delay = load_and_kill(&rng);
		if (snapshot(snap) != 0 || check_offline(snap, &t) != 0)
			failed++;
		if (rel_server_start(&cs.srv, "serve", 30000) != 0) {
			REL_FAIL("the server does not start again after SIGKILL");
		}
		if (check_online(c) != 0 || retry_pending() != 0)
			failed++;
		printf("    cycle %d: SIGKILL after %ld ms; acknowledged so far %ld, found %ld, lost %ld\n",
		    c + 1, delay, t.acked, t.found, t.lost);
	}
	/* A last clean stop, and the checks once more on the final state. */
	CHECK_INT(rel_server_stop(&cs.srv), 0);
	if (snapshot(snap) != 0 || check_offline(snap, &t) != 0)
		failed++;
	printf("    crash: %d kills; events %d, transitions %d, unit edits %d; committed but "
	       "unanswered (replayed by key) %d, never committed (created by the retry) %d\n",
	    cycles, cs.nevents, cs.transitions_acked, cs.nunits + cs.renames_acked, cs.replayed,
	    cs.recreated);
	printf("crash: acknowledged %ld, found %ld, lost %ld\n", t.acked, t.found, t.lost);
	CHECK_INT(t.lost, 0);
	CHECK_INT(atomic_load(&cs.unexpected), 0);
	CHECK_INT(failed, 0);
	CHECK(t.acked > 0);
}

/* --- a crash during the first start --------------------------------------------- */

/*
 * `pingan demo` initialises the data directory on its first start and
 * `pingan init` creates it; a crash (or a power cut, or Ctrl-C twice) in the
 * middle must not leave a directory that looks initialised but lacks its
 * accounts: either the next start finishes the job or it says what to do.
 */
TEST(crash_during_first_start_leaves_a_usable_directory)
{
	static struct rel_server s;
	static const long demo_delays[] = { 100, 250, 400 };
	static const long init_delays[] = { 30, 60, 100 };
	int broken = 0;

	for (size_t i = 0; i < sizeof demo_delays / sizeof demo_delays[0]; i++) {
		struct rel_http *h;
		char token[96];
		int rc;

		CHECK(rel_server_init(&s, NULL) == 0);
		CHECK(rel_server_spawn(&s, "demo") == 0);
		rel_sleep_ms(demo_delays[i]);
		rel_server_kill(&s);
		rc = rel_server_start(&s, "demo", 60000);
		h = rc == 0 ? rel_http_new(s.base) : NULL;
		rc = h ? rel_signin(h, "grid", REL_PASSWORD, token, sizeof token) : -1;
		rel_http_free(h);
		printf("    pingan demo killed %ld ms into its first start: the next start %s\n",
		    demo_delays[i], rc == 0 ? "serves the demo county" :
		    "serves a county without the demo accounts (grid cannot sign in)");
		broken += rc != 0;
		(void)rel_server_stop(&s);
		rel_remove_tree(s.dir);
	}
	for (size_t i = 0; i < sizeof init_delays / sizeof init_delays[0]; i++) {
		const char *argv[] = { rel_pingan_bin(), "init", "--data-dir", s.data_dir, NULL };
		char out[600];
		long long admins;
		int rc;

		CHECK(rel_server_init(&s, NULL) == 0);
		CHECK(rel_server_spawn(&s, "init") == 0);
		rel_sleep_ms(init_delays[i]);
		rel_server_kill(&s);
		rc = rel_run(argv, NULL, out, sizeof out);
		admins = rel_sql_int(s.db_path, "SELECT count(*) FROM users WHERE username = 'admin'",
		    -1);
		printf("    pingan init killed after %ld ms: init again exits %d, admin accounts %lld%s\n",
		    init_delays[i], rc, admins, rc != 0 && admins != 1 ? " (stuck: no admin, and init "
									 "refuses)" : "");
		broken += rc != 0 && admins != 1;
		rel_remove_tree(s.dir);
	}
	CHECK_INT(broken, 0);
}
