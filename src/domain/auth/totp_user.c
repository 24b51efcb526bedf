/*
 * Two-factor sign-in for accounts: enrolment (secret shown once, confirmed
 * by a first code), use at sign-in (each code once), and removal. The
 * secret is stored encrypted like personal data.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/totp.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/pii/pii.h"
#include "domain/txn.h"

struct totp_row {
	char secret_b32[40];
	bool has_secret, enabled;
	int64_t last;
};

/* Reads and decrypts the user's TOTP state inside c. */
static int
totp_load(struct db_conn *c, int64_t user_id, struct totp_row *t)
{
	struct db_stmt *s = db_stmt(c, STMT_USER_TOTP_GET);
	const void *ct;
	size_t n;
	char *clear = NULL;
	int rc;

	memset(t, 0, sizeof *t);
	if (s == NULL)
		return ERR_INTERNAL;
	db_bind_int(s, 1, user_id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	ct = db_col_blob(s, 0, &n);
	t->enabled = db_col_int(s, 1) != 0;
	t->last = db_col_int(s, 2);
	if (ct && n && pii_decrypt(PII_SECRET, ct, n, &clear) == 0) {
		snprintf(t->secret_b32, sizeof t->secret_b32, "%s", clear);
		t->has_secret = true;
		sodium_memzero(clear, strlen(clear));
		free(clear);
	}
	db_reset(s);
	return 0;
}

/* Decodes our own base32 secret back into bytes. */
static size_t
secret_bytes(const char *b32, uint8_t out[TOTP_SECRET_BYTES])
{
	size_t n = 0;
	uint32_t buf = 0;
	int bits = 0;

	for (; *b32 && n < TOTP_SECRET_BYTES; b32++) {
		int v = *b32 >= 'A' && *b32 <= 'Z' ? *b32 - 'A' : *b32 >= '2' && *b32 <= '7' ?
		    *b32 - '2' + 26 : -1;

		if (v < 0)
			return 0;
		buf = (buf << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			out[n++] = (uint8_t)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	return n;
}

static int
totp_store(struct db_conn *w, int64_t user_id, const char *b32, bool enabled, int64_t last)
{
	struct db_stmt *s = db_stmt(w, STMT_USER_TOTP_SET);
	uint8_t *ct = NULL;
	size_t n = 0;

	if (s == NULL)
		return db_stmt_error(w);
	if (b32 && pii_encrypt(PII_SECRET, b32, &ct, &n) != 0)
		return ERR_INTERNAL;
	db_bind_int(s, 1, user_id);
	if (ct)
		db_bind_blob(s, 2, ct, n);
	db_bind_int(s, 3, enabled);
	db_bind_int(s, 4, last);
	db_bind_int(s, 5, clock_now_ms());
	free(ct);
	return db_run(s);
}

/* Checks code against the row's secret; the counter used is written back. */
static bool
code_ok(struct db_conn *w, int64_t user_id, const struct totp_row *t, const char *code,
    uint64_t *used)
{
	uint8_t key[TOTP_SECRET_BYTES];
	size_t n = secret_bytes(t->secret_b32, key);
	bool ok = n > 0 && totp_check(key, n, code, clock_now_ms(), (uint64_t)t->last, used);

	sodium_memzero(key, sizeof key);
	(void)w;
	(void)user_id;
	return ok;
}

int
totp_begin(struct db *db, const struct actor *who, char secret[40], char uri[256],
    struct fail *f)
{
	uint8_t raw[TOTP_SECRET_BYTES];
	struct totp_row t;
	struct db_conn *w;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = totp_load(w, who->user_id, &t)) != 0)
		goto out;
	if (t.enabled) {
		rc = fail(f, ERR_CONFLICT, M_TOTP_ALREADY, NULL);
		goto out;
	}
	randombytes_buf(raw, sizeof raw);
	base32_encode(raw, sizeof raw, secret, 40);
	sodium_memzero(raw, sizeof raw);
	snprintf(uri, 256, "otpauth://totp/pingan:%s?secret=%s&issuer=pingan&digits=6&period=30",
	    who->username, secret);
	if ((rc = totp_store(w, who->user_id, secret, false, 0)) == 0)
		rc = audit_write(w, who, "user.totp_begin", "user", who->username, NULL);
out:
	return txn_finish(db, rc, f);
}

int
totp_confirm(struct db *db, const struct actor *who, const char *code, struct fail *f)
{
	struct totp_row t;
	struct db_conn *w;
	uint64_t used;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = totp_load(w, who->user_id, &t)) != 0)
		goto out;
	if (!t.has_secret || t.enabled) {
		rc = fail(f, ERR_CONFLICT, t.enabled ? M_TOTP_ALREADY : M_TOTP_NOT_STARTED, NULL);
		goto out;
	}
	if (!code_ok(w, who->user_id, &t, code, &used)) {
		rc = fail(f, ERR_INVALID, M_TOTP_WRONG, "code");
		goto out;
	}
	if ((rc = totp_store(w, who->user_id, t.secret_b32, true, (int64_t)used)) == 0)
		rc = audit_write(w, who, "user.totp_enable", "user", who->username, NULL);
out:
	return txn_finish(db, rc, f);
}

int
totp_disable(struct db *db, const struct actor *who, const char *code, struct fail *f)
{
	struct totp_row t;
	struct db_conn *w;
	uint64_t used;
	int rc;

	if (who->roles & auth_settings()->totp_required_roles)
		return fail(f, ERR_CONFLICT, M_TOTP_REQUIRED_BY_ROLE, NULL);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = totp_load(w, who->user_id, &t)) != 0)
		goto out;
	if (!t.enabled) {
		rc = fail(f, ERR_CONFLICT, M_TOTP_NOT_STARTED, NULL);
		goto out;
	}
	if (!code_ok(w, who->user_id, &t, code, &used)) {
		rc = fail(f, ERR_INVALID, M_TOTP_WRONG, "code");
		goto out;
	}
	if ((rc = totp_store(w, who->user_id, NULL, false, 0)) == 0)
		rc = audit_write(w, who, "user.totp_disable", "user", who->username, NULL);
out:
	return txn_finish(db, rc, f);
}

int
totp_reset(struct db *db, const struct actor *who, int64_t user_id, struct fail *f)
{
	struct db_conn *w;
	struct user u;
	char idtext[24];
	int rc;

	if ((rc = user_get(db, who, user_id, &u, f)) != 0)
		return rc;
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	snprintf(idtext, sizeof idtext, "%lld", (long long)user_id);
	if ((rc = totp_store(w, user_id, NULL, false, 0)) == 0)
		rc = audit_write(w, who, "user.totp_reset", "user", idtext, NULL);
	return txn_finish(db, rc, f);
}

int
totp_signin_check(struct db_conn *w, int64_t user_id, const char *code)
{
	struct totp_row t;
	struct db_stmt *s;
	uint64_t used;
	int rc;

	if ((rc = totp_load(w, user_id, &t)) != 0)
		return rc;
	if (!t.enabled)
		return 0;
	if (code == NULL || *code == '\0')
		return ERR_UNAUTHORIZED;
	if (!code_ok(w, user_id, &t, code, &used))
		return ERR_FORBIDDEN;
	if ((s = db_stmt(w, STMT_USER_TOTP_USED)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, user_id);
	db_bind_int(s, 2, (int64_t)used);
	return db_run(s);
}
