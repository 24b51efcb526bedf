/*
 * sqlite_ref: what raw SQLite does on this machine, as a reference for
 * pingan's intake and read numbers. Same settings as pingan: WAL,
 * synchronous=FULL (a committed row is on disk).
 *
 *   sqlite_ref DB_FILE [SECONDS_PER_TEST] [READ_THREADS] [all|insert]
 *
 * 1. durable inserts: one row per transaction (what a 2xx intake costs at
 *    least), rows shaped like a small event with an index on its path;
 * 2. the same row plus its FTS5 trigram index entry (pingan indexes titles);
 * 3. batched inserts: 1000 rows per transaction;
 * 4. point selects by primary key, one thread, then READ_THREADS threads
 *    each with its own connection (pingan has one read connection per
 *    worker thread).
 * "insert" runs only test 2 (bench/run.sh runs it right before pingan's
 * intake, so both see the same disk: on a shared machine the fsync rate
 * swings widely). Prints one line per test and a last line of JSON. The
 * file is created and removed by the caller.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "sqlite_ref: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
		exit(1);
	}
}

static void
exec(sqlite3 *db, const char *sql)
{
	check(sqlite3_exec(db, sql, NULL, NULL, NULL), db, sql);
}

static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db;

	check(sqlite3_open(path, &db), NULL, "open");
	sqlite3_busy_timeout(db, 5000);
	exec(db, "PRAGMA journal_mode=WAL");
	exec(db, "PRAGMA synchronous=FULL");
	return db;
}

static const char *const titles[] = {
	"邻里纠纷：宅基地界址争议", "噪音扰民：夜间施工", "劳资纠纷：拖欠农民工工资",
	"消防隐患：楼道堆放杂物", "道路积水：村口涵洞堵塞", "婚姻家庭纠纷调解",
};

static int64_t
insert_rows(sqlite3 *db, sqlite3_stmt *ins, int64_t seq, int n)
{
	for (int i = 0; i < n; i++, seq++) {
		char path[64];
		snprintf(path, sizeof path, "/330824/330824%03d/", (int)(seq % 15));
		sqlite3_bind_text(ins, 1, titles[seq % 6], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, "华埠镇村民反映相邻宅基地界址不清，双方多次争吵，请求调解。", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 4, 1700000000000 + seq);
		check(sqlite3_step(ins), db, "insert");
		sqlite3_reset(ins);
	}
	return seq;
}

/* Inserts rows `per_txn` at a time for `secs` seconds; returns rows per second. */
static double
insert_test(sqlite3 *db, const char *table, int per_txn, double secs, int64_t *seq)
{
	char sql[256];
	sqlite3_stmt *ins;
	double t0 = now_s(), t;
	int64_t rows = 0;

	snprintf(sql, sizeof sql, "INSERT INTO %s (title, description, path, at) VALUES (?1, ?2, ?3, ?4)",
	    table);
	check(sqlite3_prepare_v2(db, sql, -1, &ins, NULL), db, "prepare insert");
	do {
		exec(db, "BEGIN IMMEDIATE");
		*seq = insert_rows(db, ins, *seq, per_txn);
		exec(db, "COMMIT");
		rows += per_txn;
		t = now_s();
	} while (t - t0 < secs && rows < 50000000);
	sqlite3_finalize(ins);
	return (double)rows / (t - t0);
}

struct reader {
	const char *path;
	double secs;
	int64_t max_id, done;
	unsigned seed;
};

static void *
read_worker(void *arg)
{
	struct reader *r = arg;
	sqlite3 *db = open_db(r->path);
	sqlite3_stmt *sel;
	double t0 = now_s();

	check(sqlite3_prepare_v2(db, "SELECT id, title, description, path, at FROM ev WHERE id = ?1", -1,
		  &sel, NULL), db, "prepare select");
	while (now_s() - t0 < r->secs) {
		for (int i = 0; i < 1000; i++) {
			int64_t id = 1 + (int64_t)((unsigned)rand_r(&r->seed) % (unsigned)r->max_id);
			sqlite3_bind_int64(sel, 1, id);
			check(sqlite3_step(sel), db, "select");
			sqlite3_reset(sel);
			r->done++;
		}
	}
	sqlite3_finalize(sel);
	sqlite3_close(db);
	return NULL;
}

static double
select_test(const char *path, double secs, int threads, int64_t max_id)
{
	pthread_t th[64];
	struct reader rd[64];
	int64_t total = 0;
	double t0 = now_s();

	for (int i = 0; i < threads; i++) {
		rd[i] = (struct reader){ path, secs, max_id, 0, (unsigned)(i * 7919 + 1) };
		pthread_create(&th[i], NULL, read_worker, &rd[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += rd[i].done;
	}
	return (double)total / (now_s() - t0);
}

int
main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	int threads = argc > 3 ? atoi(argv[3]) : 4;
	bool insert_only = argc > 4 && strcmp(argv[4], "insert") == 0;
	double durable = 0, durable_fts, batched = 0, sel1 = 0, seln = 0;
	int64_t seq = 0, fts_seq = 0;
	sqlite3 *db;

	if (argc < 2 || secs <= 0 || secs > 60 || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: sqlite_ref DB_FILE [SECONDS_PER_TEST (<=60)] [READ_THREADS]\n");
		return 2;
	}
	db = open_db(argv[1]);
	exec(db, "CREATE TABLE IF NOT EXISTS ev (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
		 "description TEXT NOT NULL, path TEXT NOT NULL, at INTEGER NOT NULL)");
	exec(db, "CREATE INDEX IF NOT EXISTS ev_path ON ev(path, id)");
	exec(db, "CREATE TABLE IF NOT EXISTS evf (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
		 "description TEXT NOT NULL, path TEXT NOT NULL, at INTEGER NOT NULL)");
	exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS evf_fts USING fts5(title, description, "
		 "content='evf', content_rowid='id', tokenize='trigram')");
	exec(db, "CREATE TRIGGER IF NOT EXISTS evf_ai AFTER INSERT ON evf BEGIN INSERT INTO "
		 "evf_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END");

	if (insert_only) {
		durable_fts = insert_test(db, "evf", 1, secs, &fts_seq);
		printf("durable insert with FTS5 trigram index: %.0f rows/s\n", durable_fts);
		printf("{\"sqlite_version\":\"%s\",\"durable_insert_fts\":%.0f}\n", sqlite3_libversion(),
		    durable_fts);
		sqlite3_close(db);
		return 0;
	}
	durable = insert_test(db, "ev", 1, secs, &seq);
	printf("durable insert (WAL, synchronous=FULL, 1 row per transaction): %.0f rows/s\n", durable);
	durable_fts = insert_test(db, "evf", 1, secs, &fts_seq);
	printf("durable insert with FTS5 trigram index: %.0f rows/s\n", durable_fts);
	batched = insert_test(db, "ev", 1000, secs, &seq);
	printf("batched insert (1000 rows per transaction): %.0f rows/s\n", batched);
	sqlite3_close(db);
	sel1 = select_test(argv[1], secs, 1, seq);
	printf("point select by primary key, 1 thread (%lld rows): %.0f selects/s\n", (long long)seq,
	    sel1);
	seln = select_test(argv[1], secs, threads, seq);
	printf("point select by primary key, %d threads: %.0f selects/s\n", threads, seln);
	printf("{\"sqlite_version\":\"%s\",\"durable_insert\":%.0f,\"durable_insert_fts\":%.0f,"
	       "\"batched_insert\":%.0f,\"select_1\":%.0f,\"select_n\":%.0f,\"threads\":%d}\n",
	    sqlite3_libversion(), durable, durable_fts, batched, sel1, seln, threads);
	return 0;
}
