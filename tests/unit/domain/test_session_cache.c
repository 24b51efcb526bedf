/*
 * Kept sessions (domain/auth/session_cache): a request is answered as the
 * database would answer it after every change to a session, its user, the
 * user's grids or the divisions, however recent the kept copy.
 */
#include "../../harness.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/auth/session_cache.h"
#include "testdb.h"

#define PW "Correct-Horse-42"

struct kept {
	struct testdb t;
	struct actor sys;
	struct signin s;
	int64_t user;
};

static int
kept_open(struct kept *k, const char *roles)
{
	struct user_input in = { .username = "zhou", .display_name = "周工", .roles = roles,
		.division_code = "", .password = PW };
	struct actor ctx;
	struct fail f = { 0 };

	if (testdb_open(&k->t) != 0 || session_cache_attach(k->t.db) != 0)
		return -1;
	actor_system(&k->sys, "test");
	if (user_create(k->t.db, &k->sys, &in, &k->user, &f) != 0)
		return -1;
	memset(&ctx, 0, sizeof ctx);
	return session_signin(k->t.db, &ctx, "zhou", PW, NULL, &k->s, &f);
}

static int
resolve(struct kept *k, struct actor *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	snprintf(a->request_id, sizeof a->request_id, "req-1");
	rc = session_resolve(k->t.db, k->s.token, VIA_BEARER_SESSION, a);
	db_reader_done(k->t.db);
	return rc;
}

/* The token's hash, the cache's key. */
static void
token_hash(const struct kept *k, uint8_t hash[crypto_hash_sha256_BYTES])
{
	crypto_hash_sha256(hash, (const uint8_t *)k->s.token, strlen(k->s.token));
}

TEST(session_cache_answers_from_the_kept_session)
{
	struct kept k;
	struct session_seen seen;
	uint8_t hash[crypto_hash_sha256_BYTES];
	struct actor a;

	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK_STR(a.username, "zhou");
	CHECK_STR(a.request_id, "req-1");
	CHECK_INT(a.via, VIA_BEARER_SESSION);
	/* What is kept is what is used: a doctored copy at the newest sequence shows through. */
	token_hash(&k, hash);
	CHECK(session_cache_get(session_cache_of(k.t.db), hash, &seen));
	snprintf(seen.actor.display_name, sizeof seen.actor.display_name, "缓存里的名字");
	session_cache_put(session_cache_of(k.t.db), hash, db_read_seq(db_reader(k.t.db)), &seen);
	db_reader_done(k.t.db);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK_STR(a.display_name, "缓存里的名字");
	CHECK_STR(a.request_id, "req-1");
	testdb_close(&k.t);
}

TEST(session_cache_forgets_a_user_on_any_change_to_them)
{
	struct kept k;
	struct user_input in = { .roles = "township_center", .unit_id = USER_KEEP };
	struct fail f = { 0 };
	struct actor a;

	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK(a.roles & (1u << ROLE_LEADER));
	/* New roles: seen at once. */
	CHECK_INT(user_update(k.t.db, &k.sys, k.user, &in, 1, &f), 0);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK(a.roles & (1u << ROLE_TOWNSHIP_CENTER));
	CHECK(!(a.roles & (1u << ROLE_LEADER)));
	/* Disabled: refused at once. */
	CHECK_INT(user_set_locked(k.t.db, &k.sys, k.user, true, &f), 0);
	CHECK_INT(resolve(&k, &a), ERR_UNAUTHORIZED);
	CHECK_INT(user_set_locked(k.t.db, &k.sys, k.user, false, &f), 0);
	testdb_close(&k.t);
}

TEST(session_cache_refuses_a_signed_out_session_at_once)
{
	struct kept k;
	struct actor a;

	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK_INT(resolve(&k, &a), 0);
	CHECK_INT(session_signout(k.t.db, &a), 0);
	CHECK_INT(resolve(&k, &a), ERR_UNAUTHORIZED);
	testdb_close(&k.t);
}

TEST(session_cache_still_applies_both_expiries)
{
	struct kept k;
	struct actor a;

	clock_set_fixed(1800000000000);
	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	clock_advance(31 * 60000);            /* idle beyond 30 minutes */
	CHECK_INT(resolve(&k, &a), ERR_UNAUTHORIZED);
	clock_set_fixed(0);
	testdb_close(&k.t);
}

TEST(session_cache_never_keeps_a_session_read_before_a_change)
{
	struct kept k;
	struct session_seen seen;
	uint8_t hash[crypto_hash_sha256_BYTES];
	struct actor a;
	uint64_t seq;

	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	token_hash(&k, hash);
	CHECK(session_cache_get(session_cache_of(k.t.db), hash, &seen));
	seq = db_read_seq(db_reader(k.t.db));
	db_reader_done(k.t.db);
	/* A request read the session at seq; the user is disabled; then it offers what it read. */
	CHECK_INT(user_set_locked(k.t.db, &k.sys, k.user, true, &(struct fail){ 0 }), 0);
	session_cache_put(session_cache_of(k.t.db), hash, seq, &seen);
	CHECK(!session_cache_get(session_cache_of(k.t.db), hash, &seen));
	CHECK_INT(resolve(&k, &a), ERR_UNAUTHORIZED);
	testdb_close(&k.t);
}

TEST(session_cache_sees_a_user_disabled_by_another_process)
{
	struct kept k;
	struct actor a;

	CHECK_INT(kept_open(&k, "leader"), 0);
	CHECK_INT(resolve(&k, &a), 0);
	/* As `pingan user` or sqlite3 would, on the file itself while the server runs. */
	CHECK_INT(testdb_sql(&k.t, "UPDATE users SET disabled = 1"), 0);
	usleep(250000);
	CHECK_INT(resolve(&k, &a), ERR_UNAUTHORIZED);
	testdb_close(&k.t);
}

/* Every table resolving a session reads, by EXPLAIN, must be watched by the cache. */
TEST(session_cache_watches_every_table_a_session_lookup_reads)
{
	static const enum stmt_id lookup[] = { STMT_SESSION_LOOKUP, STMT_USER_BY_ID,
		STMT_USER_GRIDS };
	size_t nwatched;
	const struct db_watch_table *watched = session_cache_tables(&nwatched);

	CHECK(testdb_reads_watched(lookup, sizeof lookup / sizeof lookup[0], watched, nwatched) >= 5);
}
