/* Statistics per division and per unit; the petition backlog and open death cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
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
 * average is dur_sum / dur_n. Every statement gives them as columns 1..9, in the
 * order of the fields, after its key in column 0 (a division path or a unit id).
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

/* The whole CST days inside [from_ms, to_ms): [*first, *last); 0 means unbounded. */
static void
whole_days(int64_t from_ms, int64_t to_ms, int64_t *first, int64_t *last)
{
	*first = from_ms > 0 ? day_floor(from_ms - 1) + 1 : INT32_MIN;
	*last = to_ms > 0 ? day_floor(to_ms) : INT32_MAX;
}

/* Level of a division path: "/330824/" is 0 (county), a township's 1, a grid's 3. */
static int
path_depth(const char *path)
{
	int d = -2;

	for (const char *p = path; *p; p++)
		d += *p == '/';
	return d;
}

/*
 * The level whose counter rows sum exactly to the caller's scope: 0 for
 * everything, else the depth its prefixes share; -1 when they lie at different
 * depths or there are none (then the rows are counted one by one).
 */
static int
scope_depth(const struct actor *who)
{
	int depth = who->scope_all ? 0 : -2;

	for (int i = 0; !who->scope_all && i < who->nscopes; i++) {
		int d = path_depth(who->scopes[i]);

		if (depth != -2 && d != depth)
			return -1;
		depth = d;
	}
	return depth < 0 || depth > 3 ? -1 : depth;
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
	int64_t first_day, last_day;
	struct db_stmt *s;
	int rc;

	division_path_end(d->path, end, sizeof end);
	whole_days(from_ms, to_ms, &first_day, &last_day);
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
	db_bind_int(s, 1, path_depth(d->path) + 1);   /* the children's rows */
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

/* The month (year * 12 + month - 1) holding a CST day, and the day it starts on. */
static int64_t
month_of_day(int64_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return (int64_t)y * 12 + m - 1;
}

static int64_t
month_start_day(int64_t month)
{
	return days_from_civil((int)(month / 12), (int)(month % 12) + 1, 1);
}

/* Adds counter rows of one span (0 days, 1 months) for periods [lo, hi). */
static int
collect_unit_spans(struct db_conn *c, int span, int64_t lo, int64_t hi, json_t *counts)
{
	struct db_stmt *s;

	if (lo >= hi)
		return 0;
	if ((s = db_stmt(c, STMT_STATS_UNIT_SPANS)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, span);
	db_bind_int(s, 2, lo);
	db_bind_int(s, 3, hi);
	return tally_collect(s, counts);
}

/* Adds the dispatches made in [from, to) (ms), read one by one. */
static int
collect_unit_dispatches(struct db_conn *c, int64_t from, int64_t to, json_t *counts)
{
	struct db_stmt *s;

	if (from >= to)
		return 0;
	if ((s = db_stmt(c, STMT_STATS_UNIT_DISPATCHES)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, from);
	db_bind_int(s, 2, to);
	return tally_collect(s, counts);
}

/*
 * Unit tallies from the counters (migration 008): whole months, then whole
 * days, then the part-days at the ends of the period from the dispatches.
 */
static int
unit_tallies_from_counters(struct db_conn *c, int64_t from_ms, int64_t to_ms, json_t *counts)
{
	int64_t first_day, last_day, first_month, last_month;
	int rc;

	whole_days(from_ms, to_ms, &first_day, &last_day);

	if (first_day >= last_day)
		return collect_unit_dispatches(c, from_ms, to_ms > 0 ? to_ms : INT64_MAX, counts);
	if ((from_ms > 0 && (rc = collect_unit_dispatches(c, from_ms, day_start_ms(first_day),
	    counts)) != 0) ||
	    (to_ms > 0 && (rc = collect_unit_dispatches(c, day_start_ms(last_day), to_ms,
	    counts)) != 0))
		return rc;
	first_month = from_ms <= 0 ? INT32_MIN : month_of_day(first_day) +
	    (month_start_day(month_of_day(first_day)) != first_day);
	last_month = to_ms <= 0 ? INT32_MAX : month_of_day(last_day);
	if (first_month >= last_month)
		return collect_unit_spans(c, 0, first_day, last_day, counts);
	if ((rc = collect_unit_spans(c, 1, first_month, last_month, counts)) != 0 ||
	    (from_ms > 0 && (rc = collect_unit_spans(c, 0, first_day, month_start_day(first_month),
	    counts)) != 0) ||
	    (to_ms > 0 && (rc = collect_unit_spans(c, 0, month_start_day(last_month), last_day,
	    counts)) != 0))
		return rc;
	return 0;
}

/* Unit tallies straight from the events and dispatches of a scope narrower than counties. */
static int
unit_tallies_from_scan(struct db_conn *c, const struct actor *who, int64_t from_ms, int64_t to_ms,
    json_t *counts)
{
	char lo[DIVISION_PATH_MAX] = "\x7f", hi[DIVISION_PATH_MAX] = "";
	struct db_stmt *s;

	/* The path range holding every prefix of the scope; in_scope() then decides. */
	for (int i = 0; i < who->nscopes; i++) {
		char end[DIVISION_PATH_MAX];

		division_path_end(who->scopes[i], end, sizeof end);
		if (strcmp(who->scopes[i], lo) < 0)
			snprintf(lo, sizeof lo, "%s", who->scopes[i]);
		if (strcmp(end, hi) > 0)
			snprintf(hi, sizeof hi, "%s", end);
	}
	if ((s = db_stmt(c, STMT_STATS_UNIT_SCAN)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, from_ms);
	db_bind_int(s, 2, to_ms > 0 ? to_ms : INT64_MAX);
	db_bind_text(s, 3, lo);
	db_bind_text(s, 4, hi);
	return tally_collect(s, counts);
}

struct ranked {
	int64_t received, unit_id;
	json_t *row;
};

static int
by_received(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->received != y->received)
		return x->received > y->received ? -1 : 1;
	return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

#define UNITS_LISTED 200

/* Units that received, handled or hold something in the period, most received first. */
static int
stats_by_unit(struct db_conn *c, const struct actor *who, int64_t from_ms, int64_t to_ms,
    json_t *rows)
{
	json_t *counts = json_object(), *n;
	struct ranked *r;
	const char *key;
	size_t k = 0;
	int rc;

	scope_enter(who);
	/* The counters are kept per county: usable when the scope is made of whole counties. */
	rc = scope_depth(who) == 0 ? unit_tallies_from_counters(c, from_ms, to_ms, counts) :
	    unit_tallies_from_scan(c, who, from_ms, to_ms, counts);
	r = xcalloc(json_object_size(counts) + 1, sizeof *r);
	json_object_foreach(counts, key, n) {
		struct db_stmt *s;
		struct tally t;

		if (rc != 0)
			break;
		tally_from_counts(n, &t);
		if (t.received == 0 && t.closed == 0 && t.returns == 0 && t.red == 0)
			continue;
		if ((s = db_stmt(c, STMT_STATS_UNIT_INFO)) == NULL) {
			rc = db_stmt_error(c);
			break;
		}
		r[k].unit_id = strtoll(key, NULL, 10);
		db_bind_int(s, 1, r[k].unit_id);
		if ((rc = db_step(s)) != DB_ROW) {
			rc = rc < 0 ? rc : 0;   /* a unit that is gone: not listed */
			continue;
		}
		t.satisfied = db_col_int(s, 1);
		t.visits = db_col_int(s, 2);
		r[k].received = t.received;
		r[k].row = tally_json(db_col_text(s, 0), &t);
		json_object_set_new(r[k].row, "unit_id", json_integer(r[k].unit_id));
		db_reset(s);
		rc = 0;
		k++;
	}
	qsort(r, k, sizeof *r, by_received);
	for (size_t i = 0; i < k; i++) {
		if (rc == 0 && i < UNITS_LISTED)
			json_array_append_new(rows, r[i].row);
		else
			json_decref(r[i].row);
	}
	free(r);
	json_decref(counts);
	return rc;
}

int
event_stats(struct db *db, const struct actor *who, const char *by, const char *division_code,
    int64_t from_ms, int64_t to_ms, json_t **out, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	bool units = by && strcmp(by, "unit") == 0;
	struct division d;
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
	} else {
		rc = stats_by_unit(c, who, from_ms, to_ms, rows);
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
	int depth = scope_depth(who);
	struct db_stmt *s;
	int rc;

	if (c == NULL)
		return ERR_STORAGE;
	if ((s = db_stmt(c, depth >= 0 ? STMT_BACKLOG_COUNTS : STMT_BACKLOG_SUMMARY)) == NULL)
		return db_stmt_error(c);
	if (depth >= 0)
		db_bind_int(s, 1, depth);
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
