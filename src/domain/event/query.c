/* Reading events: one with everything about it, lists with filters, duplicates, reveal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_write.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"
#include "domain/event/category.h"
#include "domain/event/event_internal.h"
#include "domain/event/render_cache.h"
#include "domain/org/division.h"
#include "domain/json_time.h"
#include "domain/pii/pii_col.h"
#include "domain/pii/reveal.h"
#include "domain/txn.h"

static void
time_col(struct jw *w, const char *key, struct db_stmt *s, int col)
{
	jw_time(w, key, db_col_null(s, col) ? 0 : db_col_int(s, col));
}

static void
real_col(struct jw *w, const char *key, struct db_stmt *s, int col)
{
	if (db_col_null(s, col))
		jw_null(w, key);
	else
		jw_real(w, key, db_col_double(s, col));
}

static void
text_or_null_col(struct jw *w, const char *key, struct db_stmt *s, int col)
{
	jw_str(w, key, db_col_null(s, col) ? NULL : db_col_text(s, col));
}

static void
int_or_null_col(struct jw *w, const char *key, struct db_stmt *s, int col)
{
	if (db_col_null(s, col))
		jw_null(w, key);
	else
		jw_int(w, key, db_col_int(s, col));
}

void
event_summary_fields(struct jw *w, struct db_stmt *s, bool en)
{
	enum event_state st = event_state_by_name(db_col_text(s, 3));

	jw_int(w, "id", db_col_int(s, 0));
	jw_str(w, "case_no", db_col_text(s, 1));
	jw_str(w, "title", db_col_text(s, 2));
	jw_str(w, "state", db_col_text(s, 3));
	jw_str(w, "state_label", event_state_label(st, en));
	jw_str(w, "channel", db_col_text(s, 4));
	jw_object(w, "category");
	jw_str(w, "code", db_col_text(s, 5));
	jw_str(w, "name", db_col_text(s, 6));
	jw_end(w);
	jw_str(w, "urgency", db_col_text(s, 7));
	jw_str(w, "color", db_col_text(s, 8));
	jw_object(w, "division");
	jw_str(w, "code", db_col_text(s, 10));
	jw_str(w, "name", db_col_text(s, 11));
	jw_end(w);
	time_col(w, "reported_at", s, 12);
	time_col(w, "deadline_at", s, 13);
	jw_bool(w, "supervised", db_col_int(s, 14) != 0);
	jw_str(w, "level", db_col_text(s, 15));
	jw_str(w, "lead_unit", db_col_text(s, 16));
	jw_str(w, "kind", db_col_text(s, 17));
	jw_bool(w, "backlog", db_col_int(s, 18) != 0);
	jw_int(w, "version", db_col_int(s, 19));
	jw_bool(w, "on_the_spot", db_col_int(s, 20) != 0);
	real_col(w, "lat", s, 21);
	real_col(w, "lng", s, 22);
}

static void
party_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	jw_int(w, "id", db_col_int(s, 0));
	jw_str(w, "role", db_col_text(s, 1));
	pii_col_write(w, "name", s, 2, PII_NAME, reveal);
	pii_col_write(w, "id_number", s, 3, PII_ID_NUMBER, reveal);
	pii_col_write(w, "phone", s, 4, PII_PHONE, reveal);
}

static void
timeline_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	(void)reveal;
	time_col(w, "at", s, 0);
	jw_str(w, "actor", db_col_text(s, 1));
	jw_str(w, "action", db_col_text(s, 2));
	jw_str(w, "from", db_col_text(s, 3));
	jw_str(w, "to", db_col_text(s, 4));
	jw_str(w, "note", db_col_text(s, 5));
}

static void
dispatch_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	(void)reveal;
	jw_int(w, "id", db_col_int(s, 0));
	jw_int(w, "unit_id", db_col_int(s, 1));
	jw_str(w, "unit_name", db_col_text(s, 2));
	jw_bool(w, "lead", db_col_int(s, 3) != 0);
	time_col(w, "dispatched_at", s, 4);
	time_col(w, "sign_deadline", s, 5);
	time_col(w, "finish_deadline", s, 6);
	time_col(w, "signed_at", s, 7);
	time_col(w, "feedback_at", s, 8);
	jw_str(w, "feedback", db_col_text(s, 9));
	time_col(w, "returned_at", s, 10);
	jw_str(w, "return_reason", db_col_text(s, 11));
	jw_bool(w, "active", db_col_int(s, 12) != 0);
	jw_str(w, "color", db_col_text(s, 13));
	jw_str(w, "deadline_reason", db_col_text(s, 14));
}

static void
attachment_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	(void)reveal;
	jw_int(w, "id", db_col_int(s, 0));
	jw_str(w, "mime", db_col_text(s, 2));
	jw_int(w, "size", db_col_int(s, 3));
	jw_str(w, "name", db_col_text(s, 4));
	jw_str(w, "purpose", db_col_text(s, 5));
	time_col(w, "created_at", s, 6);
}

static void
extension_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	(void)reveal;
	jw_int(w, "days", db_col_int(s, 0));
	jw_str(w, "reason", db_col_text(s, 1));
	time_col(w, "requested_at", s, 2);
	text_or_null_col(w, "decision", s, 3);
	time_col(w, "decided_at", s, 4);
	jw_str(w, "note", db_col_text(s, 5));
}

static void
visit_row(struct jw *w, struct db_stmt *s, bool reveal)
{
	(void)reveal;
	jw_str(w, "satisfaction", db_col_text(s, 0));
	jw_str(w, "comment", db_col_text(s, 1));
	time_col(w, "at", s, 2);
}

/* The event's rows of one child table, as an array of objects under key. */
static int
child_rows(struct db_conn *c, struct jw *w, const char *key, enum stmt_id stmt, int64_t id,
    void (*row)(struct jw *, struct db_stmt *, bool), bool reveal)
{
	struct db_stmt *s = db_stmt(c, stmt);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, id);
	jw_array(w, key);
	while ((rc = db_step(s)) == DB_ROW) {
		jw_object(w, NULL);
		row(w, s, reveal);
		jw_end(w);
	}
	jw_end(w);
	return rc < 0 ? rc : 0;
}

/* The detail columns after the summary (index 23 on). */
static void
detail_fields(struct jw *w, struct db_stmt *s, bool reveal)
{
	jw_str(w, "description", db_col_text(s, 23));
	pii_col_write(w, "address", s, 24, PII_ADDRESS, reveal);
	time_col(w, "occurred_at", s, 25);
	pii_col_write(w, "reporter_name", s, 26, PII_NAME, reveal);
	pii_col_write(w, "reporter_phone", s, 27, PII_PHONE, reveal);
	jw_bool(w, "anonymous", db_col_int(s, 28) != 0);
	jw_str(w, "tags", db_col_text(s, 29));
	time_col(w, "accepted_at", s, 30);
	time_col(w, "handled_at", s, 31);
	time_col(w, "closed_at", s, 32);
	if (db_col_null(s, 33))
		jw_null(w, "closed_on_time");
	else
		jw_bool(w, "closed_on_time", db_col_int(s, 33) != 0);
	jw_str(w, "result", db_col_text(s, 34));
	jw_str(w, "reject_reason", db_col_text(s, 35));
	int_or_null_col(w, "merged_into", s, 36);
	jw_int(w, "reopen_count", db_col_int(s, 37));
	jw_int(w, "return_count", db_col_int(s, 38));
	jw_int(w, "extension_used", db_col_int(s, 39));
	jw_bool(w, "sampled", db_col_int(s, 40) != 0);
	text_or_null_col(w, "satisfaction", s, 41);
	jw_str(w, "supervise_note", db_col_text(s, 42));
	time_col(w, "supervise_due", s, 43);
	text_or_null_col(w, "petition_level", s, 44);
	jw_str(w, "leader_in_charge", db_col_text(s, 45));
	jw_int(w, "repeat_count", db_col_int(s, 46));
	time_col(w, "accept_deadline", s, 47);
	int_or_null_col(w, "lead_unit_id", s, 48);
}

/*
 * Writes which actions the actor may try now, by state and permission (the
 * server checks again), and returns them as a set of 1u << action.
 */
static unsigned
allowed_actions(struct jw *w, const struct actor *who, const struct ev *e)
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
	unsigned set = 0;

	_Static_assert(ACT_COUNT_ <= 32, "an action set is an unsigned");
	jw_array(w, "allowed_actions");
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
		jw_str(w, NULL, event_action_name(rules[i].a));
		set |= 1u << rules[i].a;
	}
	jw_end(w);
	return set;
}

/* The routing rules' default lead unit for this category and place, or null. */
static void
suggested_unit(struct jw *w, struct db_conn *c, const struct ev *e)
{
	char name[128];
	int64_t id;

	if (routing_suggest(c, e->category_id, e->path, &id, name, sizeof name) != 0) {
		jw_null(w, "suggested_unit");
		return;
	}
	jw_object(w, "suggested_unit");
	jw_int(w, "id", id);
	jw_str(w, "name", name);
	jw_end(w);
}

/*
 * Writes the part of the event that is the same for every reader (reveal:
 * personal data in clear), leaving its object open.
 */
static int
event_write_shared(struct db_conn *c, const struct ev *e, bool en, bool reveal, struct jw *w)
{
	struct db_stmt *s = db_stmt(c, STMT_EV_DETAIL);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, e->id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	jw_object(w, NULL);
	event_summary_fields(w, s, en);
	detail_fields(w, s, reveal);
	db_reset(s);
	if ((rc = child_rows(c, w, "parties", STMT_PARTIES, e->id, party_row, reveal)) != 0 ||
	    (rc = child_rows(c, w, "dispatches", STMT_DISPATCHES, e->id, dispatch_row, reveal)) != 0 ||
	    (rc = child_rows(c, w, "timeline", STMT_TIMELINE, e->id, timeline_row, reveal)) != 0 ||
	    (rc = child_rows(c, w, "attachments", STMT_ATTACHMENTS, e->id, attachment_row,
		reveal)) != 0 ||
	    (rc = child_rows(c, w, "extensions", STMT_EXT_LIST, e->id, extension_row, reveal)) != 0 ||
	    (rc = child_rows(c, w, "visits", STMT_VISITS, e->id, visit_row, reveal)) != 0)
		return rc;
	return w->err;
}

/* Ends the event with what depends on the reader: the actions open to them. */
static int
event_write_own(struct db_conn *c, const struct actor *who, const struct ev *e, struct jw *w)
{
	unsigned actions = allowed_actions(w, who, e);

	/* Only a caller about to triage or dispatch needs the routing rules' suggestion. */
	if (actions & ((1u << ACT_ACCEPT) | (1u << ACT_DISPATCH)))
		suggested_unit(w, c, e);
	else
		jw_null(w, "suggested_unit");
	jw_end(w);
	return jw_finish(w);
}

/* The event from db's cache of answers: 0, ERR_NOT_FOUND when not the reader's, or 1 on a miss. */
static int
render_kept(struct render_cache *cache, struct db_conn *c, const struct actor *who, int64_t id,
    bool en, struct buf *out, struct fail *f)
{
	size_t start = out->len;
	struct ev e;
	struct jw w;
	int rc;

	if (!render_cache_get(cache, id, en, &e, out))
		return 1;
	if (!ev_visible(c, who, &e)) {
		buf_truncate(out, start);
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	}
	jw_resume_object(&w, out);
	rc = event_write_own(c, who, &e, &w);
	return rc ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL) : 0;
}

int
event_render(struct db *db, const struct actor *who, int64_t id, bool en, struct buf *out,
    struct fail *f)
{
	struct render_cache *cache = render_cache_of(db);
	struct db_conn *c = db_reader(db);
	size_t start = out->len;
	uint64_t seq;
	struct ev e;
	struct jw w;
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	/* Taken before the first read, so that an answer read from older data is never kept. */
	seq = db_read_seq(c);
	if (cache && (rc = render_kept(cache, c, who, id, en, out, f)) != 1)
		return rc;
	if ((rc = ev_load_visible(c, who, id, &e, f)) != 0)
		return rc;
	jw_init(&w, out);
	if ((rc = event_write_shared(c, &e, en, false, &w)) == 0 && cache)
		render_cache_put(cache, id, en, seq, &e, out->data + start, out->len - start);
	if (rc == 0)
		rc = event_write_own(c, who, &e, &w);
	return rc ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL) : 0;
}

/* The text back as a tree, for callers that pick fields out of it. */
static int
tree_of(const struct buf *b, json_t **out)
{
	*out = json_loadb(buf_str(b), b->len, 0, NULL);
	return *out ? 0 : ERR_INTERNAL;
}

int
event_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f)
{
	struct buf b;
	int rc;

	buf_init(&b, EVENT_TEXT_MAX);
	if ((rc = event_render(db, who, id, en, &b, f)) == 0 && (rc = tree_of(&b, out)) != 0)
		rc = fail(f, rc, M_INTERNAL, NULL);
	buf_release(&b);
	return rc;
}

int
event_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f)
{
	struct db_conn *w;
	struct ev e;
	struct buf text;
	struct jw jw;
	json_t *full;
	int rc;

	if ((rc = reveal_allowed(who, reason, f)) != 0)
		return rc;
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	buf_init(&text, EVENT_TEXT_MAX);
	jw_init(&jw, &text);
	if ((rc = ev_load_visible(w, who, id, &e, f)) != 0 ||
	    (rc = event_write_shared(w, &e, false, true, &jw)) != 0 ||
	    (rc = event_write_own(w, who, &e, &jw)) != 0 ||
	    (rc = tree_of(&text, &full)) != 0)
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
	/* The clear personal data is wiped from the text (not from copies left by its growth). */
	if (text.data)
		sodium_memzero(text.data, text.cap);
	buf_release(&text);
	return txn_finish(db, rc, f);
}
