/* Sign-in, sign-out, the signed-in user and their own password. */
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "http/ratelimit.h"
#include "http/server.h"

/* The user as the console needs it: record, permissions, expiry. */
static json_t *
me_json(const struct user *u, uint64_t perms)
{
	json_t *j = user_json(u);

	json_object_set_new(j, "permissions", perms_json(perms));
	return j;
}

static const struct field_spec signin_fields[] = {
	{ "username", F_STRING, true, 64 },
	{ "password", F_STRING, true, 256 },
	{ "totp", F_STRING, false, 6 },
	{ NULL, F_ANY, false, 0 },
};

void
api_session_create(struct req *r)
{
	struct signin s;
	struct fail f = { 0 };
	char expires[40];
	int rc;

	if (body_check_or_reply(r, signin_fields) != 0)
		return;
	if (!ratelimit_allow(r->client_addr, (int)r->app->cfg->signin_rate_per_minute)) {
		reply_error(r, ERR_RATE_LIMITED, M_RATE_LIMITED, NULL);
		return;
	}
	rc = session_signin(r->db, &r->who, body_str(r, "username"), body_str(r, "password"),
	    body_str(r, "totp"), &s, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	req_set_session_cookie(r, s.token, auth_settings()->absolute_ms / 1000);
	clock_format_iso(s.expires_at, expires, sizeof expires);
	reply_json(r, 201, json_pack("{s:s, s:s, s:o}", "token", s.token, "expires_at", expires,
	    "user", me_json(&s.user, roles_perms(s.user.roles) | PERM_BIT(PERM_SIGNED_IN))));
}

void
api_session_delete(struct req *r)
{
	if (r->who.via == VIA_API_TOKEN) {
		reply_error(r, ERR_FORBIDDEN, M_FORBIDDEN, NULL);
		return;
	}
	if (session_signout(r->db, &r->who) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	req_set_session_cookie(r, NULL, 0);
	reply_empty(r);
}

void
api_me(struct req *r)
{
	struct user u;
	struct fail f = { 0 };
	int rc = user_get(r->db, &r->who, r->who.user_id, &u, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, me_json(&u, r->who.perms));
}

static const struct field_spec password_fields[] = {
	{ "old_password", F_STRING, true, 256 },
	{ "new_password", F_STRING, true, 256 },
	{ NULL, F_ANY, false, 0 },
};

void
api_me_password(struct req *r)
{
	struct fail f = { 0 };
	int rc;

	if (body_check_or_reply(r, password_fields) != 0)
		return;
	rc = user_change_password(r->db, &r->who, body_str(r, "old_password"),
	    body_str(r, "new_password"), &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}

void
api_totp_begin(struct req *r)
{
	char secret[40], uri[256];
	struct fail f = { 0 };
	int rc = totp_begin(r->db, &r->who, secret, uri, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 201, json_pack("{s:s, s:s}", "secret", secret, "uri", uri));
}

static const struct field_spec code_fields[] = {
	{ "code", F_STRING, true, 6 },
	{ NULL, F_ANY, false, 0 },
};

void
api_totp_confirm(struct req *r)
{
	struct fail f = { 0 };
	int rc;

	if (body_check_or_reply(r, code_fields) != 0)
		return;
	if ((rc = totp_confirm(r->db, &r->who, body_str(r, "code"), &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}

void
api_totp_disable(struct req *r)
{
	struct fail f = { 0 };
	int rc;

	if (body_check_or_reply(r, code_fields) != 0)
		return;
	if ((rc = totp_disable(r->db, &r->who, body_str(r, "code"), &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}

void
api_totp_reset(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	if ((rc = totp_reset(r->db, &r->who, id, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}
