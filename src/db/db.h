/*
 * The only door to SQL. Everything above src/db speaks in statement ids
 * (src/db/stmt.h), binds parameters, steps and reads typed columns; it
 * never sees an SQL engine's types.
 *
 * Process model (DESIGN.md section 3): each thread that reads gets its own
 * read connection, opened on first use and kept for the thread's life;
 * all writes go through one writer connection, one transaction at a time
 * (BEGIN IMMEDIATE ... COMMIT), so a committed answer is on disk
 * (WAL, synchronous=FULL).
 */
#ifndef PINGAN_DB_DB_H
#define PINGAN_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/stmt.h"

struct db;
struct db_conn;
struct db_stmt;

/* db_step() results besides negative enum err_code values. */
enum { DB_DONE = 0, DB_ROW = 1 };

struct db_stats {
	uint64_t busy_waits;     /* times a connection waited for a lock */
	uint64_t write_txns;     /* committed write transactions */
	uint64_t write_failures; /* write transactions rolled back for storage errors */
	uint64_t writer_busy_us; /* time the one writer was held, all requests together */
	uint64_t checkpoints_beside; /* WAL checkpoints by the thread beside the writer */
	uint64_t checkpoints_writer; /* WAL checkpoints the writer finished itself (a long WAL) */
	bool writes_stopped;     /* db_writes_stopped() */
};

/*
 * Opens (creating when create is true) the database file at path and
 * brings its schema up to date. Refuses (ERR_CONFLICT) a database whose
 * schema is newer than this binary. *out is freed with db_close().
 */
int db_open(const char *path, bool create, struct db **out);
void db_close(struct db *db);
/*
 * True once a sync of the write-ahead log has failed: what the disk holds
 * is unknown, so every write is refused (ERR_STORAGE) until the database
 * is opened again, while reads go on.
 */
bool db_writes_stopped(struct db *db);
/* Schema version of the open database and the newest this binary knows. */
int db_schema_version(struct db *db);
int db_schema_latest(void);

/* This thread's read connection (opened on first use). NULL if it cannot open. */
struct db_conn *db_reader(struct db *db);
/*
 * From now until db_reader_done, this thread's reads share one read
 * transaction (one snapshot, and one WAL read lock instead of one per
 * statement). A write ends it, so what the thread reads after its own
 * write includes that write.
 */
void db_read_scope(struct db *db);
/* Ends the scope's snapshot early (the scope stays): for a thread that waited for another's write. */
void db_read_refresh(struct db *db);
/* Resets every statement of this thread's reader and ends its read transaction. */
void db_reader_done(struct db *db);

/*
 * Starts the write transaction and returns the writer in *w. Exactly one
 * of db_write_commit() or db_write_rollback() must follow.
 */
int db_write_begin(struct db *db, struct db_conn **w);
/* The same for a single-threaded bulk load: one plain transaction, no savepoint. */
int db_write_begin_bulk(struct db *db, struct db_conn **w);
/*
 * A request that writes tens of thousands of rows (an import): a
 * transaction of its own, with no savepoint (whose in-memory journal would
 * copy every page touched) and a 48 MiB cache until it ends, committed or
 * rolled back with db_write_commit()/db_write_rollback() like any other.
 */
int db_write_begin_alone(struct db *db, struct db_conn **w);
/*
 * For a bulk load into tables that start empty (pingan gen), inside its
 * transaction w: drops the indexes and triggers of the tables listed
 * (NULL-terminated) and returns their SQL in *saved (malloc'd). Rows then go
 * in without index or trigger work, and db_bulk_restore() builds each index
 * once, by sorting, which is many times faster than inserting at random.
 * Whatever the triggers keep (counters, the full-text index) must be
 * rebuilt by the caller afterwards.
 */
int db_bulk_defer(struct db_conn *w, const char *const *tables, char **saved);
/*
 * Re-creates what db_bulk_defer() dropped, each index and trigger in a bulk
 * transaction of its own (so that the WAL never holds more than one index).
 */
int db_bulk_restore(struct db *db, const char *saved);
/* The writer connection while this thread holds the write transaction. */
struct db_conn *db_writer(struct db *db);
/* Commits; on failure rolls back and returns ERR_STORAGE (or the mapped error). */
int db_write_commit(struct db *db);
void db_write_rollback(struct db *db);

/* The statement id on this connection, reset and with bindings cleared. NULL on prepare failure. */
struct db_stmt *db_stmt(struct db_conn *c, enum stmt_id id);
/* Why the last db_stmt (or query shape) on c could not be prepared: ERR_STORAGE when the
 * disk failed (the first prepare on a connection reads the schema), else ERR_INTERNAL. */
int db_stmt_error(struct db_conn *c);
/* Binds parameter idx (1-based). Text is copied. NULL text binds SQL NULL. */
void db_bind_int(struct db_stmt *s, int idx, int64_t v);
void db_bind_text(struct db_stmt *s, int idx, const char *v);
void db_bind_blob(struct db_stmt *s, int idx, const void *p, size_t n);
void db_bind_null(struct db_stmt *s, int idx);
void db_bind_double(struct db_stmt *s, int idx, double v);
/* DB_ROW, DB_DONE, or a negative error (ERR_CONFLICT on constraint, ERR_STORAGE on I/O). */
int db_step(struct db_stmt *s);
/* Runs a statement that returns no rows: DB_DONE -> 0. */
int db_run(struct db_stmt *s);
/* Ends use of a statement early (after reading the rows wanted). */
void db_reset(struct db_stmt *s);

/* Columns of the current row (0-based). Text and blobs live until the next step or reset. */
int64_t db_col_int(struct db_stmt *s, int col);
const char *db_col_text(struct db_stmt *s, int col);   /* "" for NULL */
const void *db_col_blob(struct db_stmt *s, int col, size_t *n);
bool db_col_null(struct db_stmt *s, int col);
double db_col_double(struct db_stmt *s, int col);

/*
 * The scope the SQL function in_scope(path) checks on this thread: true
 * when all, else when path starts with one of the n prefixes (copied).
 * Until set, in_scope() is false: nothing leaks by default.
 */
void db_scope_set(bool all, const char *const *prefixes, int n);

int64_t db_last_id(struct db_conn *c);
int db_changes(struct db_conn *c);
/* Rows changed since the connection opened, including by triggers and virtual tables. */
int64_t db_total_changes(struct db_conn *c);

/*
 * Change notices, for a cache of answers built from the database. The
 * watcher names tables and, for each, the integer column whose value keys a
 * changed row for it: NULL for the rowid, "*" when any change to the table
 * stands for a change to every key (a rename read into every answer). Each
 * time a write transaction ends, committed or rolled back, fn hears the keys
 * of the rows inserted, updated or deleted in it (by any statement or
 * trigger; all is true instead when the table says so or there are too many
 * to list), with a sequence number larger than any before. fn runs while the
 * writer is held, before anyone is answered about that transaction: it must
 * be quick and must not use the database. A few watchers per db (each fn
 * once), registered before serving.
 */
struct db_watch_table {
	const char *name;
	const char *key_column;
};
typedef void db_changed_fn(void *arg, const int64_t *keys, size_t n, bool all, uint64_t seq);
/* On success db owns arg: db_close() hands it to release. */
int db_watch(struct db *db, const struct db_watch_table *tables, size_t n, db_changed_fn *fn,
    void (*release)(void *arg), void *arg);
/* The arg of db's watcher that hears through fn, NULL when none does. */
void *db_watcher_arg(struct db *db, db_changed_fn *fn);
/*
 * A lower bound on the snapshot the next read on c sees, in notice numbers:
 * every change whose notice is numbered up to this is visible to it. A cache
 * may keep what it read after asking only if no notice for that key came
 * with a larger number. 0 when not known (c is already inside a read).
 *
 * Commits of other processes (the CLI, sqlite3) are not seen as they
 * happen: they are told as a change to everything when the next write
 * transaction begins, or by this call when nobody has looked for 200 ms.
 * A cache asks before it serves a kept entry, so none outlives them longer.
 */
uint64_t db_read_seq(struct db_conn *c);

/* Online backup of the whole database into dest_path, then opens the copy and checks it. */
int db_backup(struct db *db, const char *dest_path, char *err, size_t errlen);
/* Runs PRAGMA integrity_check on a database file; 0 when "ok". */
int db_check_file(const char *path, char *err, size_t errlen);
void db_get_stats(struct db *db, struct db_stats *out);

#endif
