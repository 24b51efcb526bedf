/* Loading events under the scope rules, timeline entries, notifications, names. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/auth/roles.h"
#include "domain/event/event_internal.h"

static const struct { const char *name, *zh, *en; } states[ST_COUNT_] = {
#define X(id, name, zh, en) [id] = { name, zh, en },
	EVENT_STATE_LIST(X)
#undef X
};

static const char *const actions[ACT_COUNT_] = {
#define X(id, name) [id] = name,
	EVENT_ACTION_LIST(X)
#undef X
};

const char *
event_state_name(enum event_state s)
{
	return (unsigned)s < ST_COUNT_ ? states[s].name : "";
}

bool
event_state_ended(enum event_state s)
{
	return s == ST_CLOSED || s == ST_REJECTED || s == ST_MERGED;
}

const char *
event_state_label(enum event_state s, bool en)
{
	if ((unsigned)s >= ST_COUNT_)
		return "";
	return en ? states[s].en : states[s].zh;
}

enum event_state
event_state_by_name(const char *name)
{
	for (int i = 0; name && i < ST_COUNT_; i++)
		if (strcmp(states[i].name, name) == 0)
			return (enum event_state)i;
	return ST_COUNT_;
}

enum event_action
event_action_by_name(const char *name)
{
	for (int i = 0; name && i < ACT_COUNT_; i++)
		if (strcmp(actions[i], name) == 0)
			return (enum event_action)i;
	return ACT_COUNT_;
}

const char *
event_action_name(enum event_action a)
{
	return (unsigned)a < ACT_COUNT_ ? actions[a] : "";
}

bool
actor_unit_bound(const struct actor *who)
{
	return (who->perms & PERM_BIT(PERM_EVENT_HANDLE)) &&
	    !(who->perms & PERM_BIT(PERM_EVENT_TRIAGE)) && !who->scope_all_events;
}

bool
ev_visible(struct db_conn *c, const struct actor *who, const struct ev *e)
{
	struct db_stmt *s;
	bool yes;

	if (!actor_in_scope(who, e->path))
		return false;
	if (!actor_unit_bound(who))
		return true;
	if ((s = db_stmt(c, STMT_EV_UNIT_DISPATCHED)) == NULL)
		return false;
	db_bind_int(s, 1, e->id);
	db_bind_int(s, 2, who->unit_id);
	yes = db_step(s) == DB_ROW;
	db_reset(s);
	return yes;
}

static void
ev_from_stmt(struct db_stmt *s, struct ev *e)
{
	memset(e, 0, sizeof *e);
	e->id = db_col_int(s, 0);
	snprintf(e->case_no, sizeof e->case_no, "%s", db_col_text(s, 1));
	e->state = event_state_by_name(db_col_text(s, 2));
	e->version = db_col_int(s, 3);
	snprintf(e->path, sizeof e->path, "%s", db_col_text(s, 4));
	e->category_id = db_col_int(s, 5);
	snprintf(e->kind, sizeof e->kind, "%s", db_col_text(s, 6));
	snprintf(e->urgency, sizeof e->urgency, "%s", db_col_text(s, 7));
	snprintf(e->level, sizeof e->level, "%s", db_col_text(s, 8));
	e->accepted_at = db_col_int(s, 9);
	e->deadline_at = db_col_int(s, 10);
	e->lead_unit_id = db_col_int(s, 11);
	e->reopen_count = (int)db_col_int(s, 12);
	e->extension_used = (int)db_col_int(s, 13);
	e->on_the_spot = db_col_int(s, 14) != 0;
	e->reported_at = db_col_int(s, 15);
	e->closed_at = db_col_int(s, 16);
	utf8_copy(e->title, sizeof e->title, db_col_text(s, 17));
	e->accept_deadline = db_col_int(s, 18);
	e->sampled = db_col_int(s, 19) != 0;
	snprintf(e->color, sizeof e->color, "%s", db_col_text(s, 20));
	e->supervised = db_col_int(s, 21) != 0;
	e->visited = db_col_int(s, 22) != 0;
	e->extension_pending = db_col_int(s, 23) != 0;
}

int
ev_load_visible(struct db_conn *c, const struct actor *who, int64_t id, struct ev *e,
    struct fail *f)
{
	struct db_stmt *s = db_stmt(c, STMT_EV_LOAD);
	int rc;

	if (s == NULL)
		return fail(f, db_stmt_error(c), M_INTERNAL, NULL);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL)
			      : fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	ev_from_stmt(s, e);
	db_reset(s);
	if (!ev_visible(c, who, e))
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	return 0;
}

int
timeline_add(struct db_conn *w, const struct actor *who, int64_t event_id, const char *action,
    const char *from, const char *to, const char *note)
{
	struct db_stmt *s = db_stmt(w, STMT_TIMELINE_ADD);

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, event_id);
	db_bind_int(s, 2, clock_now_ms());
	if (who->user_id)
		db_bind_int(s, 3, who->user_id);
	db_bind_text(s, 4, who->display_name[0] ? who->display_name : who->username);
	db_bind_text(s, 5, action);
	db_bind_text(s, 6, from ? from : "");
	db_bind_text(s, 7, to ? to : "");
	db_bind_text(s, 8, note ? note : "");
	return db_run(s);
}

int
notify(struct db_conn *w, int64_t user_id, int64_t unit_id, int64_t event_id, const char *kind,
    const char *message)
{
	struct db_stmt *s = db_stmt(w, STMT_NOTIFY_INSERT);

	if (s == NULL)
		return db_stmt_error(w);
	if (user_id)
		db_bind_int(s, 1, user_id);
	if (unit_id)
		db_bind_int(s, 2, unit_id);
	if (event_id)
		db_bind_int(s, 3, event_id);
	db_bind_text(s, 4, kind);
	db_bind_text(s, 5, message);
	db_bind_int(s, 6, clock_now_ms());
	return db_run(s);
}

bool
event_visible_id(struct db *db, const struct actor *who, int64_t id)
{
	struct db_conn *c = db_reader(db);
	struct fail f = { 0 };
	struct ev e;
	bool yes;

	if (c == NULL)
		return false;
	yes = ev_load_visible(c, who, id, &e, &f) == 0;
	db_reader_done(db);
	return yes;
}
