/* Long-lived API tokens for integrations: scoped to permissions, revocable. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/auth/token_text.h"
#include "domain/audit/audit.h"
#include "domain/txn.h"

void
token_encode(const char *prefix, const uint8_t *raw, size_t n, char *out, size_t outlen)
{
	size_t p = strlen(prefix);

	snprintf(out, outlen, "%s", prefix);
	sodium_bin2base64(out + p, outlen - p, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
token_create(struct db *db, const struct actor *who, const char *name, uint64_t perms,
    int64_t expires_at, char token[TOKEN_TEXT_MAX], int64_t *id, struct fail *f)
{
	uint8_t raw[32], hash[crypto_hash_sha256_BYTES];
	char idtext[24], detail[64];
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((perms & ~who->perms) != 0)
		return fail(f, ERR_INVALID, M_TOKEN_PERM_NOT_HELD, "permissions");
	if (expires_at && expires_at <= clock_now_ms())
		return fail(f, ERR_INVALID, M_TIME_IN_PAST, "expires_at");
	randombytes_buf(raw, sizeof raw);
	token_encode(API_TOKEN_PREFIX, raw, sizeof raw, token, TOKEN_TEXT_MAX);
	crypto_hash_sha256(hash, (const uint8_t *)token, strlen(token));
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((s = db_stmt(w, STMT_TOKEN_INSERT)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, who->user_id);
	db_bind_text(s, 2, name);
	db_bind_blob(s, 3, hash, sizeof hash);
	db_bind_int(s, 4, (int64_t)perms);
	db_bind_int(s, 5, clock_now_ms());
	if (expires_at)
		db_bind_int(s, 6, expires_at);
	if ((rc = db_run(s)) != 0)
		goto out;
	*id = db_last_id(w);
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	snprintf(detail, sizeof detail, "{\"perms\":%llu}", (unsigned long long)perms);
	rc = audit_write(w, who, "token.create", "api_token", idtext, detail);
out:
	return txn_finish(db, rc, f);
}

static json_t *
time_or_null(struct db_stmt *s, int col)
{
	char t[40];

	if (db_col_null(s, col))
		return json_null();
	clock_format_iso(db_col_int(s, col), t, sizeof t);
	return json_string(t);
}

int
token_list(struct db *db, const struct actor *who, json_t **rows)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	json_t *arr;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_TOKEN_LIST)) == NULL)
		return ERR_STORAGE;
	db_bind_int(s, 1, who->user_id);
	arr = json_array();
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
		    "permissions", perms_json((uint64_t)db_col_int(s, 2)),
		    "created_at", time_or_null(s, 3), "expires_at", time_or_null(s, 4),
		    "last_used_at", time_or_null(s, 5), "revoked_at", time_or_null(s, 6)));
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*rows = arr;
	return 0;
}

int
token_revoke(struct db *db, const struct actor *who, int64_t id, struct fail *f)
{
	struct db_conn *w;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((s = db_stmt(w, STMT_TOKEN_REVOKE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, who->user_id);
	db_bind_int(s, 3, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		goto out;
	if (db_changes(w) == 0) {
		rc = fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
		goto out;
	}
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, "token.revoke", "api_token", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}
