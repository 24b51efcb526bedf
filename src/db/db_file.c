/*
 * Whole-file operations: online backup and integrity checks. Kept apart
 * from db_sqlite.c because they work on files, not on the live connections.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "db/db.h"
#include "db/db_internal.h"

int
db_check_file(const char *path, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc, out = ERR_STORAGE;

	db_library_setup();
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);

	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(h));
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "%s: integrity check did not run: %s", path, sqlite3_errmsg(h));
		goto out;
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		snprintf(err, errlen, "%s: %s", path, (const char *)sqlite3_column_text(st, 0));
		goto out;
	}
	out = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return out;
}

int
db_backup(struct db *db, const char *dest_path, char *err, size_t errlen)
{
	struct db_conn *src = db_reader(db);
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int rc;

	if (src == NULL) {
		snprintf(err, errlen, "cannot open the database for reading");
		return ERR_STORAGE;
	}
	if (access(dest_path, F_OK) == 0) {
		snprintf(err, errlen, "%s already exists; choose a new file", dest_path);
		return ERR_CONFLICT;
	}
	db_library_setup();
	rc = sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", dest_path, sqlite3_errstr(rc));
		sqlite3_close(dest);
		return ERR_STORAGE;
	}
	b = sqlite3_backup_init(dest, "main", db_conn_handle(src), "main");
	if (b == NULL) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return ERR_STORAGE;
	}
	do {
		rc = sqlite3_backup_step(b, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(dest);
		unlink(dest_path);
		return ERR_STORAGE;
	}
	sqlite3_close(dest);
	return db_check_file(dest_path, err, errlen);
}
