/*
 * JSON request bodies without a database: the bytes go through what
 * server.c's json_body_or_reply() does (clean UTF-8, json_loadb with
 * duplicate keys refused, an object) and then body_check_or_reply() with
 * the field specs of each route family. The specs in src/api are static,
 * so they are mirrored here; the api_json target runs the real handlers.
 *
 * Input: one byte picks the spec (and English or Chinese messages), the
 * rest is the body. Checks: a refused body gets a 422 naming a field, in
 * JSON; an accepted one has every required field and only known fields,
 * each of the declared type, clean and within its length.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/parse.h"
#include "http/reply.h"
#include "support/fuzz.h"

/* src/api/events.c event_fields */
static const struct field_spec event_fields[] = {
	{ "channel", F_STRING, true, 16 }, { "category_code", F_STRING, true, 32 },
	{ "title", F_STRING, true, 100 }, { "description", F_STRING, false, 5000 },
	{ "division_code", F_STRING, true, 15 }, { "address", F_STRING, false, 200 },
	{ "lat", F_NUMBER, false, 0 }, { "lng", F_NUMBER, false, 0 },
	{ "occurred_at", F_STRING, false, 40 }, { "reporter_name", F_STRING, false, 32 },
	{ "reporter_phone", F_STRING, false, 20 }, { "anonymous", F_BOOL, false, 0 },
	{ "urgency", F_STRING, false, 10 }, { "tags", F_STRING, false, 200 },
	{ "parties", F_ARRAY, false, 0 }, { "petition_level", F_STRING, false, 10 },
	{ "leader_in_charge", F_STRING, false, 32 }, { "repeat_count", F_INT, false, 0 },
	{ "on_the_spot", F_BOOL, false, 0 }, { "result", F_STRING, false, 2000 },
	{ NULL, F_ANY, false, 0 },
};

/* src/api/events.c party_fields */
static const struct field_spec party_fields[] = {
	{ "name", F_STRING, true, 32 }, { "id_number", F_STRING, false, 18 },
	{ "phone", F_STRING, false, 20 }, { "role", F_STRING, false, 16 },
	{ NULL, F_ANY, false, 0 },
};

/* src/api/events.c action_fields */
static const struct field_spec action_fields[] = {
	{ "note", F_STRING, false, 2000 }, { "into", F_INT, false, 0 },
	{ "lead_unit_id", F_INT, false, 0 }, { "co_unit_ids", F_ARRAY, false, 0 },
	{ "deadline", F_STRING, false, 40 }, { "deadline_reason", F_STRING, false, 500 },
	{ "ok", F_BOOL, false, 0 }, { "satisfaction", F_STRING, false, 16 },
	{ "reopen", F_BOOL, false, 0 }, { "days", F_INT, false, 0 },
	{ "due", F_STRING, false, 40 }, { "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

/* src/api/users.c user_fields */
static const struct field_spec user_fields[] = {
	{ "username", F_STRING, true, 32 }, { "display_name", F_STRING, false, 32 },
	{ "roles", F_ARRAY, true, 0 }, { "unit_id", F_INT, false, 0 },
	{ "division_code", F_STRING, false, 15 }, { "password", F_STRING, true, 256 },
	{ NULL, F_ANY, false, 0 },
};

/* src/api/divisions.c create_fields */
static const struct field_spec division_fields[] = {
	{ "code", F_STRING, true, 15 }, { "name", F_STRING, true, 32 },
	{ "parent_code", F_STRING, false, 15 }, { "lat", F_NUMBER, false, 0 },
	{ "lng", F_NUMBER, false, 0 }, { "outline", F_OBJECT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

/* src/api/units.c unit_fields */
static const struct field_spec unit_fields[] = {
	{ "name", F_STRING, true, 64 }, { "kind", F_STRING, true, 32 },
	{ "division_code", F_STRING, true, 15 }, { "phone", F_STRING, false, 20 },
	{ "version", F_INT, false, 0 }, { NULL, F_ANY, false, 0 },
};

/* src/api/categories.c category_fields */
static const struct field_spec category_fields[] = {
	{ "name", F_STRING, true, 32 }, { "name_en", F_STRING, false, 64 },
	{ "citizen_reportable", F_BOOL, true, 0 }, { "sign_days", F_INT, true, 0 },
	{ "finish_days", F_INT, true, 0 }, { "urgent_sign_hours", F_INT, true, 0 },
	{ "urgent_finish_hours", F_INT, true, 0 }, { "critical_sign_hours", F_INT, true, 0 },
	{ "critical_finish_hours", F_INT, true, 0 }, { "auto_escalate", F_BOOL, true, 0 },
	{ "version", F_INT, false, 0 }, { NULL, F_ANY, false, 0 },
};

/* src/api/session.c signin_fields and src/api/tokens.c token_fields */
static const struct field_spec signin_fields[] = {
	{ "username", F_STRING, true, 64 }, { "password", F_STRING, true, 256 },
	{ "totp", F_STRING, false, 6 }, { NULL, F_ANY, false, 0 },
};
static const struct field_spec token_fields[] = {
	{ "name", F_STRING, true, 64 }, { "permissions", F_ARRAY, true, 0 },
	{ "expires_at", F_STRING, false, 40 }, { NULL, F_ANY, false, 0 },
};

static const struct field_spec *const specs[] = {
	event_fields, party_fields, action_fields, user_fields, division_fields, unit_fields,
	category_fields, signin_fields, token_fields,
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* What an accepted body must look like against spec. */
static void
check_accepted(json_t *body, const struct field_spec *spec)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		const struct field_spec *sp = spec;

		while (sp->name && strcmp(sp->name, key) != 0)
			sp++;
		FUZZ_CHECK(sp->name != NULL, "unknown field %s accepted", key);
		if (json_is_null(v) && !sp->required)
			continue;
		if (sp->type == F_STRING) {
			const char *s = json_string_value(v);

			FUZZ_CHECK(s != NULL, "field %s accepted as a non-string", key);
			FUZZ_CHECK(strlen(s) == json_string_length(v), "field %s holds a NUL", key);
			FUZZ_CHECK(utf8_is_clean_text(s, strlen(s)), "field %s not clean", key);
			FUZZ_CHECK(utf8_length(s) <= (sp->max_chars ? sp->max_chars : 1000),
			    "field %s too long", key);
		}
		if (sp->type == F_INT)
			FUZZ_CHECK(json_is_integer(v), "field %s accepted as a non-integer", key);
	}
	for (; spec->name; spec++)
		if (spec->required)
			FUZZ_CHECK(json_object_get(body, spec->name) &&
			    !json_is_null(json_object_get(body, spec->name)),
			    "required %s missing", spec->name);
}

/* A refusal is a 422 naming a field, as JSON. */
static void
check_refused(struct req *r)
{
	json_t *reply, *err;

	FUZZ_CHECK(r->replied && r->status == 422, "refused with status %d", r->status);
	reply = json_loadb(r->out.data, r->out.len, 0, NULL);
	FUZZ_CHECK(reply != NULL, "refusal is not JSON: %s", buf_str(&r->out));
	err = json_object_get(reply, "error");
	FUZZ_CHECK(json_is_string(json_object_get(err, "code")) &&
	    json_is_string(json_object_get(err, "message")) &&
	    json_is_string(json_object_get(err, "field")), "refusal without code, message and field: %s",
	    buf_str(&r->out));
	json_decref(reply);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct field_spec *spec;
	struct req r;
	json_t *parties, *p;
	size_t i;

	if (size < 1)
		return 0;
	spec = specs[data[0] % NSPECS];
	memset(&r, 0, sizeof r);
	r.en = data[0] & 0x80;
	buf_init(&r.out, 1u << 20);
	if (utf8_is_clean_text((const char *)data + 1, size - 1))
		r.json = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(r.json)) {
		if (body_check_or_reply(&r, spec) == 0) {
			FUZZ_CHECK(!r.replied, "accepted and replied");
			check_accepted(r.json, spec);
			for (const struct field_spec *sp = spec; sp->name; sp++) {
				(void)body_str(&r, sp->name);
				(void)body_int(&r, sp->name, 0);
				(void)body_bool(&r, sp->name, false);
			}
		} else {
			check_refused(&r);
		}
		/* Each party object is checked on its own, as events.c parties_or_reply() does. */
		parties = json_object_get(r.json, "parties");
		json_array_foreach(parties, i, p) {
			struct req pr;

			if (!json_is_object(p))
				continue;
			memset(&pr, 0, sizeof pr);
			buf_init(&pr.out, 1u << 20);
			pr.json = p;
			if (body_check_or_reply(&pr, party_fields) == 0)
				check_accepted(p, party_fields);
			else
				check_refused(&pr);
			buf_release(&pr.out);
		}
	}
	json_decref(r.json);
	buf_release(&r.out);
	return 0;
}
