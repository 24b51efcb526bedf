/*
 * The deadline scanner: marks open events yellow at 75 % of their time and
 * red when overdue (each clock: acceptance, the case's overall deadline,
 * every active dispatch's sign and finish deadlines), tells the lead unit
 * and the dispatcher, escalates by rule, and flags petition backlog.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/event/event_internal.h"
#include "domain/idempotency.h"
#include "domain/txn.h"

static const char *const colour_names[] = { "green", "yellow", "red" };

static enum colour
colour_of(const char *name)
{
	return strcmp(name, "red") == 0 ? COLOUR_RED
	    : strcmp(name, "yellow") == 0 ? COLOUR_YELLOW : COLOUR_GREEN;
}

static enum colour
worst(enum colour a, enum colour b)
{
	return a > b ? a : b;
}

struct open_event {
	int64_t id, accept_deadline, reported_at, accepted_at, deadline_at, lead_unit;
	enum event_state state;
	enum colour was;
	bool auto_escalate, escalated;
	char level[12], case_no[32], path[160];
};

/*
 * Colours the active dispatches of e (updating those that changed); returns
 * the worst and lowers *next to the first instant one of them changes again.
 */
static enum colour
dispatch_colours(struct db_conn *w, const struct open_event *e, int64_t now, int64_t *dispatcher,
    int64_t *next)
{
	struct db_stmt *s = db_stmt(w, STMT_DISPATCH_OPEN_FOR_EVENT);
	int64_t changed[16];
	enum colour to[16], all = COLOUR_GREEN;
	int n = 0;

	if (s == NULL)
		return COLOUR_GREEN;
	db_bind_int(s, 1, e->id);
	while (db_step(s) == DB_ROW) {
		int64_t from = db_col_int(s, 1);
		enum colour c = COLOUR_GREEN;

		if (db_col_null(s, 4))
			c = worst(c, clock_watch(from, db_col_int(s, 2), now, next));
		if (db_col_null(s, 5))
			c = worst(c, clock_watch(from, db_col_int(s, 3), now, next));
		if (c != colour_of(db_col_text(s, 6)) && n < 16) {
			changed[n] = db_col_int(s, 0);
			to[n++] = c;
		}
		*dispatcher = db_col_int(s, 7);
		all = worst(all, c);
	}
	for (int i = 0; i < n; i++) {
		if ((s = db_stmt(w, STMT_DISPATCH_COLOR)) == NULL)
			break;
		db_bind_int(s, 1, changed[i]);
		db_bind_text(s, 2, colour_names[to[i]]);
		(void)db_run(s);
	}
	return all;
}

/* Moves a red event with an auto-escalation rule one level up (once). */
static int
auto_escalate(struct db_conn *w, const struct actor *sys, const struct open_event *e, int64_t now)
{
	const char *next = strcmp(e->level, "grid") == 0 ? "township" : "county";
	const char *to = e->state == ST_REPORTED ? "reported" : "accepted";
	struct db_stmt *s = db_stmt(w, STMT_DISPATCH_CLOSE_ALL);
	int rc;

	if (strcmp(e->level, "county") == 0 || s == NULL)
		return 0;
	db_bind_int(s, 1, e->id);
	if ((rc = db_run(s)) != 0 || (s = db_stmt(w, STMT_EV_ESCALATE)) == NULL)
		return rc ? rc : db_stmt_error(w);
	db_bind_int(s, 1, e->id);
	db_bind_text(s, 2, next);
	db_bind_text(s, 3, to);
	db_bind_int(s, 4, 1);
	db_bind_int(s, 5, now);
	if ((rc = db_run(s)) != 0)
		return rc;
	return timeline_add(w, sys, e->id, "auto_escalate", event_state_name(e->state), to, next);
}

/* Records a change of colour: event row, timeline, audit, notifications. */
static int
apply_colour(struct db_conn *w, const struct actor *sys, const struct open_event *e,
    enum colour c, int64_t dispatcher, int64_t now)
{
	struct db_stmt *s = db_stmt(w, STMT_EV_COLOR);
	char idtext[24], msg[96];
	bool red;
	int rc;

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, e->id);
	db_bind_text(s, 2, colour_names[c]);
	db_bind_int(s, 3, now);
	if ((rc = db_run(s)) != 0 || c < e->was)
		return rc;
	red = c == COLOUR_RED;
	snprintf(msg, sizeof msg, "%s %s", e->case_no, red ? "已超期" : "即将到期（已用 75% 时限）");
	if ((rc = timeline_add(w, sys, e->id, red ? "overdue" : "warn", "", "", msg)) != 0 ||
	    (rc = notify(w, dispatcher, e->lead_unit, e->id, red ? "overdue" : "warning", msg)) != 0)
		return rc;
	snprintf(idtext, sizeof idtext, "%lld", (long long)e->id);
	rc = audit_write(w, sys, red ? "event.overdue" : "event.warning", "event", idtext, NULL);
	if (rc == 0 && red && e->auto_escalate && !e->escalated)
		rc = auto_escalate(w, sys, e, now);
	return rc;
}

static void
open_event_from(struct db_stmt *s, struct open_event *e)
{
	memset(e, 0, sizeof *e);
	e->id = db_col_int(s, 0);
	e->state = event_state_by_name(db_col_text(s, 1));
	e->accept_deadline = db_col_int(s, 2);
	e->reported_at = db_col_int(s, 3);
	e->accepted_at = db_col_int(s, 4);
	e->deadline_at = db_col_int(s, 5);
	e->was = colour_of(db_col_text(s, 6));
	e->lead_unit = db_col_int(s, 7);
	e->auto_escalate = db_col_int(s, 8) != 0;
	e->escalated = db_col_int(s, 9) != 0;
	snprintf(e->level, sizeof e->level, "%s", db_col_text(s, 10));
	snprintf(e->case_no, sizeof e->case_no, "%s", db_col_text(s, 11));
	snprintf(e->path, sizeof e->path, "%s", db_col_text(s, 12));
}

#define PAGE 500

/* Events whose colour changed in the page being scanned: told to live boards after commit. */
static struct open_event page[PAGE];
static bool page_changed[PAGE];
static int page_n;

/* Stores when e's colour can next change by the clock alone (NULL: never). */
static int
set_next_check(struct db_conn *w, int64_t id, int64_t next)
{
	struct db_stmt *s = db_stmt(w, STMT_EV_NEXT_CHECK);

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, id);
	if (next != 0)
		db_bind_int(s, 2, next);
	return db_run(s);
}

/*
 * Scans one page of the open events that are due inside a write
 * transaction. Each visited event leaves the due set (its next check is
 * after now or never), so the next page starts where this one ended; an
 * escalation puts its event back (the trigger of schema/011), to be
 * coloured again on its new clock.
 */
static int
scan_page(struct db_conn *w, const struct actor *sys, int64_t now, int *changed, bool *more)
{
	struct db_stmt *s = db_stmt(w, STMT_EV_DUE_SCAN);
	int n = 0, rc;

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, now);
	while ((rc = db_step(s)) == DB_ROW && n < PAGE) {
		page_changed[n] = false;
		open_event_from(s, &page[n++]);
	}
	if (rc == DB_ROW)
		db_reset(s);
	page_n = n;
	*more = n == PAGE;
	for (int i = 0; i < n; i++) {
		struct open_event *e = &page[i];
		int64_t dispatcher = 0, next = 0, start, end;
		enum colour c;

		if (event_state_ended(e->state)) {
			if ((rc = set_next_check(w, e->id, 0)) != 0)
				return rc;
			continue;
		}
		start = e->state == ST_REPORTED ? e->reported_at : e->accepted_at;
		end = e->state == ST_REPORTED ? e->accept_deadline : e->deadline_at;
		c = worst(clock_watch(start, end, now, &next),
		    dispatch_colours(w, e, now, &dispatcher, &next));
		if ((rc = set_next_check(w, e->id, next)) != 0)
			return rc;
		if (c == e->was)
			continue;
		if ((rc = apply_colour(w, sys, e, c, dispatcher, now)) != 0)
			return rc;
		page_changed[i] = true;
		(*changed)++;
	}
	return 0;
}

int
event_scan_deadlines(struct db *db, int64_t now)
{
	static pthread_mutex_t one_scan = PTHREAD_MUTEX_INITIALIZER;
	struct actor sys;
	struct db_conn *w;
	struct db_stmt *s;
	int changed = 0, rc = 0;
	bool more = true;

	actor_system(&sys, "scanner");
	snprintf(sys.display_name, sizeof sys.display_name, "时限监控");
	pthread_mutex_lock(&one_scan);
	while (more && rc == 0) {
		if ((rc = db_write_begin(db, &w)) != 0)
			break;
		page_n = 0;
		rc = scan_page(w, &sys, now, &changed, &more);
		rc = txn_finish(db, rc, NULL);
		for (int i = 0; rc == 0 && i < page_n; i++)
			if (page_changed[i])
				event_bus_publish("colour", page[i].id, page[i].path);
	}
	if (rc == 0 && db_write_begin(db, &w) == 0) {
		s = db_stmt(w, STMT_EV_BACKLOG);
		if (s) {
			db_bind_int(s, 1, now);
			rc = db_run(s);
		}
		rc = txn_finish(db, s ? rc : ERR_INTERNAL, NULL);
	}
	pthread_mutex_unlock(&one_scan);
	(void)idempotency_purge(db, now);
	return rc != 0 ? rc : changed;
}
