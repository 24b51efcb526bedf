/*
 * Regression tests for what the api_json and api_request fuzz targets
 * found in the event hub: text that the API accepts is copied into
 * fixed-size buffers with snprintf(), cut inside a UTF-8 character, and
 * the JSON built from it fails, so an item silently drops out of a reply.
 *
 * 1. A category name may have 32 characters (up to 128 bytes) but struct
 *    category keeps 64 (src/domain/event/event_internal.h): after a
 *    rename to "a" and 31 Chinese characters, GET /categories no longer
 *    lists the category. Found as fuzz/corpus/api_request/regress-category-name.
 * 2. An event title may have 100 characters (up to 400 bytes) but
 *    struct ev keeps 256: the dispatch notification stores the cut title
 *    and GET /notifications drops it, so the unit never sees the case.
 *    Found as fuzz/corpus/api_request/regress-title-notification.
 * 3. An action note may have 2000 characters but the timeline note is
 *    600 bytes (struct act in src/domain/event/workflow.c): the entry is
 *    stored cut and GET /events/{id} drops it from the timeline. Found as
 *    fuzz/corpus/api_json/regress-reject-note.
 * 4. The same timeline note on dispatch: the unit name, up to 64
 *    characters (256 bytes), is first copied into 128 bytes (name[] in
 *    act_dispatch(), workflow.c). Found as
 *    fuzz/corpus/api_request/regress-unit-name-dispatch.
 */
#include "../../harness.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/auth/roles.h"
#include "domain/event/category.h"
#include "domain/event/event.h"
#include "domain/event/inbox.h"
#include "domain/org/unit.h"
#include "../domain/evfix.h"

/* prefix (may be "") then n copies of the 3-byte character 中. */
static void
chinese(char *out, size_t size, const char *prefix, int n)
{
	size_t len = strlen(prefix);

	memcpy(out, prefix, len);
	for (int i = 0; i < n && len + 3 < size; i++, len += 3)
		memcpy(out + len, "\xe4\xb8\xad", 3);
	out[len] = '\0';
}

static int64_t
report(struct evfix *x, const char *title)
{
	struct event_input in = { 0 };
	struct fail f = { 0 };
	bool replayed;
	int64_t id = 0;

	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = title;
	in.division_code = "330824115205001";
	in.reporter_name = "王小明";
	in.reporter_phone = "13812345678";
	return event_create(x->t.db, &x->grid, &in, &id, &replayed, &f) == 0 ? id : 0;
}

static int
act(struct evfix *x, const struct actor *who, int64_t id, enum event_action a,
    const struct action_input *in)
{
	struct fail f = { 0 };

	return event_act(x->t.db, who, id, a, in, 0, &f);
}

/* The timeline entry of an action, as GET /events/{id} shows it; NULL if missing. */
static json_t *
timeline_entry(struct evfix *x, int64_t id, const char *action, json_t **event)
{
	struct fail f = { 0 };
	json_t *e, *t;
	size_t i;

	*event = NULL;
	if (event_get(x->t.db, &x->sys, id, false, &e, &f) != 0 || e == NULL)
		return NULL;
	*event = e;
	json_array_foreach(json_object_get(e, "timeline"), i, t)
		if (json_string_value(json_object_get(t, "action")) &&
		    strcmp(json_string_value(json_object_get(t, "action")), action) == 0)
			return t;
	return NULL;
}

TEST(fuzz_event_category_with_a_32_character_name_stays_listed)
{
	struct evfix x;
	struct category_input in = { .citizen_reportable = true, .sign_days = 1, .finish_days = 15,
		.urgent_sign_hours = 2, .urgent_finish_hours = 24, .critical_sign_hours = 1,
		.critical_finish_hours = 12 };
	struct fail f = { 0 };
	char name[120];
	json_t *cats, *c;
	int64_t version = -1;
	bool listed = false;
	size_t i;

	chinese(name, sizeof name, "a", 31);
	in.name = name;
	CHECK_INT(evfix_open(&x), 0);
	CHECK_INT(category_list(x.t.db, true, false, &cats), 0);
	json_array_foreach(cats, i, c)
		if (strcmp(json_string_value(json_object_get(c, "code")), "dispute.neighbour") == 0)
			version = (int64_t)json_integer_value(json_object_get(c, "version"));
	json_decref(cats);
	CHECK(version >= 0);
	CHECK_INT(category_update(x.t.db, &x.sys, "dispute.neighbour", &in, version, &f), 0);
	CHECK_INT(category_list(x.t.db, true, false, &cats), 0);
	json_array_foreach(cats, i, c)
		if (strcmp(json_string_value(json_object_get(c, "code")), "dispute.neighbour") == 0)
			listed = json_string_value(json_object_get(c, "name")) != NULL &&
			    strcmp(json_string_value(json_object_get(c, "name")), name) == 0;
	json_decref(cats);
	evfix_close(&x);
	CHECK(listed);
}

TEST(fuzz_event_dispatch_notification_of_a_100_character_title_is_listed)
{
	struct evfix x;
	struct action_input in = { 0 };
	char title[400];
	json_t *rows, *n;
	int64_t id, next;
	bool listed = false;
	size_t i;

	chinese(title, sizeof title, "a", 99);
	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = report(&x, title)) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in), 0);
	in.lead_unit = x.unit_police;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in), 0);
	CHECK_INT(notification_list(x.t.db, &x.dept, false, 0, 50, &rows, &next), 0);
	json_array_foreach(rows, i, n)
		if (json_integer_value(json_object_get(n, "event_id")) == id)
			listed = true;
	json_decref(rows);
	evfix_close(&x);
	CHECK(listed);
}

TEST(fuzz_event_long_reject_note_stays_in_the_timeline)
{
	struct evfix x;
	struct action_input in = { 0 };
	char note[1000];
	json_t *e, *t;
	int64_t id;
	bool ok;

	chinese(note, sizeof note, "", 300);   /* 900 bytes, well within 2000 characters */
	in.note = note;
	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_REJECT, &in), 0);
	t = timeline_entry(&x, id, "reject", &e);
	ok = t != NULL && json_string_value(json_object_get(t, "note")) != NULL;
	json_decref(e);
	evfix_close(&x);
	CHECK(ok);
}

TEST(fuzz_event_dispatch_to_a_unit_with_a_64_character_name_stays_in_the_timeline)
{
	struct evfix x;
	struct action_input in = { 0 };
	struct unit_input u = { .kind = "department", .division_code = "330824" };
	struct fail f = { 0 };
	char name[250];
	json_t *e, *t;
	int64_t id, unit = 0;
	bool ok;

	chinese(name, sizeof name, "", 64);   /* 192 bytes: the copy stops at 127, inside a character */
	u.name = name;
	CHECK_INT(evfix_open(&x), 0);
	CHECK_INT(unit_create(x.t.db, &x.sys, &u, &unit, &f), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&x, &x.center, id, ACT_ACCEPT, &in), 0);
	in.lead_unit = unit;
	CHECK_INT(act(&x, &x.center, id, ACT_DISPATCH, &in), 0);
	t = timeline_entry(&x, id, "dispatch", &e);
	ok = t != NULL && json_string_value(json_object_get(t, "note")) != NULL;
	json_decref(e);
	evfix_close(&x);
	CHECK(ok);
}

/*
 * Found by api_json (deep run): a reveal's reason may have 200 characters, 600
 * bytes of UTF-8, but its audit row was built in a 600-byte buffer with the
 * JSON around it, so the row ended inside a character.
 */
TEST(fuzz_event_reveal_with_a_200_character_reason_is_audited_whole)
{
	struct evfix x;
	struct fail f = { 0 };
	char reason[700];
	json_t *out = NULL;
	int64_t id;

	chinese(reason, sizeof reason, "", 200);
	CHECK_INT(evfix_open(&x), 0);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	x.center.perms |= PERM_BIT(PERM_PII_REVEAL);
	CHECK_INT(event_reveal(x.t.db, &x.center, id, reason, &out, &f), 0);
	json_decref(out);
	/* The stored detail is the whole reason: its length in characters and clean UTF-8. */
	CHECK_INT(testdb_count(&x.t, "SELECT count(*) FROM audit_log WHERE action = 'event.reveal' "
	    "AND length(json_extract(detail, '$.reason')) = 200"), 1);
	evfix_close(&x);
}

/*
 * Found by the province benchmark: once a case number of the day was taken by
 * data loaded otherwise, every report failed with 409 for the rest of the day,
 * because the failed report rolled its counter step back with it.
 */
TEST(event_case_number_already_taken_is_skipped_not_fatal)
{
	struct evfix x;
	int64_t first, second;

	CHECK_INT(evfix_open(&x), 0);
	CHECK((first = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK_INT(testdb_sql(&x.t, "UPDATE case_counters SET last = 0"), 0);   /* as after an import */
	CHECK((second = evfix_report(&x, "dispute.neighbour")) > 0);
	CHECK(evfix_report(&x, "dispute.neighbour") > 0);
	CHECK_INT(testdb_count(&x.t, "SELECT count(DISTINCT case_no) FROM events"), 3);
	evfix_close(&x);
}
