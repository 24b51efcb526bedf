/*
 * Sign-in, session lookup and sign-out. A session token is 32 random bytes
 * shown to the client once (base64url); the database keeps only its
 * SHA-256, so a copied database cannot be used to sign in.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/auth/session_cache.h"
#include "domain/audit/audit.h"
#include "domain/auth/token_text.h"
#include "domain/txn.h"

/* Sessions are touched at most this often, so reads stay reads. */
#define TOUCH_INTERVAL_MS 60000

/* Burns the same time as a real check, so unknown names cannot be told apart by timing. */
static void
dummy_verify(const char *password)
{
	static char hash[PASSWORD_HASH_MAX];

	if (hash[0] == '\0' && password_hash("pingan-dummy-Password-1", hash) != 0)
		return;
	(void)password_verify(hash, password);
}

/* Records a failed attempt: count it, lock at the threshold, audit. */
static int
record_failure(struct db_conn *w, const struct actor *ctx, struct user *u, const char *username,
    bool found)
{
	const struct auth_settings *cfg = auth_settings();
	int64_t now = clock_now_ms();
	char detail[160];
	struct db_stmt *s;
	int rc;

	snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}",
	    found ? "wrong_password" : "unknown_user");
	if (found) {
		int count = u->locked_until && u->locked_until <= now ? 1 : u->failed_count + 1;
		int64_t until = 0;

		if (count >= cfg->lockout_threshold) {
			until = now + cfg->lockout_ms;
			count = 0;
			snprintf(detail, sizeof detail, "{\"reason\":\"wrong_password\",\"locked\":true}");
		}
		if ((s = db_stmt(w, STMT_USER_SIGNIN_FAILED)) == NULL)
			return db_stmt_error(w);
		db_bind_int(s, 1, u->id);
		db_bind_int(s, 2, count);
		db_bind_int(s, 3, until);
		if ((rc = db_run(s)) != 0)
			return rc;
	}
	struct actor who = *ctx;

	who.user_id = found ? u->id : 0;
	/* Whatever was typed is recorded, cut at a character boundary so the row stays UTF-8. */
	utf8_copy(who.username, 41, utf8_is_clean_text(username, strlen(username)) ? username : "?");
	return audit_write(w, &who, "session.signin_failed", "user",
	    found ? "" : "", detail);
}

static int
create_session(struct db_conn *w, const struct actor *ctx, struct user *u, struct signin *out)
{
	uint8_t raw[32], hash[crypto_hash_sha256_BYTES];
	int64_t now = clock_now_ms();
	struct actor who = *ctx;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	randombytes_buf(raw, sizeof raw);
	token_encode("", raw, sizeof raw, out->token, sizeof out->token);
	crypto_hash_sha256(hash, (const uint8_t *)out->token, strlen(out->token));
	out->expires_at = now + auth_settings()->absolute_ms;
	if ((s = db_stmt(w, STMT_SESSION_INSERT)) == NULL)
		return db_stmt_error(w);
	db_bind_blob(s, 1, hash, sizeof hash);
	db_bind_int(s, 2, u->id);
	db_bind_int(s, 3, now);
	db_bind_int(s, 4, out->expires_at);
	if ((rc = db_run(s)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_USER_SIGNIN_OK)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, u->id);
	if ((rc = db_run(s)) != 0)
		return rc;
	actor_from_user(&who, u);
	snprintf(idtext, sizeof idtext, "%lld", (long long)u->id);
	return audit_write(w, &who, "session.signin", "user", idtext, NULL);
}

/*
 * The password is checked before the write transaction: argon2id takes tens
 * of milliseconds and must not hold the single writer. Inside the
 * transaction the user is read again, so a concurrent failure count or lock
 * is respected.
 */
int
session_signin(struct db *db, const struct actor *ctx, const char *username,
    const char *password, const char *totp, struct signin *out, struct fail *f)
{
	struct db_conn *c = db_reader(db), *w;
	bool found, ok;
	int rc;

	memset(out, 0, sizeof *out);
	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	rc = user_load_by_name(c, username, &out->user);
	db_reader_done(db);
	if (rc != 0 && rc != ERR_NOT_FOUND)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	found = rc == 0;
	if (found && out->user.locked_until > clock_now_ms())
		return fail(f, ERR_LOCKED, M_ACCOUNT_LOCKED, NULL);
	if (found) {
		ok = password_verify(out->user.password_hash, password);
	} else {
		dummy_verify(password);
		ok = false;
	}
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if (found && (rc = user_load_by_id(w, out->user.id, &out->user)) != 0)
		goto out;
	if (found && out->user.locked_until > clock_now_ms()) {
		rc = fail(f, ERR_LOCKED, M_ACCOUNT_LOCKED, NULL);
		goto out;
	}
	/* A second factor counts like the password: a missing or wrong code is a failure. */
	int second = ok ? totp_signin_check(w, out->user.id, totp) : 0;

	if (second < 0 && second != ERR_UNAUTHORIZED && second != ERR_FORBIDDEN) {
		rc = second;
		goto out;
	}
	if (!ok || second != 0) {
		rc = record_failure(w, ctx, &out->user, username, found);
		/* The failure itself must be kept: commit, then answer 401. */
		rc = txn_finish(db, rc, f);
		if (rc != 0)
			return rc;
		if (second == ERR_UNAUTHORIZED)
			return fail(f, ERR_UNAUTHORIZED, M_TOTP_REQUIRED, "totp");
		if (second == ERR_FORBIDDEN)
			return fail(f, ERR_UNAUTHORIZED, M_TOTP_WRONG, "totp");
		return fail(f, ERR_UNAUTHORIZED, M_SIGNIN_FAILED, NULL);
	}
	if (out->user.disabled) {
		rc = fail(f, ERR_FORBIDDEN, M_ACCOUNT_DISABLED, NULL);
		goto out;
	}
	rc = create_session(w, ctx, &out->user, out);
out:
	return txn_finish(db, rc, f);
}

static int
touch(struct db *db, enum stmt_id id, int64_t row)
{
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	if ((s = db_stmt(w, id)) == NULL) {
		db_write_rollback(db);
		return db_stmt_error(w);
	}
	db_bind_int(s, 1, row);
	db_bind_int(s, 2, clock_now_ms());
	if ((rc = db_run(s)) != 0) {
		db_write_rollback(db);
		return rc;
	}
	return db_write_commit(db);
}

/* The session of a token hash, its user and their scope, as the database has them. */
static int
session_read(struct db_conn *c, const uint8_t *hash, struct session_seen *seen)
{
	struct db_stmt *s = db_stmt(c, STMT_SESSION_LOOKUP);
	struct user u;
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_blob(s, 1, hash, crypto_hash_sha256_BYTES);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_UNAUTHORIZED;
	memset(seen, 0, sizeof *seen);
	seen->id = db_col_int(s, 0);
	seen->user_id = db_col_int(s, 1);
	seen->last_seen = db_col_int(s, 2);
	seen->expires = db_col_int(s, 3);
	db_reset(s);
	if ((rc = user_load_by_id(c, seen->user_id, &u)) != 0)
		return rc == ERR_NOT_FOUND ? ERR_UNAUTHORIZED : rc;
	if (u.disabled)
		return ERR_UNAUTHORIZED;
	actor_from_user(&seen->actor, &u);
	return actor_load_grids(c, &seen->actor);
}

/* Gives the request's actor a user's identity; how and whence the request came stay its own. */
static void
actor_take_identity(struct actor *a, const struct actor *identity)
{
	struct actor req = *a;

	*a = *identity;
	a->via = req.via;
	a->token_id = req.token_id;
	memcpy(a->client_addr, req.client_addr, sizeof a->client_addr);
	memcpy(a->request_id, req.request_id, sizeof a->request_id);
}

/* Finds the session (kept, or read) and checks both expiries; fills the actor from its user. */
static int
resolve_session(struct db *db, struct db_conn *c, const uint8_t *hash, struct actor *a)
{
	const struct auth_settings *cfg = auth_settings();
	struct session_cache *cache = session_cache_of(db);
	int64_t now = clock_now_ms();
	struct session_seen seen;
	uint64_t seq;
	int rc;

	/* Taken before the first read, so that a session read from older data is never kept. */
	seq = db_read_seq(c);
	if (cache == NULL || !session_cache_get(cache, hash, &seen)) {
		if ((rc = session_read(c, hash, &seen)) != 0)
			return rc;
		if (cache)
			session_cache_put(cache, hash, seq, &seen);
	}
	if (now >= seen.expires || now - seen.last_seen >= cfg->idle_ms)
		return ERR_UNAUTHORIZED;
	actor_take_identity(a, &seen.actor);
	a->session_id = seen.id;
	/* A failed touch only shortens the idle window; the request may go on. */
	if (now - seen.last_seen >= TOUCH_INTERVAL_MS)
		(void)touch(db, STMT_SESSION_TOUCH, seen.id);
	return 0;
}

/* Looks an API token up; its permissions are those granted at creation that the user still has. */
static int
resolve_api_token(struct db *db, struct db_conn *c, const uint8_t *hash, struct actor *a)
{
	int64_t now = clock_now_ms(), id, user_id, perms, expires, last_used;
	struct db_stmt *s = db_stmt(c, STMT_TOKEN_LOOKUP);
	struct user u;
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_blob(s, 1, hash, crypto_hash_sha256_BYTES);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : ERR_UNAUTHORIZED;
	id = db_col_int(s, 0);
	user_id = db_col_int(s, 1);
	perms = db_col_int(s, 2);
	expires = db_col_null(s, 3) ? 0 : db_col_int(s, 3);
	last_used = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
	db_reset(s);
	if (expires && now >= expires)
		return ERR_UNAUTHORIZED;
	if ((rc = user_load_by_id(c, user_id, &u)) != 0)
		return rc == ERR_NOT_FOUND ? ERR_UNAUTHORIZED : rc;
	if (u.disabled)
		return ERR_UNAUTHORIZED;
	actor_from_user(a, &u);
	if ((rc = actor_load_grids(c, a)) != 0)
		return rc;
	a->perms &= (uint64_t)perms | PERM_BIT(PERM_SIGNED_IN);
	a->token_id = id;
	a->must_change_password = false;
	a->must_enroll_totp = false;   /* integrations sign in with the token alone */
	if (now - last_used >= TOUCH_INTERVAL_MS)
		(void)touch(db, STMT_TOKEN_TOUCH, id);
	return 0;
}

int
session_resolve(struct db *db, const char *token, enum actor_via via, struct actor *a)
{
	uint8_t hash[crypto_hash_sha256_BYTES];
	struct db_conn *c = db_reader(db);
	size_t n = strlen(token);

	if (c == NULL)
		return ERR_STORAGE;
	if (n < 20 || n >= TOKEN_TEXT_MAX)
		return ERR_UNAUTHORIZED;
	crypto_hash_sha256(hash, (const uint8_t *)token, n);
	a->via = via;
	if (strncmp(token, API_TOKEN_PREFIX, strlen(API_TOKEN_PREFIX)) == 0) {
		if (via == VIA_COOKIE)
			return ERR_UNAUTHORIZED;
		a->via = VIA_API_TOKEN;
		return resolve_api_token(db, c, hash, a);
	}
	return resolve_session(db, c, hash, a);
}

int
session_signout(struct db *db, const struct actor *who)
{
	struct db_conn *w;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_SESSION_REVOKE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, who->session_id);
	db_bind_int(s, 2, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)who->user_id);
	rc = audit_write(w, who, "session.signout", "user", idtext, NULL);
out:
	return txn_finish(db, rc, NULL);
}
