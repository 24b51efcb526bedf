#include "../../harness.h"

#include <pthread.h>
#include <stdio.h>
#include <sqlite3.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/event/event.h"
#include "domain/event/inbox.h"
#include "evfix.h"

static int
act(struct evfix *x, const struct actor *who, int64_t id, enum event_action a,
    struct action_input *in, struct fail *f)
{
	memset(f, 0, sizeof *f);
	return event_act(x->t.db, who, id, a, in, 0, f);
}

TEST(event_walks_the_whole_closed_loop)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	char st[24];
	int64_t id;

	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_STR(evfix_state(&x, id, st, sizeof st), "reported");
	CHECK_INT(act(&x, &x.township, id, ACT_ACCEPT, &in, &f), 0);
	in.lead_unit = x.unit_town;
	CHECK_INT(act(&x, &x.township, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_STR(evfix_state(&x, id, st, sizeof st), "dispatched");
	CHECK_INT(act(&x, &x.township, id, ACT_SIGN, &in, &f), 0);
	in.note = "已调解";
	CHECK_INT(act(&x, &x.township, id, ACT_FEEDBACK, &in, &f), 0);
	CHECK_STR(evfix_state(&x, id, st, sizeof st), "handled");
	in.ok = true;
	CHECK_INT(act(&x, &x.township, id, ACT_VERIFY, &in, &f), 0);
	CHECK_STR(evfix_state(&x, id, st, sizeof st), "closed");
	in.satisfaction = "satisfied";
	CHECK_INT(act(&x, &x.township, id, ACT_VISIT, &in, &f), 0);
	evfix_close(&x);
}

TEST(event_refuses_actions_from_the_wrong_state_role_or_unit)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	int64_t id;

	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_SIGN, &in, &f), ERR_FORBIDDEN);      /* no handle right */
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), ERR_CONFLICT);   /* not accepted */
	CHECK_INT(act(&x, &x.grid, id, ACT_ACCEPT, &in, &f), ERR_FORBIDDEN);
	CHECK_INT(act(&x, &x.dept, id, ACT_ACCEPT, &in, &f), ERR_NOT_FOUND);      /* not its unit's */
	CHECK_INT(act(&x, &x.center, id, ACT_REJECT, &in, &f), ERR_INVALID);      /* no reason */
	CHECK_STR(f.field, "note");
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(act(&x, &x.other_dept, id, ACT_SIGN, &in, &f), ERR_NOT_FOUND);  /* another unit */
	CHECK_INT(act(&x, &x.dept, id, ACT_SIGN, &in, &f), 0);
	CHECK_INT(act(&x, &x.dept, id, ACT_SIGN, &in, &f), ERR_CONFLICT);         /* twice */
	CHECK_INT(f.msg, M_EV_ALREADY_SIGNED);
	evfix_close(&x);
}

TEST(event_version_mismatch_is_refused_without_change)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f = { 0 };
	char st[24];
	int64_t id;

	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(event_act(x.t.db, &x.center, id, ACT_ACCEPT, &in, 7, &f), ERR_STALE);
	CHECK_STR(evfix_state(&x, id, st, sizeof st), "reported");
	evfix_close(&x);
}

TEST(event_return_keeps_the_overall_deadline_and_counts_against_the_unit)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	json_t *e;
	int64_t id;
	const char *deadline;
	char first[40];

	CHECK_INT(evfix_open(&x), 0);
	clock_set_fixed(1794715200000);     /* 2026-11-15 (Sunday) 10:00 +08:00 */
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	snprintf(first, sizeof first, "%s", json_string_value(json_object_get(e, "deadline_at")));
	json_decref(e);
	/* 15 working days after Sunday 15 Nov: Mon 16 Nov .. Fri 4 Dec. */
	CHECK(strncmp(first, "2026-12-04T23:59:59", 19) == 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	clock_advance(3 * 86400000LL);
	in.note = "不属于本单位";
	CHECK_INT(act(&x, &x.dept, id, ACT_RETURN, &in, &f), 0);
	in.lead_unit = x.unit_justice;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	deadline = json_string_value(json_object_get(e, "deadline_at"));
	CHECK_STR(deadline, first);
	CHECK_INT(json_integer_value(json_object_get(e, "return_count")), 1);
	/* The new dispatch has its own, later finish deadline. */
	json_t *d = json_array_get(json_object_get(e, "dispatches"), 1);
	CHECK(strcmp(json_string_value(json_object_get(d, "finish_deadline")), first) > 0);
	json_decref(e);
	clock_set_fixed(0);
	evfix_close(&x);
}

TEST(event_unsatisfied_visit_reopens_only_once)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	char st[24];
	int64_t id;

	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(act(&x, &x.dept, id, ACT_SIGN, &in, &f), 0);
	in.note = "处理完毕";
	for (int round = 0; round < 2; round++) {
		CHECK_INT(act(&x, &x.dept, id, ACT_FEEDBACK, &in, &f), 0);
		in.ok = true;
		CHECK_INT(act(&x, &x.center, id, ACT_VERIFY, &in, &f), 0);
		in.satisfaction = "unsatisfied";
		in.reopen = true;
		if (round == 0) {
			CHECK_INT(act(&x, &x.center, id, ACT_VISIT, &in, &f), 0);
			CHECK_STR(evfix_state(&x, id, st, sizeof st), "handling");
		} else {
			CHECK_INT(act(&x, &x.center, id, ACT_VISIT, &in, &f), ERR_CONFLICT);
			CHECK_INT(f.msg, M_EV_REOPEN_USED);
		}
		in.reopen = false;
		in.ok = false;
	}
	evfix_close(&x);
}

TEST(event_extension_moves_both_clocks_and_petitions_get_one)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	json_t *e;
	int64_t id;
	char before[40];

	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "petition")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(act(&x, &x.dept, id, ACT_SIGN, &in, &f), 0);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	snprintf(before, sizeof before, "%s", json_string_value(json_object_get(e, "deadline_at")));
	json_decref(e);
	in.days = 31;
	in.note = "需要鉴定";
	CHECK_INT(act(&x, &x.dept, id, ACT_EXTEND_REQUEST, &in, &f), ERR_INVALID);
	in.days = 30;
	CHECK_INT(act(&x, &x.dept, id, ACT_EXTEND_REQUEST, &in, &f), 0);
	CHECK_INT(act(&x, &x.dept, id, ACT_EXTEND_REQUEST, &in, &f), ERR_CONFLICT);   /* pending */
	in.ok = true;
	CHECK_INT(act(&x, &x.center, id, ACT_EXTEND_DECIDE, &in, &f), 0);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	CHECK(strcmp(json_string_value(json_object_get(e, "deadline_at")), before) > 0);
	json_decref(e);
	CHECK_INT(act(&x, &x.dept, id, ACT_EXTEND_REQUEST, &in, &f), ERR_CONFLICT);   /* used */
	CHECK_INT(f.msg, M_EV_EXTENSION_USED);
	evfix_close(&x);
}

TEST(event_scanner_colours_yellow_then_red_and_notifies)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	json_t *e;
	int64_t id, t0 = 1794974400000;   /* 2026-11-18 (Wednesday) 10:00 +08:00 */

	CHECK_INT(evfix_open(&x), 0);
	clock_set_fixed(t0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 3600000), 0);      /* fresh: nothing changes */
	/* Signing is due by the end of the next working day (Thu 19 Nov 23:59). */
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 28 * 3600000LL), 1);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	CHECK_STR(json_string_value(json_object_get(e, "color")), "yellow");
	json_decref(e);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 40 * 3600000LL), 1);
	CHECK_INT(event_get(x.t.db, &x.sys, id, false, &e, &f), 0);
	CHECK_STR(json_string_value(json_object_get(e, "color")), "red");
	json_decref(e);
	json_t *rows;
	int64_t next;

	/* The lead unit heard of the dispatch, the warning and the overdue. */
	CHECK_INT(notification_list(x.t.db, &x.dept, false, 0, 20, &rows, &next), 0);
	CHECK_INT(json_array_size(rows), 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 0), "kind")), "overdue");
	json_decref(rows);
	clock_set_fixed(0);
	evfix_close(&x);
}

/* One integer from the test database through a connection of its own (-1: no row). */
static int64_t
sql_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

TEST(event_scanner_visits_only_due_events_and_looks_again_after_changes)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	sqlite3 *h;
	char sql[160];
	int64_t id, t0 = 1794974400000;   /* 2026-11-18 (Wednesday) 10:00 +08:00 */
	int64_t accept_by, next;

	CHECK_INT(evfix_open(&x), 0);
	CHECK_INT(sqlite3_open(x.t.path, &h), SQLITE_OK);
	clock_set_fixed(t0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	/* A new report is due when its acceptance clock turns yellow. */
	snprintf(sql, sizeof sql, "SELECT accept_deadline FROM events WHERE id = %lld", (long long)id);
	accept_by = sql_int(h, sql);
	snprintf(sql, sizeof sql, "SELECT next_check_at FROM events WHERE id = %lld", (long long)id);
	CHECK_INT(sql_int(h, sql), t0 + ((accept_by - t0) * 3 + 3) / 4);

	/* Not due: the scanner does not look, even at a colour that is wrong. */
	CHECK_INT(sqlite3_exec(h, "UPDATE events SET color = 'red'", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 60000), 0);
	/* Due: it looks and puts it right, quietly (a colour going down is news to no one). */
	CHECK_INT(sqlite3_exec(h, "UPDATE events SET next_check_at = 0", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 60000), 1);
	CHECK_INT(sql_int(h, sql), t0 + ((accept_by - t0) * 3 + 3) / 4);

	/* Acceptance and dispatch move the clocks: due at the next scan. */
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in, &f), 0);
	CHECK_INT(sql_int(h, sql), 0);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 120000), 0);
	CHECK((next = sql_int(h, sql)) > t0 + 120000);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in, &f), 0);
	CHECK_INT(sql_int(h, sql), 0);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 180000), 0);
	/* The sign clock (end of Thursday) turns yellow before the case's deadline does. */
	CHECK(sql_int(h, sql) > t0 + 180000 && sql_int(h, sql) < next);

	/* Overdue on every clock: nothing more can change until someone acts. */
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 90 * 24 * 3600000LL), 1);
	CHECK_INT(sql_int(h, sql), -1);
	CHECK_INT(event_scan_deadlines(x.t.db, t0 + 91 * 24 * 3600000LL), 0);
	CHECK_INT(act(&x, &x.dept, id, ACT_SIGN, &in, &f), 0);
	CHECK_INT(sql_int(h, sql), 0);
	clock_set_fixed(0);
	sqlite3_close(h);
	evfix_close(&x);
}

/* A petition reported at the centre with the given repeat count. */
static int64_t
report_petition(struct evfix *x, int repeat_count)
{
	struct event_input in = { 0 };

	in.channel = "walk_in";
	in.category_code = "petition";
	in.title = "反映征地补偿款未足额发放";
	in.repeat_count = repeat_count;
	return evfix_report_as(x, &x->center, &in);
}

static bool
is_backlog(struct evfix *x, int64_t id)
{
	struct fail f;
	json_t *e;
	bool yes;

	if (event_get(x->t.db, &x->sys, id, false, &e, &f) != 0)
		return false;
	yes = json_is_true(json_object_get(e, "backlog"));
	json_decref(e);
	return yes;
}

TEST(petitions_become_backlog_on_the_third_filing_or_past_their_deadline)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct fail f;
	int64_t again, late, fresh, t0 = 1794974400000;   /* 2026-11-18 10:00 +08:00 */

	CHECK_INT(evfix_open(&x), 0);
	clock_set_fixed(t0);
	CHECK((again = report_petition(&x, 3)) > 0);
	CHECK((late = report_petition(&x, 0)) > 0);
	CHECK((fresh = report_petition(&x, 2)) > 0);
	CHECK(is_backlog(&x, again));            /* the third filing: at once */
	CHECK(!is_backlog(&x, late));
	CHECK_INT(act(&x, &x.center, late, ACT_ACCEPT, &in, &f), 0);
	CHECK(event_scan_deadlines(x.t.db, t0 + 10 * 24 * 3600000LL) >= 0);
	CHECK(!is_backlog(&x, late));            /* 60 days to settle it */
	/* Past the deadline: backlog, and it stays so; a closed one would not become it. */
	in.note = "不属于信访事项";
	CHECK_INT(act(&x, &x.center, fresh, ACT_REJECT, &in, &f), 0);
	CHECK(event_scan_deadlines(x.t.db, t0 + 70 * 24 * 3600000LL) >= 0);
	CHECK(is_backlog(&x, late));
	CHECK(!is_backlog(&x, fresh));
	clock_set_fixed(0);
	evfix_close(&x);
}

struct reporter_arg {
	struct evfix *x;
	const char *title;
	int created;
};

static void *
reporter(void *p)
{
	struct reporter_arg *a = p;

	for (int i = 0; i < 20; i++) {
		struct event_input in = { .category_code = "dispute.neighbour", .title = a->title };

		if (evfix_report_as(a->x, &a->x->grid, &in) > 0)
			a->created++;
	}
	return NULL;
}

/*
 * Reports queue their id for the full-text index and the writer indexes the
 * queue at each COMMIT (schema/013): reports committed together in one group
 * are all searchable, and the queue is empty whenever nothing is being written.
 */
TEST(reports_are_searchable_once_committed_also_when_grouped)
{
	static const char *const titles[] = { "东岸渡口栈桥松动", "西坡果园灌渠漏水",
		"南街菜场摊位纠纷", "北山林道落石阻路" };
	struct reporter_arg args[4];
	pthread_t th[4];
	struct evfix x;
	char sql[256];

	CHECK_INT(evfix_open(&x), 0);
	for (int i = 0; i < 4; i++) {
		args[i] = (struct reporter_arg){ &x, titles[i], 0 };
		pthread_create(&th[i], NULL, reporter, &args[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(testdb_count(&x.t, "SELECT count(*) FROM events_fts_queue"), 0);
	CHECK_INT(testdb_sql(&x.t, "INSERT INTO events_fts(events_fts) VALUES ('integrity-check')"), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(args[i].created, 20);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events_fts WHERE events_fts MATCH '\"%s\"'",
		    titles[i]);
		CHECK_INT(testdb_count(&x.t, sql), 20);
	}
	evfix_close(&x);
}
