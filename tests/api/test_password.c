/* The forced password change, the own-password change and the password policy. */
#include "client.h"

#define MUST_CHANGE_ZH "首次登录请先修改密码"
#define NEW_PASSWORD "Fresh!Secret77"

static const char *
change_body(const char *old_pw, const char *new_pw)
{
	return jfmt("{s:s, s:s}", "old_password", old_pw, "new_password", new_pw);
}

TEST(password_temporary_user_must_change_before_anything_else)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("temp"), *token;
	struct resp *r;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "admin", TEST_PASSWORD, true), 0);
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, TEST_PASSWORD));
	CHECK_INT(r->status, 201);
	CHECK(json_is_true(jget(r->json, "user.must_change_password")));
	token = jstr(r->json, "token");
	CHECK(token != NULL);

	r = api_get(s, token, "/api/v1/users");
	CHECK_ERROR(r, 403, "forbidden");
	CHECK_STR(jstr(r->json, "error.message"), MUST_CHANGE_ZH);
	CHECK_ERROR(api_get(s, token, "/api/v1/roles"), 403, "forbidden");
	/* What the change itself needs stays open. */
	CHECK_INT(api_get(s, token, "/api/v1/me")->status, 200);

	r = api_send(s, "POST", "/api/v1/me/password", token, change_body(TEST_PASSWORD, "Sh0rt!"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "new_password");
	CHECK_STR(jstr(r->json, "error.message"), "密码至少需要 10 个字符");
	CHECK_ERROR(api_get(s, token, "/api/v1/users"), 403, "forbidden");

	CHECK_INT(api_send(s, "POST", "/api/v1/me/password", token,
	    change_body(TEST_PASSWORD, NEW_PASSWORD))->status, 204);
	r = api_get(s, token, "/api/v1/users");
	CHECK_INT(r->status, 200);
	r = api_get(s, token, "/api/v1/me");
	CHECK(json_is_false(jget(r->json, "must_change_password")));
	/* The old password is gone, the new one works. */
	CHECK_ERROR(api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, TEST_PASSWORD)),
	    401, "unauthorized");
	CHECK(signin(s, user, NEW_PASSWORD) != NULL);
}

TEST(password_change_policy_names_the_field_for_each_rule)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("policyme"), *token;
	static const struct {
		const char *pw, *msg;
	} bad[] = {
		{ "Ab1!", "密码至少需要 10 个字符" },
		{ "abcdefghijk1", "密码需包含大写字母、小写字母、数字、符号中的至少三类" },
		{ "Xx1!policyme9", "密码不能包含用户名" },
	};

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *pw = strstr(bad[i].pw, "policyme") ? tfmt("Xx1!%s", user) : bad[i].pw;
		struct resp *r = api_send(s, "POST", "/api/v1/me/password", token,
		    change_body(TEST_PASSWORD, pw));

		CHECK_FIELD_ERROR(r, 422, "validation_failed", "new_password");
		CHECK_STR(jstr(r->json, "error.message"), bad[i].msg);
	}
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
}

TEST(password_change_with_wrong_old_password_is_422_and_changes_nothing)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("oldpw"), *token;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/me/password", token,
	    change_body("Wrong#Pass2026", NEW_PASSWORD)), 422, "validation_failed", "old_password");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/me/password", token,
	    change_body(TEST_PASSWORD, TEST_PASSWORD)), 422, "validation_failed", "new_password");
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
}

TEST(password_change_signs_out_the_other_sessions_only)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("twodev"), *phone, *desk;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	phone = signin(s, user, TEST_PASSWORD);
	desk = signin(s, user, TEST_PASSWORD);
	CHECK(phone != NULL && desk != NULL);
	CHECK_INT(api_send(s, "POST", "/api/v1/me/password", desk,
	    change_body(TEST_PASSWORD, NEW_PASSWORD))->status, 204);
	CHECK_INT(api_get(s, desk, "/api/v1/me")->status, 200);
	CHECK_ERROR(api_get(s, phone, "/api/v1/me"), 401, "unauthorized");
}

TEST(password_policy_on_user_creation_names_the_password_field)
{
	struct fixture *s = fixture_shared();
	const char *admin, *user = uniq("weakling");
	const char *bad[] = { "Ab1!xyz", "abcdefghijk12", "lowercase-only-here", NULL };
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK(admin != NULL);
	bad[3] = tfmt("Xy1!%s", user);
	for (size_t i = 0; i < 4; i++) {
		r = api_send(s, "POST", "/api/v1/users", admin,
		    jfmt("{s:s, s:s, s:[s]}", "username", user, "password", bad[i], "roles", "leader"));
		CHECK_FIELD_ERROR(r, 422, "validation_failed", "password");
	}
	CHECK_STR(jstr(r->json, "error.message"), "密码不能包含用户名");
	CHECK(!user_exists(s, admin, user));
}

TEST(password_reset_by_admin_forces_a_change_and_ends_sessions)
{
	struct fixture *s = fixture_shared();
	const char *admin, *user = uniq("forgot"), *token;
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	id = jint(api_get(s, token, "/api/v1/me")->json, "id", 0);
	CHECK(id > 0);
	r = api_send(s, "POST", tfmt("/api/v1/users/%lld/password", id), admin,
	    jfmt("{s:s}", "password", "short"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "password");
	r = api_send(s, "POST", tfmt("/api/v1/users/%lld/password", id), admin,
	    jfmt("{s:s}", "password", NEW_PASSWORD));
	CHECK_INT(r->status, 200);
	CHECK(json_is_true(jget(r->json, "must_change_password")));
	CHECK_ERROR(api_get(s, token, "/api/v1/me"), 401, "unauthorized");
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, NEW_PASSWORD));
	CHECK_INT(r->status, 201);
	CHECK(json_is_true(jget(r->json, "user.must_change_password")));
}

TEST(password_init_admin_must_change_at_first_signin)
{
	const char *dir = temp_dir(), *data;
	char *out;

	CHECK(dir != NULL);
	data = tfmt("%s/data", dir);
	CHECK_INT(run_pingan(NULL, &out, "init", "--data-dir", data, (char *)NULL), 0);
	CHECK_INT(run_sqlite(tfmt("%s/pingan.db", data),
	    "SELECT must_change_password FROM users WHERE username = 'admin'", &out), 0);
	CHECK_STR(out, "1\n");
}
