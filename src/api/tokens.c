/* API tokens of the signed-in user. */
#include <stdio.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"

static const struct field_spec token_fields[] = {
	{ "name", F_STRING, true, 64 },
	{ "permissions", F_ARRAY, true, 0 },
	{ "expires_at", F_STRING, false, 40 },
	{ NULL, F_ANY, false, 0 },
};

/* The permission names as bits; replies 422 on an unknown one. */
static int
perms_or_reply(struct req *r, uint64_t *out)
{
	json_t *arr = json_object_get(r->json, "permissions"), *v;
	size_t i;

	*out = 0;
	json_array_foreach(arr, i, v) {
		enum perm p = json_is_string(v) ? perm_by_name(json_string_value(v)) : PERM_COUNT_;

		if (p == PERM_COUNT_ || p == PERM_PUBLIC || p == PERM_SIGNED_IN) {
			reply_error(r, ERR_INVALID, M_PERM_UNKNOWN, "permissions");
			return -1;
		}
		*out |= PERM_BIT(p);
	}
	return 0;
}

void
api_tokens_list(struct req *r)
{
	json_t *rows;

	if (token_list(r->db, &r->who, &rows) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", rows));
}

void
api_tokens_create(struct req *r)
{
	char token[TOKEN_TEXT_MAX];
	const char *exp;
	struct fail f = { 0 };
	int64_t expires = 0, id;
	uint64_t perms;
	int rc;

	if (body_check_or_reply(r, token_fields) != 0 || perms_or_reply(r, &perms) != 0)
		return;
	exp = body_str(r, "expires_at");
	if (exp && clock_parse_iso(exp, &expires) != 0) {
		reply_error(r, ERR_INVALID, M_TIME_BAD, "expires_at");
		return;
	}
	rc = token_create(r->db, &r->who, body_str(r, "name"), perms, expires, token, &id, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/tokens/%lld", (long long)id);
	reply_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id,
	    "name", body_str(r, "name"), "token", token));
}

void
api_tokens_delete(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	rc = token_revoke(r->db, &r->who, id, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}
