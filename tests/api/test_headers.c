/* Security headers and request ids on every answer: API, errors and static files. */
#include "client.h"

#include <stdio.h>

/* Records a failure for each security header r lacks; true when all are there. */
static bool
has_security_headers(const struct resp *r, const char *what)
{
	static const struct {
		const char *name, *want;    /* want NULL: any non-empty value */
	} need[] = {
		{ "Content-Security-Policy", NULL },
		{ "X-Content-Type-Options", "nosniff" },
		{ "X-Frame-Options", "DENY" },
		{ "Referrer-Policy", "no-referrer" },
		{ "X-Request-Id", NULL },
	};
	bool ok = r->status != 0;

	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		const char *v = resp_header(r, need[i].name);

		if (v == NULL || v[0] == '\0' || (need[i].want && strcmp(v, need[i].want) != 0)) {
			test_failf(__FILE__, __LINE__, "%s (status %ld): %s is %s", what, r->status,
			    need[i].name, v ? v : "missing");
			ok = false;
		}
	}
	return ok;
}

TEST(headers_security_headers_on_every_kind_of_answer)
{
	struct fixture *s = fixture_shared();
	struct request big = { .method = "POST", .path = "/api/v1/session",
		.body = tfmt("{\"username\":\"%05000d\"}", 0) };
	struct {
		const char *what;
		struct resp *r;
	} cases[10];
	size_t n = 0;
	bool ok = true;
	const char *admin;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	cases[n].what = "API 200";
	cases[n++].r = api_get(s, admin, "/api/v1/me");
	cases[n].what = "API 201";
	cases[n++].r = api_send(s, "POST", "/api/v1/session", NULL,
	    signin_body("center", TEST_PASSWORD));
	cases[n].what = "API 204";
	cases[n++].r = api_send(s, "DELETE", "/api/v1/session", signin(s, "grid", TEST_PASSWORD),
	    NULL);
	cases[n].what = "API 401";
	cases[n++].r = api_get(s, NULL, "/api/v1/me");
	cases[n].what = "API 404";
	cases[n++].r = api_get(s, NULL, "/api/v1/none");
	cases[n].what = "API 405";
	cases[n++].r = api_send(s, "PUT", "/api/v1/me", NULL, NULL);
	cases[n].what = "API 400";
	cases[n++].r = api_send(s, "POST", "/api/v1/session", NULL, "{");
	cases[n].what = "API 413";
	cases[n++].r = http(s, &big);
	cases[n].what = "static 200";
	cases[n++].r = api_get(s, NULL, "/");
	cases[n].what = "static 404";
	cases[n++].r = api_get(s, NULL, "/missing.js");
	for (size_t i = 0; i < n; i++)
		ok = has_security_headers(cases[i].r, cases[i].what) && ok;
	CHECK(ok);
	CHECK(strstr(resp_header(cases[0].r, "Content-Security-Policy"), "default-src 'self'") !=
	    NULL);
	CHECK(strstr(resp_header(cases[0].r, "Content-Security-Policy"), "frame-ancestors 'none'")
	    != NULL);
}

TEST(headers_client_request_id_is_echoed)
{
	struct fixture *s = fixture_shared();
	struct request rq = { .path = "/healthz", .headers = { "X-Request-Id: trace-42-abc" } };
	struct resp *r;
	const char *generated;

	CHECK(s != NULL);
	r = http(s, &rq);
	CHECK_INT(r->status, 200);
	CHECK_STR(resp_header(r, "X-Request-Id"), "trace-42-abc");
	/* Errors too. */
	rq.path = "/api/v1/me";
	CHECK_STR(resp_header(http(s, &rq), "X-Request-Id"), "trace-42-abc");
	/* Without one, each answer gets its own. */
	generated = resp_header(api_get(s, NULL, "/healthz"), "X-Request-Id");
	CHECK(generated != NULL && strlen(generated) >= 8);
	CHECK(strcmp(generated, resp_header(api_get(s, NULL, "/healthz"), "X-Request-Id")) != 0);
}

/* Generated ids come from a per-thread sequence: 16 hex digits, never repeated. */
TEST(headers_generated_request_ids_are_hex_and_distinct)
{
	struct fixture *s = fixture_shared();
	char seen[64][17];

	CHECK(s != NULL);
	for (int i = 0; i < 64; i++) {
		const char *rid = resp_header(api_get(s, NULL, "/healthz"), "X-Request-Id");

		CHECK(rid != NULL && strlen(rid) == 16 && strspn(rid, "0123456789abcdef") == 16);
		snprintf(seen[i], sizeof seen[i], "%s", rid);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(seen[j], seen[i]) != 0);
	}
}

TEST(headers_unsafe_request_id_is_replaced_not_echoed)
{
	struct fixture *s = fixture_shared();
	struct request rq = { .path = "/healthz", .headers = { "X-Request-Id: a\"b<script>" } };
	const char *rid;

	CHECK(s != NULL);
	rid = resp_header(http(s, &rq), "X-Request-Id");
	CHECK(rid != NULL && rid[0] != '\0');
	CHECK(strchr(rid, '<') == NULL && strchr(rid, '"') == NULL);
	rq.headers[0] = tfmt("X-Request-Id: %s", "0123456789012345678901234567890123456789");
	rid = resp_header(http(s, &rq), "X-Request-Id");
	CHECK(rid != NULL && strlen(rid) <= 36);
}

TEST(headers_api_answers_are_json_utf8_and_never_cached)
{
	struct fixture *s = fixture_shared();
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body("center", TEST_PASSWORD));
	CHECK_INT(r->status, 201);
	CHECK_STR(resp_header(r, "Content-Type"), "application/json; charset=utf-8");
	CHECK_STR(resp_header(r, "Cache-Control"), "no-store");
	r = api_get(s, NULL, "/api/v1/users");
	CHECK_STR(resp_header(r, "Content-Type"), "application/json; charset=utf-8");
	CHECK_STR(resp_header(r, "Cache-Control"), "no-store");
}
