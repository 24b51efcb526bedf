/* Statistics per division and per unit; the petition backlog and open death cases. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/event/event_internal.h"
#include "domain/org/division.h"

static json_t *
rate(int64_t part, int64_t whole)
{
	return whole > 0 ? json_real((double)part / (double)whole) : json_null();
}

/* The common columns 2..9 of both statistics statements. */
static json_t *
stats_row(struct db_stmt *s)
{
	int64_t received = db_col_int(s, 2), closed = db_col_int(s, 3), on_time = db_col_int(s, 4);
	int64_t sat = db_col_int(s, 7), visits = db_col_int(s, 8);

	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:I}",
	    "name", db_col_text(s, 1), "received", (json_int_t)received, "closed", (json_int_t)closed,
	    "closure_rate", rate(closed, received), "on_time_rate", rate(on_time, closed),
	    "avg_hours", db_col_null(s, 5) ? json_null() : json_real(db_col_double(s, 5) / 3600000.0),
	    "returns", (json_int_t)db_col_int(s, 6), "satisfaction_rate", rate(sat, visits),
	    "overdue_open", (json_int_t)db_col_int(s, 9));
}

int
event_stats(struct db *db, const struct actor *who, const char *by, const char *division_code,
    int64_t from_ms, int64_t to_ms, json_t **out, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	bool units = by && strcmp(by, "unit") == 0;
	struct division d;
	struct db_stmt *s;
	json_t *rows;
	int rc;

	if (by && !units && strcmp(by, "division") != 0)
		return fail(f, ERR_INVALID, M_STATS_BY_BAD, "by");
	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	scope_enter(who);
	if (units) {
		if ((s = db_stmt(c, STMT_STATS_UNIT)) == NULL)
			return fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
		db_bind_int(s, 1, from_ms);
		db_bind_int(s, 2, to_ms > 0 ? to_ms : INT64_MAX);
	} else {
		rc = division_load(c, division_code && *division_code ? division_code : "", &d);
		if (rc != 0 || !actor_in_scope(who, d.path))
			return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, "division");
		if ((s = db_stmt(c, STMT_STATS_DIVISION)) == NULL)
			return fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
		db_bind_int(s, 1, d.id);
		db_bind_int(s, 2, from_ms);
		db_bind_int(s, 3, to_ms > 0 ? to_ms : INT64_MAX);
	}
	rows = json_array();
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *row = stats_row(s);

		json_object_set_new(row, units ? "unit_id" : "code",
		    units ? json_integer(db_col_int(s, 0)) : json_string(db_col_text(s, 0)));
		json_array_append_new(rows, row);
	}
	if (rc < 0) {
		json_decref(rows);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	*out = json_pack("{s:s, s:o}", "by", units ? "unit" : "division", "items", rows);
	return 0;
}

int
event_backlog(struct db *db, const struct actor *who, json_t **out)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_BACKLOG_SUMMARY)) == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : ERR_INTERNAL;
	int64_t total = db_col_int(s, 0), open = db_col_int(s, 1), cleared = db_col_int(s, 2);

	*out = json_pack("{s:{s:I, s:I, s:I, s:o}, s:{s:I, s:I}, s:{s:I}}",
	    "backlog", "total", (json_int_t)total, "open", (json_int_t)open,
	    "cleared", (json_int_t)cleared, "zeroing_progress", rate(cleared, total),
	    "petitions", "open", (json_int_t)db_col_int(s, 3),
	    "national_open", (json_int_t)db_col_int(s, 4),
	    "death_cases", "open", (json_int_t)db_col_int(s, 5));
	db_reset(s);
	return 0;
}
