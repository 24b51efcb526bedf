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
