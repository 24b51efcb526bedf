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

/* Statistics of one row: counts 1..8 of STMT_STATS_DIVISION's layout (or zeros). */
struct tally {
	int64_t received, closed, on_time, returns, satisfied, visits, red;
	double avg_ms;
	bool has_avg;
};

static json_t *
tally_json(const char *name, const struct tally *t)
{
	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:I}",
	    "name", name, "received", (json_int_t)t->received, "closed", (json_int_t)t->closed,
	    "closure_rate", rate(t->closed, t->received), "on_time_rate", rate(t->on_time, t->closed),
	    "avg_hours", t->has_avg ? json_real(t->avg_ms / 3600000.0) : json_null(),
	    "returns", (json_int_t)t->returns, "satisfaction_rate", rate(t->satisfied, t->visits),
	    "overdue_open", (json_int_t)t->red);
}

static void
tally_from(struct db_stmt *s, struct tally *t)
{
	t->received = db_col_int(s, 1);
	t->closed = db_col_int(s, 2);
	t->on_time = db_col_int(s, 3);
	t->has_avg = !db_col_null(s, 4);
	t->avg_ms = db_col_double(s, 4);
	t->returns = db_col_int(s, 5);
	t->satisfied = db_col_int(s, 6);
	t->visits = db_col_int(s, 7);
	t->red = db_col_int(s, 8);
}

/* Children of d in scope, each with the counts of the events in its subtree. */
static int
stats_by_division(struct db *db, struct db_conn *c, const struct actor *who, const struct division *d,
    int64_t from_ms, int64_t to_ms, json_t *rows)
{
	char end[DIVISION_PATH_MAX];
	size_t child_len = strlen(d->path) + strlen(d->code) + 3 + 1;
	struct db_stmt *s = db_stmt(c, STMT_STATS_DIVISION);
	json_t *counts = json_object(), *kids;
	struct fail f = { 0 };
	size_t i;
	int rc;

	if (s == NULL)
		return ERR_INTERNAL;
	division_path_end(d->path, end, sizeof end);
	db_bind_int(s, 1, (int64_t)child_len);
	db_bind_text(s, 2, d->path);
	db_bind_text(s, 3, end);
	db_bind_int(s, 4, from_ms);
	db_bind_int(s, 5, to_ms > 0 ? to_ms : INT64_MAX);
	while ((rc = db_step(s)) == DB_ROW) {
		struct tally t;

		tally_from(s, &t);
		json_object_set_new(counts, db_col_text(s, 0), json_pack("[I,I,I,I,I,I,I,f,b]",
		    (json_int_t)t.received, (json_int_t)t.closed, (json_int_t)t.on_time,
		    (json_int_t)t.returns, (json_int_t)t.satisfied, (json_int_t)t.visits,
		    (json_int_t)t.red, t.avg_ms, t.has_avg));
	}
	if (rc < 0 || (rc = division_children(db, who, d->code, false, &kids, &f)) != 0) {
		json_decref(counts);
		return rc;
	}
	json_t *kid;

	json_array_foreach(kids, i, kid) {
		json_t *n = json_object_get(counts, json_string_value(json_object_get(kid, "path")));
		struct tally t = { 0 };
		json_t *row;

		if (n) {
			t.received = json_integer_value(json_array_get(n, 0));
			t.closed = json_integer_value(json_array_get(n, 1));
			t.on_time = json_integer_value(json_array_get(n, 2));
			t.returns = json_integer_value(json_array_get(n, 3));
			t.satisfied = json_integer_value(json_array_get(n, 4));
			t.visits = json_integer_value(json_array_get(n, 5));
			t.red = json_integer_value(json_array_get(n, 6));
			t.avg_ms = json_real_value(json_array_get(n, 7));
			t.has_avg = json_is_true(json_array_get(n, 8));
		}
		row = tally_json(json_string_value(json_object_get(kid, "name")), &t);
		json_object_set(row, "code", json_object_get(kid, "code"));
		json_array_append_new(rows, row);
	}
	json_decref(kids);
	json_decref(counts);
	return 0;
}

int
event_stats(struct db *db, const struct actor *who, const char *by, const char *division_code,
    int64_t from_ms, int64_t to_ms, json_t **out, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	bool units = by && strcmp(by, "unit") == 0;
	struct division d;
	struct db_stmt *s;
	json_t *rows = json_array();
	int rc;

	*out = NULL;
	if (by && !units && strcmp(by, "division") != 0)
		rc = fail(f, ERR_INVALID, M_STATS_BY_BAD, "by");
	else if (c == NULL)
		rc = fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	else if (!units) {
		char top[DIVCODE_MAX] = "";

		/* Without a division: the top of the caller's area. */
		if (division_code == NULL || *division_code == '\0') {
			json_t *tops;

			if (division_children(db, who, NULL, false, &tops, f) == 0) {
				const char *code = json_string_value(json_object_get(
				    json_array_get(tops, 0), "code"));

				snprintf(top, sizeof top, "%s", code ? code : "");
				json_decref(tops);
			}
			division_code = top;
		}
		rc = division_load(c, division_code, &d);
		if (rc != 0 || !actor_in_scope(who, d.path))
			rc = fail(f, ERR_NOT_FOUND, M_NOT_FOUND, "division");
		else
			rc = stats_by_division(db, c, who, &d, from_ms, to_ms, rows);
	} else if ((s = db_stmt(c, STMT_STATS_UNIT)) == NULL) {
		rc = fail(f, db_stmt_error(c), M_INTERNAL, NULL);
	} else {
		scope_enter(who);
		db_bind_int(s, 1, from_ms);
		db_bind_int(s, 2, to_ms > 0 ? to_ms : INT64_MAX);
		while ((rc = db_step(s)) == DB_ROW) {
			struct tally t;

			tally_from(s, &t);
			t.received = db_col_int(s, 2);
			t.closed = db_col_int(s, 3);
			t.on_time = db_col_int(s, 4);
			t.has_avg = !db_col_null(s, 5);
			t.avg_ms = db_col_double(s, 5);
			t.returns = db_col_int(s, 6);
			t.satisfied = db_col_int(s, 7);
			t.visits = db_col_int(s, 8);
			t.red = db_col_int(s, 9);
			json_t *row = tally_json(db_col_text(s, 1), &t);

			json_object_set_new(row, "unit_id", json_integer(db_col_int(s, 0)));
			json_array_append_new(rows, row);
		}
		rc = rc < 0 ? rc : 0;
	}
	if (rc != 0) {
		json_decref(rows);
		return f && f->code ? rc : fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
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
