#include "domain/idempotency.h"

#include <stdio.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/txn.h"

int
idempotency_lookup(struct db *db, int64_t user_id, const char *key, char *route, size_t n,
    int *status, char **body, char *location, size_t locn)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_IDEM_GET_FULL)) == NULL)
		return ERR_STORAGE;
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, key);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : 0;
	snprintf(route, n, "%s", db_col_text(s, 0));
	*status = (int)db_col_int(s, 1);
	*body = xstrdup(db_col_text(s, 2));
	snprintf(location, locn, "%s", db_col_text(s, 3));
	db_reset(s);
	return 1;
}

static _Thread_local struct {
	bool bound, written;
	int64_t user_id;
	char key[65];
	char route[160];
} pending;

void
idempotency_bind(int64_t user_id, const char *key, const char *route)
{
	pending.bound = true;
	pending.written = false;
	pending.user_id = user_id;
	snprintf(pending.key, sizeof pending.key, "%s", key);
	snprintf(pending.route, sizeof pending.route, "%s", route);
}

void
idempotency_unbind(void)
{
	pending.bound = false;
}

int
idempotency_record_pending(struct db_conn *w)
{
	struct db_stmt *s;
	int rc;

	if (!pending.bound || pending.written)
		return 0;
	if ((s = db_stmt(w, STMT_IDEM_PUT)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, pending.user_id);
	db_bind_text(s, 2, pending.key);
	db_bind_text(s, 3, pending.route);
	db_bind_int(s, 4, 0);
	db_bind_text(s, 5, "");
	db_bind_int(s, 6, clock_now_ms());
	rc = db_run(s);
	if (rc == ERR_CONFLICT)
		rc = 0;
	if (rc == 0)
		pending.written = true;
	return rc;
}

int
idempotency_store(struct db *db, int64_t user_id, const char *key, const char *route, int status,
    const char *body, const char *location)
{
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_IDEM_ANSWER)) == NULL) {
		db_write_rollback(db);
		return db_stmt_error(w);
	}
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, key);
	db_bind_text(s, 3, route);
	db_bind_int(s, 4, status);
	db_bind_text(s, 5, body);
	db_bind_int(s, 6, clock_now_ms());
	db_bind_text(s, 7, location);
	rc = db_run(s);
	if (rc == ERR_CONFLICT)
		rc = 0;
	return txn_finish(db, rc, NULL);
}

int
idempotency_purge(struct db *db, int64_t now)
{
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_IDEM_PURGE)) == NULL) {
		db_write_rollback(db);
		return db_stmt_error(w);
	}
	db_bind_int(s, 1, now - IDEMPOTENCY_TTL_MS);
	return txn_finish(db, db_run(s), NULL);
}
