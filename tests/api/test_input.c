/*
 * Bad input at the edge: each gets its documented status and the one error
 * shape, and a failed request creates nothing.
 */
#include "client.h"

#include <stdlib.h>

/* POSTs body to /api/v1/users as admin with a content type (NULL: JSON). */
static struct resp *
post_users(struct fixture *s, const char *body, size_t len, const char *content_type)
{
	struct request rq = { .method = "POST", .path = "/api/v1/users", .body = body,
		.body_len = len, .content_type = content_type, .bearer = session_of(s, "admin") };

	return http(s, &rq);
}

/* A user body for name with one extra raw member (may be ""). */
static const char *
body_with(const char *name, const char *extra)
{
	return tfmt("{\"username\":\"%s\",\"password\":\"%s\",\"roles\":[\"leader\"]%s}", name,
	    TEST_PASSWORD, extra);
}

TEST(input_malformed_json_is_400)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("malformed");
	const char *body;

	CHECK(s != NULL);
	body = tfmt("{\"username\":\"%s\",\"password\":", name);
	CHECK_ERROR(post_users(s, body, 0, NULL), 400, "malformed_request");
	CHECK_ERROR(post_users(s, tfmt("%s,}", body_with(name, "")), 0, NULL), 400,
	    "malformed_request");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_invalid_utf8_is_400)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("badutf");
	const char *body;

	CHECK(s != NULL);
	body = body_with(name, ",\"display_name\":\"\xff\xfe\xc3\"");
	CHECK_ERROR(post_users(s, body, 0, NULL), 400, "malformed_request");
	/* An overlong encoding of '/' is not UTF-8 either. */
	body = body_with(name, ",\"display_name\":\"a\xc0\xaf\"");
	CHECK_ERROR(post_users(s, body, 0, NULL), 400, "malformed_request");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_array_instead_of_object_is_400)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("arrayed");

	CHECK(s != NULL);
	CHECK_ERROR(post_users(s, tfmt("[%s]", body_with(name, "")), 0, NULL), 400,
	    "malformed_request");
	CHECK_ERROR(post_users(s, "\"just a string\"", 0, NULL), 400, "malformed_request");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_duplicate_keys_are_400)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("dupkey");

	CHECK(s != NULL);
	CHECK_ERROR(post_users(s, body_with(name, ",\"username\":\"other\""), 0, NULL), 400,
	    "malformed_request");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_wrong_content_type_is_415)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("plaintext");

	CHECK(s != NULL);
	CHECK_ERROR(post_users(s, body_with(name, ""), 0, "text/plain"), 415,
	    "unsupported_media_type");
	CHECK_ERROR(post_users(s, body_with(name, ""), 0, "application/x-www-form-urlencoded"), 415,
	    "unsupported_media_type");
	CHECK_ERROR(post_users(s, body_with(name, ""), 0, ""), 415, "unsupported_media_type");
	CHECK_ERROR(post_users(s, body_with(name, ""), 0, "application/jsonp"), 415,
	    "unsupported_media_type");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
	/* The charset parameter is fine. */
	CHECK_INT(post_users(s, body_with(name, ""), 0, "application/json; charset=utf-8")->status,
	    201);
}

TEST(input_body_on_a_route_without_one_is_415)
{
	struct fixture *s = fixture_shared();
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	id = api_user_create(s, uniq("nobody"), "leader");
	CHECK(id > 0);
	r = api_send(s, "POST", tfmt("/api/v1/users/%lld/lock", id), session_of(s, "admin"),
	    "{\"why\":\"x\"}");
	CHECK_ERROR(r, 415, "unsupported_media_type");
	r = api_get(s, session_of(s, "admin"), tfmt("/api/v1/users/%lld", id));
	CHECK(json_is_false(jget(r->json, "disabled")));
}

TEST(input_unknown_field_is_422_naming_it)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("extra");

	CHECK(s != NULL);
	CHECK_FIELD_ERROR(post_users(s, body_with(name, ",\"is_superuser\":true"), 0, NULL), 422,
	    "validation_failed", "is_superuser");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_missing_field_is_422_naming_it)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("missing");

	CHECK(s != NULL);
	CHECK_FIELD_ERROR(post_users(s, jfmt("{s:s, s:[s]}", "username", name, "roles", "leader"), 0,
	    NULL), 422, "validation_failed", "password");
	CHECK_FIELD_ERROR(post_users(s, jfmt("{s:s, s:s, s:n}", "username", name, "password",
	    TEST_PASSWORD, "roles"), 0, NULL), 422, "validation_failed", "roles");
	CHECK_FIELD_ERROR(post_users(s, "", 0, NULL), 422, "validation_failed", "username");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_wrong_type_is_422_naming_the_field)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("typed");

	CHECK(s != NULL);
	CHECK_FIELD_ERROR(post_users(s, jfmt("{s:s, s:s, s:s}", "username", name, "password",
	    TEST_PASSWORD, "roles", "leader"), 0, NULL), 422, "validation_failed", "roles");
	CHECK_FIELD_ERROR(post_users(s, body_with(name, ",\"unit_id\":\"3\""), 0, NULL), 422,
	    "validation_failed", "unit_id");
	CHECK_FIELD_ERROR(post_users(s, jfmt("{s:i, s:s, s:[s]}", "username", 42, "password",
	    TEST_PASSWORD, "roles", "leader"), 0, NULL), 422, "validation_failed", "username");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

TEST(input_overlong_or_control_characters_are_422)
{
	struct fixture *s = fixture_shared();
	const char *name = uniq("longish");
	const char *long_name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三";

	CHECK(s != NULL);
	CHECK_FIELD_ERROR(post_users(s, body_with(name, tfmt(",\"display_name\":\"%s\"", long_name)),
	    0, NULL), 422, "validation_failed", "display_name");
	CHECK_FIELD_ERROR(post_users(s, body_with(name, ",\"display_name\":\"a\\u0007b\""), 0, NULL),
	    422, "validation_failed", "display_name");
	CHECK(!user_exists(s, session_of(s, "admin"), name));
}

static char *
big_body(size_t n)
{
	char *b = malloc(n + 1);

	if (b == NULL)
		abort();
	memset(b, ' ', n);
	b[0] = '{';
	b[n - 1] = '}';
	b[n] = '\0';
	return b;
}

TEST(input_body_over_one_mebibyte_is_413)
{
	struct fixture *s = fixture_shared();
	char *body = big_body(1024 * 1024 + 16);
	struct request rq = { .method = "POST", .path = "/api/v1/users", .body = body,
		.headers = { "Expect:" } };
	struct resp *r;

	CHECK(s != NULL);
	rq.bearer = session_of(s, "admin");
	r = http(s, &rq);
	free(body);
	CHECK_ERROR(r, 413, "payload_too_large");
}

TEST(input_signin_body_over_its_4096_byte_limit_is_413)
{
	struct fixture *s = fixture_shared();
	char *body = big_body(5000);
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/session", NULL, body);
	free(body);
	CHECK_ERROR(r, 413, "payload_too_large");
	/* Just under the limit is read and judged on its content. */
	body = big_body(4000);
	r = api_send(s, "POST", "/api/v1/session", NULL, body);
	free(body);
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "username");
}

TEST(input_chunked_body_over_the_limit_is_413)
{
	struct fixture *s = fixture_shared();
	char *body = big_body(6000);
	struct request rq = { .method = "POST", .path = "/api/v1/session", .body = body,
		.headers = { "Transfer-Encoding: chunked" } };
	struct resp *r;

	CHECK(s != NULL);
	r = http(s, &rq);
	free(body);
	CHECK_ERROR(r, 413, "payload_too_large");
}

TEST(input_headers_over_16_kib_are_431)
{
	struct fixture *s = fixture_shared();
	char filler[17 * 1024];
	struct request rq = { .path = "/api/v1/me" };

	CHECK(s != NULL);
	memset(filler, 'a', sizeof filler - 1);
	filler[sizeof filler - 1] = '\0';
	rq.headers[0] = tfmt("X-Filler: %s", filler);
	rq.bearer = session_of(s, "admin");
	CHECK_ERROR(http(s, &rq), 431, "headers_too_large");
}

/*
 * The path and its query count toward the 16 KiB too: a long query beside
 * large headers used to pass the check, and a sign-in could be written with
 * no room left in the pool for its answer.
 */
TEST(input_long_query_beside_large_headers_is_431_before_the_handler)
{
	struct fixture *s = fixture_shared();
	char filler[15001], query[1601];
	struct request rq = { .method = "POST", .body = "{\"username\":\"admin\",\"password\":\""
		TEST_PASSWORD "\"}" };

	CHECK(s != NULL);
	memset(filler, 'a', sizeof filler - 1);
	filler[sizeof filler - 1] = '\0';
	memset(query, 'b', sizeof query - 1);
	query[sizeof query - 1] = '\0';
	rq.headers[0] = tfmt("X-Filler: %s", filler);
	rq.path = tfmt("/api/v1/session?note=%s", query);
	CHECK_ERROR(http(s, &rq), 431, "headers_too_large");
	/* Without the query the same request is read and signs in. */
	rq.path = "/api/v1/session";
	CHECK_INT(http(s, &rq)->status, 201);
}

/*
 * Past a connection's 32 KiB pool, libmicrohttpd refuses the headers itself:
 * still 431 (its own short text), and the server goes on answering.
 */
TEST(input_headers_past_the_connection_pool_are_still_431)
{
	struct fixture *s = fixture_shared();
	char *filler = malloc(40 * 1024);
	struct request rq = { .path = "/api/v1/me" };
	struct resp *r;

	CHECK(s != NULL && filler != NULL);
	memset(filler, 'a', 40 * 1024 - 1);
	filler[40 * 1024 - 1] = '\0';
	rq.headers[0] = tfmt("X-Filler: %s", filler);
	free(filler);
	rq.bearer = session_of(s, "admin");
	r = http(s, &rq);
	CHECK_INT(r->status, 431);
	rq.headers[0] = NULL;
	CHECK_INT(http(s, &rq)->status, 200);
}

TEST(input_unknown_route_is_404_json)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	CHECK_ERROR(api_get(s, NULL, "/api/v1/nothing-here"), 404, "not_found");
	CHECK_ERROR(api_get(s, session_of(s, "admin"), "/api/v2/users"), 404, "not_found");
	CHECK_ERROR(api_get(s, NULL, "/api/v1/users/1/extra"), 404, "not_found");
}

TEST(input_wrong_method_is_405_with_an_honest_allow_header)
{
	struct fixture *s = fixture_shared();
	struct resp *r;
	const char *allow;

	CHECK(s != NULL);
	r = api_send(s, "PUT", "/api/v1/users", session_of(s, "admin"), "{}");
	CHECK_ERROR(r, 405, "method_not_allowed");
	CHECK_ERROR(api_send(s, "DELETE", "/healthz", NULL, NULL), 405, "method_not_allowed");
	allow = resp_header(r, "Allow");
	CHECK(allow != NULL);
	CHECK(strstr(allow, "GET") != NULL && strstr(allow, "POST") != NULL);
	/* The method just refused must not be advertised as allowed. */
	CHECK(strstr(allow, "PUT") == NULL);
}

TEST(input_path_traversal_is_404_json)
{
	struct fixture *s = fixture_shared();
	static const char *const paths[] = { "/../../etc/passwd", "/%2e%2e/etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd", "/.git/config", "/web/../../etc/passwd",
		"/..%2f..%2fetc%2fpasswd", "/%2fetc%2fpasswd", "/.env", "/index.html/../../pingan.db",
		"/..\\..\\etc\\passwd" };

	CHECK(s != NULL);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct resp *r = api_get(s, NULL, paths[i]);

		if (r->status != 404 || strstr(r->body, "root:") != NULL)
			test_failf(__FILE__, __LINE__, "%s answered %ld", paths[i], r->status);
		CHECK_ERROR(r, 404, "not_found");
	}
}

TEST(input_static_index_is_html)
{
	struct fixture *s = fixture_shared();
	struct resp *r;
	const char *ct;

	CHECK(s != NULL);
	r = api_get(s, NULL, "/");
	CHECK_INT(r->status, 200);
	ct = resp_header(r, "Content-Type");
	CHECK(ct != NULL && strncmp(ct, "text/html", 9) == 0);
	CHECK(strstr(r->body, "<!doctype html") != NULL || strstr(r->body, "<!DOCTYPE html") != NULL ||
	    strstr(r->body, "<html") != NULL);
	r = api_get(s, NULL, "/index.html");
	CHECK_INT(r->status, 200);
	CHECK_ERROR(api_get(s, NULL, "/no-such-page.html"), 404, "not_found");
	CHECK_ERROR(api_send(s, "POST", "/index.html", NULL, "{}"), 405, "method_not_allowed");
}
