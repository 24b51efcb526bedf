/*
 * I/O errors and SQLITE_BUSY (docs/reliability.md, test 4). The test VFS
 * makes random writes fail with SQLITE_IOERR_WRITE, random reads with
 * SQLITE_IOERR_READ, and random lock requests (database file and WAL
 * index) answer SQLITE_BUSY, while four threads write through the domain
 * layer at once (so group commits share the faults). Every call must fail
 * cleanly with an error code or succeed; afterwards the file is intact, the
 * audit chain verifies, every success is there and every failure left
 * nothing behind ("a failed request changes nothing").
 */
#include "rel.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/config.h"
#include "base/err.h"
#include "cli/cli.h"
#include "domain/audit/audit.h"
#include "domain/event/event.h"
#include "domain/org/unit.h"
#include "http/server.h"
#include "inproc.h"
#include "vfs.h"

#define THREADS 4
#define TITLE_PREFIX "故障测试"

struct op {
	char kind;              /* 'e' event, 'a' accept, 'u' unit, 'r' read */
	int64_t id;
	char text[64];
	int rc;
};

struct worker {
	struct rel_county *c;
	int index, nops;
	uint64_t rng;
	struct op *ops;
	int codes[8];           /* failures by kind of error: storage, conflict, internal, other */
};

static int
code_slot(int rc)
{
	return rc == ERR_STORAGE ? 0 : rc == ERR_CONFLICT ? 1 : rc == ERR_INTERNAL ? 2 : 3;
}

static int
report(struct rel_county *c, struct op *o, int w, int i)
{
	struct event_input in = { 0 };
	struct fail f = { 0 };
	bool replayed;

	snprintf(o->text, sizeof o->text, "%sW%d-%d", TITLE_PREFIX, w, i);
	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = o->text;
	in.division_code = "330824115205001";
	in.reporter_name = "王小明";
	in.nparties = 1;
	in.parties[0].name = "李四";
	o->kind = 'e';
	return event_create(c->db, &c->grid, &in, &o->id, &replayed, &f);
}

/* Accepts the newest event this worker reported successfully and has not accepted yet. */
static int
accept_one(struct worker *w, int upto, struct op *o)
{
	struct action_input in = { 0 };
	struct fail f = { 0 };

	o->kind = 'a';
	for (int i = upto - 1; i >= 0; i--) {
		struct op *e = &w->ops[i];

		if (e->kind != 'e' || e->rc != 0)
			continue;
		for (int j = i + 1; j < upto; j++)
			if (w->ops[j].kind == 'a' && w->ops[j].id == e->id) {
				o->kind = 'r';
				return 0;
			}
		o->id = e->id;
		return event_act(w->c->db, &w->c->center, e->id, ACT_ACCEPT, &in, 0, &f);
	}
	o->kind = 'r';
	return 0;
}

static int
unit(struct rel_county *c, struct op *o, int w, int i)
{
	struct unit_input in = { .kind = "department", .division_code = "330824" };
	struct fail f = { 0 };

	snprintf(o->text, sizeof o->text, "故障单位W%d-%d", w, i);
	in.name = o->text;
	o->kind = 'u';
	return unit_create(c->db, &c->sys, &in, &o->id, &f);
}

static int
read_some(struct rel_county *c, struct op *o)
{
	struct event_filter flt = { .limit = 20, .supervised = -1, .backlog = -1 };
	json_t *rows = NULL;
	int64_t next, total;
	int rc;

	o->kind = 'r';
	rc = event_list(c->db, &c->center, &flt, false, &rows, &next, &total);
	json_decref(rows);
	db_reader_done(c->db);
	return rc;
}

static void *
work(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < w->nops; i++) {
		struct op *o = &w->ops[i];
		long dice = rel_rand_range(&w->rng, 0, 99);

		if (dice < 45)
			o->rc = report(w->c, o, w->index, i);
		else if (dice < 65)
			o->rc = accept_one(w, i, o);
		else if (dice < 80)
			o->rc = unit(w->c, o, w->index, i);
		else
			o->rc = read_some(w->c, o);
		if (o->rc != 0)
			w->codes[code_slot(o->rc)]++;
	}
	return NULL;
}

struct verdict {
	int ok, failed, lost, leaked;
};

/* Checks each operation's effect on the file. */
static void
judge(const char *path, struct worker *w, struct verdict *v)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *ev = NULL, *acc = NULL, *un = NULL;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM events WHERE title = ?1", -1, &ev, NULL) ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM events WHERE id = ?1 AND state = 'accepted'",
		-1, &acc, NULL) ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM units WHERE name = ?1", -1, &un, NULL)) {
		v->lost++;
		goto out;
	}
	for (int i = 0; i < w->nops; i++) {
		struct op *o = &w->ops[i];
		sqlite3_stmt *st = o->kind == 'e' ? ev : o->kind == 'a' ? acc : o->kind == 'u' ? un
		    : NULL;
		long long n;

		if (st == NULL)
			continue;
		sqlite3_reset(st);
		if (o->kind == 'a')
			sqlite3_bind_int64(st, 1, o->id);
		else
			sqlite3_bind_text(st, 1, o->text, -1, SQLITE_TRANSIENT);
		n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		if (o->rc == 0) {
			v->ok++;
			if (n != 1) {
				v->lost++;
				printf("    lost: %c %s %lld\n", o->kind, o->text, (long long)o->id);
			}
		} else {
			v->failed++;
			if (n != 0) {
				v->leaked++;
				printf("    failed (%d) but present: %c %s %lld\n", o->rc, o->kind, o->text,
				    (long long)o->id);
			}
		}
	}
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(acc);
	sqlite3_finalize(un);
	sqlite3_close(h);
}

TEST(faults_io_errors_and_busy_fail_cleanly)
{
	static struct rel_county c;
	static struct worker workers[THREADS];
	pthread_t th[THREADS];
	struct verdict v = { 0, 0, 0, 0 };
	struct pcvfs_stats st;
	struct audit_check chk;
	char dir[128], path[160], log[200], why[256];
	uint64_t seed = rel_seed("faults");
	int per = rel_deep() ? 1500 : 150, codes[4] = { 0, 0, 0, 0 }, after;
	bool intact, chained, complete;

	if (rel_vfs_county(&c, dir, path, log) != 0)
		REL_FAIL("the county could not be set up");
	pcvfs_reset_stats();
	rel_quiet_begin(log);
	pcvfs_set_faults(0.004, 0.01, 0.25, seed);
	for (int i = 0; i < THREADS; i++) {
		memset(&workers[i], 0, sizeof workers[i]);
		workers[i].c = &c;
		workers[i].index = i;
		workers[i].nops = per;
		workers[i].rng = seed + (uint64_t)i * 7919u;
		workers[i].ops = calloc((size_t)per, sizeof *workers[i].ops);
		if (workers[i].ops == NULL)
			abort();
		pthread_create(&th[i], NULL, work, &workers[i]);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	pcvfs_set_faults(0, 0, 0, 0);
	rel_quiet_end();
	pcvfs_get_stats(&st);
	/* With the faults gone the same database takes writes again. */
	after = report(&c, &(struct op){ 0 }, 99, 0);
	for (int i = 0; i < THREADS; i++) {
		judge(path, &workers[i], &v);
		for (int k = 0; k < 4; k++)
			codes[k] += workers[i].codes[k];
		free(workers[i].ops);
	}
	printf("    faults: %d calls, %d succeeded, %d failed (storage %d, conflict %d, internal %d, "
	       "other %d); injected %lu write errors, %lu read errors, %lu SQLITE_BUSY\n",
	    THREADS * per, THREADS * per - (codes[0] + codes[1] + codes[2] + codes[3]),
	    codes[0] + codes[1] + codes[2] + codes[3], codes[0], codes[1], codes[2], codes[3],
	    st.write_errors, st.read_errors, st.busy);
	printf("    faults: writes acknowledged %d, found %d, lost %d; writes failed %d, "
	       "partly or wholly present %d\n", v.ok, v.ok - v.lost, v.lost, v.failed, v.leaked);
	intact = rel_integrity(path, why, sizeof why) == 0;
	chained = audit_verify(c.db, &chk) == 0;
	complete = rel_check_complete(path, TITLE_PREFIX) == 0;
	db_close(c.db);
	pcvfs_uninstall();
	rel_county_release(&c);
	if (!intact)
		printf("    integrity_check: %s\n", why);
	if (!chained)
		printf("    audit verify: row %lld: %s\n", (long long)chk.first_bad_id, chk.why);
	CHECK_INT(after, 0);
	CHECK(intact);
	CHECK(chained);
	CHECK(complete);
	CHECK_INT(v.lost, 0);
	CHECK_INT(v.leaked, 0);
	CHECK(v.ok > 0 && v.failed > 0);
	/* A disk error is a storage failure (503), also when it hits a statement's first prepare. */
	CHECK_INT(codes[2], 0);
	rel_remove_tree(dir);
}

/* --- the same through HTTP ---------------------------------------------------------- */

/*
 * "A failed request changes nothing" (DESIGN.md section 4), through the
 * real HTTP stack served in this process with random read and write errors:
 * every report answered with an error must have left no event behind, and
 * every 201 must be there.
 */
TEST(faults_http_failed_request_changes_nothing)
{
	static struct rel_vfs_server s;
	struct rel_http *h;
	const char *dbp = s.db;
	char token[96];
	static char titles[400][48];
	static long status[400];
	uint64_t seed = rel_seed("faults over HTTP");
	int n = rel_deep() ? 400 : 150, ok = 0, failed = 0, lost = 0, leaked = 0, other = 0;

	if (rel_vfs_server_start(&s) != 0)
		REL_FAIL("the county could not be served in process");
	h = rel_http_new(s.base);
	if (rel_signin(h, "center", REL_PASSWORD, token, sizeof token) != 0)
		n = 0;
	pcvfs_set_faults(0.01, 0.02, 0.1, seed);
	for (int i = 0; i < n; i++) {
		json_t *b;
		char *body;
		struct rel_resp r;

		snprintf(titles[i], sizeof titles[0], "%s接口%d", TITLE_PREFIX, i);
		b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}]}", "channel", "hotline",
		    "category_code", "dispute.neighbour", "title", titles[i], "division_code",
		    "330824115205001", "reporter_name", "张三", "parties", "name", "李四");
		body = json_dumps(b, JSON_COMPACT);
		json_decref(b);
		rel_request(h, "POST", "/api/v1/events", token, body, NULL, 20000, &r);
		free(body);
		status[i] = r.status;
		rel_resp_release(&r);
	}
	pcvfs_set_faults(0, 0, 0, 0);
	rel_http_free(h);
	rel_vfs_server_stop(&s);
	for (int i = 0; i < n; i++) {
		char sql[160];
		long long there;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE title = '%.47s'",
		    titles[i]);
		there = rel_sql_int(dbp, sql, -1);
		if (status[i] == 201) {
			ok++;
			lost += there != 1;
		} else {
			failed++;
			other += status[i] != 503;
			if (there != 0 && leaked++ < 5)
				printf("    answered %ld but saved: %s\n", status[i], titles[i]);
		}
	}
	pcvfs_uninstall();
	printf("    faults over HTTP: %d reports, %d answered 201 (lost %d), %d answered an error "
	       "(%d not 503), of which %d were saved all the same\n", n, ok, lost, failed, other,
	    leaked);
	CHECK(n > 0);
	CHECK_INT(lost, 0);
	CHECK_INT(other, 0);
	CHECK_INT(leaked, 0);
	CHECK(rel_check_complete(dbp, TITLE_PREFIX) == 0);
	rel_remove_tree(s.dir);
}
