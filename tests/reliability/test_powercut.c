/*
 * Power cuts (docs/reliability.md, test 2). A killed process cannot lose a
 * committed SQLite transaction whatever the settings, because the kernel
 * still holds its writes; a power cut can. The test VFS (vfs.h) keeps every
 * write since the last sync in a side buffer and throws it away (or keeps a
 * random part of it) at a cut that comes at a random write or sync, in the
 * middle of whatever the domain layer was doing. The database handle is
 * abandoned as a crash abandons it; a fresh one must then hold every write
 * that was acknowledged, nothing half-written, an intact file and audit chain.
 *
 * The negative controls run the same check on a raw connection with
 * synchronous=OFF and NORMAL: those lose acknowledged rows at a power cut,
 * which shows the checker can see a loss (and that FULL is what prevents it).
 */
#include "rel.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/event/event.h"
#include "domain/org/unit.h"
#include "vfs.h"

#define MAX_OPS 160
#define TITLE_PREFIX "断电测试"

struct ev {
	int64_t id;
	char title[64];
	bool accepted;          /* an acknowledged accept */
};

/* What one run did and what the clients were told. */
struct run {
	struct ev events[MAX_OPS];
	int nevents;
	char failed_titles[MAX_OPS][64];
	int nfailed;
	struct {
		int64_t id;
		char name[64];
	} units[MAX_OPS];
	int nunits;
	char users[MAX_OPS][32];
	int nusers;
	int acked;              /* acknowledged writes of every kind */
};

struct totals {
	int runs, cuts_mid_op, cuts_after_op, acked, found, lost, unacked_present, failures,
	    checkpoints;
};

/* The database file of a fresh county, copied for each run. */
struct image {
	char *data;
	size_t len;
};

static int
image_take(const char *path, struct image *im)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	im->len = (size_t)st.st_size;
	im->data = malloc(im->len ? im->len : 1);
	n = im->data ? read(fd, im->data, im->len) : -1;
	close(fd);
	return n == (ssize_t)im->len ? 0 : -1;
}

static int
image_put(const struct image *im, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, im->data, im->len);
	close(fd);
	return n == (ssize_t)im->len ? 0 : -1;
}

/* --- the workload ------------------------------------------------------------ */

static int
do_report(struct rel_county *c, struct run *r, int iter, int n, uint64_t *rng)
{
	struct event_input in = { 0 };
	struct fail f = { 0 };
	char title[64], key[40];
	bool replayed;
	int64_t id = 0;
	int rc;

	snprintf(title, sizeof title, "%s%d-%d", TITLE_PREFIX, iter, n);
	snprintf(key, sizeof key, "pc-%d-%d", iter, n);
	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = title;
	in.description = "排水沟堵塞引发邻里争吵，双方多次口角。";
	in.division_code = "330824115205001";
	in.reporter_name = "王小明";
	in.reporter_phone = "13812345678";
	in.nparties = 1;
	in.parties[0].name = "李四";
	in.parties[0].id_number = "34052419800101001X";
	in.idempotency_key = rel_rand(rng) % 2 ? key : NULL;
	rc = event_create(c->db, &c->grid, &in, &id, &replayed, &f);
	if (rc == 0) {
		struct ev *e = &r->events[r->nevents++];

		e->id = id;
		snprintf(e->title, sizeof e->title, "%s", title);
		e->accepted = false;
		r->acked++;
	} else {
		snprintf(r->failed_titles[r->nfailed++], sizeof r->failed_titles[0], "%s", title);
	}
	return rc;
}

static int
do_accept(struct rel_county *c, struct run *r, uint64_t *rng)
{
	struct action_input in = { 0 };
	struct fail f = { 0 };
	struct ev *e;
	int rc;

	if (r->nevents == 0)
		return 0;
	e = &r->events[rel_rand_range(rng, 0, r->nevents - 1)];
	if (e->accepted)
		return 0;
	rc = event_act(c->db, &c->center, e->id, ACT_ACCEPT, &in, 0, &f);
	if (rc == 0) {
		e->accepted = true;
		r->acked++;
	}
	return rc;
}

static int
do_unit(struct rel_county *c, struct run *r, int iter, int n)
{
	struct unit_input in = { .kind = "department", .division_code = "330824" };
	struct fail f = { 0 };
	char name[64];
	int64_t id = 0;
	int rc;

	snprintf(name, sizeof name, "断电单位%d-%d", iter, n);
	in.name = name;
	rc = unit_create(c->db, &c->sys, &in, &id, &f);
	if (rc == 0) {
		r->units[r->nunits].id = id;
		snprintf(r->units[r->nunits].name, sizeof r->units[0].name, "%s", name);
		r->nunits++;
		r->acked++;
	}
	return rc;
}

static int
do_user(struct rel_county *c, struct run *r, int iter, int n)
{
	struct user_input in = { .roles = "grid_worker", .password = REL_PASSWORD };
	struct fail f = { 0 };
	char name[32];
	int64_t id = 0;
	int rc;

	snprintf(name, sizeof name, "pcuser%dx%d", iter, n);
	in.username = name;
	rc = user_create(c->db, &c->sys, &in, &id, &f);
	if (rc == 0) {
		snprintf(r->users[r->nusers++], sizeof r->users[0], "%s", name);
		r->acked++;
	}
	return rc;
}

/* A checkpoint by another connection, as a backup or an operator's shell may run one. */
static int
do_checkpoint(const char *path, uint64_t *rng)
{
	static const char *const modes[] = { "PRAGMA wal_checkpoint(PASSIVE)",
		"PRAGMA wal_checkpoint(FULL)", "PRAGMA wal_checkpoint(RESTART)",
		"PRAGMA wal_checkpoint(TRUNCATE)" };
	sqlite3 *h = NULL;
	int rc;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return -1;
	}
	rc = sqlite3_exec(h, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, modes[rel_rand(rng) % 4], NULL, NULL, NULL);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Runs up to n operations; stops early when the armed cut has happened. */
static void
workload(struct rel_county *c, const char *path, struct run *r, int iter, int n, uint64_t *rng,
    struct totals *t)
{
	for (int i = 0; i < n && !pcvfs_cut_happened(); i++) {
		long dice = rel_rand_range(rng, 0, 99);
		int rc;

		if (dice < 50)
			rc = do_report(c, r, iter, i, rng);
		else if (dice < 70)
			rc = do_accept(c, r, rng);
		else if (dice < 85)
			rc = do_unit(c, r, iter, i);
		else if (dice < 90)
			rc = do_user(c, r, iter, i);
		else {
			rc = do_checkpoint(path, rng);
			t->checkpoints++;
		}
		if (rc != 0)
			t->failures++;
	}
}

/* --- the check after the cut ------------------------------------------------------ */

static sqlite3_stmt *
prep(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		printf("    prepare %s: %s\n", sql, sqlite3_errmsg(h));
	return st;
}

/* Counts a row the statement finds for text (or id when text is NULL). */
static bool
row_exists(sqlite3_stmt *st, int64_t id, const char *text)
{
	bool found;

	sqlite3_reset(st);
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(st, 1, id);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* Compares the reopened database with what was acknowledged. Returns the number lost. */
static int
count_lost(const char *path, const struct run *r, struct totals *t)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *ev, *evt, *acc, *unit, *user;
	int lost = 0, found = 0;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return r->acked;
	}
	ev = prep(h, "SELECT 1 FROM events WHERE id = ?1 AND title = ?2");
	evt = prep(h, "SELECT 1 FROM events WHERE title = ?1");
	acc = prep(h, "SELECT 1 FROM events WHERE id = ?1 AND state = 'accepted'");
	unit = prep(h, "SELECT 1 FROM units WHERE name = ?1");
	user = prep(h, "SELECT 1 FROM users WHERE username = ?1");
	for (int i = 0; ev && i < r->nevents; i++) {
		const struct ev *e = &r->events[i];
		bool ok;

		sqlite3_reset(ev);
		sqlite3_bind_int64(ev, 1, e->id);
		sqlite3_bind_text(ev, 2, e->title, -1, SQLITE_TRANSIENT);
		ok = sqlite3_step(ev) == SQLITE_ROW;
		sqlite3_reset(ev);
		found += ok;
		if (!ok)
			printf("    lost: event %lld %s\n", (long long)e->id, e->title);
		if (e->accepted) {
			ok = row_exists(acc, e->id, NULL);
			found += ok;
			if (!ok)
				printf("    lost: accept of event %lld\n", (long long)e->id);
		}
	}
	for (int i = 0; unit && i < r->nunits; i++) {
		bool ok = row_exists(unit, 0, r->units[i].name);

		found += ok;
		if (!ok)
			printf("    lost: unit %s\n", r->units[i].name);
	}
	for (int i = 0; user && i < r->nusers; i++) {
		bool ok = row_exists(user, 0, r->users[i]);

		found += ok;
		if (!ok)
			printf("    lost: user %s\n", r->users[i]);
	}
	for (int i = 0; evt && i < r->nfailed; i++)
		t->unacked_present += row_exists(evt, 0, r->failed_titles[i]);
	lost = r->acked - found;
	t->acked += r->acked;
	t->found += found;
	sqlite3_finalize(ev);
	sqlite3_finalize(evt);
	sqlite3_finalize(acc);
	sqlite3_finalize(unit);
	sqlite3_finalize(user);
	sqlite3_close(h);
	return lost;
}

/* After the check: the recovered database takes new writes. */
static int
write_after(struct rel_county *c, int iter)
{
	struct run *r = calloc(1, sizeof *r);
	uint64_t rng = 1;
	int rc;

	if (r == NULL)
		abort();
	rc = do_report(c, r, iter, 9999, &rng);
	free(r);
	return rc;
}

/* One run: copy the county, write until the power fails, reopen, compare. 0 when all is well. */
static int
one_run(const struct image *im, const struct rel_county *tmpl, int iter, uint64_t *rng,
    struct totals *t)
{
	struct rel_county c = *tmpl, c2 = *tmpl;
	struct run *r = calloc(1, sizeof *r);
	struct audit_check chk;
	char dir[128], path[160], why[256];
	double keep = iter % 2 ? 0.5 : 0.0;
	int n = (int)rel_rand_range(rng, 5, MAX_OPS - 10), bad = 0, lost;
	bool after = rel_rand(rng) % 2;

	if (r == NULL)
		abort();
	if (rel_temp_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/pingan.db", dir);
	if (image_put(im, path) != 0 || db_open(path, false, &c.db) != 0) {
		free(r);
		return -1;
	}
	pcvfs_set_buffering(true);
	pcvfs_cut_at(rel_rand_range(rng, 1, (long)n * 60), after, keep, rel_rand(rng));
	workload(&c, path, r, iter, n, rng, t);
	if (pcvfs_cut_happened()) {
		if (after)
			t->cuts_after_op++;
		else
			t->cuts_mid_op++;
	} else {
		pcvfs_power_cut(keep, rng);
	}
	pcvfs_cut_at(0, false, 0, 0);
	/* c.db is abandoned here as a crash abandons it: every file it holds is dead. */
	if (db_open(path, false, &c2.db) != 0) {
		printf("    run %d: the database does not open after the cut\n", iter);
		bad++;
		goto out;
	}
	lost = count_lost(path, r, t);
	t->lost += lost;
	bad += lost > 0;
	if (rel_integrity(path, why, sizeof why) != 0) {
		printf("    run %d: integrity_check: %s\n", iter, why);
		bad++;
	}
	if (audit_verify(c2.db, &chk) != 0) {
		printf("    run %d: audit verify: row %lld: %s\n", iter, (long long)chk.first_bad_id,
		    chk.why);
		bad++;
	}
	if (rel_check_complete(path, TITLE_PREFIX) != 0)
		bad++;
	if (write_after(&c2, iter) != 0) {
		printf("    run %d: no write succeeds after recovery\n", iter);
		bad++;
	}
	db_close(c2.db);
out:
	/* Closing the dead handle now changes nothing: its files answer errors. */
	db_close(c.db);
	pcvfs_set_buffering(false);
	rel_remove_tree(dir);
	free(r);
	t->runs++;
	return bad ? -1 : 0;
}

TEST(powercut_loses_no_acknowledged_write)
{
	static struct rel_county tmpl;
	struct totals t = { 0 };
	struct image im = { NULL, 0 };
	struct pcvfs_stats st;
	char dir[128], path[160], log[200];
	uint64_t rng = rel_seed("power cut");
	int runs = rel_deep() ? 200 : 20, failed_runs = 0;

	CHECK(rel_temp_dir(dir, sizeof dir) == 0);
	snprintf(path, sizeof path, "%s/county.db", dir);
	snprintf(log, sizeof log, "%s/stderr.log", dir);
	CHECK(pcvfs_install() == 0);
	pcvfs_reset_stats();
	if (db_open(path, true, &tmpl.db) != 0 || rel_county_setup(&tmpl) != 0) {
		pcvfs_uninstall();
		REL_FAIL("the county for the power-cut runs could not be set up");
	}
	db_close(tmpl.db);
	tmpl.db = NULL;
	CHECK(image_take(path, &im) == 0);
	/* The storage errors a cut causes are logged on stderr: keep them out of the report. */
	rel_quiet_begin(log);
	for (int i = 0; i < runs; i++)
		if (one_run(&im, &tmpl, i, &rng, &t) != 0)
			failed_runs++;
	rel_quiet_end();
	pcvfs_get_stats(&st);
	pcvfs_uninstall();
	rel_county_release(&tmpl);
	free(im.data);
	printf("    power cut: %d runs (half losing every unsynced write, half keeping a random "
	       "half of them), cut inside an operation %d, right after one %d, at the end %d\n",
	    t.runs, t.cuts_mid_op, t.cuts_after_op, t.runs - t.cuts_mid_op - t.cuts_after_op);
	printf("    power cut: %lu writes buffered, %lu syncs, %lu unsynced writes lost, "
	       "%d checkpoints by another connection, %d operations failed by the cut\n",
	    st.buffered_writes, st.syncs, st.lost_writes, t.checkpoints, t.failures);
	printf("    power cut: acknowledged %d, found %d, lost %d; unacknowledged events present "
	       "(complete) %d\n", t.acked, t.found, t.lost, t.unacked_present);
	CHECK_INT(t.lost, 0);
	CHECK_INT(failed_runs, 0);
	CHECK(t.acked > 0);
}

/* --- negative controls --------------------------------------------------------------- */

/*
 * A raw connection with the given synchronous setting commits rows one by
 * one, then the power fails. Returns how many acknowledged rows are lost
 * (or -1 when the run itself failed).
 */
static int
raw_run(const char *sync_pragma, int rows, int *acked)
{
	sqlite3 *h = NULL, *h2 = NULL;
	char dir[128], path[160], sql[96];
	uint64_t rng = 42;
	long long found = -1;

	*acked = 0;
	if (rel_temp_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/raw.db", dir);
	pcvfs_set_buffering(true);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
			    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, sync_pragma, NULL, NULL, NULL) != SQLITE_OK) {
		pcvfs_set_buffering(false);
		sqlite3_close(h);
		return -1;
	}
	for (int i = 1; i <= rows; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO t (id, v) VALUES (%d, 'row %d')", i, i);
		if (sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK)
			(*acked)++;
	}
	pcvfs_power_cut(0, &rng);
	/* h is abandoned; a new connection sees what the disk kept. */
	if (sqlite3_open_v2(path, &h2, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(h2, "SELECT count(*) FROM t", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			found = sqlite3_column_int64(st, 0);
		else
			printf("    raw: count: %s\n", sqlite3_errmsg(h2));
		sqlite3_finalize(st);
	} else
		printf("    raw: reopen: %s\n", sqlite3_errmsg(h2));
	sqlite3_close(h2);
	sqlite3_close(h);
	pcvfs_set_buffering(false);
	rel_remove_tree(dir);
	return found < 0 ? -1 : *acked - (int)found;
}

TEST(powercut_negative_control_synchronous_off_and_normal_lose_rows)
{
	static const struct {
		const char *pragma;
		bool loses;
	} cases[] = {
		{ "PRAGMA synchronous = OFF", true },
		{ "PRAGMA synchronous = NORMAL", true },
		{ "PRAGMA synchronous = FULL", false },
	};
	int runs = rel_deep() ? 200 : 20;

	CHECK(pcvfs_install() == 0);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		int acked_all = 0, lost_all = 0;

		for (int i = 0; i < runs; i++) {
			int acked, lost = raw_run(cases[c].pragma, 1 + i % 30, &acked);

			if (lost < 0) {
				pcvfs_uninstall();
				REL_FAIL("a raw power-cut run failed");
			}
			acked_all += acked;
			lost_all += lost;
		}
		printf("    %s: %d runs, acknowledged %d, found %d, lost %d\n", cases[c].pragma, runs,
		    acked_all, acked_all - lost_all, lost_all);
		if (cases[c].loses && lost_all == 0) {
			pcvfs_uninstall();
			REL_FAIL("the checker saw no loss where a power cut must lose rows");
		}
		if (!cases[c].loses && lost_all != 0) {
			pcvfs_uninstall();
			REL_FAIL("synchronous=FULL lost acknowledged rows");
		}
	}
	pcvfs_uninstall();
}
