/* The notification inbox of a user (their own and their unit's notices). */
#include <stdio.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/event/event_internal.h"
#include "domain/event/inbox.h"
#include "domain/page.h"
#include "domain/txn.h"

static json_t *
notification_row(struct db_stmt *s, void *ctx)
{
	(void)ctx;
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:o, s:b}", "id",
	    (json_int_t)db_col_int(s, 0),
	    "event_id", db_col_null(s, 1) ? json_null() : json_integer(db_col_int(s, 1)),
	    "case_no", db_col_text(s, 6), "kind", db_col_text(s, 2), "message", db_col_text(s, 3),
	    "created_at", json_time(db_col_int(s, 4)), "read", !db_col_null(s, 5));
}

int
notification_list(struct db *db, const struct actor *who, bool unread_only, int64_t cursor,
    int limit, json_t **rows, int64_t *next)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;

	*next = 0;
	if (c == NULL || (s = db_stmt(c, STMT_NOTIFY_LIST)) == NULL)
		return ERR_STORAGE;
	db_bind_int(s, 1, who->user_id);
	db_bind_int(s, 2, who->unit_id ? who->unit_id : -1);
	db_bind_int(s, 3, cursor > 0 ? cursor : INT64_MAX);
	db_bind_int(s, 4, unread_only);
	db_bind_int(s, 5, limit + 1);
	return page_collect(s, limit, notification_row, NULL, rows, next);
}

int
notification_read(struct db *db, const struct actor *who, int64_t id, struct fail *f)
{
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((s = db_stmt(w, STMT_NOTIFY_READ)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, who->user_id);
	db_bind_int(s, 3, clock_now_ms());
	db_bind_int(s, 4, who->unit_id ? who->unit_id : -1);
	if ((rc = db_run(s)) == 0 && db_changes(w) == 0)
		rc = fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
out:
	return txn_finish(db, rc, f);
}
