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

/*
 * Statistics of one row. Every field adds up over days and divisions; the
 * average is dur_sum / dur_n. Statements give them as columns first..first+8
 * in the order of the fields (STMT_STATS_DAYS, STMT_STATS_PARTIAL_DAY, STMT_STATS_UNIT).
 */
struct tally {
	int64_t received, closed, on_time;
	double dur_sum;
	int64_t dur_n, returns, satisfied, visits, red;
};

#define TALLY_FIELDS 9
#define DAY_MS 86400000
#define CST_OFFSET_MS 28800000  /* days are China Standard Time (UTC+8) days */

static json_t *
tally_json(const char *name, const struct tally *t)
{
	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:I}",
	    "name", name, "received", (json_int_t)t->received, "closed", (json_int_t)t->closed,
	    "closure_rate", rate(t->closed, t->received), "on_time_rate", rate(t->on_time, t->closed),
	    "avg_hours", t->dur_n > 0 ? json_real(t->dur_sum / (double)t->dur_n / 3600000.0) :
	    json_null(),
	    "returns", (json_int_t)t->returns, "satisfaction_rate", rate(t->satisfied, t->visits),
	    "overdue_open", (json_int_t)t->red);
}

static void
tally_from(struct db_stmt *s, int first, struct tally *t)
{
	t->received = db_col_int(s, first);
	t->closed = db_col_int(s, first + 1);
	t->on_time = db_col_int(s, first + 2);
	t->dur_sum = db_col_double(s, first + 3);
	t->dur_n = db_col_int(s, first + 4);
	t->returns = db_col_int(s, first + 5);
	t->satisfied = db_col_int(s, first + 6);
	t->visits = db_col_int(s, first + 7);
	t->red = db_col_int(s, first + 8);
}

/* Adds the rows of s (key in column 0, tally from column 1) to counts[key]. */
static int
tally_collect(struct db_stmt *s, json_t *counts)
{
	int rc;

	while ((rc = db_step(s)) == DB_ROW) {
		const char *key = db_col_text(s, 0);
		json_t *n = json_object_get(counts, key);

		if (n == NULL) {
			n = json_array();
			for (int i = 0; i < TALLY_FIELDS; i++)
				json_array_append_new(n, json_real(0));
			json_object_set_new(counts, key, n);
		}
		for (int i = 0; i < TALLY_FIELDS; i++) {
			json_t *v = json_array_get(n, (size_t)i);

			json_real_set(v, json_real_value(v) + db_col_double(s, i + 1));
		}
	}
	return rc < 0 ? rc : 0;
}

static void
tally_from_counts(json_t *n, struct tally *t)
{
	double v[TALLY_FIELDS] = { 0 };

	for (int i = 0; n && i < TALLY_FIELDS; i++)
		v[i] = json_real_value(json_array_get(n, (size_t)i));
	*t = (struct tally){ (int64_t)v[0], (int64_t)v[1], (int64_t)v[2], v[3], (int64_t)v[4],
		(int64_t)v[5], (int64_t)v[6], (int64_t)v[7], (int64_t)v[8] };
}

/* The day (CST) holding ms, rounded down. */
static int64_t
day_floor(int64_t ms)
{
	int64_t t = ms + CST_OFFSET_MS;

	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

static int64_t
day_start_ms(int64_t day)
{
	return day * DAY_MS - CST_OFFSET_MS;
}

/* Events reported in [from, to) under [path, end), straight from the events table. */
static int
collect_partial(struct db_conn *c, int64_t child_len, const char *path, const char *end,
    int64_t from, int64_t to, json_t *counts)
{
	struct db_stmt *s;

	if (from >= to)
		return 0;
	if ((s = db_stmt(c, STMT_STATS_PARTIAL_DAY)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, child_len);
	db_bind_text(s, 2, path);
	db_bind_text(s, 3, end);
	db_bind_int(s, 4, from);
	db_bind_int(s, 5, to);
	return tally_collect(s, counts);
}

/*
 * Tallies of the events reported in [from_ms, to_ms) under d, keyed by the path
 * of the child division they lie in: the whole days in the period from the day
 * counters, the part-days at its ends from the events.
 */
static int
tally_children(struct db_conn *c, const struct division *d, int64_t from_ms, int64_t to_ms,
    json_t *counts)
{
	char end[DIVISION_PATH_MAX];
	int64_t child_len = (int64_t)(strlen(d->path) + strlen(d->code) + 3 + 1);
	int64_t depth = -1, first_day, last_day;  /* whole days: [first_day, last_day) */
	struct db_stmt *s;
	int rc;

	for (const char *p = d->path; *p; p++)
		depth += *p == '/';
	division_path_end(d->path, end, sizeof end);
	first_day = from_ms > 0 ? day_floor(from_ms - 1) + 1 : INT32_MIN;
	last_day = to_ms > 0 ? day_floor(to_ms) : INT32_MAX;
	if (first_day >= last_day)
		return collect_partial(c, child_len, d->path, end, from_ms, to_ms > 0 ? to_ms : INT64_MAX,
		    counts);
	if (from_ms > 0 && (rc = collect_partial(c, child_len, d->path, end, from_ms,
	    day_start_ms(first_day), counts)) != 0)
		return rc;
	if (to_ms > 0 && (rc = collect_partial(c, child_len, d->path, end, day_start_ms(last_day),
	    to_ms, counts)) != 0)
		return rc;
	if ((s = db_stmt(c, STMT_STATS_DAYS)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, depth);
	db_bind_text(s, 2, d->path);
	db_bind_text(s, 3, end);
	db_bind_int(s, 4, first_day);
	db_bind_int(s, 5, last_day);
	return tally_collect(s, counts);
}

/* Children of d in scope, each with the counts of the events in its subtree. */
static int
stats_by_division(struct db *db, struct db_conn *c, const struct actor *who, const struct division *d,
    int64_t from_ms, int64_t to_ms, json_t *rows)
{
	json_t *counts = json_object(), *kids, *kid;
	struct fail f = { 0 };
	size_t i;
	int rc;

	if ((rc = tally_children(c, d, from_ms, to_ms, counts)) != 0 ||
	    (rc = division_children(db, who, d->code, false, &kids, &f)) != 0) {
		json_decref(counts);
		return rc;
	}
	json_array_foreach(kids, i, kid) {
		struct tally t;
		json_t *row;

		tally_from_counts(json_object_get(counts,
		    json_string_value(json_object_get(kid, "path"))), &t);
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

			tally_from(s, 2, &t);
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
