/*
 * Power cuts under concurrent HTTP load (docs/reliability.md, test 2b).
 * The real HTTP stack runs in this process on the power-cut VFS while
 * client threads report and accept events at once, so that requests share
 * group commits. At a random moment the power fails: every write not yet
 * synced is lost (or a random part of it kept) and every open file dies.
 * Each 2xx answer a client got must then be on the "disk": this is what
 * proves that the server answers only after the COMMIT covering the request
 * has been synced (synchronous=FULL, then answer), for a whole group too.
 */
#include "rel.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/config.h"
#include "cli/cli.h"
#include "domain/audit/audit.h"
#include "http/server.h"
#include "vfs.h"

#define TITLE_PREFIX "断电接口"
#define REPORTERS 4
#define ACCEPTORS 2
#define MAX_ACKED 8192

static struct {
	pthread_mutex_t lock;
	char base[64], token[96];
	int run;
	atomic_bool stop;
	atomic_int seq;
	struct {
		long long id;
		char title[48];
		bool accepted;
		bool taken;
	} ev[MAX_ACKED];
	int nev;
	int accepts;
	char failed[MAX_ACKED][48];
	int nfailed;
	atomic_int answered_5xx;
} ps = { .lock = PTHREAD_MUTEX_INITIALIZER };

static char *
report_body(const char *title)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}]}", "channel", "hotline",
	    "category_code", "dispute.neighbour", "title", title, "division_code", "330824115205001",
	    "reporter_name", "张三", "parties", "name", "李四");
	char *s = json_dumps(b, JSON_COMPACT);

	json_decref(b);
	return s;
}

static void *
reporter(void *arg)
{
	struct rel_http *h = rel_http_new(ps.base);
	int index = (int)(long)arg;

	while (!atomic_load(&ps.stop)) {
		int seq = atomic_fetch_add(&ps.seq, 1);
		char title[48], key[64], hdr[96];
		const char *headers[] = { hdr, NULL };
		struct rel_resp r;
		char *body;

		snprintf(title, sizeof title, "%s%d-%d-%d", TITLE_PREFIX, ps.run, index, seq);
		snprintf(key, sizeof key, "pch-%d-%d", ps.run, seq);
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
		body = report_body(title);
		rel_request(h, "POST", "/api/v1/events", ps.token, body, headers, 5000, &r);
		free(body);
		pthread_mutex_lock(&ps.lock);
		if (r.status == 201 && ps.nev < MAX_ACKED) {
			ps.ev[ps.nev].id = rel_jint(r.json, "id", 0);
			snprintf(ps.ev[ps.nev].title, sizeof ps.ev[0].title, "%s", title);
			ps.ev[ps.nev].accepted = ps.ev[ps.nev].taken = false;
			ps.nev++;
		} else if (r.status != 201 && ps.nfailed < MAX_ACKED) {
			snprintf(ps.failed[ps.nfailed++], sizeof ps.failed[0], "%s", title);
		}
		pthread_mutex_unlock(&ps.lock);
		if (r.status >= 500)
			atomic_fetch_add(&ps.answered_5xx, 1);
		if (r.status != 201)
			rel_sleep_ms(5);
		rel_resp_release(&r);
	}
	rel_http_free(h);
	return NULL;
}

static void *
acceptor(void *arg)
{
	struct rel_http *h = rel_http_new(ps.base);

	(void)arg;
	while (!atomic_load(&ps.stop)) {
		struct rel_resp r;
		char path[64];
		long long id = 0;
		int slot = -1;

		pthread_mutex_lock(&ps.lock);
		for (int i = 0; i < ps.nev && slot < 0; i++)
			if (!ps.ev[i].taken) {
				ps.ev[i].taken = true;
				slot = i;
				id = ps.ev[i].id;
			}
		pthread_mutex_unlock(&ps.lock);
		if (slot < 0) {
			rel_sleep_ms(2);
			continue;
		}
		snprintf(path, sizeof path, "/api/v1/events/%lld/accept", id);
		rel_request(h, "POST", path, ps.token, "{}", NULL, 5000, &r);
		if (r.status == 200 && rel_jstr(r.json, "state") &&
		    strcmp(rel_jstr(r.json, "state"), "accepted") == 0) {
			pthread_mutex_lock(&ps.lock);
			ps.ev[slot].accepted = true;
			ps.accepts++;
			pthread_mutex_unlock(&ps.lock);
		}
		rel_resp_release(&r);
	}
	rel_http_free(h);
	return NULL;
}

struct totals {
	long acked, found, unacked_present, failed, after_cut_5xx, cuts_inside;
};

/* Every 2xx answer against the database as the power cut left it. */
static long
count_lost(const char *db, struct totals *t)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *ev = NULL, *acc = NULL, *title = NULL;
	long lost = 0;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM events WHERE id = ?1 AND title = ?2", -1, &ev,
		NULL) ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM events WHERE id = ?1 AND state = 'accepted'",
		-1, &acc, NULL) ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM events WHERE title = ?1", -1, &title, NULL)) {
		lost = ps.nev + ps.accepts;
		goto out;
	}
	for (int i = 0; i < ps.nev; i++) {
		bool found;

		sqlite3_reset(ev);
		sqlite3_bind_int64(ev, 1, ps.ev[i].id);
		sqlite3_bind_text(ev, 2, ps.ev[i].title, -1, SQLITE_TRANSIENT);
		found = sqlite3_step(ev) == SQLITE_ROW && sqlite3_column_int64(ev, 0) == 1;
		t->acked++;
		t->found += found;
		if (!found) {
			lost++;
			printf("    lost: event %lld %s\n", ps.ev[i].id, ps.ev[i].title);
		}
		if (!ps.ev[i].accepted)
			continue;
		sqlite3_reset(acc);
		sqlite3_bind_int64(acc, 1, ps.ev[i].id);
		found = sqlite3_step(acc) == SQLITE_ROW && sqlite3_column_int64(acc, 0) == 1;
		t->acked++;
		t->found += found;
		if (!found) {
			lost++;
			printf("    lost: accept of event %lld\n", ps.ev[i].id);
		}
	}
	for (int i = 0; i < ps.nfailed; i++) {
		sqlite3_reset(title);
		sqlite3_bind_text(title, 1, ps.failed[i], -1, SQLITE_TRANSIENT);
		t->unacked_present += sqlite3_step(title) == SQLITE_ROW &&
		    sqlite3_column_int64(title, 0) > 0;
	}
	t->failed += ps.nfailed;
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(acc);
	sqlite3_finalize(title);
	sqlite3_close(h);
	return lost;
}

/* One run: a fresh data directory, load, power cut, check. 0 when all holds. */
static int
one_run(int run, uint64_t *rng, struct totals *t)
{
	static struct config cfg;
	struct datadir dd;
	struct app app;
	struct server *srv = NULL;
	struct rel_http *h;
	struct audit_check chk;
	pthread_t th[REPORTERS + ACCEPTORS];
	char dir[128], data[160], dbp[200], err[256], pw[32], why[256];
	struct db *db2 = NULL;
	long lost;
	int bad = 0, n = 0;

	if (rel_temp_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(dbp, sizeof dbp, "%s/pingan.db", data);
	if (rel_inproc_config(&cfg, data) != 0 || init_datadir(&cfg, pw, sizeof pw) != 0 ||
	    rel_datadir_county(&cfg, &dd) != 0)
		return -1;
	app.db = dd.db;
	app.cfg = &cfg;
	if (server_start(&app, api_routes, api_route_count, "web", &srv, err, sizeof err) != 0) {
		datadir_close(&dd);
		return -1;
	}
	snprintf(ps.base, sizeof ps.base, "http://127.0.0.1:%u", (unsigned)server_port(srv));
	h = rel_http_new(ps.base);
	bad += rel_signin(h, "center", REL_PASSWORD, ps.token, sizeof ps.token) != 0;
	rel_http_free(h);
	ps.run = run;
	ps.nev = ps.nfailed = ps.accepts = 0;
	atomic_store(&ps.stop, false);
	pcvfs_set_buffering(true);
	for (long i = 0; i < REPORTERS; i++)
		pthread_create(&th[n++], NULL, reporter, (void *)i);
	for (int i = 0; i < ACCEPTORS; i++)
		pthread_create(&th[n++], NULL, acceptor, NULL);
	/* The cut comes at a random write or sync (inside a commit), or at the latest after 1.5 s. */
	pcvfs_cut_at(rel_rand_range(rng, 1, 3000), rel_rand(rng) % 2, run % 2 ? 0.5 : 0.0,
	    rel_rand(rng));
	for (int waited = 0; waited < 1500 && !pcvfs_cut_happened(); waited += 5)
		rel_sleep_ms(5);
	if (pcvfs_cut_happened())
		t->cuts_inside++;
	else
		pcvfs_power_cut(run % 2 ? 0.5 : 0.0, rng);
	pcvfs_cut_at(0, false, 0, 0);
	atomic_store(&ps.answered_5xx, 0);
	rel_sleep_ms(50);
	atomic_store(&ps.stop, true);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	t->after_cut_5xx += atomic_load(&ps.answered_5xx);
	server_stop(srv, 3000);
	/* Closing the dead database changes nothing: its files answer errors. */
	datadir_close(&dd);
	pcvfs_set_buffering(false);
	if (db_open(dbp, false, &db2) != 0) {
		printf("    run %d: the database does not open after the cut\n", run);
		return -1;
	}
	lost = count_lost(dbp, t);
	bad += lost > 0;
	if (audit_verify(db2, &chk) != 0) {
		printf("    run %d: audit verify: row %lld: %s\n", run, (long long)chk.first_bad_id,
		    chk.why);
		bad++;
	}
	db_close(db2);
	if (rel_integrity(dbp, why, sizeof why) != 0) {
		printf("    run %d: integrity_check: %s\n", run, why);
		bad++;
	}
	if (rel_check_complete(dbp, TITLE_PREFIX) != 0)
		bad++;
	rel_remove_tree(dir);
	return bad ? -1 : 0;
}

TEST(powercut_http_answers_only_durable_writes)
{
	struct totals t = { 0, 0, 0, 0, 0, 0 };
	struct pcvfs_stats st;
	char dir[128], log[200];
	uint64_t rng = rel_seed("power cut over HTTP");
	int runs = rel_deep() ? 40 : 5, failed = 0;

	CHECK(rel_temp_dir(dir, sizeof dir) == 0);
	snprintf(log, sizeof log, "%s/stderr.log", dir);
	CHECK(pcvfs_install() == 0);
	pcvfs_reset_stats();
	rel_quiet_begin(log);
	for (int i = 0; i < runs; i++)
		if (one_run(i, &rng, &t) != 0)
			failed++;
	rel_quiet_end();
	pcvfs_get_stats(&st);
	pcvfs_uninstall();
	printf("    power cut over HTTP: %d runs with %d writers at once, %ld cut at a random write "
	       "or sync; %lu syncs, %lu unsynced writes lost; %ld requests without a 2xx answer "
	       "(%ld answered 5xx after the cut)\n", runs, REPORTERS + ACCEPTORS, t.cuts_inside,
	    st.syncs, st.lost_writes, t.failed, t.after_cut_5xx);
	printf("    power cut over HTTP: acknowledged %ld, found %ld, lost %ld; unacknowledged "
	       "present (complete) %ld\n", t.acked, t.found, t.acked - t.found, t.unacked_present);
	CHECK_INT(t.acked - t.found, 0);
	CHECK_INT(failed, 0);
	CHECK(t.acked > 0);
	rel_remove_tree(dir);
}

/* --- Idempotency-Key across a power cut --------------------------------------------- */

#define MAX_KEYED 4096

/* Keyed unit creations of one run: the name (also the key) and the first answer. */
static struct {
	pthread_mutex_t lock;
	char name[MAX_KEYED][40];
	long status[MAX_KEYED];
	int n;
} ik = { .lock = PTHREAD_MUTEX_INITIALIZER };

static long
post_unit(struct rel_http *h, const char *name)
{
	char body[160], hdr[96];
	const char *headers[] = { hdr, NULL };
	struct rel_resp r;
	long st;

	snprintf(body, sizeof body, "{\"name\":\"%s\",\"kind\":\"department\","
	    "\"division_code\":\"330824\"}", name);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: key-%s", name);
	rel_request(h, "POST", "/api/v1/units", ps.token, body, headers, 5000, &r);
	st = r.status;
	rel_resp_release(&r);
	return st;
}

static void *
unit_creator(void *arg)
{
	struct rel_http *h = rel_http_new(ps.base);
	int index = (int)(long)arg;

	while (!atomic_load(&ps.stop)) {
		char name[40];
		long st;

		snprintf(name, sizeof name, "u%d-%d-%d", ps.run, index, atomic_fetch_add(&ps.seq, 1));
		st = post_unit(h, name);
		pthread_mutex_lock(&ik.lock);
		if (ik.n < MAX_KEYED) {
			snprintf(ik.name[ik.n], sizeof ik.name[0], "%s", name);
			ik.status[ik.n++] = st;
		}
		pthread_mutex_unlock(&ik.lock);
		if (st < 200 || st >= 300)
			rel_sleep_ms(5);
	}
	rel_http_free(h);
	return NULL;
}

struct keyed {
	int requests, unanswered, retried_ok, refused, duplicates, lost;
};

/* Starts the in-process server on dd and signs in as boss. 0 or -1. */
static int
serve_boss(struct datadir *dd, struct config *cfg, struct app *app, struct server **srv)
{
	char err[256];
	struct rel_http *h;
	int rc;

	app->db = dd->db;
	app->cfg = cfg;
	*srv = NULL;
	if (server_start(app, api_routes, api_route_count, "web", srv, err, sizeof err) != 0) {
		*srv = NULL;
		return -1;
	}
	snprintf(ps.base, sizeof ps.base, "http://127.0.0.1:%u", (unsigned)server_port(*srv));
	h = rel_http_new(ps.base);
	rc = rel_signin(h, "boss", REL_PASSWORD, ps.token, sizeof ps.token);
	rel_http_free(h);
	return rc;
}

/*
 * One run: three threads create units with an Idempotency-Key; the power
 * fails at a random write or sync; the server comes back on the recovered
 * database and every creation that got no 2xx is sent again with its key.
 */
static int
keyed_run(int run, uint64_t *rng, struct keyed *k)
{
	static struct config cfg;
	struct datadir dd;
	struct app app;
	struct server *srv = NULL;
	struct rel_http *h;
	pthread_t th[3];
	char dir[128], data[160], dbp[200], pw[32], sql[160];
	long first;

	if (rel_temp_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(dbp, sizeof dbp, "%s/pingan.db", data);
	if (rel_inproc_config(&cfg, data) != 0 || init_datadir(&cfg, pw, sizeof pw) != 0 ||
	    rel_datadir_county(&cfg, &dd) != 0) {
		printf("    run %d: the data directory could not be prepared\n", run);
		return -1;
	}
	if (serve_boss(&dd, &cfg, &app, &srv) != 0) {
		printf("    run %d: the server did not start\n", run);
		if (srv)
			server_stop(srv, 1000);
		datadir_close(&dd);
		return -1;
	}
	ps.run = run;
	ik.n = 0;
	atomic_store(&ps.stop, false);
	pcvfs_set_buffering(true);
	for (long i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, unit_creator, (void *)i);
	pcvfs_cut_at(rel_rand_range(rng, 1, 1500), rel_rand(rng) % 2, 0, rel_rand(rng));
	for (int waited = 0; waited < 1500 && !pcvfs_cut_happened(); waited += 5)
		rel_sleep_ms(5);
	if (!pcvfs_cut_happened())
		pcvfs_power_cut(0, rng);
	pcvfs_cut_at(0, false, 0, 0);
	atomic_store(&ps.stop, true);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	server_stop(srv, 3000);
	datadir_close(&dd);
	pcvfs_set_buffering(false);
	/* The machine comes back: the same directory, a new server, the same user retries. */
	if (datadir_open(&cfg, &dd) != 0) {
		printf("    run %d: the data directory does not open after the cut\n", run);
		return -1;
	}
	if (serve_boss(&dd, &cfg, &app, &srv) != 0) {
		printf("    run %d: no server or no sign-in after the cut\n", run);
		if (srv)
			server_stop(srv, 1000);
		datadir_close(&dd);
		return -1;
	}
	h = rel_http_new(ps.base);
	for (int i = 0; i < ik.n; i++) {
		k->requests++;
		if (ik.status[i] >= 200 && ik.status[i] < 300)
			continue;
		k->unanswered++;
		first = ik.status[i];
		ik.status[i] = post_unit(h, ik.name[i]);
		if (ik.status[i] / 100 == 2)
			k->retried_ok++;
		else if (k->refused++ < 5)
			printf("    run %d: unit %s first answered %ld; its retry with the same key "
			       "answered %ld\n", run, ik.name[i], first, ik.status[i]);
	}
	rel_http_free(h);
	server_stop(srv, 3000);
	datadir_close(&dd);
	for (int i = 0; i < ik.n; i++) {
		long long n;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM units WHERE name = '%s'", ik.name[i]);
		n = rel_sql_int(dbp, sql, -1);
		if (n > 1 && k->duplicates++ < 5)
			printf("    run %d: unit %s exists %lld times after its retry with the same key "
			       "(first answer %ld)\n", run, ik.name[i], n, ik.status[i]);
		k->lost += n < 1;
	}
	rel_remove_tree(dir);
	return 0;
}

TEST(powercut_http_idempotent_retry_creates_nothing_twice)
{
	struct keyed k = { 0, 0, 0, 0, 0, 0 };
	char dir[128], log[200];
	uint64_t rng = rel_seed("idempotent retry after a power cut");
	int runs = rel_deep() ? 60 : 16, failed = 0;

	CHECK(rel_temp_dir(dir, sizeof dir) == 0);
	snprintf(log, sizeof log, "%s/stderr.log", dir);
	CHECK(pcvfs_install() == 0);
	rel_quiet_begin(log);
	for (int i = 0; i < runs; i++)
		if (keyed_run(i, &rng, &k) != 0)
			failed++;
	rel_quiet_end();
	pcvfs_uninstall();
	printf("    idempotent retry: %d runs, %d keyed POST /api/v1/units, %d without a 2xx answer "
	       "retried with their key: %d then 2xx, %d refused; lost %d, created twice %d\n", runs,
	    k.requests, k.unanswered, k.retried_ok, k.refused, k.lost, k.duplicates);
	CHECK_INT(failed, 0);
	CHECK_INT(k.lost, 0);
	CHECK_INT(k.duplicates, 0);
	/* A retry after a lost answer gets the answer (replayed or new), not an error. */
	CHECK_INT(k.refused, 0);
	rel_remove_tree(dir);
}
