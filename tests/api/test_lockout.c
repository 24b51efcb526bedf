/* Repeated failed sign-ins lock the account; the sign-in rate limit. */
#include "client.h"

#define LOCKED_ZH "账号因多次登录失败已被锁定，请 15 分钟后再试或联系管理员"

static struct fixture *lock_srv;

/* One server for the lockout tests: locking changes state other tests rely on. */
static struct fixture *
lockout_server(void)
{
	if (lock_srv == NULL)
		lock_srv = server_start_fixture(NULL);
	return lock_srv;
}

static int
wrong_signins(struct fixture *s, const char *user, int n)
{
	for (int i = 0; i < n; i++) {
		struct resp *r = api_send(s, "POST", "/api/v1/session", NULL,
		    signin_body(user, "Wrong#Pass2026"));

		if (r->status != 401)
			return (int)r->status;
	}
	return 401;
}

TEST(lockout_after_five_wrong_passwords_even_the_right_one_gets_423)
{
	struct fixture *s = lockout_server();
	const char *user = uniq("lockme");
	struct resp *r;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	CHECK_INT(wrong_signins(s, user, 5), 401);
	r = api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, TEST_PASSWORD));
	CHECK_ERROR(r, 423, "account_locked");
	CHECK_STR(jstr(r->json, "error.message"), LOCKED_ZH);
	CHECK(jget(r->json, "token") == NULL);
	/* Another account is not affected. */
	CHECK(signin(s, "center", TEST_PASSWORD) != NULL);
}

TEST(lockout_counter_restarts_after_a_successful_signin)
{
	struct fixture *s = lockout_server();
	const char *user = uniq("almost");

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	CHECK_INT(wrong_signins(s, user, 4), 401);
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
	CHECK_INT(wrong_signins(s, user, 4), 401);
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
}

TEST(lockout_is_lifted_by_an_administrator_unlock)
{
	struct fixture *s = lockout_server();
	const char *user = uniq("unlockme");
	const char *admin;
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK(admin != NULL);
	id = api_user_create(s, user, "leader");
	CHECK(id > 0);
	CHECK_INT(wrong_signins(s, user, 5), 401);
	r = api_get(s, admin, tfmt("/api/v1/users/%lld", id));
	CHECK_INT(r->status, 200);
	CHECK(json_is_true(jget(r->json, "locked")));
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/users/%lld/unlock", id), admin, NULL)->status,
	    200);
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
}

TEST(lockout_failed_signins_are_audited_with_the_lock)
{
	struct fixture *s = lockout_server();
	const char *user = uniq("audlock");
	struct resp *r;
	json_t *items, *row;
	size_t i;
	int failed = 0, locked = 0;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	CHECK_INT(wrong_signins(s, user, 5), 401);
	r = api_get(s, session_of(s, "auditor"),
	    "/api/v1/audit?action=session.signin_failed&limit=200");
	CHECK_INT(r->status, 200);
	items = jget(r->json, "items");
	json_array_foreach(items, i, row) {
		const char *actor = json_string_value(json_object_get(row, "actor"));

		if (actor == NULL || strcmp(actor, user) != 0)
			continue;
		failed++;
		if (json_is_true(jget(row, "detail.locked")))
			locked++;
	}
	CHECK_INT(failed, 5);
	CHECK_INT(locked, 1);
}

TEST(signin_rate_limit_answers_429)
{
	struct fixture *s = server_start_fixture("signin_rate_per_minute = 3");
	struct resp *limited = NULL;

	CHECK(s != NULL);
	/* Seven tries: even across a minute boundary one window sees four. */
	for (int i = 0; i < 7; i++) {
		struct resp *r = api_send(s, "POST", "/api/v1/session", NULL,
		    signin_body("nobody", "Wrong#Pass2026"));

		if (r->status == 429)
			limited = r;
		else
			CHECK_INT(r->status, 401);
	}
	CHECK(limited != NULL);
	CHECK_ERROR(limited, 429, "rate_limited");
	(void)fixture_stop(s);
}
