/* Intake: one event from any channel, validated, with personal data encrypted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/idnum.h"
#include "base/mobile.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"
#include "domain/event/event_internal.h"
#include "domain/org/division.h"
#include "domain/pii/pii_col.h"
#include "domain/txn.h"

static char county_code[8] = "330824";

void
event_set_county_code(const char *code)
{
	snprintf(county_code, sizeof county_code, "%s", code);
}

static const char *const channels[] = { "grid", "walk_in", "hotline", "online", "petition",
	"partner", "internal" };

static bool
one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

static bool
text_ok(const char *s, size_t min, size_t max)
{
	size_t n = s ? utf8_length(s) : 0;

	return n >= min && n <= max && (s == NULL || utf8_is_clean_text(s, strlen(s)));
}

/* Checks the parties: names, ID numbers (GB 11643) and mobile numbers. */
static int
check_parties(const struct event_input *in, struct fail *f)
{
	if (in->nparties > EVENT_MAX_PARTIES)
		return fail(f, ERR_INVALID, M_EV_PARTIES_TOO_MANY, "parties");
	for (int i = 0; i < in->nparties; i++) {
		const struct party_input *p = &in->parties[i];
		enum msg_id m;
		char norm[16];

		if (!text_ok(p->name, 1, 32))
			return fail(f, ERR_INVALID, M_EV_PARTY_NAME_BAD, "parties.name");
		if (p->id_number && *p->id_number && (m = idnum_check(p->id_number, NULL)) != MSG_NONE)
			return fail(f, ERR_INVALID, m, "parties.id_number");
		if (p->phone && *p->phone && (m = mobile_check(p->phone, norm)) != MSG_NONE)
			return fail(f, ERR_INVALID, m, "parties.phone");
	}
	return 0;
}

/* Everything that can be checked without the database. */
static int
check_input(const struct actor *who, const struct event_input *in, struct fail *f)
{
	static const char *const urgencies[] = { "normal", "urgent", "critical" };
	static const char *const levels[] = { "county", "city", "province", "national" };
	char norm[16];
	enum msg_id m;

	if (!one_of(in->channel, channels, sizeof channels / sizeof channels[0]))
		return fail(f, ERR_INVALID, M_EV_CHANNEL_BAD, "channel");
	if (!text_ok(in->title, 1, 100))
		return fail(f, ERR_INVALID, M_EV_TITLE_BAD, "title");
	if (!text_ok(in->description, 0, 5000))
		return fail(f, ERR_INVALID, M_EV_DESCRIPTION_BAD, "description");
	if (!text_ok(in->address, 0, 200))
		return fail(f, ERR_INVALID, M_EV_ADDRESS_BAD, "address");
	if (in->has_point && (in->lat < -90 || in->lat > 90 || in->lng < -180 || in->lng > 180))
		return fail(f, ERR_INVALID, M_COORD_BAD, "lat");
	if (!one_of(in->urgency ? in->urgency : "normal", urgencies, 3))
		return fail(f, ERR_INVALID, M_EV_URGENCY_BAD, "urgency");
	if (in->occurred_at > clock_now_ms() + 5 * 60000)
		return fail(f, ERR_INVALID, M_EV_OCCURRED_FUTURE, "occurred_at");
	if (!in->anonymous && !text_ok(in->reporter_name, 1, 32))
		return fail(f, ERR_INVALID, M_EV_REPORTER_NAME_BAD, "reporter_name");
	if (!in->anonymous && in->reporter_phone && *in->reporter_phone &&
	    (m = mobile_check(in->reporter_phone, norm)) != MSG_NONE)
		return fail(f, ERR_INVALID, m, "reporter_phone");
	if (!text_ok(in->tags, 0, 200))
		return fail(f, ERR_INVALID, M_EV_TAGS_BAD, "tags");
	if (in->petition_level && !one_of(in->petition_level, levels, 4))
		return fail(f, ERR_INVALID, M_EV_PETITION_LEVEL_BAD, "petition_level");
	if (in->on_the_spot && !(who->roles & (1u << ROLE_GRID_WORKER)))
		return fail(f, ERR_FORBIDDEN, M_EV_SPOT_NOT_GRID, "on_the_spot");
	if (in->on_the_spot && !text_ok(in->result, 1, 2000))
		return fail(f, ERR_INVALID, M_EV_SPOT_RESULT, "result");
	return check_parties(in, f);
}

/* The level that triages a new event: where it was reported. */
static const char *
initial_level(const struct actor *who)
{
	if (who->roles & (1u << ROLE_COUNTY_CENTER))
		return "county";
	if (who->roles & (1u << ROLE_GRID_WORKER))
		return "grid";
	return "township";
}

/*
 * The event's county + local date + that county's daily sequence:
 * 330824-20261128-0007. A number already taken (records imported or
 * generated with the same scheme) is skipped: a collision must not fail every
 * report of the day, which it would, since the failed report rolls the
 * counter back with it.
 */
static int
next_case_no(struct db_conn *w, const char *path, int64_t now, char *out, size_t n)
{
	char series[24], county[7];
	int y, m, d, rc;

	clock_local_date(now, &y, &m, &d);
	snprintf(series, sizeof series, "%s-%04d%02d%02d",
	    division_path_county(path, county) ? county : county_code, y, m, d);
	for (int tries = 0; tries < 100000; tries++) {
		struct db_stmt *s = db_stmt(w, STMT_CASE_COUNTER), *taken;

		if (s == NULL)
			return db_stmt_error(w);
		db_bind_text(s, 1, series);
		if ((rc = db_run(s)) != 0)
			return rc;
		if ((s = db_stmt(w, STMT_CASE_COUNTER_LAST)) == NULL)
			return db_stmt_error(w);
		db_bind_text(s, 1, series);
		if ((rc = db_step(s)) != DB_ROW)
			return rc < 0 ? rc : ERR_INTERNAL;
		snprintf(out, n, "%s-%04lld", series, (long long)db_col_int(s, 0));
		db_reset(s);
		if ((taken = db_stmt(w, STMT_CASE_NO_TAKEN)) == NULL)
			return db_stmt_error(w);
		db_bind_text(taken, 1, out);
		rc = db_step(taken);
		db_reset(taken);
		if (rc < 0)
			return rc;
		if (rc != DB_ROW)
			return 0;
	}
	return ERR_CONFLICT;
}

/* Binds an encrypted value, or NULL for an empty one. */
static int
insert_parties(struct db_conn *w, int64_t id, const struct event_input *in)
{
	for (int i = 0; i < in->nparties; i++) {
		const struct party_input *p = &in->parties[i];
		struct db_stmt *s = db_stmt(w, STMT_PARTY_INSERT);
		int rc;

		if (s == NULL)
			return db_stmt_error(w);
		db_bind_int(s, 1, id);
		db_bind_text(s, 2, p->role && *p->role ? p->role : "party");
		if ((rc = pii_bind(s, 3, PII_NAME, p->name)) != 0 ||
		    (rc = pii_bind(s, 4, PII_ID_NUMBER, p->id_number)) != 0 ||
		    (rc = pii_bind(s, 6, PII_PHONE, p->phone)) != 0)
			return rc;
		pii_bind_index(s, 5, PII_ID_NUMBER, p->id_number);
		pii_bind_index(s, 7, PII_PHONE, p->phone);
		if ((rc = db_run(s)) != 0)
			return rc;
	}
	return 0;
}

/* Looks the division up inside the actor's scope. */
static int
resolve_place(struct db_conn *w, const struct actor *who, const char *code, struct division *d,
    struct fail *f)
{
	int rc = division_load(w, code ? code : "", d);

	if (rc == ERR_NOT_FOUND || (rc == 0 && (d->retired_at || !actor_in_scope(who, d->path))))
		return fail(f, ERR_INVALID, M_DIVISION_UNKNOWN, "division_code");
	return rc;
}

/* Inserts the event row; the state is reported, or closed for an on-the-spot resolution. */
static int
insert_event(struct db_conn *w, const struct actor *who, const struct event_input *in,
    const struct category *cat, const struct division *d, int64_t *id)
{
	const char *urgency = in->urgency ? in->urgency : "normal";
	struct db_stmt *s;
	int64_t now = clock_now_ms(), accept_by;
	char case_no[40];
	int rc;

	if ((rc = next_case_no(w, d->path, now, case_no, sizeof case_no)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_EV_INSERT)) == NULL)
		return db_stmt_error(w);
	db_bind_text(s, 1, case_no);
	db_bind_text(s, 2, in->channel);
	db_bind_int(s, 3, cat->id);
	db_bind_text(s, 4, cat->kind);
	db_bind_text(s, 5, in->title);
	db_bind_text(s, 6, in->description ? in->description : "");
	db_bind_int(s, 7, d->id);
	db_bind_text(s, 8, d->path);
	if ((rc = pii_bind(s, 9, PII_ADDRESS, in->address)) != 0)
		return rc;
	if (in->has_point) {
		db_bind_double(s, 10, in->lat);
		db_bind_double(s, 11, in->lng);
	}
	db_bind_int(s, 12, in->occurred_at ? in->occurred_at : now);
	if ((rc = pii_bind(s, 13, PII_NAME, in->anonymous ? NULL : in->reporter_name)) != 0 ||
	    (rc = pii_bind(s, 14, PII_PHONE, in->anonymous ? NULL : in->reporter_phone)) != 0)
		return rc;
	pii_bind_index(s, 15, PII_PHONE, in->anonymous ? NULL : in->reporter_phone);
	db_bind_int(s, 16, in->anonymous);
	db_bind_text(s, 17, urgency);
	db_bind_text(s, 18, in->on_the_spot ? "closed" : "reported");
	db_bind_text(s, 19, initial_level(who));
	db_bind_text(s, 20, in->tags ? in->tags : "");
	if (who->user_id)
		db_bind_int(s, 21, who->user_id);
	db_bind_int(s, 22, now);
	accept_by = deadline_accept(cat, urgency, now);
	db_bind_int(s, 23, accept_by);
	db_bind_text(s, 24, strcmp(cat->kind, "petition") == 0 ?
	    (in->petition_level ? in->petition_level : "county") : NULL);
	db_bind_text(s, 25, in->leader_in_charge ? in->leader_in_charge : "");
	db_bind_int(s, 26, in->repeat_count);
	/* 信访: a matter petitioned for the third time is backlog (积案) from the start. */
	db_bind_int(s, 32, strcmp(cat->kind, "petition") == 0 && in->repeat_count >= 3);
	db_bind_int(s, 27, in->on_the_spot);
	db_bind_text(s, 28, in->on_the_spot ? in->result : "");
	if (in->on_the_spot) {
		db_bind_int(s, 29, now);
		db_bind_int(s, 30, 1);
	} else {
		/* The scanner looks again when the acceptance clock turns yellow. */
		int64_t next = 0;

		(void)clock_watch(now, accept_by, now, &next);
		if (next != 0)
			db_bind_int(s, 31, next);
	}
	if ((rc = db_run(s)) != 0)
		return rc;
	*id = db_last_id(w);
	return 0;
}

/* A key seen before returns the event it created (same user, same route). */
static int
idempotent_replay(struct db_conn *w, const struct actor *who, const char *key, int64_t *id,
    bool *found, struct fail *f)
{
	struct db_stmt *s = db_stmt(w, STMT_IDEM_GET);
	int rc;

	*found = false;
	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, who->user_id);
	db_bind_text(s, 2, key);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : 0;
	if (strcmp(db_col_text(s, 0), "event.create") != 0 ||
	    parse_i64(db_col_text(s, 1), 1, INT64_MAX, id) != 0) {
		db_reset(s);
		return fail(f, ERR_CONFLICT, M_EV_IDEM_REUSED, "Idempotency-Key");
	}
	db_reset(s);
	*found = true;
	return 0;
}

static int
remember_key(struct db_conn *w, const struct actor *who, const char *key, int64_t id)
{
	struct db_stmt *s = db_stmt(w, STMT_IDEM_PUT);
	char body[24];

	if (s == NULL)
		return db_stmt_error(w);
	snprintf(body, sizeof body, "%lld", (long long)id);
	db_bind_int(s, 1, who->user_id);
	db_bind_text(s, 2, key);
	db_bind_text(s, 3, "event.create");
	db_bind_int(s, 4, 201);
	db_bind_text(s, 5, body);
	db_bind_int(s, 6, clock_now_ms());
	return db_run(s);
}

/* Loads the category and checks it may be used on this channel. */
static int
resolve_category(struct db_conn *w, const struct event_input *in, struct category *cat,
    struct fail *f)
{
	int rc = category_load(w, in->category_code ? in->category_code : "", 0, cat);

	if (rc == ERR_NOT_FOUND || (rc == 0 && cat->retired))
		return fail(f, ERR_INVALID, M_EV_CATEGORY_BAD, "category_code");
	if (rc == 0 && strcmp(in->channel, "online") == 0 && !cat->citizen_reportable)
		return fail(f, ERR_INVALID, M_EV_NOT_CITIZEN_REPORTABLE, "category_code");
	return rc;
}

/* An Idempotency-Key is 1-64 printable ASCII characters (a UUID fits). */
static bool
key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > 64)
		return false;
	for (; *k; k++)
		if (*k < 0x21 || *k > 0x7e)
			return false;
	return true;
}

int
event_create(struct db *db, const struct actor *who, const struct event_input *in, int64_t *id,
    bool *replayed, struct fail *f)
{
	struct category cat;
	struct division d;
	struct db_conn *w;
	char idtext[24], detail[160];
	int rc;

	*replayed = false;
	if (in->idempotency_key && !key_ok(in->idempotency_key))
		return fail(f, ERR_INVALID, M_IDEM_KEY_BAD, "Idempotency-Key");
	if ((rc = check_input(who, in, f)) != 0)
		return rc;
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if (in->idempotency_key && (rc = idempotent_replay(w, who, in->idempotency_key, id, replayed,
	    f)) != 0)
		goto out;
	if (*replayed)
		goto out;
	if ((rc = resolve_category(w, in, &cat, f)) != 0 ||
	    (rc = resolve_place(w, who, in->division_code, &d, f)) != 0 ||
	    (rc = insert_event(w, who, in, &cat, &d, id)) != 0 ||
	    (rc = insert_parties(w, *id, in)) != 0)
		goto out;
	if (in->idempotency_key && (rc = remember_key(w, who, in->idempotency_key, *id)) != 0)
		goto out;
	rc = timeline_add(w, who, *id, in->on_the_spot ? "resolve_on_the_spot" : "report", "",
	    in->on_the_spot ? "closed" : "reported", in->on_the_spot ? in->result : "");
	if (rc != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	snprintf(detail, sizeof detail, "{\"channel\":\"%s\",\"category\":\"%s\",\"division\":\"%s\"}",
	    in->channel, cat.code, d.code);
	rc = audit_write(w, who, "event.create", "event", idtext, detail);
out:
	rc = txn_finish(db, rc, f);
	if (rc == 0 && !*replayed)
		event_bus_publish("created", *id, d.path);
	return rc;
}
