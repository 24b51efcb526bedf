/* Reading events: one with everything about it, lists with filters, duplicates, reveal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"
#include "domain/event/category.h"
#include "domain/event/event_internal.h"
#include "domain/org/division.h"
#include "domain/json_time.h"
#include "domain/pii/pii_col.h"
#include "domain/pii/reveal.h"
#include "domain/txn.h"

static json_t *
time_col(struct db_stmt *s, int col)
{
	return db_col_null(s, col) ? json_null() : json_time(db_col_int(s, col));
}

/* The summary columns (EV_SUMMARY) as JSON. */
json_t *
event_summary_json(struct db_stmt *s, bool en)
{
	enum event_state st = event_state_by_name(db_col_text(s, 3));

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:{s:s, s:s}, "
	    "s:o, s:o, s:b, s:s, s:s, s:s, s:b, s:I, s:b, s:o, s:o}",
	    "id", (json_int_t)db_col_int(s, 0), "case_no", db_col_text(s, 1),
	    "title", db_col_text(s, 2), "state", db_col_text(s, 3),
	    "state_label", event_state_label(st, en), "channel", db_col_text(s, 4),
	    "category", "code", db_col_text(s, 5), "name", db_col_text(s, 6),
	    "urgency", db_col_text(s, 7), "color", db_col_text(s, 8),
	    "division", "code", db_col_text(s, 10), "name", db_col_text(s, 11),
	    "reported_at", time_col(s, 12), "deadline_at", time_col(s, 13),
	    "supervised", db_col_int(s, 14) != 0, "level", db_col_text(s, 15),
	    "lead_unit", db_col_text(s, 16), "kind", db_col_text(s, 17),
	    "backlog", db_col_int(s, 18) != 0, "version", (json_int_t)db_col_int(s, 19),
	    "on_the_spot", db_col_int(s, 20) != 0,
	    "lat", db_col_null(s, 21) ? json_null() : json_real(db_col_double(s, 21)),
	    "lng", db_col_null(s, 22) ? json_null() : json_real(db_col_double(s, 22)));
}

static json_t *
parties_json(struct db_conn *c, int64_t id, bool reveal)
{
	struct db_stmt *s = db_stmt(c, STMT_PARTIES);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o, s:o}",
		    "id", (json_int_t)db_col_int(s, 0), "role", db_col_text(s, 1),
		    "name", pii_col_json(s, 2, PII_NAME, reveal),
		    "id_number", pii_col_json(s, 3, PII_ID_NUMBER, reveal),
		    "phone", pii_col_json(s, 4, PII_PHONE, reveal)));
	return arr;
}

static json_t *
timeline_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_TIMELINE);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}",
		    "at", time_col(s, 0), "actor", db_col_text(s, 1), "action", db_col_text(s, 2),
		    "from", db_col_text(s, 3), "to", db_col_text(s, 4), "note", db_col_text(s, 5)));
	return arr;
}

static json_t *
dispatches_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_DISPATCHES);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:b, s:o, s:o, s:o, s:o, s:o, "
		    "s:s, s:o, s:s, s:b, s:s, s:s}",
		    "id", (json_int_t)db_col_int(s, 0), "unit_id", (json_int_t)db_col_int(s, 1),
		    "unit_name", db_col_text(s, 2), "lead", db_col_int(s, 3) != 0,
		    "dispatched_at", time_col(s, 4), "sign_deadline", time_col(s, 5),
		    "finish_deadline", time_col(s, 6), "signed_at", time_col(s, 7),
		    "feedback_at", time_col(s, 8), "feedback", db_col_text(s, 9),
		    "returned_at", time_col(s, 10), "return_reason", db_col_text(s, 11),
		    "active", db_col_int(s, 12) != 0, "color", db_col_text(s, 13),
		    "deadline_reason", db_col_text(s, 14)));
	return arr;
}

static json_t *
attachments_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_ATTACHMENTS);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:I, s:s, s:s, s:o}",
		    "id", (json_int_t)db_col_int(s, 0), "mime", db_col_text(s, 2),
		    "size", (json_int_t)db_col_int(s, 3), "name", db_col_text(s, 4),
		    "purpose", db_col_text(s, 5), "created_at", time_col(s, 6)));
	return arr;
}

static json_t *
extensions_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_EXT_LIST);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:i, s:s, s:o, s:o, s:o, s:s}",
		    "days", (int)db_col_int(s, 0), "reason", db_col_text(s, 1),
		    "requested_at", time_col(s, 2),
		    "decision", db_col_null(s, 3) ? json_null() : json_string(db_col_text(s, 3)),
		    "decided_at", time_col(s, 4), "note", db_col_text(s, 5)));
	return arr;
}

static json_t *
visits_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_VISITS);
	json_t *arr = json_array();

	if (s == NULL)
		return arr;
	db_bind_int(s, 1, id);
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "satisfaction",
		    db_col_text(s, 0), "comment", db_col_text(s, 1), "at", time_col(s, 2)));
	return arr;
}

/* The detail columns after the summary (index 23 on) into obj. */
static void
detail_fields(struct db_stmt *s, json_t *o, bool reveal)
{
	json_object_set_new(o, "description", json_string(db_col_text(s, 23)));
	json_object_set_new(o, "address", pii_col_json(s, 24, PII_ADDRESS, reveal));
	json_object_set_new(o, "occurred_at", time_col(s, 25));
	json_object_set_new(o, "reporter_name", pii_col_json(s, 26, PII_NAME, reveal));
	json_object_set_new(o, "reporter_phone", pii_col_json(s, 27, PII_PHONE, reveal));
	json_object_set_new(o, "anonymous", json_boolean(db_col_int(s, 28)));
	json_object_set_new(o, "tags", json_string(db_col_text(s, 29)));
	json_object_set_new(o, "accepted_at", time_col(s, 30));
	json_object_set_new(o, "handled_at", time_col(s, 31));
	json_object_set_new(o, "closed_at", time_col(s, 32));
	json_object_set_new(o, "closed_on_time",
	    db_col_null(s, 33) ? json_null() : json_boolean(db_col_int(s, 33)));
	json_object_set_new(o, "result", json_string(db_col_text(s, 34)));
	json_object_set_new(o, "reject_reason", json_string(db_col_text(s, 35)));
	json_object_set_new(o, "merged_into", db_col_null(s, 36) ? json_null()
	    : json_integer(db_col_int(s, 36)));
	json_object_set_new(o, "reopen_count", json_integer(db_col_int(s, 37)));
	json_object_set_new(o, "return_count", json_integer(db_col_int(s, 38)));
	json_object_set_new(o, "extension_used", json_integer(db_col_int(s, 39)));
	json_object_set_new(o, "sampled", json_boolean(db_col_int(s, 40)));
	json_object_set_new(o, "satisfaction", db_col_null(s, 41) ? json_null()
	    : json_string(db_col_text(s, 41)));
	json_object_set_new(o, "supervise_note", json_string(db_col_text(s, 42)));
	json_object_set_new(o, "supervise_due", time_col(s, 43));
	json_object_set_new(o, "petition_level", db_col_null(s, 44) ? json_null()
	    : json_string(db_col_text(s, 44)));
	json_object_set_new(o, "leader_in_charge", json_string(db_col_text(s, 45)));
	json_object_set_new(o, "repeat_count", json_integer(db_col_int(s, 46)));
	json_object_set_new(o, "accept_deadline", time_col(s, 47));
	json_object_set_new(o, "lead_unit_id", db_col_null(s, 48) ? json_null()
	    : json_integer(db_col_int(s, 48)));
}

/* Which actions the actor may try now: state and permission (the server checks again). */
static json_t *
allowed_actions(const struct actor *who, const struct ev *e)
{
	static const struct { enum event_action a; unsigned from; enum perm perm; } rules[] = {
		{ ACT_ACCEPT, 1u << ST_REPORTED, PERM_EVENT_TRIAGE },
		{ ACT_REJECT, 1u << ST_REPORTED, PERM_EVENT_TRIAGE },
		{ ACT_MERGE, 1u << ST_REPORTED, PERM_EVENT_TRIAGE },
		{ ACT_DISPATCH, 1u << ST_ACCEPTED, PERM_EVENT_DISPATCH },
		{ ACT_SIGN, 1u << ST_DISPATCHED, PERM_EVENT_HANDLE },
		{ ACT_RETURN, (1u << ST_DISPATCHED) | (1u << ST_HANDLING), PERM_EVENT_HANDLE },
		{ ACT_FEEDBACK, 1u << ST_HANDLING, PERM_EVENT_HANDLE },
		{ ACT_EXTEND_REQUEST, 1u << ST_HANDLING, PERM_EVENT_HANDLE },
		{ ACT_EXTEND_DECIDE, (1u << ST_DISPATCHED) | (1u << ST_HANDLING), PERM_EVENT_DISPATCH },
		{ ACT_VERIFY, 1u << ST_HANDLED, PERM_EVENT_VERIFY },
		{ ACT_VISIT, 1u << ST_CLOSED, PERM_EVENT_VERIFY },
		{ ACT_SAMPLE, 1u << ST_CLOSED, PERM_EVENT_VERIFY },
		{ ACT_ESCALATE, (1u << ST_REPORTED) | (1u << ST_ACCEPTED) | (1u << ST_DISPATCHED) |
		    (1u << ST_HANDLING), PERM_EVENT_ESCALATE },
		{ ACT_SUPERVISE, (1u << ST_REPORTED) | (1u << ST_ACCEPTED) | (1u << ST_DISPATCHED) |
		    (1u << ST_HANDLING) | (1u << ST_HANDLED), PERM_EVENT_SUPERVISE },
	};
	json_t *arr = json_array();

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (!(rules[i].from & (1u << e->state)) || !(who->perms & PERM_BIT(rules[i].perm)))
			continue;
		if (rules[i].a == ACT_SAMPLE && (!e->on_the_spot || e->sampled))
			continue;
		if (rules[i].a == ACT_ESCALATE && strcmp(e->level, "county") == 0)
			continue;
		if (rules[i].a == ACT_VISIT && (e->visited || e->on_the_spot))
			continue;
		if (rules[i].a == ACT_EXTEND_DECIDE && !e->extension_pending)
			continue;
		/* Triage and dispatch of county-level events belong to the county centre. */
		if ((rules[i].a == ACT_ACCEPT || rules[i].a == ACT_REJECT || rules[i].a == ACT_MERGE ||
			rules[i].a == ACT_DISPATCH) && strcmp(e->level, "county") == 0 &&
		    !(who->roles & (1u << ROLE_COUNTY_CENTER)) && !who->scope_all_events)
			continue;
		json_array_append_new(arr, json_string(event_action_name(rules[i].a)));
	}
	return arr;
}

static bool
json_array_has(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* The routing rules' default lead unit for this category and place, or null. */
static json_t *
suggested_unit(struct db_conn *c, const struct ev *e)
{
	char name[128];
	int64_t id;

	if (routing_suggest(c, e->category_id, e->path, &id, name, sizeof name) != 0)
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

/* Builds the whole event for reading; reveal decrypts personal data in clear. */
static int
event_build(struct db_conn *c, const struct actor *who, const struct ev *e, bool en, bool reveal,
    json_t **out)
{
	struct db_stmt *s = db_stmt(c, STMT_EV_DETAIL);
	json_t *o;
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, e->id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	o = event_summary_json(s, en);
	detail_fields(s, o, reveal);
	db_reset(s);
	json_object_set_new(o, "parties", parties_json(c, e->id, reveal));
	json_object_set_new(o, "dispatches", dispatches_json(c, e->id));
	json_object_set_new(o, "timeline", timeline_json(c, e->id));
	json_object_set_new(o, "attachments", attachments_json(c, e->id));
	json_object_set_new(o, "extensions", extensions_json(c, e->id));
	json_object_set_new(o, "visits", visits_json(c, e->id));
	json_t *actions = allowed_actions(who, e);

	json_object_set_new(o, "allowed_actions", actions);
	/* Only a caller about to triage or dispatch needs the routing rules' suggestion. */
	json_object_set_new(o, "suggested_unit", json_array_has(actions, "accept") ||
	    json_array_has(actions, "dispatch") ? suggested_unit(c, e) : json_null());
	*out = o;
	return 0;
}

int
event_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f)
{
	struct db_conn *c = db_reader(db);
	struct ev e;
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = ev_load_visible(c, who, id, &e, f)) != 0)
		return rc;
	rc = event_build(c, who, &e, en, false, out);
	return rc ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL) : 0;
}

int
event_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f)
{
	struct db_conn *w;
	struct ev e;
	json_t *full;
	int rc;

	if ((rc = reveal_allowed(who, reason, f)) != 0)
		return rc;
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = ev_load_visible(w, who, id, &e, f)) != 0 ||
	    (rc = event_build(w, who, &e, false, true, &full)) != 0)
		goto out;
	*out = json_pack("{s:O, s:O, s:O, s:O}", "reporter_name",
	    json_object_get(full, "reporter_name"), "reporter_phone",
	    json_object_get(full, "reporter_phone"), "address", json_object_get(full, "address"),
	    "parties", json_object_get(full, "parties"));
	json_decref(full);
	if ((rc = reveal_audit(w, who, "event", id, reason)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
out:
	return txn_finish(db, rc, f);
}
