/*
 * Raw SQL on a database file, for checking what a crash left behind: the
 * integrity check and the "nothing half-present" rules that hold for every
 * committed change (an event always comes with its timeline entry, audit
 * row and parties; a state always matches the timeline; ...).
 */
#include "rel.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

long long
rel_sql_int(const char *db_path, const char *sql, long long def)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long v = def;

	if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		printf("    sql: %s: %s\n", sql, sqlite3_errmsg(h));
		goto out;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

int
rel_integrity_cli(const char *db_path, char *out, size_t n)
{
	const char *argv[] = { "sqlite3", "-cmd", ".timeout 5000", db_path, "PRAGMA integrity_check",
		NULL };
	int rc = rel_run(argv, NULL, out, n);

	if (rc != 0)
		return -1;
	return strcmp(out, "ok\n") == 0 ? 0 : -1;
}

int
rel_integrity(const char *db_path, char *out, size_t n)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	snprintf(out, n, "cannot open");
	if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		snprintf(out, n, "%s", sqlite3_errmsg(h));
		goto out;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = strcmp(out, "ok") == 0 ? 0 : -1;
	} else {
		snprintf(out, n, "%s", sqlite3_errmsg(h));
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rc;
}

/*
 * Each rule counts the rows that break it: 0 everywhere means nothing is
 * half-present. The audit log has no index on its entity, so rules about it
 * use uncorrelated subqueries (built once) rather than one scan per event.
 */
static const struct {
	const char *what, *sql;
} rules[] = {
	{ "events without their 'report' timeline entry",
	  "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM timeline t "
	  "WHERE t.event_id = e.id AND t.action IN ('report', 'resolve_on_the_spot'))" },
	{ "events without their event.create audit row",
	  "SELECT count(*) FROM events e WHERE CAST(e.id AS TEXT) NOT IN (SELECT entity_id "
	  "FROM audit_log WHERE entity = 'event' AND action = 'event.create')" },
	{ "events whose state is not where their timeline ends",
	  "SELECT count(*) FROM events e WHERE e.state != coalesce((SELECT t.to_state "
	  "FROM timeline t WHERE t.event_id = e.id AND t.to_state != '' "
	  "ORDER BY t.id DESC LIMIT 1), '')" },
	{ "events whose workflow timeline entries and audit rows differ in number",
	  "SELECT count(*) FROM events e "
	  "LEFT JOIN (SELECT event_id AS id, count(*) AS n FROM timeline WHERE action NOT IN "
	  "('report', 'resolve_on_the_spot', 'merged_in', 'auto_escalate') GROUP BY event_id) t "
	  "ON t.id = e.id "
	  "LEFT JOIN (SELECT CAST(entity_id AS INTEGER) AS id, count(*) AS n FROM audit_log "
	  "WHERE entity = 'event' AND action NOT IN ('event.create', 'event.reveal') "
	  "GROUP BY entity_id) a ON a.id = e.id "
	  "WHERE coalesce(t.n, 0) != coalesce(a.n, 0)" },
	{ "events dispatched without an active dispatch",
	  "SELECT count(*) FROM events e WHERE e.state IN ('dispatched', 'handling', 'handled') "
	  "AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.event_id = e.id AND d.active = 1)" },
	{ "units without their unit.create audit row",
	  "SELECT count(*) FROM units u WHERE CAST(u.id AS TEXT) NOT IN (SELECT entity_id "
	  "FROM audit_log WHERE entity = 'unit' AND action = 'unit.create')" },
	{ "users without their user.create audit row",
	  "SELECT count(*) FROM users u WHERE CAST(u.id AS TEXT) NOT IN (SELECT entity_id "
	  "FROM audit_log WHERE entity = 'user' AND action = 'user.create')" },
	{ "idempotency keys naming an event that does not exist",
	  "SELECT count(*) FROM idempotency_keys k WHERE k.route = 'event.create' "
	  "AND k.body NOT IN (SELECT CAST(id AS TEXT) FROM events)" },
	/* The dashboard's counters (schema 006) move in the same transaction as the events. */
	{ "county days whose dashboard counters differ from their events",
	  "SELECT count(*) FROM (SELECT substr(division_path, 1, 8) AS path, "
	  "(reported_at + 28800000) / 86400000 AS day, count(*) AS received, "
	  "sum(state = 'closed') AS closed, sum(return_count) AS returns, "
	  "sum(color = 'red' AND closed_at IS NULL) AS red, sum(satisfaction IS NOT NULL) AS visits "
	  "FROM events WHERE state NOT IN ('rejected', 'merged') GROUP BY 1, 2) e "
	  "FULL JOIN (SELECT * FROM event_day_stats WHERE depth = 0 AND "
	  "(received, closed, returns, red, visits) != (0, 0, 0, 0, 0)) s "
	  "ON s.path = e.path AND s.day = e.day "
	  "WHERE (e.received, e.closed, e.returns, e.red, e.visits) "
	  "IS NOT (s.received, s.closed, s.returns, s.red, s.visits)" },
	{ "units whose ranking counters differ from their dispatches",
	  "SELECT count(*) FROM (SELECT x.unit_id AS unit_id, sum(NOT EXISTS (SELECT 1 FROM "
	  "dispatches y WHERE y.event_id = x.event_id AND y.unit_id = x.unit_id AND y.id < x.id)) "
	  "AS received, sum(x.lead = 1 AND x.feedback_at IS NOT NULL) AS closed, "
	  "sum(x.lead = 1 AND x.returned_at IS NOT NULL) AS returns, "
	  "sum(x.active = 1 AND x.color = 'red') AS red FROM dispatches x GROUP BY 1) d "
	  "FULL JOIN (SELECT unit_id, sum(received) AS received, sum(closed) AS closed, "
	  "sum(returns) AS returns, sum(red) AS red FROM unit_stats WHERE span = 1 GROUP BY 1 "
	  "HAVING (sum(received), sum(closed), sum(returns), sum(red)) != (0, 0, 0, 0)) s "
	  "ON s.unit_id = d.unit_id "
	  "WHERE (d.received, d.closed, d.returns, d.red) IS NOT (s.received, s.closed, s.returns, s.red)" },
	{ "counties whose backlog counters differ from their petitions and death cases",
	  "SELECT count(*) FROM (SELECT substr(division_path, 1, 8) AS path, "
	  "sum(kind = 'petition' AND closed_at IS NULL AND state NOT IN ('rejected', 'merged')) AS p, "
	  "sum(kind = 'death' AND closed_at IS NULL AND state NOT IN ('rejected', 'merged')) AS d, "
	  "sum(backlog = 1) AS b FROM events WHERE kind IN ('petition', 'death') OR backlog = 1 "
	  "GROUP BY 1) e FULL JOIN (SELECT path, petitions AS p, deaths AS d, backlog AS b "
	  "FROM backlog_counts WHERE depth = 0 AND (petitions, deaths, backlog) != (0, 0, 0)) c "
	  "ON c.path = e.path WHERE (e.p, e.d, e.b) IS NOT (c.p, c.d, c.b)" },
};

int
rel_check_complete(const char *db_path, const char *title_prefix)
{
	char sql[400];
	int bad = 0;
	long long n;

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		n = rel_sql_int(db_path, rules[i].sql, -1);
		if (n != 0) {
			printf("    half-present: %lld %s\n", n, rules[i].what);
			bad++;
		}
	}
	if (title_prefix) {
		/* Every event the tests report names one party. */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events e WHERE e.title LIKE '%s%%' "
		    "AND NOT EXISTS (SELECT 1 FROM event_parties p WHERE p.event_id = e.id)",
		    title_prefix);
		n = rel_sql_int(db_path, sql, -1);
		if (n != 0) {
			printf("    half-present: %lld test events without their party\n", n);
			bad++;
		}
		/* A title is reported once: a retry with the same Idempotency-Key created nothing. */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT title FROM events "
		    "WHERE title LIKE '%s%%' GROUP BY title HAVING count(*) > 1)", title_prefix);
		n = rel_sql_int(db_path, sql, -1);
		if (n != 0) {
			printf("    duplicates: %lld test titles exist more than once\n", n);
			bad++;
		}
	}
	return bad ? -1 : 0;
}
