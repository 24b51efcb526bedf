/* Accounts: list, read, create, change, lock, unlock, reset password; roles. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"

static const struct field_spec user_fields[] = {
	{ "username", F_STRING, true, 32 },
	{ "display_name", F_STRING, false, 32 },
	{ "roles", F_ARRAY, true, 0 },
	{ "unit_id", F_INT, false, 0 },
	{ "division_code", F_STRING, false, 15 },
	{ "password", F_STRING, true, 256 },
	{ NULL, F_ANY, false, 0 },
};

static const struct field_spec user_update_fields[] = {
	{ "display_name", F_STRING, false, 32 },
	{ "roles", F_ARRAY, true, 0 },
	{ "unit_id", F_INT, false, 0 },
	{ "division_code", F_STRING, false, 15 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

/* Joins the "roles" array into "a,b"; replies 422 for anything but known role names. */
static int
roles_or_reply(struct req *r, char *out, size_t n)
{
	json_t *arr = json_object_get(r->json, "roles"), *v;
	size_t i, len = 0;
	uint32_t bits;

	out[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		int w;

		if (s == NULL || strchr(s, ',') != NULL)
			goto bad;
		w = snprintf(out + len, n - len, "%s%s", len ? "," : "", s);
		if (w < 0 || (size_t)w >= n - len)
			goto bad;
		len += (size_t)w;
	}
	if (roles_parse(out, &bits) == 0)
		return 0;
bad:
	reply_error(r, ERR_INVALID, M_ROLE_UNKNOWN, "roles");
	return -1;
}

/*
 * Answers with the record. After a committed write (written) a failed read
 * back still answers success with the id: the data is kept, and an error
 * would make the client submit it again.
 */
static void
reply_user(struct req *r, int status, int64_t id, bool written)
{
	struct user u;
	struct fail f = { 0 };
	int rc = user_get(r->db, &r->who, id, &u, &f);

	if (rc != 0) {
		reply_read_back_failed(r, status, id, written, &f, rc);
		return;
	}
	reply_json(r, status, user_json(&u));
}

void
api_users_list(struct req *r)
{
	struct user_filter flt = { 0 };
	json_t *rows;
	int64_t next;

	if (paging_or_reply(r, &flt.limit, &flt.cursor) != 0)
		return;
	flt.q = req_query(r, "q");
	flt.role = req_query(r, "role");
	if (user_list(r->db, &r->who, &flt, &rows, &next) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_list(r, rows, next);
}

void
api_users_create(struct req *r)
{
	struct user_input in = { 0 };
	struct fail f = { 0 };
	char roles[256];
	int64_t id;
	int rc;

	if (body_check_or_reply(r, user_fields) != 0 || roles_or_reply(r, roles, sizeof roles) != 0)
		return;
	in.username = body_str(r, "username");
	in.display_name = body_str(r, "display_name");
	in.roles = roles;
	in.unit_id = body_int(r, "unit_id", 0);
	in.division_code = body_str(r, "division_code");
	in.password = body_str(r, "password");
	in.must_change_password = true;
	rc = user_create(r->db, &r->who, &in, &id, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/users/%lld", (long long)id);
	reply_user(r, 201, id, true);
}

void
api_users_get(struct req *r)
{
	int64_t id;

	if (path_id_or_reply(r, &id) != 0)
		return;
	reply_user(r, 200, id, false);
}

void
api_users_update(struct req *r)
{
	struct user_input in = { 0 };
	struct fail f = { 0 };
	char roles[256];
	int64_t id, version;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, user_update_fields) != 0 ||
	    roles_or_reply(r, roles, sizeof roles) != 0 || version_or_reply(r, &version) != 0)
		return;
	in.display_name = body_str(r, "display_name");
	in.roles = roles;
	/* Absent: unchanged; null: cleared. */
	in.unit_id = json_object_get(r->json, "unit_id") == NULL ? USER_KEEP
	    : body_int(r, "unit_id", 0);
	in.division_code = json_object_get(r->json, "division_code") == NULL ? NULL
	    : json_is_null(json_object_get(r->json, "division_code")) ? ""
	    : body_str(r, "division_code");
	rc = user_update(r->db, &r->who, id, &in, version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_user(r, 200, id, true);
}

static void
set_locked(struct req *r, bool locked)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	rc = user_set_locked(r->db, &r->who, id, locked, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_user(r, 200, id, true);
}

void
api_users_lock(struct req *r)
{
	set_locked(r, true);
}

void
api_users_unlock(struct req *r)
{
	set_locked(r, false);
}

static const struct field_spec reset_fields[] = {
	{ "password", F_STRING, true, 256 },
	{ NULL, F_ANY, false, 0 },
};

void
api_users_reset_password(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, reset_fields) != 0)
		return;
	rc = user_reset_password(r->db, &r->who, id, body_str(r, "password"), true, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_user(r, 200, id, true);
}

void
api_roles_list(struct req *r)
{
	json_t *arr = json_array();

	for (int i = 0; i < ROLE_COUNT_; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "name",
		    role_name((enum role)i), "label", role_label((enum role)i, r->en),
		    "permissions", perms_json(roles_perms(1u << i))));
	reply_json(r, 200, json_pack("{s:o}", "items", arr));
}
