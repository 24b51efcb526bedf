/* Accounts through the API: create, read, change with versions, lock, unlock, list. */
#include "client.h"

static const char *
user_body(const char *username, const char *role)
{
	return jfmt("{s:s, s:s, s:s, s:[s]}", "username", username, "display_name", "测试用户",
	    "password", TEST_PASSWORD, "roles", role);
}

static struct resp *
patch(struct fixture *s, long long id, const char *if_match, const char *body)
{
	struct request rq = { .method = "PATCH", .path = tfmt("/api/v1/users/%lld", id),
		.bearer = session_of(s, "admin"), .body = body };

	rq.headers[0] = if_match ? tfmt("If-Match: %s", if_match) : NULL;
	return http(s, &rq);
}

TEST(users_create_answers_201_with_location)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("newbie"), *loc;
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"), user_body(user, "leader"));
	CHECK_INT(r->status, 201);
	CHECK_STR(jstr(r->json, "username"), user);
	CHECK_STR(jstr(r->json, "display_name"), "测试用户");
	CHECK_STR(jstr(r->json, "roles.0"), "leader");
	CHECK_INT(jint(r->json, "version", 0), 1);
	CHECK(json_is_true(jget(r->json, "must_change_password")));
	CHECK(jget(r->json, "password") == NULL && jget(r->json, "password_hash") == NULL);
	loc = resp_header(r, "Location");
	CHECK_STR(loc, tfmt("/api/v1/users/%lld", jint(r->json, "id", 0)));
	r = api_get(s, session_of(s, "admin"), loc);
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "username"), user);
}

TEST(users_duplicate_username_is_409_and_keeps_the_first)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("twice");
	struct resp *r;

	CHECK(s != NULL);
	CHECK(api_user_create(s, user, "leader") > 0);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"), user_body(user, "admin"));
	CHECK_FIELD_ERROR(r, 409, "conflict", "username");
	CHECK_STR(jstr(r->json, "error.message"), "用户名已存在");
	r = api_get(s, session_of(s, "admin"), tfmt("/api/v1/users?q=%s", user));
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	CHECK_STR(jstr(r->json, "items.0.roles.0"), "leader");
}

TEST(users_bad_username_or_role_is_422)
{
	struct fixture *s = fixture_shared();
	const char *admin;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/users", admin, user_body("a b", "leader")),
	    422, "validation_failed", "username");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/users", admin,
	    user_body(uniq("roleless"), "emperor")), 422, "validation_failed", "roles");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/users", admin,
	    jfmt("{s:s, s:s, s:[]}", "username", uniq("noroles"), "password", TEST_PASSWORD,
		"roles")), 422, "validation_failed", "roles");
}

TEST(users_unknown_id_is_404)
{
	struct fixture *s = fixture_shared();
	const char *admin;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK_ERROR(api_get(s, admin, "/api/v1/users/999999"), 404, "not_found");
	CHECK_ERROR(api_get(s, admin, "/api/v1/users/abc"), 404, "not_found");
	CHECK_ERROR(api_get(s, admin, "/api/v1/users/0"), 404, "not_found");
	CHECK_ERROR(api_send(s, "POST", "/api/v1/users/999999/lock", admin, NULL), 404, "not_found");
}

TEST(users_patch_with_a_stale_version_is_412_and_changes_nothing)
{
	struct fixture *s = fixture_shared();
	long long id;
	const char *body = "{\"display_name\":\"改过的名字\",\"roles\":[\"admin\"]}";
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    user_body(uniq("stale"), "leader"));
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	CHECK_ERROR(patch(s, id, "\"0\"", body), 412, "precondition_failed");
	CHECK_FIELD_ERROR(patch(s, id, "\"7\"", body), 412, "precondition_failed", "version");
	CHECK_ERROR(patch(s, id, "W/\"2\"", body), 412, "precondition_failed");
	CHECK_ERROR(patch(s, id, "\"junk\"", body), 412, "precondition_failed");
	CHECK_ERROR(patch(s, id, NULL,
	    "{\"display_name\":\"改过的名字\",\"roles\":[\"admin\"],\"version\":5}"), 412,
	    "precondition_failed");
	r = api_get(s, session_of(s, "admin"), tfmt("/api/v1/users/%lld", id));
	CHECK_INT(jint(r->json, "version", 0), 1);
	CHECK_STR(jstr(r->json, "display_name"), "测试用户");
	CHECK_STR(jstr(r->json, "roles.0"), "leader");
}

TEST(users_patch_with_the_current_version_is_200_and_bumps_it)
{
	struct fixture *s = fixture_shared();
	long long id;
	const char *body = "{\"display_name\":\"改过的名字\",\"roles\":[\"auditor\",\"leader\"]}";
	struct resp *r;

	CHECK(s != NULL);
	id = api_user_create(s, uniq("fresh"), "leader");
	CHECK(id > 0);
	r = patch(s, id, "\"1\"", body);
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "version", 0), 2);
	CHECK_STR(jstr(r->json, "display_name"), "改过的名字");
	CHECK_INT(json_array_size(jget(r->json, "roles")), 2);
	/* The second writer with the same old version loses. */
	CHECK_ERROR(patch(s, id, "\"1\"", body), 412, "precondition_failed");
	/* The version may come in the body instead. */
	r = patch(s, id, NULL, "{\"roles\":[\"leader\"],\"version\":2}");
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "version", 0), 3);
	CHECK_STR(jstr(r->json, "display_name"), "改过的名字");
}

/* A county division and a unit in it, straight into the database (no API for them yet). */
static bool
seed_division_and_unit(struct fixture *s)
{
	return run_sqlite(s->db_path,
	    "INSERT OR IGNORE INTO divisions (id, code, name, level, path, created_at, updated_at) "
	    "VALUES (900, '330824', '开化县', 'county', '/330824/', 0, 0);"
	    "INSERT OR IGNORE INTO units (id, name, kind, division_id, created_at, updated_at) "
	    "VALUES (900, '县公安局', 'department', 900, 0, 0);", NULL) == 0;
}

TEST(users_patch_keeps_division_and_unit_it_does_not_mention)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("placed");
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	CHECK(seed_division_and_unit(s));
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:[s], s:s, s:i}", "username", user, "password", TEST_PASSWORD,
		"roles", "leader", "division_code", "330824", "unit_id", 900));
	CHECK_INT(r->status, 201);
	CHECK_STR(jstr(r->json, "division_code"), "330824");
	CHECK_INT(jint(r->json, "unit_id", 0), 900);
	id = jint(r->json, "id", 0);
	r = patch(s, id, "\"1\"", "{\"display_name\":\"只改名字\",\"roles\":[\"leader\"]}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "display_name"), "只改名字");
	CHECK_STR(jstr(r->json, "division_code"), "330824");
	CHECK_INT(jint(r->json, "unit_id", 0), 900);
}

TEST(users_lock_ends_sessions_and_blocks_signin_until_unlocked)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("locked"), *admin, *token;
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	id = api_user_create(s, user, "leader");
	CHECK(id > 0);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	r = api_send(s, "POST", tfmt("/api/v1/users/%lld/lock", id), admin, NULL);
	CHECK_INT(r->status, 200);
	CHECK(json_is_true(jget(r->json, "disabled")));
	CHECK_ERROR(api_get(s, token, "/api/v1/me"), 401, "unauthorized");
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, TEST_PASSWORD));
	CHECK_ERROR(r, 403, "forbidden");
	CHECK_STR(jstr(r->json, "error.message"), "账号已被停用，请联系管理员");
	r = api_send(s, "POST", tfmt("/api/v1/users/%lld/unlock", id), admin, NULL);
	CHECK_INT(r->status, 200);
	CHECK(json_is_false(jget(r->json, "disabled")));
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	CHECK_INT(api_get(s, token, "/api/v1/me")->status, 200);
}

TEST(users_admin_cannot_lock_themselves)
{
	struct fixture *s = fixture_shared();
	const char *admin;
	long long me;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	me = jint(api_get(s, admin, "/api/v1/me")->json, "id", 0);
	CHECK(me > 0);
	CHECK_ERROR(api_send(s, "POST", tfmt("/api/v1/users/%lld/lock", me), admin, NULL), 409,
	    "conflict");
	CHECK_INT(api_get(s, admin, "/api/v1/me")->status, 200);
}

TEST(users_list_pages_with_limit_and_cursor)
{
	struct fixture *s = fixture_shared();
	const char *admin;
	struct resp *p1, *p2;
	long long cursor;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	p1 = api_get(s, admin, "/api/v1/users?limit=2");
	CHECK_INT(p1->status, 200);
	CHECK_INT(json_array_size(jget(p1->json, "items")), 2);
	cursor = jint(p1->json, "next_cursor", 0);
	CHECK_INT(cursor, jint(p1->json, "items.1.id", -1));
	p2 = api_get(s, admin, tfmt("/api/v1/users?limit=2&cursor=%lld", cursor));
	CHECK_INT(p2->status, 200);
	CHECK_INT(json_array_size(jget(p2->json, "items")), 2);
	CHECK(jint(p2->json, "items.0.id", 0) > cursor);
	CHECK_FIELD_ERROR(api_get(s, admin, "/api/v1/users?limit=0"), 422, "validation_failed",
	    "limit");
	CHECK_FIELD_ERROR(api_get(s, admin, "/api/v1/users?limit=201"), 422, "validation_failed",
	    "limit");
	CHECK_FIELD_ERROR(api_get(s, admin, "/api/v1/users?cursor=x"), 422, "validation_failed",
	    "cursor");
}

TEST(users_list_filters_by_role_and_text)
{
	struct fixture *s = fixture_shared();
	const char *admin;
	struct resp *r;
	json_t *u;
	size_t i;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	r = api_get(s, admin, "/api/v1/users?role=auditor&limit=200");
	CHECK_INT(r->status, 200);
	CHECK(items_have(jget(r->json, "items"), "username", "auditor"));
	CHECK(!items_have(jget(r->json, "items"), "username", "center"));
	json_array_foreach(jget(r->json, "items"), i, u) {
		json_t *roles = json_object_get(u, "roles"), *role;
		size_t k;
		bool found = false;

		json_array_foreach(roles, k, role)
			found = found || strcmp(json_string_value(role), "auditor") == 0;
		CHECK(found);
	}
	r = api_get(s, admin, "/api/v1/users?q=volunt");
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	CHECK_STR(jstr(r->json, "items.0.username"), "volunteer");
}

TEST(users_patch_with_an_unknown_role_changes_nothing)
{
	struct fixture *s = fixture_shared();
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	id = api_user_create(s, uniq("keeprole"), "leader");
	CHECK(id > 0);
	CHECK_FIELD_ERROR(patch(s, id, "\"1\"", "{\"roles\":[\"leader\",\"emperor\"]}"), 422,
	    "validation_failed", "roles");
	r = api_get(s, session_of(s, "admin"), tfmt("/api/v1/users/%lld", id));
	CHECK_INT(jint(r->json, "version", 0), 1);
	CHECK_INT(json_array_size(jget(r->json, "roles")), 1);
	CHECK_STR(jstr(r->json, "roles.0"), "leader");
}

/* n copies of a three-byte character after prefix. */
static const char *
chinese(const char *prefix, int n)
{
	const char *s = prefix;

	for (int i = 0; i < n; i++)
		s = tfmt("%s测", s);
	return s;
}

TEST(users_display_name_of_32_chinese_characters_round_trips)
{
	struct fixture *s = fixture_shared();
	const char *name = chinese("", 32);
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:s, s:[s]}", "username", uniq("wide"), "display_name", name, "password",
		TEST_PASSWORD, "roles", "leader"));
	CHECK_INT(r->status, 201);
	CHECK_STR(jstr(r->json, "display_name"), name);
	r = api_get(s, session_of(s, "admin"), resp_header(r, "Location"));
	CHECK_STR(jstr(r->json, "display_name"), name);
}

TEST(users_display_name_mixing_latin_and_chinese_is_listed_and_readable)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("mixed"), *name = chinese("a", 31);
	struct resp *r;

	CHECK(s != NULL);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:s, s:[s]}", "username", user, "display_name", name, "password",
		TEST_PASSWORD, "roles", "leader"));
	CHECK_INT(r->status, 201);
	CHECK(user_exists(s, session_of(s, "admin"), user));
}
