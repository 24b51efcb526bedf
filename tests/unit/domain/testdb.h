/* A fresh database in a temporary directory for domain tests. */
#ifndef PINGAN_TESTS_TESTDB_H
#define PINGAN_TESTS_TESTDB_H

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

#endif
