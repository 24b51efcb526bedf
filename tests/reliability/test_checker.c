/*
 * The checks themselves can fail: each kind of half-written change the
 * other tests look for, made by hand on a copy of a small county, must be
 * caught by rel_check_complete() (the "nothing half-present" rules). The
 * negative control for lost writes is in test_powercut.c.
 */
#include "rel.h"

#include <stdio.h>
#include <string.h>

#include "domain/event/event.h"

static int64_t
report(struct rel_county *c, const char *title)
{
	struct fail f = { 0 };
	int64_t id;

	return rel_report(c, title, &id, &f) == 0 ? id : 0;
}

/* Runs sql on a fresh copy of the county and returns what the checker says (0: clean). */
static int
damaged(const char *dir, const char *db, const char *sql)
{
	char copy[300], cmd[1400], out[512];
	const char *argv[] = { "sh", "-c", cmd, NULL };
	int rc;

	snprintf(copy, sizeof copy, "%s/copy.db", dir);
	snprintf(cmd, sizeof cmd, "rm -f '%s' && cp '%s' '%s' && sqlite3 '%s' \"%s\"", copy, db, copy,
	    copy, sql);
	if (rel_run(argv, NULL, out, sizeof out) != 0) {
		printf("    could not damage the copy: %s\n", out);
		return -2;
	}
	printf("    damage: %s\n", sql);
	rc = rel_check_complete(copy, "检查测试");
	return rc;
}

TEST(checker_detects_half_present_writes)
{
	static struct rel_county c;
	struct action_input in = { 0 };
	struct fail f = { 0 };
	char dir[128], db[160], sql[200];
	int64_t a, b;

	CHECK(rel_temp_dir(dir, sizeof dir) == 0);
	snprintf(db, sizeof db, "%s/pingan.db", dir);
	memset(&c, 0, sizeof c);
	CHECK(db_open(db, true, &c.db) == 0);
	CHECK(rel_county_setup(&c) == 0);
	a = report(&c, "检查测试一");
	b = report(&c, "检查测试二");
	CHECK(a > 0 && b > 0);
	CHECK_INT(event_act(c.db, &c.center, a, ACT_ACCEPT, &in, 0, &f), 0);
	db_close(c.db);
	rel_county_release(&c);
	CHECK_INT(rel_check_complete(db, "检查测试"), 0);

	snprintf(sql, sizeof sql, "DELETE FROM timeline WHERE event_id = %lld AND action = 'report'",
	    (long long)b);
	CHECK(damaged(dir, db, sql) == -1);
	snprintf(sql, sizeof sql, "DELETE FROM event_parties WHERE event_id = %lld", (long long)b);
	CHECK(damaged(dir, db, sql) == -1);
	snprintf(sql, sizeof sql, "UPDATE events SET state = 'accepted' WHERE id = %lld",
	    (long long)b);
	CHECK(damaged(dir, db, sql) == -1);
	CHECK(damaged(dir, db, "DELETE FROM audit_log WHERE action = 'event.accept'") == -1);
	snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE action = 'event.create' AND "
	    "entity_id = '%lld'", (long long)b);
	CHECK(damaged(dir, db, sql) == -1);
	CHECK(damaged(dir, db, "DELETE FROM audit_log WHERE action = 'unit.create'") == -1);
	CHECK(damaged(dir, db, "UPDATE event_day_stats SET closed = closed + 1 WHERE depth = 0") == -1);
	CHECK(damaged(dir, db, "INSERT INTO unit_stats (span, period, unit_id, county, received) "
	    "VALUES (1, 24310, 1, '/330824/', 1)") == -1);
	CHECK(damaged(dir, db, "INSERT INTO backlog_counts (depth, path, deaths) "
	    "VALUES (0, '/330824/', 1) ON CONFLICT DO UPDATE SET deaths = deaths + 1") == -1);
	CHECK(damaged(dir, db, "INSERT INTO idempotency_keys (user_id, key, route, status, body, "
			      "created_at) VALUES (1, 'k', 'event.create', 201, '999999', 0)") == -1);
	snprintf(sql, sizeof sql, "UPDATE events SET title = '检查测试一' WHERE id = %lld",
	    (long long)b);
	CHECK(damaged(dir, db, sql) == -1);
	rel_remove_tree(dir);
}
