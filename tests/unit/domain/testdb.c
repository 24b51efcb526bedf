#include "testdb.h"

#include "../../harness.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db_internal.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"

int
testdb_open(struct testdb *t)
{
	uint8_t key[32];
	struct auth_settings s = { 2, 19456u * 1024u, 30 * 60000, 12 * 3600000, 5, 15 * 60000 };

	snprintf(t->dir, sizeof t->dir, "/tmp/pingan-unit-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	memset(key, 7, sizeof key);
	audit_set_key(key);
	auth_configure(&s);
	return db_open(t->path, true, &t->db);
}

void
testdb_close(struct testdb *t)
{
	char p[160];
	static const char *suffix[] = { "", "-wal", "-shm" };

	db_close(t->db);
	t->db = NULL;
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

int
testdb_sql(struct testdb *t, const char *sql)
{
	sqlite3 *h;
	int rc;

	if (sqlite3_open(t->path, &h) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

int64_t
testdb_count(struct testdb *t, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_open(t->path, &h) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

int
testdb_write(struct db *db, const char *sql, bool commit)
{
	struct db_conn *w;
	int rc;

	if (db_write_begin(db, &w) != 0)
		return -1;
	rc = sqlite3_exec(db_conn_handle(w), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (rc == 0 && commit)
		return db_write_commit(db);
	db_write_rollback(db);
	return rc;
}

static const char *
stmt_sql(enum stmt_id id)
{
	static const char *const sql[STMT_COUNT_] = {
#define STMT(id, text) [id] = text,
#include "db/sql_all.def"
#undef STMT
	};

	return (unsigned)id < STMT_COUNT_ ? sql[id] : NULL;
}

static bool
watched_has(const struct db_watch_table *watched, size_t n, const char *table)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(watched[i].name, table) == 0)
			return true;
	return false;
}

/* The tables one statement opens for reading, checked; the count, or -1. */
static int
check_reads(sqlite3 *h, const char *sql, const struct db_watch_table *watched, size_t nwatched,
    char *why, size_t whylen)
{
	char explain[4096];
	sqlite3_stmt *st = NULL, *name = NULL;
	int opened = 0;

	snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
	if (sqlite3_prepare_v2(h, explain, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT tbl_name FROM sqlite_schema WHERE rootpage = ?1", -1,
		&name, NULL) != SQLITE_OK) {
		snprintf(why, whylen, "cannot explain %s", sql);
		opened = -1;
	}
	while (opened >= 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *table;

		if (strcmp((const char *)sqlite3_column_text(st, 1), "OpenRead") != 0)
			continue;
		sqlite3_reset(name);
		sqlite3_bind_int(name, 1, sqlite3_column_int(st, 3));
		table = sqlite3_step(name) == SQLITE_ROW ? (const char *)sqlite3_column_text(name, 0) : "?";
		if (!watched_has(watched, nwatched, table)) {
			snprintf(why, whylen, "%s reads %s, which is not watched", sql, table);
			opened = -1;
		} else {
			opened++;
		}
	}
	sqlite3_finalize(name);
	sqlite3_finalize(st);
	return opened;
}

int
testdb_reads_watched(const enum stmt_id *ids, size_t n, const struct db_watch_table *watched,
    size_t nwatched)
{
	struct testdb t;
	char why[4096] = "cannot open a database";
	sqlite3 *h;
	int total = -1;

	if (testdb_open(&t) != 0)
		goto out;
	if (sqlite3_open(t.path, &h) == SQLITE_OK) {
		total = 0;
		for (size_t i = 0; i < n && total >= 0; i++) {
			int opened = check_reads(h, stmt_sql(ids[i]), watched, nwatched, why,
			    sizeof why);

			total = opened < 0 ? -1 : total + opened;
		}
	}
	sqlite3_close(h);
out:
	testdb_close(&t);
	if (total < 0)
		test_failf(__FILE__, __LINE__, "%s", why);
	return total;
}
