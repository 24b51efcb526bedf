/* A fresh database in a temporary directory for domain tests. */
#ifndef PINGAN_TESTS_TESTDB_H
#define PINGAN_TESTS_TESTDB_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

struct testdb {
	char dir[64];
	char path[128];
	struct db *db;
};

/* Creates the directory and database, sets a fixed audit key. 0 on success. */
int testdb_open(struct testdb *t);
/* Closes and removes everything. */
void testdb_close(struct testdb *t);
/* Runs raw SQL on the file with a separate connection (to tamper like an attacker). */
int testdb_sql(struct testdb *t, const char *sql);
/* The first column of the first row of sql, read with a separate connection; -1 on error. */
int64_t testdb_count(struct testdb *t, const char *sql);

/*
 * Runs sql on db's own writer, as any statement of the server would, then
 * commits (or rolls back when commit is false). 0 when it ran.
 */
int testdb_write(struct db *db, const char *sql, bool commit);
/*
 * Checks, on a fresh database, that every table the statements ids read
 * (EXPLAIN's OpenRead) is among the watched ones: the number of tables
 * opened, or -1 after failing the test with the first one not watched.
 */
int testdb_reads_watched(const enum stmt_id *ids, size_t n, const struct db_watch_table *watched,
    size_t nwatched);

#endif
