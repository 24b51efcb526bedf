/* The audit trail as an auditor reads it: what is recorded, filters, paging. */
#include "client.h"

/* The row of items with this request id, or NULL. */
static json_t *
row_by_request(json_t *items, const char *rid)
{
	json_t *row;
	size_t i;

	json_array_foreach(items, i, row) {
		const char *r = jstr(row, "request_id");

		if (r && strcmp(r, rid) == 0)
			return row;
	}
	return NULL;
}

static struct resp *
signin_with_rid(struct fixture *s, const char *user, const char *pw, const char *rid)
{
	struct request rq = { .method = "POST", .path = "/api/v1/session",
		.body = signin_body(user, pw) };

	rq.headers[0] = tfmt("X-Request-Id: %s", rid);
	return http(s, &rq);
}

TEST(audit_records_signins_failures_and_user_creation_newest_first)
{
	struct fixture *s = fixture_shared();
	const char *ok_rid = uniq("audit-ok-"), *bad_rid = uniq("audit-bad-");
	const char *user = uniq("audited");
	json_t *items, *ok, *bad, *created = NULL, *row;
	long long id, prev = -1;
	struct resp *r;
	size_t i;

	CHECK(s != NULL);
	CHECK_INT(signin_with_rid(s, "center", TEST_PASSWORD, ok_rid)->status, 201);
	CHECK_INT(signin_with_rid(s, "nobody-at-all", "Wrong#Pass2026", bad_rid)->status, 401);
	id = api_user_create(s, user, "leader");
	CHECK(id > 0);

	r = api_get(s, session_of(s, "auditor"), "/api/v1/audit?limit=200");
	CHECK_INT(r->status, 200);
	items = jget(r->json, "items");
	json_array_foreach(items, i, row) {
		long long rid = jint(row, "id", 0);

		CHECK(prev < 0 || rid < prev);
		prev = rid;
		if (created == NULL && jstr(row, "action") &&
		    strcmp(jstr(row, "action"), "user.create") == 0 &&
		    jstr(row, "detail.username") && strcmp(jstr(row, "detail.username"), user) == 0)
			created = row;
	}
	ok = row_by_request(items, ok_rid);
	bad = row_by_request(items, bad_rid);
	CHECK(ok != NULL && bad != NULL && created != NULL);
	CHECK_STR(jstr(ok, "action"), "session.signin");
	CHECK_STR(jstr(ok, "actor"), "center");
	CHECK_STR(jstr(bad, "action"), "session.signin_failed");
	CHECK_STR(jstr(bad, "detail.reason"), "unknown_user");
	CHECK_STR(jstr(created, "entity"), "user");
	CHECK_STR(jstr(created, "entity_id"), tfmt("%lld", id));
	CHECK_STR(jstr(created, "actor"), "admin");
	CHECK(jint(created, "id", 0) > jint(bad, "id", 0));
	CHECK(jint(bad, "id", 0) > jint(ok, "id", 0));
	CHECK(jstr(ok, "at") != NULL && strlen(jstr(ok, "at")) >= 25);
	CHECK(jstr(ok, "client_addr") != NULL && strcmp(jstr(ok, "client_addr"), "127.0.0.1") == 0);
}

TEST(audit_filters_by_action_and_actor)
{
	struct fixture *s = fixture_shared();
	const char *auditor;
	long long center_id;
	struct resp *r;
	json_t *row;
	size_t i;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	center_id = jint(api_get(s, session_of(s, "center"), "/api/v1/me")->json, "id", 0);
	CHECK(center_id > 0);
	CHECK_INT(api_send(s, "POST", "/api/v1/session", NULL,
	    signin_body("center", "Wrong#Pass2026"))->status, 401);

	r = api_get(s, auditor, "/api/v1/audit?action=session.signin_failed&limit=200");
	CHECK_INT(r->status, 200);
	CHECK(json_array_size(jget(r->json, "items")) > 0);
	json_array_foreach(jget(r->json, "items"), i, row)
		CHECK_STR(jstr(row, "action"), "session.signin_failed");

	r = api_get(s, auditor, tfmt("/api/v1/audit?actor_id=%lld&limit=200", center_id));
	CHECK_INT(r->status, 200);
	CHECK(items_have(jget(r->json, "items"), "action", "session.signin"));
	CHECK(items_have(jget(r->json, "items"), "action", "session.signin_failed"));
	json_array_foreach(jget(r->json, "items"), i, row)
		CHECK_INT(jint(row, "actor_id", 0), center_id);

	r = api_get(s, auditor, "/api/v1/audit?action=no.such.action");
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 0);
	CHECK(json_is_null(jget(r->json, "next_cursor")));
}

TEST(audit_pages_with_limit_and_next_cursor)
{
	struct fixture *s = fixture_shared();
	const char *auditor;
	struct resp *p1, *p2;
	long long cursor;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	p1 = api_get(s, auditor, "/api/v1/audit?limit=2");
	CHECK_INT(p1->status, 200);
	CHECK_INT(json_array_size(jget(p1->json, "items")), 2);
	cursor = jint(p1->json, "next_cursor", 0);
	CHECK(cursor > 0);
	CHECK_INT(cursor, jint(p1->json, "items.1.id", -1));
	p2 = api_get(s, auditor, tfmt("/api/v1/audit?limit=2&cursor=%lld", cursor));
	CHECK_INT(p2->status, 200);
	CHECK_INT(json_array_size(jget(p2->json, "items")), 2);
	CHECK_INT(jint(p2->json, "items.0.id", 0), cursor - 1);
	CHECK_INT(jint(p2->json, "items.1.id", 0), cursor - 2);
	/* The oldest page ends the walk. */
	p2 = api_get(s, auditor, "/api/v1/audit?limit=2&cursor=2");
	CHECK_INT(json_array_size(jget(p2->json, "items")), 1);
	CHECK(json_is_null(jget(p2->json, "next_cursor")));
}

TEST(audit_bad_query_parameters_are_422)
{
	struct fixture *s = fixture_shared();
	const char *auditor;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	CHECK_FIELD_ERROR(api_get(s, auditor, "/api/v1/audit?limit=0"), 422, "validation_failed",
	    "limit");
	CHECK_FIELD_ERROR(api_get(s, auditor, "/api/v1/audit?actor_id=abc"), 422,
	    "validation_failed", "actor_id");
	CHECK_FIELD_ERROR(api_get(s, auditor, "/api/v1/audit?from=yesterday"), 422,
	    "validation_failed", "from");
}

TEST(audit_trail_cannot_be_changed_through_the_api)
{
	struct fixture *s = fixture_shared();
	const char *auditor;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	CHECK_ERROR(api_send(s, "DELETE", "/api/v1/audit", auditor, NULL), 405,
	    "method_not_allowed");
	CHECK_ERROR(api_send(s, "POST", "/api/v1/audit", auditor, "{}"), 405, "method_not_allowed");
	CHECK_ERROR(api_send(s, "DELETE", "/api/v1/audit/1", auditor, NULL), 404, "not_found");
}

/* The row with this action and entity id among the newest 200, or NULL. */
static json_t *
find_action(struct fixture *s, const char *action, const char *entity_id)
{
	struct resp *r = api_get(s, session_of(s, "auditor"),
	    tfmt("/api/v1/audit?action=%s&entity_id=%s&limit=200", action, entity_id));

	return r->status == 200 ? jget(r->json, "items.0") : NULL;
}

TEST(audit_records_every_account_change)
{
	struct fixture *s = fixture_shared();
	const char *admin, *user = uniq("watched"), *id, *token, *tid;
	struct resp *r;
	long long n;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	n = api_user_create(s, user, "county_center");
	CHECK(n > 0);
	id = tfmt("%lld", n);
	CHECK_INT(api_send(s, "PATCH", tfmt("/api/v1/users/%s", id), admin,
	    "{\"roles\":[\"leader\",\"county_center\"],\"version\":1}")->status, 200);
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/users/%s/password", id), admin,
	    jfmt("{s:s}", "password", TEST_PASSWORD))->status, 200);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	CHECK_INT(api_send(s, "POST", "/api/v1/me/password", token,
	    jfmt("{s:s, s:s}", "old_password", TEST_PASSWORD, "new_password", "Other!Pass99"))->status,
	    204);
	r = api_send(s, "POST", "/api/v1/tokens", token,
	    jfmt("{s:s, s:[s]}", "name", "watch", "permissions", "user.read"));
	CHECK_INT(r->status, 201);
	tid = tfmt("%lld", jint(r->json, "id", 0));
	CHECK_INT(api_send(s, "DELETE", tfmt("/api/v1/tokens/%s", tid), token, NULL)->status, 204);
	CHECK_INT(api_send(s, "DELETE", "/api/v1/session", token, NULL)->status, 204);
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/users/%s/lock", id), admin, NULL)->status, 200);
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/users/%s/unlock", id), admin, NULL)->status,
	    200);

	CHECK(find_action(s, "user.create", id) != NULL);
	CHECK(find_action(s, "user.update", id) != NULL);
	CHECK(find_action(s, "user.password_reset", id) != NULL);
	CHECK(find_action(s, "user.password_change", id) != NULL);
	CHECK(find_action(s, "token.create", tid) != NULL);
	CHECK(find_action(s, "token.revoke", tid) != NULL);
	CHECK(find_action(s, "session.signout", id) != NULL);
	CHECK(find_action(s, "user.lock", id) != NULL);
	CHECK(find_action(s, "user.unlock", id) != NULL);
	CHECK_STR(jstr(find_action(s, "user.lock", id), "actor"), "admin");
	CHECK_STR(jstr(find_action(s, "token.create", tid), "actor"), user);
}

TEST(audit_filters_by_time)
{
	struct fixture *s = fixture_shared();
	const char *auditor;
	struct resp *r;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	r = api_get(s, auditor, "/api/v1/audit?from=2099-01-01T00:00:00%2B08:00");
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 0);
	r = api_get(s, auditor, "/api/v1/audit?to=2001-01-01T00:00:00%2B08:00");
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 0);
	r = api_get(s, auditor,
	    "/api/v1/audit?from=2001-01-01T00:00:00%2B08:00&to=2099-01-01T00:00:00%2B08:00&limit=3");
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 3);
}

/*
 * A failed sign-in under any name the sign-in form accepts (up to 64
 * characters) must show in the trail: a name cut in the middle of a
 * character must not make its row vanish from the auditor's view.
 */
TEST(audit_failed_signin_with_a_long_chinese_name_is_listed)
{
	struct fixture *s = fixture_shared();
	const char *rid = uniq("audit-cjk-"), *name = "xy";
	struct resp *r, *page;

	CHECK(s != NULL);
	for (int i = 0; i < 20; i++)
		name = tfmt("%s测", name);
	CHECK_INT(signin_with_rid(s, name, "Wrong#Pass2026", rid)->status, 401);
	r = api_get(s, session_of(s, "auditor"),
	    "/api/v1/audit?action=session.signin_failed&limit=200");
	CHECK_INT(r->status, 200);
	CHECK(row_by_request(jget(r->json, "items"), rid) != NULL);
	/* And pages hold what they promise. */
	page = api_get(s, session_of(s, "auditor"), "/api/v1/audit?limit=5");
	CHECK_INT(json_array_size(jget(page->json, "items")), 5);
}
