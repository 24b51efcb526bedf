/*
 * The closed loop as data: for every action, the states it may start from
 * and the permission it needs; then one small function per action that
 * writes its change. event_act() checks scope, version, state and right,
 * runs the action, and writes the timeline entry and the audit row in the
 * same transaction.
 */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"
#include "domain/event/event_internal.h"
#include "domain/txn.h"

#define S(x) (1u << (x))
#define OPEN_STATES (S(ST_REPORTED) | S(ST_ACCEPTED) | S(ST_DISPATCHED) | S(ST_HANDLING) | \
	S(ST_HANDLED))

/* One action in progress. */
struct act {
	struct db_conn *w;
	const struct actor *who;
	struct ev e;
	struct category cat;
	const struct action_input *in;
	struct fail *f;
	enum event_state to;          /* new state (same as e.state when unchanged) */
	char note[8100];              /* timeline note: up to 2000 characters */
	int64_t now;
};

struct transition {
	unsigned from;                /* bit per enum event_state */
	enum perm perm;
	int (*apply)(struct act *a);
};

static int act_accept(struct act *a);
static int act_reject(struct act *a);
static int act_merge(struct act *a);
static int act_dispatch(struct act *a);
static int act_sign(struct act *a);
static int act_return(struct act *a);
static int act_feedback(struct act *a);
static int act_verify(struct act *a);
static int act_visit(struct act *a);
static int act_escalate(struct act *a);
static int act_supervise(struct act *a);
static int act_extend_request(struct act *a);
static int act_extend_decide(struct act *a);
static int act_sample(struct act *a);

static const struct transition transitions[ACT_COUNT_] = {
	[ACT_ACCEPT] = { S(ST_REPORTED), PERM_EVENT_TRIAGE, act_accept },
	[ACT_REJECT] = { S(ST_REPORTED), PERM_EVENT_TRIAGE, act_reject },
	[ACT_MERGE] = { S(ST_REPORTED), PERM_EVENT_TRIAGE, act_merge },
	[ACT_DISPATCH] = { S(ST_ACCEPTED), PERM_EVENT_DISPATCH, act_dispatch },
	[ACT_SIGN] = { S(ST_DISPATCHED) | S(ST_HANDLING), PERM_EVENT_HANDLE, act_sign },
	[ACT_RETURN] = { S(ST_DISPATCHED) | S(ST_HANDLING), PERM_EVENT_HANDLE, act_return },
	[ACT_FEEDBACK] = { S(ST_DISPATCHED) | S(ST_HANDLING), PERM_EVENT_HANDLE, act_feedback },
	[ACT_VERIFY] = { S(ST_HANDLED), PERM_EVENT_VERIFY, act_verify },
	[ACT_VISIT] = { S(ST_CLOSED), PERM_EVENT_VERIFY, act_visit },
	[ACT_ESCALATE] = { S(ST_REPORTED) | S(ST_ACCEPTED) | S(ST_DISPATCHED) | S(ST_HANDLING),
			   PERM_EVENT_ESCALATE, act_escalate },
	[ACT_SUPERVISE] = { OPEN_STATES, PERM_EVENT_SUPERVISE, act_supervise },
	[ACT_EXTEND_REQUEST] = { S(ST_DISPATCHED) | S(ST_HANDLING), PERM_EVENT_HANDLE,
				 act_extend_request },
	[ACT_EXTEND_DECIDE] = { S(ST_DISPATCHED) | S(ST_HANDLING), PERM_EVENT_DISPATCH,
				act_extend_decide },
	[ACT_SAMPLE] = { S(ST_CLOSED), PERM_EVENT_VERIFY, act_sample },
};

static bool
has_text(const char *s)
{
	return s && utf8_visible_length(s) > 0 && utf8_length(s) <= 2000 &&
	    utf8_is_clean_text(s, strlen(s));
}

/* Sets the note for the timeline (bounded copy). */
static void
note(struct act *a, const char *text)
{
	utf8_copy(a->note, sizeof a->note, text ? text : "");
}

/* Township rooms work on events at grid and township level; the county centre on all. */
static int
level_check(struct act *a)
{
	if (a->who->roles & (1u << ROLE_COUNTY_CENTER) || a->who->scope_all_events)
		return 0;
	if (strcmp(a->e.level, "county") == 0)
		return fail(a->f, ERR_CONFLICT, M_EV_WRONG_LEVEL, NULL);
	return 0;
}

static int
act_accept(struct act *a)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EV_ACCEPT);
	int rc;

	if ((rc = level_check(a)) != 0 || s == NULL)
		return s ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->now);
	db_bind_int(s, 3, deadline_finish(&a->cat, a->e.urgency, a->now));
	/* Accepting means this level takes the case on. */
	db_bind_text(s, 4, (a->who->roles & (1u << ROLE_COUNTY_CENTER)) ? "county" : "township");
	a->to = ST_ACCEPTED;
	note(a, a->in->note);
	return db_run(s);
}

/* Ends an event without handling it (rejected or merged). */
static int
close_as(struct act *a, enum event_state to, const char *reason, int64_t into)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EV_CLOSE_AS);

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, event_state_name(to));
	db_bind_text(s, 3, reason);
	if (into)
		db_bind_int(s, 4, into);
	db_bind_int(s, 5, a->now);
	a->to = to;
	return db_run(s);
}

static int
act_reject(struct act *a)
{
	int rc = level_check(a);

	if (rc != 0)
		return rc;
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	note(a, a->in->note);
	return close_as(a, ST_REJECTED, a->in->note, 0);
}

static int
act_merge(struct act *a)
{
	struct ev target;
	struct fail ignore = { 0 };
	int rc;

	if ((rc = level_check(a)) != 0)
		return rc;
	if (a->in->into == a->e.id || ev_load_visible(a->w, a->who, a->in->into, &target, &ignore) ||
	    event_state_ended(target.state))
		return fail(a->f, ERR_INVALID, M_EV_MERGE_TARGET_BAD, "into");
	snprintf(a->note, sizeof a->note, "→ %s", target.case_no);
	if ((rc = close_as(a, ST_MERGED, "", target.id)) != 0)
		return rc;
	char back[80];

	snprintf(back, sizeof back, "← %s", a->e.case_no);
	return timeline_add(a->w, a->who, target.id, "merged_in", "", "", back);
}

/* A unit may receive a dispatch from this actor when it exists and lies in scope. */
static int
unit_ok(struct act *a, int64_t unit_id, const char *field, char *name, size_t n)
{
	struct db_stmt *s = db_stmt(a->w, STMT_UNIT_BRIEF);
	int rc;

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, unit_id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : fail(a->f, ERR_INVALID, M_EV_UNIT_BAD, field);
	utf8_copy(name, n, db_col_text(s, 1));
	rc = actor_in_scope(a->who, db_col_text(s, 2)) ? 0
	    : fail(a->f, ERR_INVALID, M_EV_UNIT_BAD, field);
	db_reset(s);
	return rc;
}

static int
insert_dispatch(struct act *a, int64_t unit_id, bool lead, int64_t finish)
{
	struct db_stmt *s = db_stmt(a->w, STMT_DISPATCH_INSERT);

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, unit_id);
	db_bind_int(s, 3, lead);
	if (a->who->user_id)
		db_bind_int(s, 4, a->who->user_id);
	db_bind_int(s, 5, a->now);
	db_bind_int(s, 6, deadline_sign(&a->cat, a->e.urgency, a->now));
	db_bind_int(s, 7, finish);
	db_bind_text(s, 8, a->in->deadline_reason ? a->in->deadline_reason : "");
	return db_run(s);
}

static int
act_dispatch(struct act *a)
{
	int64_t finish = deadline_finish(&a->cat, a->e.urgency, a->now);
	char name[260], co[260];
	struct db_stmt *s;
	int rc;

	if ((rc = level_check(a)) != 0 || (rc = unit_ok(a, a->in->lead_unit, "lead_unit_id", name, sizeof name)) != 0)
		return rc;
	if (a->in->deadline) {
		if (a->in->deadline <= a->now)
			return fail(a->f, ERR_INVALID, M_EV_DEADLINE_PAST, "deadline");
		if (!has_text(a->in->deadline_reason))
			return fail(a->f, ERR_INVALID, M_EV_DEADLINE_REASON, "deadline_reason");
		finish = a->in->deadline;
	}
	if ((rc = insert_dispatch(a, a->in->lead_unit, true, finish)) != 0)
		return rc;
	snprintf(a->note, sizeof a->note, "主办 %s", name);
	for (int i = 0; i < a->in->nco_units && i < 8; i++) {
		if (a->in->co_units[i] == a->in->lead_unit)
			continue;
		if ((rc = unit_ok(a, a->in->co_units[i], "co_unit_ids", co, sizeof co)) != 0 ||
		    (rc = insert_dispatch(a, a->in->co_units[i], false, finish)) != 0 ||
		    (rc = notify(a->w, 0, a->in->co_units[i], a->e.id, "dispatched", a->e.title)) != 0)
			return rc;
		snprintf(a->note + strlen(a->note), sizeof a->note - strlen(a->note), "；协办 %s", co);
	}
	if ((s = db_stmt(a->w, STMT_EV_DISPATCHED)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->in->lead_unit);
	db_bind_int(s, 3, a->now);
	a->to = ST_DISPATCHED;
	if ((rc = db_run(s)) != 0)
		return rc;
	return notify(a->w, 0, a->in->lead_unit, a->e.id, "dispatched", a->e.title);
}

struct my_dispatch {
	int64_t id;
	bool lead, signed_for, fed_back;
	int64_t finish_deadline, dispatched_by;
};

/* The active dispatch of the actor's unit for this event. */
static int
my_dispatch(struct act *a, struct my_dispatch *d)
{
	struct db_stmt *s = db_stmt(a->w, STMT_DISPATCH_ACTIVE_FOR_UNIT);
	int rc;

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->who->unit_id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : fail(a->f, ERR_CONFLICT, M_EV_NOT_DISPATCHED_TO_YOU, NULL);
	d->id = db_col_int(s, 0);
	d->lead = db_col_int(s, 1) != 0;
	d->signed_for = !db_col_null(s, 2);
	d->fed_back = !db_col_null(s, 3);
	d->finish_deadline = db_col_int(s, 4);
	d->dispatched_by = db_col_int(s, 5);
	db_reset(s);
	return 0;
}

static int
act_sign(struct act *a)
{
	struct my_dispatch d;
	struct db_stmt *s;
	int rc;

	if ((rc = my_dispatch(a, &d)) != 0)
		return rc;
	if (d.signed_for)
		return fail(a->f, ERR_CONFLICT, M_EV_ALREADY_SIGNED, NULL);
	if ((s = db_stmt(a->w, STMT_DISPATCH_SIGN)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, d.id);
	db_bind_int(s, 2, a->now);
	if ((rc = db_run(s)) != 0)
		return rc;
	note(a, d.lead ? "主办签收" : "协办签收");
	if (!d.lead || a->e.state == ST_HANDLING)
		return 0;
	a->to = ST_HANDLING;
	s = db_stmt(a->w, STMT_EV_SET_STATE);
	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, "handling");
	db_bind_int(s, 3, a->now);
	return db_run(s);
}

/* A return goes back to the dispatcher and counts against the unit (推诿). */
static int
act_return(struct act *a)
{
	struct my_dispatch d;
	struct db_stmt *s;
	int rc;

	if ((rc = my_dispatch(a, &d)) != 0)
		return rc;
	if (!d.lead)
		return fail(a->f, ERR_CONFLICT, M_EV_NOT_LEAD_UNIT, NULL);
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	if ((s = db_stmt(a->w, STMT_DISPATCH_RETURN_ALL)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->now);
	db_bind_text(s, 3, a->in->note);
	if ((rc = db_run(s)) != 0 || (s = db_stmt(a->w, STMT_EV_RETURNED)) == NULL)
		return rc ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->now);
	if ((rc = db_run(s)) != 0)
		return rc;
	a->to = ST_ACCEPTED;
	note(a, a->in->note);
	return notify(a->w, d.dispatched_by, 0, a->e.id, "returned", a->in->note);
}

static int
act_feedback(struct act *a)
{
	struct my_dispatch d;
	struct db_stmt *s;
	int rc;

	if ((rc = my_dispatch(a, &d)) != 0)
		return rc;
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_RESULT_REQUIRED, "note");
	if ((s = db_stmt(a->w, STMT_DISPATCH_FEEDBACK)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, d.id);
	db_bind_int(s, 2, a->now);
	db_bind_text(s, 3, a->in->note);
	if ((rc = db_run(s)) != 0)
		return rc;
	note(a, a->in->note);
	if (!d.lead)           /* a co-unit's feedback is recorded; the lead closes */
		return 0;
	if (a->e.state != ST_HANDLING)
		return fail(a->f, ERR_CONFLICT, M_EV_STATE_CONFLICT, NULL);
	if ((s = db_stmt(a->w, STMT_EV_HANDLED)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->now);
	db_bind_text(s, 3, a->in->note);
	a->to = ST_HANDLED;
	if ((rc = db_run(s)) != 0)
		return rc;
	return notify(a->w, d.dispatched_by, 0, a->e.id, "handled", a->e.title);
}

/* Sends the event back to its lead unit's active handling. */
static int
reactivate_lead(struct act *a)
{
	struct db_stmt *s = db_stmt(a->w, STMT_DISPATCH_LEAD);
	int64_t id;
	int rc;

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : fail(a->f, ERR_CONFLICT, M_EV_STATE_CONFLICT, NULL);
	id = db_col_int(s, 0);
	db_reset(s);
	if ((s = db_stmt(a->w, STMT_DISPATCH_REACTIVATE)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, id);
	return db_run(s);
}

static int
set_reopened(struct act *a, enum event_state to, int reopen_inc, int sampled)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EV_REOPEN);

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, event_state_name(to));
	db_bind_int(s, 3, reopen_inc);
	db_bind_int(s, 4, sampled);
	db_bind_int(s, 5, a->now);
	a->to = to;
	return db_run(s);
}

static int
close_event(struct act *a)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EV_CLOSED);
	int rc;

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, a->now);
	if ((rc = db_run(s)) != 0 || (s = db_stmt(a->w, STMT_DISPATCH_CLOSE_ALL)) == NULL)
		return rc ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	a->to = ST_CLOSED;
	return db_run(s);
}

static int
act_verify(struct act *a)
{
	if (a->in->ok) {
		note(a, a->in->note ? a->in->note : "核查通过");
		return close_event(a);
	}
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	note(a, a->in->note);
	int rc = reactivate_lead(a);

	return rc ? rc : set_reopened(a, ST_HANDLING, 0, a->e.sampled);
}

static int
act_visit(struct act *a)
{
	static const char *const levels[] = { "satisfied", "basically", "unsatisfied" };
	const char *sat = a->in->satisfaction ? a->in->satisfaction : "";
	bool known = false, unhappy = strcmp(sat, "unsatisfied") == 0;
	struct db_stmt *s;
	int rc;

	for (int i = 0; i < 3; i++)
		known |= strcmp(sat, levels[i]) == 0;
	if (!known)
		return fail(a->f, ERR_INVALID, M_EV_SATISFACTION_BAD, "satisfaction");
	if (a->e.visited)
		return fail(a->f, ERR_CONFLICT, M_EV_ALREADY_VISITED, NULL);
	if (unhappy && a->in->reopen && a->e.reopen_count > 0)
		return fail(a->f, ERR_CONFLICT, M_EV_REOPEN_USED, "reopen");
	if ((s = db_stmt(a->w, STMT_VISIT_INSERT)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, sat);
	db_bind_text(s, 3, a->in->note ? a->in->note : "");
	if (a->who->user_id)
		db_bind_int(s, 4, a->who->user_id);
	db_bind_int(s, 5, a->now);
	if ((rc = db_run(s)) != 0 || (s = db_stmt(a->w, STMT_EV_SATISFACTION)) == NULL)
		return rc ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, sat);
	db_bind_int(s, 3, a->now);
	if ((rc = db_run(s)) != 0)
		return rc;
	snprintf(a->note, sizeof a->note, "%s%s%s", sat, a->in->note ? "：" : "",
	    a->in->note ? a->in->note : "");
	if (!(unhappy && a->in->reopen))
		return 0;
	if ((rc = reactivate_lead(a)) != 0)
		return rc;
	return set_reopened(a, ST_HANDLING, 1, a->e.sampled);
}

/*
 * Grid -> township -> county: a grid worker hands a grid-level event to
 * the township; a township room hands what it holds to the county. The
 * level above triages and dispatches again.
 */
static int
act_escalate(struct act *a)
{
	bool grid = a->who->roles & (1u << ROLE_GRID_WORKER) &&
	    !(a->who->roles & (1u << ROLE_TOWNSHIP_CENTER));
	const char *next = grid ? "township" : "county";
	enum event_state to = a->e.state == ST_REPORTED ? ST_REPORTED : ST_ACCEPTED;
	struct db_stmt *s;
	int rc;

	if (strcmp(a->e.level, "county") == 0)
		return fail(a->f, ERR_CONFLICT, M_EV_TOP_LEVEL, NULL);
	if (grid && strcmp(a->e.level, "grid") != 0)
		return fail(a->f, ERR_CONFLICT, M_EV_WRONG_LEVEL, NULL);
	if ((s = db_stmt(a->w, STMT_DISPATCH_CLOSE_ALL)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	if ((rc = db_run(s)) != 0 || (s = db_stmt(a->w, STMT_EV_ESCALATE)) == NULL)
		return rc ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, next);
	db_bind_text(s, 3, event_state_name(to));
	db_bind_int(s, 4, a->who->scope_all_events ? 1 : 0);
	db_bind_int(s, 5, a->now);
	a->to = to;
	snprintf(a->note, sizeof a->note, "%s → %s%s%s", a->e.level, next,
	    a->in->note ? "：" : "", a->in->note ? a->in->note : "");
	return db_run(s);
}

static int
act_supervise(struct act *a)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EV_SUPERVISE);

	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	if (a->in->supervise_due && a->in->supervise_due <= a->now)
		return fail(a->f, ERR_INVALID, M_EV_DUE_BAD, "due");
	if (s == NULL)
		return ERR_INTERNAL;
	db_bind_int(s, 1, a->e.id);
	db_bind_text(s, 2, a->in->note);
	if (a->in->supervise_due)
		db_bind_int(s, 3, a->in->supervise_due);
	db_bind_int(s, 4, a->now);
	note(a, a->in->note);
	if (a->e.lead_unit_id && notify(a->w, 0, a->e.lead_unit_id, a->e.id, "supervised",
	    a->in->note) != 0)
		return ERR_INTERNAL;
	return db_run(s);
}

static bool
is_petition(const struct act *a)
{
	return strcmp(a->e.kind, "petition") == 0;
}

static int
pending_extension(struct act *a, int64_t *id, int64_t *dispatch_id, int *days)
{
	struct db_stmt *s = db_stmt(a->w, STMT_EXT_PENDING);
	int rc;

	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	*id = db_col_int(s, 0);
	*dispatch_id = db_col_int(s, 1);
	*days = (int)db_col_int(s, 2);
	db_reset(s);
	return 0;
}

static int
act_extend_request(struct act *a)
{
	struct my_dispatch d;
	struct db_stmt *s;
	int64_t pid, pdispatch;
	int pdays, rc;

	if ((rc = my_dispatch(a, &d)) != 0)
		return rc;
	if (!d.lead)
		return fail(a->f, ERR_CONFLICT, M_EV_NOT_LEAD_UNIT, NULL);
	if (a->in->days < 1 || a->in->days > 30)
		return fail(a->f, ERR_INVALID, M_EV_EXTENSION_DAYS, "days");
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	if (is_petition(a) && a->e.extension_used > 0)
		return fail(a->f, ERR_CONFLICT, M_EV_EXTENSION_USED, NULL);
	rc = pending_extension(a, &pid, &pdispatch, &pdays);
	if (rc == 0)
		return fail(a->f, ERR_CONFLICT, M_EV_EXTENSION_PENDING, NULL);
	if (rc != ERR_NOT_FOUND || (s = db_stmt(a->w, STMT_EXT_INSERT)) == NULL)
		return rc != ERR_NOT_FOUND ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, d.id);
	db_bind_int(s, 3, a->in->days);
	db_bind_text(s, 4, a->in->note);
	if (a->who->user_id)
		db_bind_int(s, 5, a->who->user_id);
	db_bind_int(s, 6, a->now);
	snprintf(a->note, sizeof a->note, "%d 天：%s", a->in->days, a->in->note);
	if ((rc = db_run(s)) != 0)
		return rc;
	return notify(a->w, d.dispatched_by, 0, a->e.id, "extension_requested", a->in->note);
}

/* Moves a deadline by days: calendar days for petitions, working days otherwise. */
static int64_t
moved(const struct act *a, int64_t deadline, int days)
{
	if (is_petition(a))
		return deadline_calendar_days(deadline, days);
	return calendar_add_workdays(event_calendar(), deadline, days);
}

static int
act_extend_decide(struct act *a)
{
	struct db_stmt *s;
	int64_t id, dispatch_id, finish = 0;
	int days, rc;

	if ((rc = pending_extension(a, &id, &dispatch_id, &days)) != 0)
		return rc == ERR_NOT_FOUND ? fail(a->f, ERR_CONFLICT, M_EV_EXTENSION_NONE, NULL) : rc;
	if ((s = db_stmt(a->w, STMT_EXT_DECIDE)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, a->in->ok ? "granted" : "refused");
	if (a->who->user_id)
		db_bind_int(s, 3, a->who->user_id);
	db_bind_int(s, 4, a->now);
	db_bind_text(s, 5, a->in->note ? a->in->note : "");
	if ((rc = db_run(s)) != 0)
		return rc;
	snprintf(a->note, sizeof a->note, "%s %d 天%s%s", a->in->ok ? "同意延期" : "不同意延期", days,
	    a->in->note ? "：" : "", a->in->note ? a->in->note : "");
	if (!a->in->ok)
		return 0;
	s = db_stmt(a->w, STMT_DISPATCH_LEAD);
	if (s == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	if (db_step(s) == DB_ROW) {
		finish = db_col_int(s, 3);
		db_reset(s);
	}
	if ((s = db_stmt(a->w, STMT_DISPATCH_EXTEND)) == NULL)
		return db_stmt_error(a->w);
	db_bind_int(s, 1, dispatch_id);
	db_bind_int(s, 2, moved(a, finish, days));
	if ((rc = db_run(s)) != 0 || (s = db_stmt(a->w, STMT_EV_EXTEND)) == NULL)
		return rc ? rc : db_stmt_error(a->w);
	db_bind_int(s, 1, a->e.id);
	db_bind_int(s, 2, moved(a, a->e.deadline_at ? a->e.deadline_at : a->now, days));
	db_bind_int(s, 3, a->now);
	return db_run(s);
}

/* The centre samples on-the-spot resolutions: confirm, or send back for handling. */
static int
act_sample(struct act *a)
{
	struct db_stmt *s;

	if (!a->e.on_the_spot)
		return fail(a->f, ERR_CONFLICT, M_EV_NOT_ON_THE_SPOT, NULL);
	if (a->e.sampled)
		return fail(a->f, ERR_CONFLICT, M_EV_ALREADY_SAMPLED, NULL);
	if (a->in->ok) {
		if ((s = db_stmt(a->w, STMT_EV_SAMPLED)) == NULL)
			return db_stmt_error(a->w);
		db_bind_int(s, 1, a->e.id);
		db_bind_int(s, 2, a->now);
		note(a, a->in->note ? a->in->note : "抽查属实");
		return db_run(s);
	}
	if (!has_text(a->in->note))
		return fail(a->f, ERR_INVALID, M_EV_REASON_REQUIRED, "note");
	note(a, a->in->note);
	return set_reopened(a, ST_ACCEPTED, 0, 1);
}

/* Loads the event in w and checks everything that does not depend on the action's arguments. */
static int
prepare(struct act *a, int64_t id, enum event_action action, int64_t version)
{
	const struct transition *t = &transitions[action];
	int rc;

	if ((rc = ev_load_visible(a->w, a->who, id, &a->e, a->f)) != 0)
		return rc;
	if (!(a->who->perms & PERM_BIT(t->perm)))
		return fail(a->f, ERR_FORBIDDEN, M_FORBIDDEN, NULL);
	if (version && version != a->e.version)
		return fail(a->f, ERR_STALE, M_STALE_VERSION, "version");
	if (!(t->from & S(a->e.state)))
		return fail(a->f, ERR_CONFLICT, M_EV_STATE_CONFLICT, "state");
	if ((rc = category_load(a->w, NULL, a->e.category_id, &a->cat)) != 0)
		return rc;
	a->to = a->e.state;
	return 0;
}

int
event_act(struct db *db, const struct actor *who, int64_t id, enum event_action action,
    const struct action_input *in, int64_t version, struct fail *f)
{
	struct act a = { .who = who, .in = in, .f = f, .now = clock_now_ms() };
	char idtext[24], detail[96];
	int rc;

	if ((unsigned)action >= ACT_COUNT_)
		return fail(f, ERR_NOT_FOUND, M_ROUTE_NOT_FOUND, NULL);
	if ((rc = db_write_begin(db, &a.w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = prepare(&a, id, action, version)) != 0 || (rc = transitions[action].apply(&a)) != 0)
		goto out;
	rc = timeline_add(a.w, who, id, event_action_name(action), event_state_name(a.e.state),
	    event_state_name(a.to), a.note);
	if (rc != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\"}", event_state_name(a.e.state),
	    event_state_name(a.to));
	char name[48];

	snprintf(name, sizeof name, "event.%s", event_action_name(action));
	rc = audit_write(a.w, who, name, "event", idtext, detail);
out:
	rc = txn_finish(db, rc, f);
	if (rc == 0)
		event_bus_publish(event_action_name(action), id, a.e.path);
	return rc;
}
