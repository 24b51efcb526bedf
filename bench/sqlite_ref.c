/*
 * sqlite_ref: what raw SQLite does on this machine, as a reference for
 * pingan's intake and read numbers. Same settings as pingan: WAL,
 * synchronous=FULL (a committed row is on disk).
 *
 *   sqlite_ref DB_FILE [SECONDS_PER_TEST] [READ_THREADS] [all|insert]
 *   sqlite_ref DB_FILE SECONDS READ_THREADS registry BASE_ROWS
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
 * swings widely). "registry" runs only the CSV import's counterpart:
 * persons-shaped rows with pingan's four indexes written into BASE_ROWS
 * rows (bench/run.sh runs it right before the import, with the persons
 * count the import meets). Prints one line per test and a last line of
 * JSON. The file is created and removed by the caller.
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

/*
 * The registry's import, raw: rows shaped like pingan's persons (encrypted
 * fields as blobs of their real lengths, 16-byte blind indexes) with the
 * same four indexes, written 50,000 to a durable transaction (one CSV file
 * of the bench) into a table that already holds `base` rows, with the
 * cache pingan gives an import (64 MiB).
 */
#define REG_BATCH 50000
#define REG_BATCHES 4
#define REG_PATHS 700

struct reg_row {
	uint8_t id_idx[16], name_idx[16], phone_idx[16];
	int path;
};

static uint64_t reg_state = 88172645463325252ull;

static uint64_t
reg_rand(void)
{
	reg_state ^= reg_state << 13;
	reg_state ^= reg_state >> 7;
	reg_state ^= reg_state << 17;
	return reg_state;
}

static void
reg_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t r = reg_rand();
		memcpy(p + i, &r, n - i < 8 ? n - i : 8);
	}
}

static void
reg_bind(sqlite3_stmt *ins, const struct reg_row *r, int64_t at)
{
	static uint8_t blob[64];
	char path[64];

	reg_fill(blob, sizeof blob);
	snprintf(path, sizeof path, "/330000/330800/330824/330824%03d/330824%03d%03d/",
	    r->path / 50, r->path / 50, r->path % 50);
	sqlite3_bind_blob(ins, 1, blob, 59, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 2, r->id_idx, 16, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 3, blob, 49, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 4, r->name_idx, 16, SQLITE_TRANSIENT);
	if (r->phone_idx[0] < 218) {     /* 85 % give a phone number */
		sqlite3_bind_blob(ins, 5, blob, 52, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 6, r->phone_idx, 16, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(ins, 5);
		sqlite3_bind_null(ins, 6);
	}
	sqlite3_bind_blob(ins, 7, blob, 56, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 8, r->id_idx[1] & 1 ? "M" : "F", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 9, "1980-01-01", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 10, r->id_idx[2] < 200 ? "registered" : "floating", -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, 11, r->path);
	sqlite3_bind_text(ins, 12, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 13, at);
}

static void
reg_insert(sqlite3 *db, sqlite3_stmt *ins, int64_t n, int64_t at)
{
	struct reg_row r;

	for (int64_t i = 0; i < n; i++) {
		reg_fill(r.id_idx, 16);
		reg_fill(r.name_idx, 16);
		reg_fill(r.phone_idx, 16);
		r.path = (int)(reg_rand() % REG_PATHS);
		reg_bind(ins, &r, at + i);
		check(sqlite3_step(ins), db, "insert person");
		sqlite3_reset(ins);
	}
}

static sqlite3_stmt *
reg_prepare(sqlite3 *db, const char *tail)
{
	char sql[512];
	sqlite3_stmt *ins;

	snprintf(sql, sizeof sql, "INSERT INTO persons (id_number_enc, id_number_idx, name_enc, "
	    "name_idx, phone_enc, phone_idx, address_enc, sex, birth_date, kind, division_id, "
	    "division_path, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?13)%s", tail);
	check(sqlite3_prepare_v2(db, sql, -1, &ins, NULL), db, "prepare person insert");
	return ins;
}

static double
registry_test(sqlite3 *db, int64_t base)
{
	sqlite3_stmt *ins;
	double t0;

	exec(db, "CREATE TABLE persons (id INTEGER PRIMARY KEY, id_number_enc BLOB NOT NULL, "
		 "id_number_idx BLOB NOT NULL, name_enc BLOB NOT NULL, name_idx BLOB NOT NULL, "
		 "phone_enc BLOB, phone_idx BLOB, address_enc BLOB, sex TEXT NOT NULL, "
		 "birth_date TEXT NOT NULL, kind TEXT NOT NULL, division_id INTEGER NOT NULL, "
		 "division_path TEXT NOT NULL, created_at INTEGER NOT NULL, "
		 "updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1)");
	/* The registry as pingan gen leaves it: loaded first, indexed after, checkpointed. */
	exec(db, "PRAGMA synchronous=OFF");
	exec(db, "PRAGMA cache_size=-2097152");
	ins = reg_prepare(db, "");
	exec(db, "BEGIN");
	reg_insert(db, ins, base, 1700000000000);
	exec(db, "COMMIT");
	sqlite3_finalize(ins);
	exec(db, "CREATE UNIQUE INDEX persons_idnum ON persons(id_number_idx)");
	exec(db, "CREATE INDEX persons_name ON persons(name_idx, id)");
	exec(db, "CREATE INDEX persons_phone ON persons(phone_idx) WHERE phone_idx IS NOT NULL");
	exec(db, "CREATE INDEX persons_path ON persons(division_path, id)");
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	exec(db, "PRAGMA synchronous=FULL");
	exec(db, "PRAGMA cache_size=-65536");
	ins = reg_prepare(db, " ON CONFLICT (id_number_idx) DO NOTHING");
	t0 = now_s();
	for (int b = 0; b < REG_BATCHES; b++) {
		exec(db, "BEGIN IMMEDIATE");
		reg_insert(db, ins, REG_BATCH, 1800000000000 + b * REG_BATCH);
		exec(db, "COMMIT");
	}
	t0 = now_s() - t0;
	sqlite3_finalize(ins);
	return REG_BATCHES * REG_BATCH / t0;
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
		fprintf(stderr, "usage: sqlite_ref DB_FILE [SECONDS_PER_TEST (<=60)] [READ_THREADS] "
				"[all|insert|registry BASE_ROWS]\n");
		return 2;
	}
	db = open_db(argv[1]);
	if (argc > 5 && strcmp(argv[4], "registry") == 0) {
		int64_t base = atoll(argv[5]);
		double rate = registry_test(db, base);

		printf("registry import, %d × %d rows per durable transaction into %lld rows: "
		       "%.0f rows/s\n", REG_BATCHES, REG_BATCH, (long long)base, rate);
		printf("{\"sqlite_version\":\"%s\",\"registry_base\":%lld,\"registry_rows\":%d,"
		       "\"registry_insert\":%.0f}\n", sqlite3_libversion(), (long long)base,
		    REG_BATCHES * REG_BATCH, rate);
		sqlite3_close(db);
		return 0;
	}
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
