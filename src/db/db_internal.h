/* Shared between the files of the SQLite backend only. */
#ifndef PINGAN_DB_INTERNAL_H
#define PINGAN_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

/* Configures the SQLite library once, before any connection opens; every open calls it. */
void db_library_setup(void);
sqlite3 *db_conn_handle(struct db_conn *c);
/* A slot for query.c's cache of prepared query shapes; freed with the connection. */
void **db_conn_shapes(struct db_conn *c);
/* Finalizes and frees a connection's query shapes (NULL is fine). */
void db_shapes_release(void *shapes);
/* Resets every prepared shape so no read transaction stays open. */
void db_shapes_reset(void *shapes);

/* db_checkpoint.c: checkpoints beside the writer (db_sqlite.c starts them at db_open). */
struct checkpointer;
/* Starts the thread, on a connection of its own to path, and hooks the writer; NULL on failure. */
struct checkpointer *checkpointer_start(const char *path, sqlite3 *writer);
/* Right after a commit, writer held: finishes the copy when the WAL has grown long. */
void checkpointer_after_commit(struct checkpointer *cp, sqlite3 *writer);
/* Checkpoints made by the thread and by the writer so far (0 and 0 for NULL). */
void checkpointer_counts(const struct checkpointer *cp, uint64_t *passes, uint64_t *finishes);
/* Stops the thread and gives the writer SQLite's automatic checkpoint back (NULL is fine). */
void checkpointer_stop(struct checkpointer *cp, sqlite3 *writer);

/* db_wal_sync.c: syncs the WAL through a connection of its own. */
struct wal_sync;
/* Opens path's WAL for syncing; NULL (logged) when it cannot. */
struct wal_sync *wal_sync_open(const char *path);
/* Makes every write to the WAL so far durable: 0, or ERR_STORAGE (logged). */
int wal_sync_now(struct wal_sync *s);
void wal_sync_close(struct wal_sync *s);

/* db_watch.c: the watchers of one db behind its writer's hook (db_watch in db.h). */
struct db_watcher;
/*
 * Adds a watcher to *set (made, and the writer connection h hooked, on the
 * first); the tables must exist, their key columns too, and fn be new.
 */
int watcher_add(struct db_watcher **set, sqlite3 *h, const struct db_watch_table *tables, size_t n,
    db_changed_fn *fn, void (*release)(void *arg), void *arg);
/* Frees the set and releases every watcher's arg. */
void watcher_free(struct db_watcher *set);
/* At the end of each writer transaction, committed or not: hands its changes on. */
void watcher_flush(struct db_watcher *set);
/* The next flush tells every watcher of a change to everything (another process's commits). */
void watcher_mark_all(struct db_watcher *set);
/* The newest notice's sequence number (0 with no watcher or none yet). */
uint64_t watcher_seq(struct db_watcher *set);
/* The arg registered with fn, or NULL. */
void *watcher_arg(struct db_watcher *set, db_changed_fn *fn);

#endif
