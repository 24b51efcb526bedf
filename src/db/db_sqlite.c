/*
 * SQLite backend of db.h. One writer connection guarded by a mutex; one
 * read connection per thread, found through a thread-local slot. Every
 * connection runs in WAL mode with foreign keys on. The writer commits
 * with synchronous=NORMAL and the WAL is synced after it lets go
 * (db_wal_sync.c), before anyone in the group is answered; checkpoints run
 * beside it (db_checkpoint.c). Should either not start, the writer keeps
 * synchronous=FULL and SQLite's own checkpoints.
 */
#include "db/db.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db_internal.h"
#include "db/migrations.h"

static const char *const stmt_sql[STMT_COUNT_] = {
#define STMT(id, sql) [id] = sql,
#include "db/sql_all.def"
#undef STMT
};

/* The transaction statements every write runs, kept prepared on the writer. */
enum txn_ctl {
	CTL_BEGIN, CTL_SAVEPOINT, CTL_RELEASE, CTL_COMMIT, CTL_BEGIN_READ, CTL_DATA_VERSION, CTL_COUNT_
};

static const char *const txn_ctl_sql[CTL_COUNT_] = {
	[CTL_BEGIN] = "BEGIN IMMEDIATE",
	[CTL_SAVEPOINT] = "SAVEPOINT request",
	[CTL_RELEASE] = "RELEASE request",
	[CTL_COMMIT] = "COMMIT",
	[CTL_BEGIN_READ] = "BEGIN",
	[CTL_DATA_VERSION] = "PRAGMA data_version",
};

struct db_conn {
	sqlite3 *h;
	sqlite3_stmt *stmts[STMT_COUNT_];
	sqlite3_stmt *ctl[CTL_COUNT_];
	struct db *db;
	struct db_conn *next;   /* in db->readers */
	void *shapes;           /* query.c's prepared shapes (statements finalized below) */
	bool reading;           /* a reader inside db_read_scope's explicit read transaction */
	uint64_t read_seq;      /* the newest change notice when that transaction began */
};

#define RESULT_RING 256        /* outcomes of the last groups, by group number */

struct db {
	char *path;
	uint64_t generation;
	struct db_conn *writer;
	struct db_watcher *watcher;    /* change notices, or NULL (db_watch) */
	int64_t data_version;          /* the writer's, when last looked at (0: never) */
	_Atomic int64_t foreign_checked_us;
	pthread_mutex_t write_lock;
	_Atomic int waiting_writers;   /* threads blocked in db_write_begin */
	bool group_open;               /* a group transaction is open (write_lock held to touch) */
	bool bulk;                     /* that transaction is a bulk load's (db_write_begin_bulk) */
	bool bulk_cache;               /* the writer's cache was grown for bulk loads */
	bool large;                    /* the open transaction grew the cache (db_write_begin_alone) */
	uint64_t group;                /* number of the open (or last) group */
	int group_size;
	pthread_mutex_t group_lock;    /* guards the outcome fields below */
	pthread_cond_t group_cond;
	uint64_t group_finished;       /* the newest group committed or failed */
	int group_result[RESULT_RING];  /* outcome of group g at g % RESULT_RING */
	int group_readers[RESULT_RING]; /* members of that group still to read it */
	pthread_mutex_t readers_lock;
	struct db_conn *readers;
	_Atomic uint64_t busy_waits;
	_Atomic uint64_t write_txns;
	_Atomic uint64_t write_failures;
	int64_t writer_since_us;           /* when write_lock was taken (write_lock held to touch) */
	_Atomic uint64_t writer_busy_us;   /* time write_lock was held, in all */
	struct checkpointer *checkpointer; /* checkpoints beside the writer, or NULL */
	struct wal_sync *wal_sync;         /* syncs commits after the writer (NULL: inside, FULL) */
	pthread_mutex_t sync_lock;         /* orders the groups' syncs and their outcomes */
	_Atomic bool sync_failed;          /* a sync failed: no more writes until a restart */
};

/*
 * The writer's page cache in KiB (negative: SQLite's unit), and what a large
 * request gets. 48 MiB imports as fast as 64 did (county and province pairs,
 * bench/RESULTS.md 2026-12-07 20:35) with 17 MB less at the peak, which sits
 * on top of whatever the readers hold and must stay under the 200 MB target.
 */
#define WRITER_CACHE "-16384"
#define LARGE_CACHE "-49152"

/*
 * Every write goes through the one writer, one request or group at a time:
 * the time it is held is what bounds the write rate, so it is counted
 * (pingan_db_writer_busy_seconds_total).
 */
static void
writer_lock(struct db *db)
{
	pthread_mutex_lock(&db->write_lock);
	db->writer_since_us = clock_mono_us();
}

static void
writer_unlock(struct db *db)
{
	atomic_fetch_add(&db->writer_busy_us, (uint64_t)(clock_mono_us() - db->writer_since_us));
	pthread_mutex_unlock(&db->write_lock);
}

/* Distinguishes a reopened database at a reused address from the old one. */
static _Atomic uint64_t next_generation = 1;

static _Thread_local struct {
	uint64_t generation;
	struct db_conn *conn;
	bool scoped;            /* db_read_scope: reads share one transaction until done */
} tls_reader;

#define SCOPE_MAX 16
#define SCOPE_PATH_MAX 160

/* This thread's data scope, consulted by the SQL function in_scope(path). */
static _Thread_local struct {
	bool all;
	int n;
	char prefixes[SCOPE_MAX][SCOPE_PATH_MAX];
	size_t lens[SCOPE_MAX];
} tls_scope;

void
db_scope_set(bool all, const char *const *prefixes, int n)
{
	tls_scope.all = all;
	tls_scope.n = 0;
	for (int i = 0; i < n && i < SCOPE_MAX; i++) {
		size_t len = strlen(prefixes[i]);

		if (len == 0 || len >= SCOPE_PATH_MAX)
			continue;
		memcpy(tls_scope.prefixes[tls_scope.n], prefixes[i], len + 1);
		tls_scope.lens[tls_scope.n++] = len;
	}
}

/* in_scope(path): 1 when the path lies inside this thread's scope. */
static void
sql_in_scope(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *path = (const char *)sqlite3_value_text(argv[0]);
	int yes = tls_scope.all;

	(void)argc;
	for (int i = 0; !yes && path && i < tls_scope.n; i++)
		yes = strncmp(path, tls_scope.prefixes[i], tls_scope.lens[i]) == 0;
	sqlite3_result_int(ctx, yes);
}

/* The enum err_code of a call that failed with rc (never 0, even if rc says success). */
static int
failure(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return ERR_CONFLICT;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_PROTOCOL:
		return ERR_STORAGE;
	default:
		return ERR_INTERNAL;
	}
}

/* Waits with growing sleeps up to about 5 s in all, counting each wait. */
static int
busy_handler(void *arg, int count)
{
	struct db *db = arg;
	struct timespec ts = { 0, 0 };
	long ms = count < 10 ? 1L << (count > 6 ? 6 : count) : 100;

	if (count >= 60)
		return 0;
	atomic_fetch_add(&db->busy_waits, 1);
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

static int
conn_exec(struct db_conn *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return failure(rc);
	}
	return 0;
}

/*
 * Runs one of the transaction statements. Each report runs three of them
 * under the write lock; sqlite3_exec() would parse each every time (about
 * 5 % of the time a report holds the lock).
 */
static int
conn_ctl(struct db_conn *c, enum txn_ctl which)
{
	int rc;

	if (c->ctl[which] == NULL &&
	    sqlite3_prepare_v3(c->h, txn_ctl_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
	    &c->ctl[which], NULL) != SQLITE_OK) {
		log_error("sqlite: %s", sqlite3_errmsg(c->h));
		return failure(sqlite3_errcode(c->h));
	}
	rc = sqlite3_step(c->ctl[which]);
	sqlite3_reset(c->ctl[which]);
	if (rc == SQLITE_DONE)
		return 0;
	log_error("sqlite: %s: %s", txn_ctl_sql[which], sqlite3_errstr(rc));
	return failure(rc);
}

static void
conn_close(struct db_conn *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < STMT_COUNT_; i++)
		sqlite3_finalize(c->stmts[i]);
	for (int i = 0; i < CTL_COUNT_; i++)
		sqlite3_finalize(c->ctl[i]);
	/* Only our own statements: FTS5 keeps statements of its own on the connection. */
	db_shapes_release(c->shapes);
	sqlite3_close(c->h);
	free(c);
}

static void
library_configure(void)
{
	/*
	 * Memory statistics make every sqlite3_malloc and sqlite3_free take one
	 * process-wide mutex; with sixteen readers that mutex was a tenth of a
	 * read's CPU (futex waits and wake-ups). Nothing here reads the statistics.
	 */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_warn("SQLite was initialized before its configuration; memory statistics stay on");
}

void
db_library_setup(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, library_configure);
}

static int
conn_open(struct db *db, bool create, bool readonly, struct db_conn **out)
{
	struct db_conn *c = xcalloc(1, sizeof *c);
	int flags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	int rc;

	if (create)
		flags |= SQLITE_OPEN_CREATE;
	c->db = db;
	db_library_setup();
	rc = sqlite3_open_v2(db->path, &c->h, flags, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open database %s: %s", db->path, sqlite3_errstr(rc));
		conn_close(c);
		return ERR_STORAGE;
	}
	sqlite3_extended_result_codes(c->h, 1);
	sqlite3_create_function(c->h, "in_scope", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
	    sql_in_scope, NULL, NULL);
	sqlite3_busy_handler(c->h, busy_handler, db);
	/*
	 * Page cache: 16 MiB for the writer, 4 MiB for each of the (up to 16 and
	 * more) readers, so a province-sized file keeps the server within 200 MB;
	 * the OS page cache holds the rest of the file for everyone.
	 */
	rc = conn_exec(c, readonly ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON; "
				     "PRAGMA cache_size = -4096;"
				   : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
				     "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
				     "PRAGMA cache_size = " WRITER_CACHE ";");
	if (rc != 0) {
		conn_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int
user_version(struct db_conn *c)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(c->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
db_schema_latest(void)
{
	int v = 0;

	for (const struct migration *m = migrations; m->version; m++)
		v = m->version;
	return v;
}

/* Applies each migration newer than the file's user_version, each in its own transaction. */
static int
migrate(struct db_conn *w)
{
	int have = user_version(w);
	char pragma[64];

	if (have < 0)
		return ERR_STORAGE;
	if (have > db_schema_latest()) {
		log_error("database schema version %d is newer than this binary knows (%d): "
			  "refusing to start; upgrade pingan", have, db_schema_latest());
		return ERR_CONFLICT;
	}
	for (const struct migration *m = migrations; m->version; m++) {
		int rc;

		if (m->version <= have)
			continue;
		rc = conn_exec(w, "BEGIN IMMEDIATE");
		if (rc == 0)
			rc = conn_exec(w, m->sql);
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
		if (rc == 0)
			rc = conn_exec(w, pragma);
		if (rc == 0)
			rc = conn_exec(w, "COMMIT");
		if (rc != 0) {
			(void)conn_exec(w, "ROLLBACK");
			log_error("migration %s failed", m->name);
			return rc;
		}
		log_info("applied migration %s", m->name);
	}
	return 0;
}

/*
 * Takes the checkpoints and the wait for the disk out of the writer's hold
 * (see the top of this file). After the migrations, which commit the old way.
 */
static void
offload_writer(struct db *db)
{
	db->checkpointer = checkpointer_start(db->path, db->writer->h);
	db->wal_sync = wal_sync_open(db->path);
	if (db->wal_sync != NULL && conn_exec(db->writer, "PRAGMA synchronous = NORMAL") != 0) {
		wal_sync_close(db->wal_sync);
		db->wal_sync = NULL;
	}
}

int
db_open(const char *path, bool create, struct db **out)
{
	struct db *db = xcalloc(1, sizeof *db);
	int rc;

	db->path = xstrdup(path);
	db->generation = atomic_fetch_add(&next_generation, 1);
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_mutex_init(&db->group_lock, NULL);
	pthread_cond_init(&db->group_cond, NULL);
	pthread_mutex_init(&db->readers_lock, NULL);
	pthread_mutex_init(&db->sync_lock, NULL);
	rc = conn_open(db, create, false, &db->writer);
	if (rc == 0)
		rc = migrate(db->writer);
	if (rc != 0) {
		db_close(db);
		return rc;
	}
	offload_writer(db);
	*out = db;
	return 0;
}

void
db_close(struct db *db)
{
	struct db_conn *c, *next;

	if (db == NULL)
		return;
	for (c = db->readers; c; c = next) {
		next = c->next;
		conn_close(c);
	}
	if (tls_reader.generation == db->generation)
		tls_reader.conn = NULL;
	if (db->writer)
		checkpointer_stop(db->checkpointer, db->writer->h);
	wal_sync_close(db->wal_sync);
	conn_close(db->writer);
	watcher_free(db->watcher);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->group_lock);
	pthread_cond_destroy(&db->group_cond);
	pthread_mutex_destroy(&db->readers_lock);
	pthread_mutex_destroy(&db->sync_lock);
	free(db->path);
	free(db);
}

int
db_schema_version(struct db *db)
{
	int v;

	writer_lock(db);
	v = user_version(db->writer);
	writer_unlock(db);
	return v;
}

/*
 * The newest change notice every change of which the connection's next
 * statement will see: the current one when that statement takes a new
 * snapshot, 0 when a statement still stepping holds an older one (which
 * BEGIN and the statements after it would go on with).
 */
static uint64_t
next_snapshot_seq(struct db_conn *c)
{
	return sqlite3_txn_state(c->h, NULL) == SQLITE_TXN_NONE ? watcher_seq(c->db->watcher) : 0;
}

struct db_conn *
db_reader(struct db *db)
{
	struct db_conn *c;

	if (tls_reader.generation == db->generation && tls_reader.conn) {
		c = tls_reader.conn;
	} else {
		if (conn_open(db, false, true, &c) != 0)
			return NULL;
		pthread_mutex_lock(&db->readers_lock);
		c->next = db->readers;
		db->readers = c;
		pthread_mutex_unlock(&db->readers_lock);
		tls_reader.generation = db->generation;
		tls_reader.conn = c;
	}
	/* A failed BEGIN leaves the reads in autocommit: slower, not wrong. */
	if (tls_reader.scoped && !c->reading) {
		c->read_seq = next_snapshot_seq(c);
		if (conn_ctl(c, CTL_BEGIN_READ) == 0)
			c->reading = true;
	}
	return c;
}

void
db_read_scope(struct db *db)
{
	(void)db;
	tls_reader.scoped = true;
}

/*
 * Ends this thread's explicit read transaction, if one is open. A statement
 * still stepping keeps its own snapshot until reset; COMMIT allows that.
 */
static void
read_end(struct db *db)
{
	struct db_conn *c = tls_reader.conn;

	if (tls_reader.generation != db->generation || c == NULL || !c->reading)
		return;
	c->reading = false;
	if (conn_ctl(c, CTL_COMMIT) != 0 && !sqlite3_get_autocommit(c->h))
		(void)conn_exec(c, "ROLLBACK");
}

void
db_read_refresh(struct db *db)
{
	read_end(db);
}

/*
 * Resets the statements this connection prepared (not those of virtual
 * tables). Only a statement stepped and not yet reset holds anything: the
 * others are skipped, since this runs at the end of every request.
 */
static void
conn_reset_own(struct db_conn *c)
{
	for (int i = 0; i < STMT_COUNT_; i++)
		if (c->stmts[i] && sqlite3_stmt_busy(c->stmts[i]))
			sqlite3_reset(c->stmts[i]);
}

void
db_reader_done(struct db *db)
{
	struct db_conn *c;

	if (tls_reader.generation != db->generation || tls_reader.conn == NULL)
		return;
	c = tls_reader.conn;
	conn_reset_own(c);
	db_shapes_reset(c->shapes);
	read_end(db);
	tls_reader.scoped = false;
}

/*
 * Group commit. Each request's writes run inside a SAVEPOINT of one shared
 * transaction; when a request ends and another writer is already waiting
 * for the lock, the request hands the open transaction on instead of
 * committing, and waits for the COMMIT that covers it. The last writer of
 * a group commits for everyone (at most GROUP_MAX requests), so one fsync
 * makes many answers durable. Nobody is answered before the COMMIT that
 * holds their writes has succeeded; if it fails, everyone in it fails.
 */
#define GROUP_MAX 64

/*
 * The new group's outcome slot is the one of group - RESULT_RING; wait until
 * every member of that old group has read its outcome (practically never:
 * it would take 256 groups finishing while one woken thread did not run).
 */
static void
claim_result_slot(struct db *db)
{
	pthread_mutex_lock(&db->group_lock);
	while (db->group_readers[db->group % RESULT_RING] > 0)
		pthread_cond_wait(&db->group_cond, &db->group_lock);
	pthread_mutex_unlock(&db->group_lock);
}

/*
 * Commits by another process (pingan's CLI, sqlite3) do not pass through
 * the watcher's hook. The writer's data_version moves only on those, since
 * the readers never write, so a move is told to the watcher as a change to
 * everything. With the writer held and no group open (no keys gathered).
 */
static void
notice_foreign_commits(struct db *db)
{
	sqlite3_stmt **st = &db->writer->ctl[CTL_DATA_VERSION];
	int64_t v;

	if (db->watcher == NULL)
		return;
	atomic_store(&db->foreign_checked_us, clock_mono_us());
	if (*st == NULL && sqlite3_prepare_v3(db->writer->h, txn_ctl_sql[CTL_DATA_VERSION], -1,
	    SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(*st) == SQLITE_ROW) {
		v = sqlite3_column_int64(*st, 0);
		if (db->data_version != 0 && v != db->data_version) {
			watcher_mark_all(db->watcher);
			watcher_flush(db->watcher);
		}
		db->data_version = v;
	}
	sqlite3_reset(*st);
}

/* Between writes, how often a read asks whether another process committed. */
#define FOREIGN_CHECK_US 200000

/* Looks for commits of other processes if nobody has for FOREIGN_CHECK_US (db_read_seq). */
static void
poll_foreign_commits(struct db *db)
{
	if (db->watcher == NULL ||
	    clock_mono_us() - atomic_load(&db->foreign_checked_us) < FOREIGN_CHECK_US)
		return;
	/* A busy writer will look itself when its next group begins. */
	if (pthread_mutex_trylock(&db->write_lock) != 0)
		return;
	db->writer_since_us = clock_mono_us();
	if (!db->group_open)
		notice_foreign_commits(db);
	else   /* handed over between two writers: the next group looks */
		atomic_store(&db->foreign_checked_us, clock_mono_us());
	writer_unlock(db);
}

int
db_write_begin(struct db *db, struct db_conn **w)
{
	int rc;

	read_end(db);
	if (atomic_load(&db->sync_failed))
		return ERR_STORAGE;
	atomic_fetch_add(&db->waiting_writers, 1);
	writer_lock(db);
	atomic_fetch_sub(&db->waiting_writers, 1);
	if (!db->group_open) {
		rc = conn_ctl(db->writer, CTL_BEGIN);
		if (rc != 0) {
			writer_unlock(db);
			atomic_fetch_add(&db->write_failures, 1);
			return rc;
		}
		notice_foreign_commits(db);
		db->group_open = true;
		db->group++;
		db->group_size = 0;
		claim_result_slot(db);
	}
	rc = conn_ctl(db->writer, CTL_SAVEPOINT);
	if (rc != 0) {
		db_write_rollback(db);
		return ERR_STORAGE;
	}
	*w = db->writer;
	return 0;
}

/*
 * Once a commit has returned, its frames are in the WAL, and with
 * synchronous=NORMAL perhaps not yet on the disk: this syncs them. After a
 * failed sync nobody knows what the disk holds; writes stop until an
 * operator has looked at the disk and restarted (the way PostgreSQL stops).
 * With sync_lock held.
 */
static int
make_durable(struct db *db)
{
	if (db->wal_sync == NULL)
		return 0;
	/*
	 * A group committed behind one whose sync failed: its frames follow
	 * frames the disk may have dropped, and recovery stops at the first
	 * bad frame, so its own sync proves nothing.
	 */
	if (atomic_load(&db->sync_failed))
		return ERR_STORAGE;
	if (wal_sync_now(db->wal_sync) == 0)
		return 0;
	if (!atomic_exchange(&db->sync_failed, true))
		log_error("writes are refused from now on: check the disk, then restart pingan");
	atomic_fetch_add(&db->write_failures, 1);
	return ERR_STORAGE;
}

/* Tells group g's waiting members its outcome. With sync_lock held, so outcomes go out in order. */
static void
group_publish(struct db *db, uint64_t g, int rc)
{
	pthread_mutex_lock(&db->group_lock);
	db->group_result[g % RESULT_RING] = rc;
	db->group_finished = g;
	pthread_cond_broadcast(&db->group_cond);
	pthread_mutex_unlock(&db->group_lock);
}

/*
 * Ends the open group, writer held, with rc the commit's outcome: finishes
 * a checkpoint when one is due, makes a committed group durable, records
 * the outcome and wakes the group's waiting members; the outcome (rc, or
 * the failed sync's). With let_go the writer is released before the wait
 * for the disk, so the next group runs meanwhile; sync_lock is taken
 * first, so outcomes still go out in commit order: a later group's members
 * are never answered before an earlier group's sync.
 */
static int
group_done(struct db *db, int rc, bool let_go)
{
	uint64_t g = db->group;

	/* Caches forget what changed before anyone in the group is answered. */
	watcher_flush(db->watcher);
	db->group_open = false;
	if (rc == 0)
		checkpointer_after_commit(db->checkpointer, db->writer->h);
	pthread_mutex_lock(&db->sync_lock);
	if (let_go)
		writer_unlock(db);
	if (rc == 0)
		rc = make_durable(db);
	group_publish(db, g, rc);
	pthread_mutex_unlock(&db->sync_lock);
	return rc;
}

/*
 * Hands memory that threads freed but their malloc arenas keep back to the
 * system, around the writer's larger cache of an import (see its callers).
 */
static void
give_back_freed_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* Back to the usual cache after db_write_begin_alone(); the extra pages are freed. */
static void
shrink_cache(struct db *db)
{
	if (db->large) {
		(void)conn_exec(db->writer, "PRAGMA cache_size = " WRITER_CACHE);
		db->large = false;
		/*
		 * The freed pages stay in the malloc arena of whichever server
		 * thread ran the import, and the next import runs on another:
		 * without this each one would keep its own 100 MB.
		 */
		give_back_freed_memory();
	}
}

/*
 * Work the schema leaves to the end of each transaction (schema/013): the
 * events queued for the full-text index are indexed in one statement, so
 * FTS5 writes one segment per commit instead of one per report.
 */
static int
flush_deferred(struct db_conn *w)
{
	struct db_stmt *s = db_stmt(w, STMT_FTS_QUEUE_ANY);
	int rc;

	if (s == NULL)
		return ERR_STORAGE;
	if ((rc = db_step(s)) != DB_ROW)
		return rc;
	db_reset(s);
	if ((s = db_stmt(w, STMT_FTS_QUEUE_INDEX)) == NULL)
		return ERR_STORAGE;
	if ((rc = db_run(s)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_FTS_QUEUE_CLEAR)) == NULL)
		return ERR_STORAGE;
	return db_run(s);
}

/* Commits the open group, or rolls it back when that fails. Writer held. */
static int
commit_open_group(struct db *db)
{
	int rc = flush_deferred(db->writer);

	if (rc == 0)
		rc = conn_ctl(db->writer, CTL_COMMIT);
	if (rc != 0) {
		if (!sqlite3_get_autocommit(db->writer->h))
			(void)conn_exec(db->writer, "ROLLBACK");
		atomic_fetch_add(&db->write_failures, 1);
		return ERR_STORAGE;
	}
	atomic_fetch_add(&db->write_txns, 1);
	return 0;
}

/* Commits and ends the open group, keeping the writer (imports, bulk loads). */
static int
group_commit(struct db *db)
{
	return group_done(db, commit_open_group(db), false);
}

/*
 * A bulk load (pingan gen) or an import writes thousands of rows in one
 * transaction. Inside the request savepoint SQLite keeps an in-memory
 * sub-journal of every page the batch touched (hundreds of MB for an import
 * of 50,000 persons) and walks it from the start at the end of each
 * statement that needed a statement journal (any insert with triggers): cost
 * quadratic in the batch. A transaction of its own has no such sub-journal;
 * the group of small requests open before it is committed first.
 */
static int
write_begin_alone(struct db *db, struct db_conn **w, const char *cache)
{
	int rc;

	read_end(db);
	if (atomic_load(&db->sync_failed))
		return ERR_STORAGE;
	atomic_fetch_add(&db->waiting_writers, 1);
	writer_lock(db);
	atomic_fetch_sub(&db->waiting_writers, 1);
	if (db->group_open && group_commit(db) != 0) {
		writer_unlock(db);
		return ERR_STORAGE;
	}
	if (cache != NULL && conn_exec(db->writer, cache) == 0) {
		db->large = true;
		/*
		 * The larger cache comes on top of what the readers' answers left
		 * freed but held in their threads' malloc arenas (tens of MB after
		 * the statistics and searches of a province): hand that back first,
		 * so that the peak of an import is the cache, not the sum.
		 */
		give_back_freed_memory();
	}
	if ((rc = conn_ctl(db->writer, CTL_BEGIN)) != 0) {
		shrink_cache(db);
		writer_unlock(db);
		atomic_fetch_add(&db->write_failures, 1);
		return rc;
	}
	notice_foreign_commits(db);
	db->group_open = true;
	db->bulk = true;
	db->group++;
	db->group_size = 0;
	claim_result_slot(db);
	*w = db->writer;
	return 0;
}

int
db_write_begin_bulk(struct db *db, struct db_conn **w)
{
	/*
	 * A bulk load inserts into every index of tables that grow to gigabytes:
	 * with the writer's usual 16 MiB cache each random index insert reads its
	 * page back from the file. The generator runs alone, so let it hold up to
	 * 2 GiB of pages (SQLite allocates them only as they are used).
	 */
	writer_lock(db);
	if (!db->bulk_cache && conn_exec(db->writer, "PRAGMA cache_size = -2097152") == 0)
		db->bulk_cache = true;
	writer_unlock(db);
	return write_begin_alone(db, w, NULL);
}

int
db_write_begin_alone(struct db *db, struct db_conn **w)
{
	/* Its pages would spill from the 16 MiB cache into the WAL and be read back. */
	return write_begin_alone(db, w, "PRAGMA cache_size = " LARGE_CACHE);
}

int
db_bulk_defer(struct db_conn *w, const char *const *tables, char **saved)
{
	static const char list[] = "SELECT name, sql FROM sqlite_schema WHERE tbl_name = ?1 "
	    "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name";
	struct buf keep, drop;
	sqlite3_stmt *st;
	int rc = 0;

	*saved = NULL;
	if (sqlite3_prepare_v2(w->h, list, -1, &st, NULL) != SQLITE_OK)
		return ERR_STORAGE;
	buf_init(&keep, 16u * 1024 * 1024);
	buf_init(&drop, 1u * 1024 * 1024);
	for (int t = 0; tables[t] != NULL; t++) {
		sqlite3_bind_text(st, 1, tables[t], -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			const char *sql = (const char *)sqlite3_column_text(st, 1);
			bool trigger = strncmp(sql, "CREATE TRIGGER", 14) == 0;

			/* One statement per entry, ended by ASCII RS: triggers hold ";\n" themselves. */
			(void)buf_addf(&keep, "%s\x1e", sql);
			(void)buf_addf(&drop, "DROP %s \"%s\";\n", trigger ? "TRIGGER" : "INDEX", name);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (buf_str(&drop)[0] != '\0')
		rc = conn_exec(w, buf_str(&drop));
	buf_release(&drop);
	if (rc == 0)
		*saved = xstrdup(buf_str(&keep));
	buf_release(&keep);
	return rc;
}

int
db_bulk_restore(struct db *db, const char *saved)
{
	const char *p = saved ? saved : "";
	int rc = 0;

	while (rc == 0 && *p) {
		const char *end = strchr(p, '\x1e');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *one = xstrndup(p, n);
		struct db_conn *w;

		if ((rc = db_write_begin_bulk(db, &w)) == 0) {
			rc = conn_exec(w, one);
			if (rc == 0)
				rc = db_write_commit(db);
			else
				db_write_rollback(db);
		}
		free(one);
		p = end ? end + 1 : p + n;
	}
	return rc;
}

/*
 * Ends this request's turn holding the writer: commit the group now, or
 * hand it to a waiting writer and wait for that group's outcome.
 */
static int
end_turn(struct db *db, bool wrote)
{
	uint64_t mine = db->group;
	int rc;

	/* A read made while writing saw the data before this commit: the next one starts anew. */
	read_end(db);
	conn_reset_own(db->writer);
	if (db->group_open && sqlite3_get_autocommit(db->writer->h)) {
		/* SQLite rolled the whole transaction back (disk full, I/O error). */
		atomic_fetch_add(&db->write_failures, 1);
		return group_done(db, ERR_STORAGE, true);
	}
	if (wrote)
		db->group_size++;
	if (atomic_load(&db->waiting_writers) > 0 && db->group_size < GROUP_MAX) {
		if (!wrote) {
			writer_unlock(db);
			return 0;
		}
		/* Registered before the group can finish, so its slot stays ours until read. */
		pthread_mutex_lock(&db->group_lock);
		db->group_readers[mine % RESULT_RING]++;
		writer_unlock(db);
		while (db->group_finished < mine)
			pthread_cond_wait(&db->group_cond, &db->group_lock);
		rc = db->group_result[mine % RESULT_RING];
		if (--db->group_readers[mine % RESULT_RING] == 0)
			pthread_cond_broadcast(&db->group_cond);
		pthread_mutex_unlock(&db->group_lock);
		return rc;
	}
	return group_done(db, commit_open_group(db), true);
}

int
db_write_commit(struct db *db)
{
	int rc;

	if (db->bulk) {
		read_end(db);
		db->bulk = false;
		rc = group_commit(db);
		shrink_cache(db);
		writer_unlock(db);
		return rc;
	}
	rc = conn_ctl(db->writer, CTL_RELEASE);

	if (rc != 0) {
		db_write_rollback(db);
		return ERR_STORAGE;
	}
	return end_turn(db, true);
}

void
db_write_rollback(struct db *db)
{
	if (db->bulk) {
		read_end(db);
		db->bulk = false;
		if (!sqlite3_get_autocommit(db->writer->h))
			(void)conn_exec(db->writer, "ROLLBACK");
		(void)group_done(db, ERR_STORAGE, false);
		shrink_cache(db);
		writer_unlock(db);
		return;
	}
	if (!sqlite3_get_autocommit(db->writer->h)) {
		(void)conn_exec(db->writer, "ROLLBACK TO request");
		(void)conn_ctl(db->writer, CTL_RELEASE);
	}
	(void)end_turn(db, false);
}

int
db_watch(struct db *db, const struct db_watch_table *tables, size_t n, db_changed_fn *fn,
    void (*release)(void *arg), void *arg)
{
	int rc;

	writer_lock(db);
	rc = watcher_add(&db->watcher, db->writer->h, tables, n, fn, release, arg);
	if (rc == 0)
		notice_foreign_commits(db);   /* the starting point */
	writer_unlock(db);
	return rc;
}

void *
db_watcher_arg(struct db *db, db_changed_fn *fn)
{
	return watcher_arg(db->watcher, fn);
}

uint64_t
db_read_seq(struct db_conn *c)
{
	/* Every cache asks this before it reads: the one place to notice other processes. */
	poll_foreign_commits(c->db);
	return c->reading ? c->read_seq : next_snapshot_seq(c);
}

struct db_stmt *
db_stmt(struct db_conn *c, enum stmt_id id)
{
	sqlite3_stmt *st = c->stmts[id];

	if (st == NULL) {
		int rc = sqlite3_prepare_v3(c->h, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		    &st, NULL);

		if (rc != SQLITE_OK) {
			log_error("prepare statement %d: %s", (int)id, sqlite3_errmsg(c->h));
			return NULL;
		}
		c->stmts[id] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (struct db_stmt *)st;
}

int
db_stmt_error(struct db_conn *c)
{
	switch (sqlite3_errcode(c->h) & 0xff) {
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
	case SQLITE_NOMEM:
		return ERR_STORAGE;
	default:
		return ERR_INTERNAL;
	}
}

void
db_bind_int(struct db_stmt *s, int idx, int64_t v)
{
	sqlite3_bind_int64((sqlite3_stmt *)s, idx, v);
}

void
db_bind_text(struct db_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null((sqlite3_stmt *)s, idx);
	else
		sqlite3_bind_text((sqlite3_stmt *)s, idx, v, -1, SQLITE_TRANSIENT);
}

void
db_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n)
{
	sqlite3_bind_blob64((sqlite3_stmt *)s, idx, p, n, SQLITE_TRANSIENT);
}

void
db_bind_double(struct db_stmt *s, int idx, double v)
{
	sqlite3_bind_double((sqlite3_stmt *)s, idx, v);
}

double
db_col_double(struct db_stmt *s, int col)
{
	return sqlite3_column_double((sqlite3_stmt *)s, col);
}

void
db_bind_null(struct db_stmt *s, int idx)
{
	sqlite3_bind_null((sqlite3_stmt *)s, idx);
}

int
db_step(struct db_stmt *s)
{
	sqlite3_stmt *st = (sqlite3_stmt *)s;
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		log_error("sqlite step: %s", sqlite3_errstr(rc));
	else
		log_debug("sqlite constraint: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
	return failure(rc);
}

int
db_run(struct db_stmt *s)
{
	int rc = db_step(s);

	if (rc == DB_ROW) {
		db_reset(s);
		return 0;
	}
	return rc;
}

void
db_reset(struct db_stmt *s)
{
	sqlite3_reset((sqlite3_stmt *)s);
}

int64_t
db_col_int(struct db_stmt *s, int col)
{
	return sqlite3_column_int64((sqlite3_stmt *)s, col);
}

const char *
db_col_text(struct db_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text((sqlite3_stmt *)s, col);

	return t ? (const char *)t : "";
}

const void *
db_col_blob(struct db_stmt *s, int col, size_t *n)
{
	const void *p = sqlite3_column_blob((sqlite3_stmt *)s, col);

	*n = (size_t)sqlite3_column_bytes((sqlite3_stmt *)s, col);
	return p;
}

bool
db_col_null(struct db_stmt *s, int col)
{
	return sqlite3_column_type((sqlite3_stmt *)s, col) == SQLITE_NULL;
}

int64_t
db_last_id(struct db_conn *c)
{
	return sqlite3_last_insert_rowid(c->h);
}

int
db_changes(struct db_conn *c)
{
	return sqlite3_changes(c->h);
}

int64_t
db_total_changes(struct db_conn *c)
{
	return sqlite3_total_changes64(c->h);
}

void
db_get_stats(struct db *db, struct db_stats *out)
{
	out->busy_waits = atomic_load(&db->busy_waits);
	out->write_txns = atomic_load(&db->write_txns);
	out->write_failures = atomic_load(&db->write_failures);
	out->writer_busy_us = atomic_load(&db->writer_busy_us);
	checkpointer_counts(db->checkpointer, &out->checkpoints_beside, &out->checkpoints_writer);
	out->writes_stopped = db_writes_stopped(db);
}

bool
db_writes_stopped(struct db *db)
{
	return atomic_load(&db->sync_failed);
}

sqlite3 *
db_conn_handle(struct db_conn *c)
{
	return c->h;
}

void **
db_conn_shapes(struct db_conn *c)
{
	return &c->shapes;
}

struct db_conn *
db_writer(struct db *db)
{
	return db->writer;
}
