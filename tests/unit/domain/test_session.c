#include "../../harness.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "base/totp.h"
#include "domain/auth/roles.h"
#include "domain/pii/pii.h"
#include "testdb.h"

#define PW "Correct-Horse-42"

static int64_t
make_user(struct db *db, const char *name, const char *roles)
{
	struct user_input in = { .username = name, .roles = roles, .password = PW };
	struct actor sys;
	struct fail f = { 0 };
	int64_t id = 0;

	actor_system(&sys, "test");
	return user_create(db, &sys, &in, &id, &f) == 0 ? id : 0;
}

static int
signin(struct db *db, const char *name, const char *pw, struct signin *s, struct fail *f)
{
	struct actor ctx;

	memset(&ctx, 0, sizeof ctx);
	memset(f, 0, sizeof *f);
	return session_signin(db, &ctx, name, pw, NULL, s, f);
}

TEST(session_lockout_after_five_failures_for_fifteen_minutes)
{
	struct testdb t;
	struct signin s;
	struct fail f;

	CHECK_INT(testdb_open(&t), 0);
	clock_set_fixed(1800000000000);
	CHECK(make_user(t.db, "wang", "county_center") > 0);
	for (int i = 0; i < 5; i++)
		CHECK_INT(signin(t.db, "wang", "wrong-password-1", &s, &f), ERR_UNAUTHORIZED);
	CHECK_INT(signin(t.db, "wang", PW, &s, &f), ERR_LOCKED);
	clock_advance(14 * 60000);
	CHECK_INT(signin(t.db, "wang", PW, &s, &f), ERR_LOCKED);
	clock_advance(61000);
	CHECK_INT(signin(t.db, "wang", PW, &s, &f), 0);
	clock_set_fixed(0);
	testdb_close(&t);
}

TEST(session_success_resets_the_failure_count)
{
	struct testdb t;
	struct signin s;
	struct fail f;

	CHECK_INT(testdb_open(&t), 0);
	CHECK(make_user(t.db, "liu", "leader") > 0);
	for (int i = 0; i < 4; i++)
		CHECK_INT(signin(t.db, "liu", "wrong-password-1", &s, &f), ERR_UNAUTHORIZED);
	CHECK_INT(signin(t.db, "liu", PW, &s, &f), 0);
	for (int i = 0; i < 4; i++)
		CHECK_INT(signin(t.db, "liu", "wrong-password-1", &s, &f), ERR_UNAUTHORIZED);
	CHECK_INT(signin(t.db, "liu", PW, &s, &f), 0);
	testdb_close(&t);
}

TEST(session_expires_when_idle_and_absolutely)
{
	struct testdb t;
	struct signin s;
	struct fail f;
	struct actor a;

	CHECK_INT(testdb_open(&t), 0);
	clock_set_fixed(1800000000000);
	CHECK(make_user(t.db, "zhao", "leader") > 0);
	CHECK_INT(signin(t.db, "zhao", PW, &s, &f), 0);
	CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &a), 0);
	CHECK_STR(a.username, "zhao");
	CHECK(a.perms & PERM_BIT(PERM_USER_READ));
	clock_advance(31 * 60000);            /* idle beyond 30 minutes */
	CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &a), ERR_UNAUTHORIZED);

	CHECK_INT(signin(t.db, "zhao", PW, &s, &f), 0);
	/* Busy all day: a request every 29 minutes keeps it alive until 12 hours have passed. */
	for (int i = 0; i < 24; i++) {
		clock_advance(29 * 60000);
		CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &a), 0);
	}
	clock_advance(25 * 60000);           /* 12 h 1 min after sign-in */
	CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &a), ERR_UNAUTHORIZED);
	clock_set_fixed(0);
	testdb_close(&t);
}

TEST(session_signout_revokes_the_token)
{
	struct testdb t;
	struct signin s;
	struct fail f;
	struct actor a;

	CHECK_INT(testdb_open(&t), 0);
	CHECK(make_user(t.db, "sun", "leader") > 0);
	CHECK_INT(signin(t.db, "sun", PW, &s, &f), 0);
	CHECK_INT(session_resolve(t.db, s.token, VIA_COOKIE, &a), 0);
	CHECK_INT(session_signout(t.db, &a), 0);
	CHECK_INT(session_resolve(t.db, s.token, VIA_COOKIE, &a), ERR_UNAUTHORIZED);
	testdb_close(&t);
}

TEST(session_tokens_are_stored_only_as_hashes)
{
	struct testdb t;
	struct signin s;
	struct fail f;
	char sql[256];

	CHECK_INT(testdb_open(&t), 0);
	CHECK(make_user(t.db, "qian", "leader") > 0);
	CHECK_INT(signin(t.db, "qian", PW, &s, &f), 0);
	CHECK(strlen(s.token) >= 43);
	/* If the clear token were stored, this would delete the row and the check below would fail. */
	snprintf(sql, sizeof sql, "DELETE FROM sessions WHERE token_hash = CAST('%s' AS BLOB)", s.token);
	CHECK_INT(testdb_sql(&t, sql), 0);
	struct actor a;
	CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &a), 0);
	testdb_close(&t);
}

TEST(password_policy_needs_length_and_three_classes)
{
	CHECK_INT(password_policy_check("Short-1", "u"), M_PASSWORD_TOO_SHORT);
	CHECK_INT(password_policy_check("alllowercase", "u"), M_PASSWORD_TOO_SIMPLE);
	CHECK_INT(password_policy_check("lowerUPPERonly", "u"), M_PASSWORD_TOO_SIMPLE);
	CHECK_INT(password_policy_check("lowerUPPER123", "u"), MSG_NONE);
	CHECK_INT(password_policy_check("lower-case-123", "u"), MSG_NONE);
	CHECK_INT(password_policy_check("Wang-Secret-1", "Wang"), M_PASSWORD_HAS_USERNAME);
}

TEST(grid_worker_scope_is_its_grids_only)
{
	struct actor a;

	memset(&a, 0, sizeof a);
	a.nscopes = 2;
	strcpy(a.scopes[0], "/330824/330824115/330824115205/330824115205001/");
	strcpy(a.scopes[1], "/330824/330824115/330824115205/330824115205002/");
	CHECK(actor_in_scope(&a, "/330824/330824115/330824115205/330824115205002/"));
	CHECK(!actor_in_scope(&a, "/330824/330824115/330824115205/330824115205003/"));
	CHECK(!actor_in_scope(&a, "/330824/330824115/"));
	a.nscopes = 0;
	CHECK(!actor_in_scope(&a, "/330824/"));
	a.scope_all = true;
	CHECK(actor_in_scope(&a, "/330824/"));
}

/* The current code of a base32 secret (what the authenticator app shows). */
static void
current_code(const char *b32, int64_t now, char out[7])
{
	uint8_t key[20];
	size_t n = 0;
	uint32_t buf = 0;
	int bits = 0;

	for (const char *p = b32; *p && n < 20; p++) {
		int v = *p >= 'A' && *p <= 'Z' ? *p - 'A' : *p - '2' + 26;

		buf = (buf << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			key[n++] = (uint8_t)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	snprintf(out, 7, "%06u", hotp(key, n, totp_counter(now)));
}

TEST(totp_enrolled_users_need_a_fresh_code_to_sign_in)
{
	struct testdb t;
	struct signin s;
	struct fail f;
	struct actor me, ctx;
	char secret[40], uri[256], code[7];
	uint8_t k1[32], k2[32];
	int64_t id;

	CHECK_INT(testdb_open(&t), 0);
	memset(k1, 3, sizeof k1);
	memset(k2, 4, sizeof k2);
	pii_set_keys(k1, k2);
	clock_set_fixed(1800000000000);
	CHECK((id = make_user(t.db, "sun2", "auditor")) > 0);
	CHECK_INT(signin(t.db, "sun2", PW, &s, &f), 0);
	CHECK_INT(session_resolve(t.db, s.token, VIA_BEARER_SESSION, &me), 0);
	CHECK_INT(totp_begin(t.db, &me, secret, uri, &f), 0);
	CHECK(strstr(uri, "otpauth://totp/") == uri);
	CHECK_INT(totp_confirm(t.db, &me, "000000", &f), ERR_INVALID);
	current_code(secret, clock_now_ms(), code);
	CHECK_INT(totp_confirm(t.db, &me, code, &f), 0);
	CHECK_INT(signin(t.db, "sun2", PW, &s, &f), ERR_UNAUTHORIZED);      /* no code */
	CHECK_INT(f.msg, M_TOTP_REQUIRED);
	clock_advance(30000);
	current_code(secret, clock_now_ms(), code);
	memset(&ctx, 0, sizeof ctx);
	memset(&f, 0, sizeof f);
	CHECK_INT(session_signin(t.db, &ctx, "sun2", PW, code, &s, &f), 0);
	memset(&f, 0, sizeof f);
	CHECK_INT(session_signin(t.db, &ctx, "sun2", PW, code, &s, &f), ERR_UNAUTHORIZED);  /* replay */
	CHECK_INT(f.msg, M_TOTP_WRONG);
	clock_set_fixed(0);
	testdb_close(&t);
}
