/*
 * Makes the WAL durable from outside the writer. With synchronous=FULL the
 * COMMIT itself waits for fdatasync while holding the one writer, and at
 * county scale that wait was a third of every commit (bench/RESULTS.md,
 * 2026-12-07 23:55). The writer now commits with synchronous=NORMAL, which
 * writes the frames without waiting for the disk, lets the next group
 * start, and only then syncs the WAL through a connection of its own; the
 * members of the group are answered after that sync (db_sqlite.c).
 *
 * A sync of any handle on a file makes every write to it before the sync
 * durable, whoever wrote it; going through SQLite's VFS rather than a file
 * descriptor of our own keeps any VFS in the path (the power-cut VFS of the
 * reliability tests, for one) in the picture.
 */
#include <stdlib.h>

#include "base/alloc.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db_internal.h"

struct wal_sync {
	sqlite3 *h;          /* used by one thread at a time (db_sqlite.c's sync_lock) */
	sqlite3_file *wal;   /* the WAL as h's pager opened it */
};

struct wal_sync *
wal_sync_open(const char *path)
{
	struct wal_sync *s = xcalloc(1, sizeof *s);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

	/* The pager opens the WAL at its first read; any read will do. */
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->h, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) != SQLITE_ROW)
		rc = sqlite3_errcode(s->h);
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3_file_control(s->h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &s->wal);
	if (rc != SQLITE_OK || s->wal == NULL || s->wal->pMethods == NULL) {
		log_warn("cannot open the WAL of %s for syncing (%s); commits sync inside the writer",
		    path, sqlite3_errstr(rc));
		wal_sync_close(s);
		return NULL;
	}
	return s;
}

int
wal_sync_now(struct wal_sync *s)
{
	int rc = s->wal->pMethods->xSync(s->wal, SQLITE_SYNC_NORMAL);

	if (rc == SQLITE_OK)
		return 0;
	log_error("sync of the write-ahead log failed: %s", sqlite3_errstr(rc));
	return ERR_STORAGE;
}

void
wal_sync_close(struct wal_sync *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->h);
	free(s);
}
