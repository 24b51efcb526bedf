#include "testdb.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
