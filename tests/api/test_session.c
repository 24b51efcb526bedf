/* Sign-in, the signed-in user, sign-out. */
#include "client.h"

#include <string.h>

#define SIGNIN_FAILED_ZH "用户名或密码错误"

TEST(signin_returns_201_token_user_and_strict_cookie)
{
	struct fixture *s = fixture_shared();
	struct resp *r;
	const char *token, *cookie;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body("center", TEST_PASSWORD));
	CHECK_INT(r->status, 201);
	token = jstr(r->json, "token");
	CHECK(token != NULL && strlen(token) >= 40);
	CHECK_STR(jstr(r->json, "user.username"), "center");
	CHECK_STR(jstr(r->json, "user.roles.0"), "county_center");
	CHECK(jget(r->json, "user.password_hash") == NULL);
	CHECK(jstr(r->json, "expires_at") != NULL);
	cookie = resp_header(r, "Set-Cookie");
	CHECK(cookie != NULL);
	CHECK(strstr(cookie, tfmt("pingan_session=%s", token)) == cookie);
	CHECK(strstr(cookie, "HttpOnly") != NULL);
	CHECK(strstr(cookie, "SameSite=Strict") != NULL);
	CHECK(strstr(cookie, "Path=/") != NULL);
	CHECK_STR(resp_header(r, "Cache-Control"), "no-store");
}

TEST(signin_wrong_password_is_401_with_chinese_message)
{
	struct fixture *s = fixture_shared();
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body("center", "Wrong#Pass2026"));
	CHECK_ERROR(r, 401, "unauthorized");
	CHECK_STR(jstr(r->json, "error.message"), SIGNIN_FAILED_ZH);
	CHECK(jget(r->json, "token") == NULL);
	CHECK(resp_header(r, "Set-Cookie") == NULL);
}

TEST(signin_unknown_user_gets_the_same_answer_as_a_wrong_password)
{
	struct fixture *s = fixture_shared();
	struct resp *wrong, *unknown;

	CHECK(s != NULL);
	wrong = api_send(s, "POST", "/api/v1/session", NULL, signin_body("leader", "Wrong#Pass2026"));
	unknown = api_send(s, "POST", "/api/v1/session", NULL,
	    signin_body("nobody-here", "Wrong#Pass2026"));
	CHECK_ERROR(unknown, 401, "unauthorized");
	CHECK_INT(unknown->status, wrong->status);
	CHECK_STR(jstr(unknown->json, "error.message"), jstr(wrong->json, "error.message"));
	CHECK_STR(jstr(unknown->json, "error.message"), SIGNIN_FAILED_ZH);
}

TEST(signin_error_speaks_english_when_asked)
{
	struct fixture *s = fixture_shared();
	struct request rq = { .method = "POST", .path = "/api/v1/session",
		.body = signin_body("center", "Wrong#Pass2026"),
		.headers = { "Accept-Language: en-GB,en;q=0.8" } };
	struct resp *r;

	CHECK(s != NULL);
	r = http(s, &rq);
	CHECK_ERROR(r, 401, "unauthorized");
	CHECK_STR(jstr(r->json, "error.message"), "Wrong user name or password");
}

TEST(me_answers_with_bearer_and_with_cookie)
{
	struct fixture *s = fixture_shared();
	const char *token;
	struct request by_cookie = { .path = "/api/v1/me" };
	struct resp *r;

	CHECK(s != NULL);
	token = signin(s, "auditor", TEST_PASSWORD);
	CHECK(token != NULL);
	r = api_get(s, token, "/api/v1/me");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "username"), "auditor");
	CHECK(json_is_array(jget(r->json, "permissions")));
	CHECK(jget(r->json, "password_hash") == NULL);
	by_cookie.cookie = token;
	r = http(s, &by_cookie);
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "username"), "auditor");
}

TEST(me_without_session_is_401_and_with_a_made_up_token_too)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	CHECK_ERROR(api_get(s, NULL, "/api/v1/me"), 401, "unauthorized");
	CHECK_ERROR(api_get(s, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/api/v1/me"), 401,
	    "unauthorized");
	CHECK_ERROR(api_get(s, "short", "/api/v1/me"), 401, "unauthorized");
}

TEST(signout_answers_204_and_the_token_stops_working)
{
	struct fixture *s = fixture_shared();
	const char *mine, *other;
	struct resp *r;
	const char *cookie;

	CHECK(s != NULL);
	mine = signin(s, "leader", TEST_PASSWORD);
	other = signin(s, "leader", TEST_PASSWORD);
	CHECK(mine != NULL && other != NULL);
	r = api_send(s, "DELETE", "/api/v1/session", mine, NULL);
	CHECK_INT(r->status, 204);
	CHECK_INT(r->body_len, 0);
	cookie = resp_header(r, "Set-Cookie");
	CHECK(cookie != NULL && strstr(cookie, "pingan_session=;") == cookie);
	CHECK(strstr(cookie, "Max-Age=0") != NULL);
	CHECK_ERROR(api_get(s, mine, "/api/v1/me"), 401, "unauthorized");
	/* Signing out one session leaves the user's other sessions alone. */
	CHECK_INT(api_get(s, other, "/api/v1/me")->status, 200);
}

TEST(signout_with_cookie_needs_the_csrf_header)
{
	struct fixture *s = fixture_shared();
	const char *token;
	struct request rq = { .method = "DELETE", .path = "/api/v1/session" };

	CHECK(s != NULL);
	token = signin(s, "leader", TEST_PASSWORD);
	CHECK(token != NULL);
	rq.cookie = token;
	CHECK_ERROR(http(s, &rq), 403, "forbidden");
	CHECK_INT(api_get(s, token, "/api/v1/me")->status, 200);
	rq.csrf = true;
	CHECK_INT(http(s, &rq)->status, 204);
	CHECK_INT(api_get(s, token, "/api/v1/me")->status, 401);
}

TEST(signin_with_missing_or_empty_fields_is_422)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/session", NULL, "{\"username\":\"center\"}"),
	    422, "validation_failed", "password");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/session", NULL, "{}"), 422,
	    "validation_failed", "username");
}
