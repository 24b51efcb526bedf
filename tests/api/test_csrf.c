/* Cross-site request forgery: a cookie alone never changes anything. */
#include "client.h"

static const char *
weak_change(void)
{
	return jfmt("{s:s, s:s}", "old_password", TEST_PASSWORD, "new_password", "short");
}

TEST(csrf_cookie_post_without_x_requested_with_is_403)
{
	struct fixture *s = fixture_shared();
	struct request rq = { .method = "POST", .path = "/api/v1/me/password" };
	struct resp *r;

	CHECK(s != NULL);
	rq.cookie = signin(s, "leader", TEST_PASSWORD);
	CHECK(rq.cookie != NULL);
	rq.body = weak_change();
	r = http(s, &rq);
	CHECK_FIELD_ERROR(r, 403, "forbidden", "X-Requested-With");
	rq.csrf = true;
	r = http(s, &rq);
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "new_password");
}

TEST(csrf_bearer_needs_no_x_requested_with)
{
	struct fixture *s = fixture_shared();
	const char *token;

	CHECK(s != NULL);
	token = signin(s, "leader", TEST_PASSWORD);
	CHECK(token != NULL);
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/me/password", token, weak_change()), 422,
	    "validation_failed", "new_password");
}

TEST(csrf_cookie_post_creating_a_user_is_refused_and_creates_nothing)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("forged");
	struct request rq = { .method = "POST", .path = "/api/v1/users" };

	CHECK(s != NULL);
	rq.cookie = signin(s, "admin", TEST_PASSWORD);
	CHECK(rq.cookie != NULL);
	rq.body = jfmt("{s:s, s:s, s:[s]}", "username", user, "password", TEST_PASSWORD, "roles",
	    "admin");
	CHECK_ERROR(http(s, &rq), 403, "forbidden");
	CHECK(!user_exists(s, session_of(s, "admin"), user));
}

TEST(csrf_api_token_is_not_accepted_as_a_cookie)
{
	struct fixture *s = fixture_shared();
	const char *admin;
	struct request rq = { .path = "/api/v1/users" };
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	r = api_send(s, "POST", "/api/v1/tokens", admin,
	    jfmt("{s:s, s:[s]}", "name", "cookie-test", "permissions", "user.read"));
	CHECK_INT(r->status, 201);
	rq.cookie = jstr(r->json, "token");
	CHECK(rq.cookie != NULL);
	CHECK_ERROR(http(s, &rq), 401, "unauthorized");
	CHECK_INT(api_get(s, rq.cookie, "/api/v1/users")->status, 200);
}
