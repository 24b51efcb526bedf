/* API tokens: scoped to the permissions asked for, revocable, never shown twice. */
#include "client.h"

static struct resp *
token_create(struct fixture *s, const char *session, const char *perm)
{
	return api_send(s, "POST", "/api/v1/tokens", session,
	    jfmt("{s:s, s:[s]}", "name", "integration", "permissions", perm));
}

TEST(tokens_read_only_token_reads_users_but_cannot_create_them)
{
	struct fixture *s = fixture_shared();
	const char *pat, *user = uniq("viatoken");
	struct resp *r;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "admin"), "user.read");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	CHECK(pat != NULL && strncmp(pat, "pat_", 4) == 0 && strlen(pat) > 40);
	CHECK_STR(resp_header(r, "Location"), tfmt("/api/v1/tokens/%lld", jint(r->json, "id", 0)));
	CHECK_INT(api_get(s, pat, "/api/v1/users")->status, 200);
	r = api_send(s, "POST", "/api/v1/users", pat,
	    jfmt("{s:s, s:s, s:[s]}", "username", user, "password", TEST_PASSWORD, "roles", "leader"));
	CHECK_ERROR(r, 403, "forbidden");
	CHECK_ERROR(api_get(s, pat, "/metrics"), 403, "forbidden");
	CHECK(!user_exists(s, session_of(s, "admin"), user));
}

TEST(tokens_list_shows_the_token_without_its_secret)
{
	struct fixture *s = fixture_shared();
	struct resp *r;
	long long id;
	json_t *t;
	size_t i;
	bool seen = false;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "center"), "user.read");
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	r = api_get(s, session_of(s, "center"), "/api/v1/tokens");
	CHECK_INT(r->status, 200);
	json_array_foreach(jget(r->json, "items"), i, t) {
		CHECK(json_object_get(t, "token") == NULL);
		CHECK(json_object_get(t, "token_hash") == NULL);
		if (json_integer_value(json_object_get(t, "id")) == id) {
			seen = true;
			CHECK_STR(jstr(t, "permissions.0"), "user.read");
		}
	}
	CHECK(seen);
	/* Another user's list does not show it. */
	r = api_get(s, session_of(s, "admin"), "/api/v1/tokens");
	CHECK_INT(r->status, 200);
	json_array_foreach(jget(r->json, "items"), i, t)
		CHECK(json_integer_value(json_object_get(t, "id")) != id);
}

TEST(tokens_revoked_token_answers_401)
{
	struct fixture *s = fixture_shared();
	const char *admin, *pat;
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	r = token_create(s, admin, "user.read");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	id = jint(r->json, "id", 0);
	CHECK_INT(api_get(s, pat, "/api/v1/users")->status, 200);
	r = api_send(s, "DELETE", tfmt("/api/v1/tokens/%lld", id), admin, NULL);
	CHECK_INT(r->status, 204);
	CHECK_ERROR(api_get(s, pat, "/api/v1/users"), 401, "unauthorized");
	CHECK_ERROR(api_send(s, "DELETE", tfmt("/api/v1/tokens/%lld", id), admin, NULL), 404,
	    "not_found");
}

TEST(tokens_of_another_user_cannot_be_revoked)
{
	struct fixture *s = fixture_shared();
	const char *pat;
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "center"), "user.read");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	id = jint(r->json, "id", 0);
	CHECK_ERROR(api_send(s, "DELETE", tfmt("/api/v1/tokens/%lld", id), session_of(s, "admin"),
	    NULL), 404, "not_found");
	CHECK_INT(api_get(s, pat, "/api/v1/users")->status, 200);
}

TEST(tokens_asking_for_a_right_the_user_lacks_is_422)
{
	struct fixture *s = fixture_shared();
	struct resp *r;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "center"), "user.admin");
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "permissions");
	CHECK_STR(jstr(r->json, "error.message"), "令牌不能拥有您自己没有的权限");
	CHECK_FIELD_ERROR(token_create(s, session_of(s, "admin"), "audit.read"), 422,
	    "validation_failed", "permissions");
	CHECK_FIELD_ERROR(token_create(s, session_of(s, "admin"), "no.such.right"), 422,
	    "validation_failed", "permissions");
	CHECK_FIELD_ERROR(token_create(s, session_of(s, "admin"), "signed_in"), 422,
	    "validation_failed", "permissions");
}

TEST(tokens_expiry_must_be_a_future_iso_time)
{
	struct fixture *s = fixture_shared();
	const char *admin;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	r = api_send(s, "POST", "/api/v1/tokens", admin, jfmt("{s:s, s:[s], s:s}", "name", "old",
	    "permissions", "user.read", "expires_at", "2001-01-01T00:00:00+08:00"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "expires_at");
	r = api_send(s, "POST", "/api/v1/tokens", admin, jfmt("{s:s, s:[s], s:s}", "name", "bad",
	    "permissions", "user.read", "expires_at", "tomorrow"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "expires_at");
	r = api_send(s, "POST", "/api/v1/tokens", admin, jfmt("{s:s, s:[s], s:s}", "name", "ok",
	    "permissions", "user.read", "expires_at", "2099-01-01T00:00:00+08:00"));
	CHECK_INT(r->status, 201);
	CHECK_INT(api_get(s, jstr(r->json, "token"), "/api/v1/users")->status, 200);
}

TEST(tokens_lose_their_rights_when_the_user_is_locked)
{
	struct fixture *s = fixture_shared();
	const char *admin, *user = uniq("tokenlock"), *session, *pat;
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK_INT(fixture_user_add(s, user, "county_center", TEST_PASSWORD, false), 0);
	session = signin(s, user, TEST_PASSWORD);
	CHECK(session != NULL);
	id = jint(api_get(s, session, "/api/v1/me")->json, "id", 0);
	r = token_create(s, session, "user.read");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/users/%lld/lock", id), admin, NULL)->status, 200);
	CHECK_ERROR(api_get(s, pat, "/api/v1/users"), 401, "unauthorized");
}

TEST(tokens_cannot_sign_out_a_session)
{
	struct fixture *s = fixture_shared();
	const char *pat;
	struct resp *r;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "admin"), "user.read");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	/* An API token is not a session: refusing is a missing right (403), not a conflict. */
	CHECK_ERROR(api_send(s, "DELETE", "/api/v1/session", pat, NULL), 403, "forbidden");
	CHECK_INT(api_get(s, pat, "/api/v1/users")->status, 200);
}

TEST(tokens_cannot_mint_a_stronger_token)
{
	struct fixture *s = fixture_shared();
	const char *pat;
	struct resp *r;

	CHECK(s != NULL);
	r = token_create(s, session_of(s, "admin"), "token.manage");
	CHECK_INT(r->status, 201);
	pat = jstr(r->json, "token");
	CHECK_ERROR(api_get(s, pat, "/api/v1/users"), 403, "forbidden");
	CHECK_FIELD_ERROR(token_create(s, pat, "user.admin"), 422, "validation_failed",
	    "permissions");
	CHECK_FIELD_ERROR(token_create(s, pat, "user.read"), 422, "validation_failed",
	    "permissions");
}

TEST(tokens_retry_with_the_same_idempotency_key_creates_one)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("retried"), *key = uniq("idem-");
	struct request rq = { .method = "POST", .path = "/api/v1/tokens" };
	struct resp *first, *again, *list;
	json_t *t;
	size_t i;
	int copies = 0;

	CHECK(s != NULL);
	rq.bearer = session_of(s, "center");
	rq.body = jfmt("{s:s, s:[s]}", "name", name, "permissions", "user.read");
	rq.headers[0] = tfmt("Idempotency-Key: %s", key);
	first = http(s, &rq);
	again = http(s, &rq);   /* the phone never saw the first answer and retries */
	CHECK_INT(first->status, 201);
	CHECK_INT(again->status, 201);
	CHECK_INT(jint(again->json, "id", 0), jint(first->json, "id", -1));
	list = api_get(s, rq.bearer, "/api/v1/tokens");
	json_array_foreach(jget(list->json, "items"), i, t)
		if (jstr(t, "name") && strcmp(jstr(t, "name"), name) == 0)
			copies++;
	CHECK_INT(copies, 1);
}
