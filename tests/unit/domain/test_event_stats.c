/*
 * The dashboard's day counters (schema 006) against a recount of the events:
 * after generated history, changes made behind the domain's back (state,
 * visits, colour, moves, deletions) and for periods that start and end on a
 * day boundary, inside a day, or not at all.
 */
#include "../../harness.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/file.h"
#include "domain/event/category.h"
#include "domain/actor.h"
#include "domain/event/event.h"
#include "domain/gen/gen.h"
#include "domain/pii/pii.h"
#include "domain/registry/person.h"
#include "testdb.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)

/* The recount: the statement the counters replaced, over the events themselves. */
static const char recount_sql[] =
	"SELECT count(*), sum(state = 'closed'), sum(closed_on_time = 1), "
	"avg(CASE WHEN state = 'closed' AND accepted_at IS NOT NULL THEN closed_at - accepted_at END), "
	"sum(return_count), sum(satisfaction IN ('satisfied', 'basically')), "
	"sum(satisfaction IS NOT NULL), sum(color = 'red' AND closed_at IS NULL) "
	"FROM events WHERE division_path >= ?1 AND division_path < ?2 "
	"AND reported_at >= ?3 AND reported_at < ?4 AND state NOT IN ('rejected', 'merged')";

static double
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_null(v) || v == NULL ? -1 : json_number_value(v);
}

static bool
near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

/* Compares every row of event_stats(county, from, to) with the recount; returns mismatches. */
static int
compare(struct testdb *t, sqlite3 *h, const struct actor *sys, int64_t from, int64_t to)
{
	struct fail f = { 0 };
	json_t *out = NULL, *row;
	sqlite3_stmt *st;
	size_t i;
	int bad = 0, rows = 0;

	if (event_stats(t->db, sys, "division", "330824", from, to, &out, &f) != 0)
		return 1000;
	sqlite3_prepare_v2(h, recount_sql, -1, &st, NULL);
	json_array_foreach(json_object_get(out, "items"), i, row) {
		char lo[64], hi[64];
		double received, closed, on_time, returns, satisfied, visits, red, avg;

		snprintf(lo, sizeof lo, "/330824/%s/", json_string_value(json_object_get(row, "code")));
		snprintf(hi, sizeof hi, "%s", lo);
		hi[strlen(hi) - 1] = '0';
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, lo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, from);
		sqlite3_bind_int64(st, 4, to > 0 ? to : INT64_MAX);
		if (sqlite3_step(st) != SQLITE_ROW)
			return 1000;
		received = (double)sqlite3_column_int64(st, 0);
		closed = (double)sqlite3_column_int64(st, 1);
		on_time = (double)sqlite3_column_int64(st, 2);
		avg = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_double(st, 3) / (double)HOUR_MS;
		returns = (double)sqlite3_column_int64(st, 4);
		satisfied = (double)sqlite3_column_int64(st, 5);
		visits = (double)sqlite3_column_int64(st, 6);
		red = (double)sqlite3_column_int64(st, 7);
		rows += received > 0;
		if (num(row, "received") != received || num(row, "closed") != closed ||
		    num(row, "returns") != returns || num(row, "overdue_open") != red ||
		    !near(num(row, "closure_rate"), received > 0 ? closed / received : -1) ||
		    !near(num(row, "on_time_rate"), closed > 0 ? on_time / closed : -1) ||
		    !near(num(row, "satisfaction_rate"), visits > 0 ? satisfied / visits : -1) ||
		    !near(num(row, "avg_hours"), avg)) {
			if (bad++ < 3)
				printf("    %s [%lld, %lld): counters received %.0f closed %.0f avg %f, "
				       "recount %.0f %.0f %f\n", lo, (long long)from, (long long)to,
				    num(row, "received"), num(row, "closed"), num(row, "avg_hours"),
				    received, closed, avg);
		}
	}
	sqlite3_finalize(st);
	json_decref(out);
	return rows > 0 || from >= to ? bad : 1000;
}

/* The unit ranking's recount: every dispatch in the period, its event in the scope. */
static const char unit_recount_sql[] =
	"SELECT x.unit_id, sum(NOT EXISTS (SELECT 1 FROM dispatches y WHERE y.event_id = x.event_id "
	"AND y.unit_id = x.unit_id AND y.id < x.id)), sum(x.lead = 1 AND x.feedback_at IS NOT NULL), "
	"sum(x.lead = 1 AND x.feedback_at IS NOT NULL AND x.feedback_at <= x.finish_deadline), "
	"avg(CASE WHEN x.lead = 1 AND x.feedback_at IS NOT NULL THEN x.feedback_at - x.dispatched_at END), "
	"sum(x.lead = 1 AND x.returned_at IS NOT NULL), sum(x.active = 1 AND x.color = 'red'), "
	"(SELECT count(*) FROM events s WHERE s.lead_unit_id = x.unit_id "
	"AND s.satisfaction IN ('satisfied', 'basically')), "
	"(SELECT count(*) FROM events s WHERE s.lead_unit_id = x.unit_id AND s.satisfaction IS NOT NULL) "
	"FROM dispatches x JOIN events e ON e.id = x.event_id "
	"WHERE substr(e.division_path, 1, length(?1)) = ?1 AND x.dispatched_at >= ?2 "
	"AND x.dispatched_at < ?3 GROUP BY x.unit_id";

/* event_stats(by=unit) as who against the recount within prefix; returns mismatches. */
static int
compare_units(struct testdb *t, sqlite3 *h, const struct actor *who, const char *prefix,
    int64_t from, int64_t to)
{
	struct fail f = { 0 };
	json_t *out = NULL, *items, *row;
	sqlite3_stmt *st;
	int bad = 0, listed = 0;
	size_t i;

	if (event_stats(t->db, who, "unit", NULL, from, to, &out, &f) != 0)
		return 1000;
	items = json_object_get(out, "items");
	sqlite3_prepare_v2(h, unit_recount_sql, -1, &st, NULL);
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to > 0 ? to : INT64_MAX);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t unit = sqlite3_column_int64(st, 0);
		double received = (double)sqlite3_column_int64(st, 1);
		double closed = (double)sqlite3_column_int64(st, 2);
		double on_time = (double)sqlite3_column_int64(st, 3);
		double avg = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_double(st, 4) / (double)HOUR_MS;
		double returns = (double)sqlite3_column_int64(st, 5);
		double red = (double)sqlite3_column_int64(st, 6);
		double satisfied = (double)sqlite3_column_int64(st, 7);
		double visits = (double)sqlite3_column_int64(st, 8);
		json_t *got = NULL;

		if (received == 0 && closed == 0 && returns == 0 && red == 0)
			continue;
		listed++;
		json_array_foreach(items, i, row)
			if (json_integer_value(json_object_get(row, "unit_id")) == unit)
				got = row;
		if (got == NULL || num(got, "received") != received || num(got, "closed") != closed ||
		    num(got, "returns") != returns || num(got, "overdue_open") != red ||
		    !near(num(got, "on_time_rate"), closed > 0 ? on_time / closed : -1) ||
		    !near(num(got, "avg_hours"), avg) ||
		    !near(num(got, "satisfaction_rate"), visits > 0 ? satisfied / visits : -1)) {
			if (bad++ < 3)
				printf("    unit %lld in %s [%lld, %lld): received %.0f closed %.0f returns "
				       "%.0f red %.0f, recount %.0f %.0f %.0f %.0f\n", (long long)unit,
				    prefix, (long long)from, (long long)to, num(got, "received"),
				    num(got, "closed"), num(got, "returns"), num(got, "overdue_open"),
				    received, closed, returns, red);
		}
	}
	sqlite3_finalize(st);
	if (listed == 0 && from == 0 && to == 0 && bad++ < 3)
		printf("    %s: nothing to compare\n", prefix);
	if ((size_t)listed != json_array_size(items) && bad++ < 3)
		printf("    %s [%lld, %lld): %zu units listed, recount %d\n", prefix, (long long)from,
		    (long long)to, json_array_size(items), listed);
	json_decref(out);
	return bad;
}

/* The backlog board as who against a recount of the events under any of the prefixes. */
static int
compare_backlog(struct testdb *t, sqlite3 *h, const struct actor *who)
{
	char sql[1024], where[512] = "0";
	json_t *out = NULL;
	sqlite3_stmt *st;
	int bad = 0;

	for (int i = 0; i < who->nscopes; i++)
		snprintf(where + strlen(where), sizeof where - strlen(where),
		    " OR substr(division_path, 1, %zu) = '%s'", strlen(who->scopes[i]), who->scopes[i]);
	if (who->scope_all)
		snprintf(where, sizeof where, "1");
	snprintf(sql, sizeof sql, "SELECT sum(backlog = 1), "
	    "sum(backlog = 1 AND closed_at IS NULL AND state NOT IN ('rejected', 'merged')), "
	    "sum(backlog = 1 AND closed_at IS NOT NULL), "
	    "sum(kind = 'petition' AND closed_at IS NULL AND state NOT IN ('rejected', 'merged')), "
	    "sum(kind = 'petition' AND petition_level = 'national' AND closed_at IS NULL "
	    "AND state NOT IN ('rejected', 'merged')), "
	    "sum(kind = 'death' AND closed_at IS NULL AND state NOT IN ('rejected', 'merged')) "
	    "FROM events WHERE (%s) AND kind IN ('petition', 'death')", where);
	if (event_backlog(t->db, who, &out) != 0 || sqlite3_prepare_v2(h, sql, -1, &st, NULL) != 0 ||
	    sqlite3_step(st) != SQLITE_ROW)
		return 1000;
	{
		double want[6], got[6] = { num(json_object_get(out, "backlog"), "total"),
			num(json_object_get(out, "backlog"), "open"),
			num(json_object_get(out, "backlog"), "cleared"),
			num(json_object_get(out, "petitions"), "open"),
			num(json_object_get(out, "petitions"), "national_open"),
			num(json_object_get(out, "death_cases"), "open") };

		for (int i = 0; i < 6; i++) {
			want[i] = (double)sqlite3_column_int64(st, i);
			if (got[i] != want[i] && bad++ < 3)
				printf("    backlog %s... column %d: %.0f, recount %.0f\n",
				    who->scope_all ? "all" : who->scopes[0], i, got[i], want[i]);
		}
		if (want[3] == 0 && want[5] == 0 && bad++ < 3)
			printf("    backlog: nothing to compare\n");
	}
	sqlite3_finalize(st);
	json_decref(out);
	return bad;
}

/* A fresh database with the shipped categories and `events` generated at scale (0 on success). */
static int
open_generated(struct testdb *t, struct actor *sys, const char *scale, int64_t events,
    int64_t persons, struct gen_report *rep)
{
	struct gen_plan plan;
	struct import_report ir = { 0 };
	struct fail f = { 0 };
	uint8_t k1[32], k2[32];
	char *csv;
	size_t len;
	int rc;

	memset(k1, 3, sizeof k1);
	memset(k2, 5, sizeof k2);
	pii_set_keys(k1, k2);
	if (testdb_open(t) != 0)
		return -1;
	actor_system(sys, "test");
	if (file_read_all("data/categories.csv", 1u << 20, &csv, &len) != 0)
		return -1;
	rc = category_import_csv(t->db, sys, csv, len, &ir, &f);
	free(csv);
	import_report_release(&ir);
	if (rc != 0 || gen_plan_for(scale, &plan) != 0)
		return -1;
	plan.events = events;
	plan.persons = persons;
	return gen_run(t->db, &plan, "Pingan#Test2026", rep);
}

TEST(event_stats_counters_match_a_recount_of_the_events_and_dispatches)
{
	struct testdb t;
	struct gen_report rep;
	struct actor sys;
	sqlite3 *h;
	int64_t lo, hi, day;

	CHECK_INT(open_generated(&t, &sys, "county", 4000, 0, &rep), 0);
	CHECK_INT(sqlite3_open(t.path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	CHECK(sqlite3_exec(h, "SELECT 1", NULL, NULL, NULL) == SQLITE_OK);
	{
		sqlite3_stmt *st;

		sqlite3_prepare_v2(h, "SELECT min(reported_at), max(reported_at) FROM events", -1, &st,
		    NULL);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		lo = sqlite3_column_int64(st, 0);
		hi = sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
	}
	CHECK(hi - lo > 30 * DAY_MS);
	/* A day boundary (00:00 China time) in the middle of the history. */
	day = ((lo + hi) / 2 + 8 * HOUR_MS) / DAY_MS * DAY_MS - 8 * HOUR_MS;

	CHECK_INT(compare(&t, h, &sys, 0, 0), 0);
	CHECK_INT(compare(&t, h, &sys, day - 20 * DAY_MS, day), 0);             /* whole days */
	CHECK_INT(compare(&t, h, &sys, day - 20 * DAY_MS + 5 * HOUR_MS + 17, day + 7 * HOUR_MS), 0);
	CHECK_INT(compare(&t, h, &sys, day + HOUR_MS, day + 20 * HOUR_MS), 0);  /* inside one day */
	CHECK_INT(compare(&t, h, &sys, day + 1, 0), 0);                         /* from only */
	CHECK_INT(compare(&t, h, &sys, 0, day - 1), 0);                         /* to only */

	/* Changes behind the domain's back: the triggers must follow each one. */
	CHECK(sqlite3_exec(h,
	    "UPDATE events SET state = 'closed', closed_at = reported_at + 7200000, "
	    "  accepted_at = reported_at + 600000, closed_on_time = id % 2 WHERE id % 7 = 0 "
	    "  AND state <> 'closed';"
	    "UPDATE events SET satisfaction = 'unsatisfied' WHERE id % 11 = 0;"
	    "UPDATE events SET color = 'red' WHERE id % 13 = 0;"
	    "UPDATE events SET return_count = return_count + 2 WHERE id % 17 = 0;"
	    "UPDATE events SET state = 'rejected' WHERE id % 19 = 0;"
	    "UPDATE events SET reported_at = reported_at - 3 * 86400000 WHERE id % 23 = 0;"
	    "UPDATE events SET division_path = (SELECT path FROM divisions WHERE level = 'grid' "
	    "  ORDER BY id DESC LIMIT 1) WHERE id % 29 = 0;"
	    "UPDATE events SET lead_unit_id = (SELECT min(id) FROM units) WHERE id % 37 = 0;"
	    "UPDATE events SET backlog = 1 WHERE kind = 'petition' AND id % 3 = 0;"
	    "UPDATE events SET petition_level = 'national' WHERE kind = 'petition' AND id % 4 = 0;"
	    "UPDATE events SET kind = 'death' WHERE id % 61 = 0;"
	    "UPDATE events SET state = 'handling', closed_at = NULL, closed_on_time = NULL "
	    "  WHERE id % 67 = 0 OR (kind IN ('petition', 'death') AND id % 5 = 0);"
	    "UPDATE dispatches SET feedback_at = dispatched_at + 3600000 WHERE id % 5 = 0;"
	    "UPDATE dispatches SET returned_at = dispatched_at + 60000 WHERE id % 41 = 0;"
	    "UPDATE dispatches SET color = 'red', active = 1 WHERE id % 43 = 0;"
	    "UPDATE dispatches SET finish_deadline = finish_deadline - 30 * 86400000 WHERE id % 47 = 0;"
	    "INSERT INTO dispatches (event_id, unit_id, lead, dispatched_at, sign_deadline, "
	    "  finish_deadline) SELECT event_id, unit_id, 0, dispatched_at + 7200000, sign_deadline, "
	    "  finish_deadline FROM dispatches WHERE id % 53 = 0;"
	    /* An event moved to another county takes its dispatches along. */
	    "UPDATE events SET division_path = '/330825/330825100/' WHERE id % 59 = 0;"
	    "DELETE FROM timeline WHERE event_id IN (SELECT id FROM events WHERE id % 31 = 0);"
	    "DELETE FROM event_parties WHERE event_id IN (SELECT id FROM events WHERE id % 31 = 0);"
	    "DELETE FROM visits WHERE event_id IN (SELECT id FROM events WHERE id % 31 = 0);"
	    "PRAGMA foreign_keys = OFF; DELETE FROM events WHERE id % 31 = 0 AND id NOT IN "
	    "  (SELECT event_id FROM dispatches);",
	    NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT(compare(&t, h, &sys, 0, 0), 0);
	CHECK_INT(compare(&t, h, &sys, day - 20 * DAY_MS + 5 * HOUR_MS + 17, day + 7 * HOUR_MS), 0);
	CHECK(sqlite3_exec(h, "DELETE FROM dispatches WHERE id = 1", NULL, NULL, NULL) != SQLITE_OK);

	/* Units: the counters (scope of whole counties) and the scan (a township's scope). */
	{
		struct actor county = sys, town = sys;
		int64_t periods[][2] = { { 0, 0 }, { day - 70 * DAY_MS, day + 40 * DAY_MS },
			{ day - 70 * DAY_MS + 3 * HOUR_MS, day + 40 * DAY_MS - 5 * HOUR_MS },
			{ day - 5 * DAY_MS, day }, { day + HOUR_MS, day + 2 * HOUR_MS },
			{ day + 1, 0 }, { 0, day - 1 } };

		county.scope_all = false;
		county.nscopes = 1;
		snprintf(county.scopes[0], sizeof county.scopes[0], "/330824/");
		town.scope_all = false;
		town.nscopes = 1;
		snprintf(town.scopes[0], sizeof town.scopes[0], "/330824/330824115/");
		for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
			CHECK_INT(compare_units(&t, h, &sys, "", periods[i][0], periods[i][1]), 0);
			CHECK_INT(compare_units(&t, h, &county, "/330824/", periods[i][0], periods[i][1]), 0);
			CHECK_INT(compare_units(&t, h, &town, "/330824/330824115/", periods[i][0],
			    periods[i][1]), 0);
		}
	}
	/* The backlog board: all, a county, a township, and a scope mixing levels (counted directly). */
	{
		struct actor county = sys, town = sys, mixed = sys;

		county.scope_all = town.scope_all = mixed.scope_all = false;
		county.nscopes = town.nscopes = 1;
		snprintf(county.scopes[0], sizeof county.scopes[0], "/330824/");
		snprintf(town.scopes[0], sizeof town.scopes[0], "/330824/330824115/");
		mixed.nscopes = 2;
		snprintf(mixed.scopes[0], sizeof mixed.scopes[0], "/330824/330824106/");
		{
			sqlite3_stmt *st;

			sqlite3_prepare_v2(h, "SELECT path FROM divisions WHERE level = 'grid' AND path "
			    "LIKE '/330824/330824115/%' LIMIT 1", -1, &st, NULL);
			CHECK(sqlite3_step(st) == SQLITE_ROW);
			snprintf(mixed.scopes[1], sizeof mixed.scopes[1], "%s",
			    (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
		CHECK_INT(compare_backlog(&t, h, &sys), 0);
		CHECK_INT(compare_backlog(&t, h, &county), 0);
		CHECK_INT(compare_backlog(&t, h, &town), 0);
		CHECK_INT(compare_backlog(&t, h, &mixed), 0);
	}
	sqlite3_close(h);
	testdb_close(&t);
}

/* The province plan's 90 counties import: no county shares a code with another. */
TEST(gen_province_divisions_import_without_duplicate_codes)
{
	struct testdb t;
	struct gen_report rep;
	struct actor sys;

	CHECK_INT(open_generated(&t, &sys, "province", 10, 0, &rep), 0);
	CHECK(rep.divisions > 80000);
	CHECK_INT(rep.events, 10);
	testdb_close(&t);
}

/*
 * gen loads events and persons without their indexes and triggers and puts
 * them back at the end: the schema must come out exactly as the migrations
 * made it, the full-text index must find what the rows hold, and the
 * residents must be readable through the registry.
 */
TEST(gen_restores_every_index_and_trigger_and_registers_persons)
{
	static const char schema[] = "SELECT group_concat(type || ' ' || name || ' ' || sql, ';') "
	    "FROM (SELECT * FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name)";
	struct testdb t, fresh;
	struct gen_report rep;
	struct actor sys;
	sqlite3 *a, *b;
	sqlite3_stmt *sa, *sb;
	json_t *rows;
	int64_t next;
	struct fail f = { 0 };
	struct person_filter flt = { .limit = 5, .kind = "floating" };

	CHECK_INT(open_generated(&t, &sys, "county", 3000, 2000, &rep), 0);
	CHECK_INT(rep.persons, 2000);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM persons"), 2000);
	CHECK_INT(testdb_count(&t, "SELECT count(DISTINCT id_number_idx) FROM persons"), 2000);
	/* Four in five are registered where they live. */
	CHECK(testdb_count(&t, "SELECT count(*) FROM persons WHERE kind = 'registered'") > 1400);
	CHECK_INT(testdb_count(&t, "SELECT (SELECT count(*) FROM events_fts WHERE events_fts "
	    "MATCH '\"排水沟\"') = (SELECT count(*) FROM events WHERE title LIKE '%排水沟%')"), 1);
	CHECK(testdb_count(&t, "SELECT count(*) FROM events WHERE title LIKE '%排水沟%'") > 0);
	/* The full-text index is sound and merged into one segment (sql_gen.def). */
	CHECK_INT(testdb_sql(&t, "INSERT INTO events_fts(events_fts) VALUES ('integrity-check')"), 0);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM events_fts_idx WHERE segid <> "
	    "(SELECT min(segid) FROM events_fts_idx)"), 0);
	CHECK_INT(testdb_open(&fresh), 0);
	CHECK_INT(sqlite3_open(t.path, &a), SQLITE_OK);
	CHECK_INT(sqlite3_open(fresh.path, &b), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(a, schema, -1, &sa, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(b, schema, -1, &sb, NULL), SQLITE_OK);
	CHECK(sqlite3_step(sa) == SQLITE_ROW && sqlite3_step(sb) == SQLITE_ROW);
	CHECK(strstr((const char *)sqlite3_column_text(sa, 0), "persons_name") != NULL);
	CHECK_STR((const char *)sqlite3_column_text(sa, 0), (const char *)sqlite3_column_text(sb, 0));
	sqlite3_finalize(sa);
	sqlite3_finalize(sb);
	sqlite3_close(a);
	sqlite3_close(b);
	testdb_close(&fresh);

	CHECK_INT(person_list(t.db, &sys, &flt, false, &rows, &next, &f), 0);
	CHECK_INT(json_array_size(rows), 5);
	CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 0), "kind")), "floating");
	CHECK_INT(strlen(json_string_value(json_object_get(json_array_get(rows, 0), "id_number"))),
	    18);
	CHECK(strstr(json_string_value(json_object_get(json_array_get(rows, 0), "id_number")),
	    "********") != NULL);
	json_decref(rows);
	testdb_close(&t);
}
