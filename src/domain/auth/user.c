/* User records: loading, JSON form, and the changes administrators make. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/audit/audit.h"
#include "domain/page.h"
#include "domain/txn.h"

static json_t *user_json_base(const struct user *u);

static void
copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

static void
user_from_stmt(struct db_stmt *s, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(s, 0);
	copy_text(u->username, sizeof u->username, db_col_text(s, 1));
	copy_text(u->display_name, sizeof u->display_name, db_col_text(s, 2));
	if (roles_parse(db_col_text(s, 3), &u->roles) != 0)
		u->roles = 0;
	u->unit_id = db_col_int(s, 4);
	u->division_id = db_col_int(s, 5);
	copy_text(u->division_path, sizeof u->division_path, db_col_text(s, 6));
	copy_text(u->password_hash, sizeof u->password_hash, db_col_text(s, 7));
	u->must_change_password = db_col_int(s, 8) != 0;
	u->failed_count = (int)db_col_int(s, 9);
	u->locked_until = db_col_int(s, 10);
	u->disabled = db_col_int(s, 11) != 0;
	u->version = db_col_int(s, 12);
	u->created_at = db_col_int(s, 13);
	u->updated_at = db_col_int(s, 14);
	copy_text(u->unit_name, sizeof u->unit_name, db_col_text(s, 15));
	copy_text(u->division_code, sizeof u->division_code, db_col_text(s, 16));
	copy_text(u->division_name, sizeof u->division_name, db_col_text(s, 17));
	u->totp_enabled = db_col_int(s, 18) != 0;
}

static int
user_load(struct db_conn *c, enum stmt_id id, const char *name, int64_t key, struct user *u)
{
	struct db_stmt *s = db_stmt(c, id);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	if (name)
		db_bind_text(s, 1, name);
	else
		db_bind_int(s, 1, key);
	rc = db_step(s);
	if (rc == DB_ROW) {
		user_from_stmt(s, u);
		db_reset(s);
		return 0;
	}
	return rc == DB_DONE ? ERR_NOT_FOUND : rc;
}

int
user_load_by_name(struct db_conn *c, const char *username, struct user *u)
{
	return user_load(c, STMT_USER_BY_NAME, username, 0, u);
}

int
user_load_by_id(struct db_conn *c, int64_t id, struct user *u)
{
	return user_load(c, STMT_USER_BY_ID, NULL, id, u);
}

json_t *
user_json(const struct user *u)
{
	json_t *j = user_json_base(u);

	json_object_set_new(j, "totp_enabled", json_boolean(u->totp_enabled));
	return j;
}

static json_t *
user_json_base(const struct user *u)
{
	json_t *roles = json_array();
	char created[40], updated[40];
	bool locked = u->locked_until > clock_now_ms();

	for (int r = 0; r < ROLE_COUNT_; r++)
		if (u->roles & (1u << r))
			json_array_append_new(roles, json_string(role_name((enum role)r)));
	clock_format_iso(u->created_at, created, sizeof created);
	clock_format_iso(u->updated_at, updated, sizeof updated);
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:s, s:b, s:b, s:b, s:I, s:s, s:s}",
	    "id", (json_int_t)u->id, "username", u->username, "display_name", u->display_name,
	    "roles", roles,
	    "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null(), "unit_name", u->unit_name,
	    "division_id", u->division_id ? json_integer(u->division_id) : json_null(),
	    "division_code", u->division_code, "division_name", u->division_name,
	    "must_change_password", u->must_change_password, "disabled", u->disabled,
	    "locked", locked, "version", (json_int_t)u->version,
	    "created_at", created, "updated_at", updated);
}

void
actor_from_user(struct actor *a, const struct user *u)
{
	a->user_id = u->id;
	copy_text(a->username, sizeof a->username, u->username);
	copy_text(a->display_name, sizeof a->display_name, u->display_name);
	a->roles = u->roles;
	a->perms = roles_perms(u->roles) | PERM_BIT(PERM_SIGNED_IN);
	a->unit_id = u->unit_id;
	a->division_id = u->division_id;
	actor_scope_single(a, u->division_path);
	a->must_change_password = u->must_change_password;
	a->must_enroll_totp = !u->totp_enabled &&
	    (u->roles & auth_settings()->totp_required_roles) != 0;
}

int
actor_load_grids(struct db_conn *c, struct actor *a)
{
	struct db_stmt *s;
	int rc;

	if (!(a->roles & (1u << ROLE_GRID_WORKER)))
		return 0;
	/* A grid worker sees its grids only; with none assigned, nothing. */
	a->scope_all = false;
	a->nscopes = 0;
	if ((s = db_stmt(c, STMT_USER_GRIDS)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, a->user_id);
	while ((rc = db_step(s)) == DB_ROW) {
		if (a->nscopes == ACTOR_MAX_SCOPES) {
			db_reset(s);
			break;
		}
		copy_text(a->scopes[a->nscopes++], sizeof a->scopes[0], db_col_text(s, 2));
	}
	return rc < 0 ? rc : 0;
}

/* A user record is visible when its division lies in the actor's scope. */
static bool
user_visible(const struct actor *who, const struct user *u)
{
	return u->id == who->user_id || actor_in_scope(who, u->division_path);
}

static bool
username_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return false;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Resolves in->division_code (may be empty) into an id and checks it lies in scope. */
static int
resolve_division(struct db_conn *c, const struct actor *who, const char *code, int64_t *id,
    struct fail *f)
{
	struct db_stmt *s;
	int rc;

	*id = 0;
	if (code == NULL || *code == '\0') {
		if (!who->scope_all)
			return fail(f, ERR_INVALID, M_DIVISION_OUT_OF_SCOPE, "division_code");
		return 0;
	}
	if ((s = db_stmt(c, STMT_DIVISION_BY_CODE_BRIEF)) == NULL)
		return db_stmt_error(c);
	db_bind_text(s, 1, code);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : fail(f, ERR_INVALID, M_DIVISION_UNKNOWN, "division_code");
	*id = db_col_int(s, 0);
	if (!actor_in_scope(who, db_col_text(s, 1))) {
		db_reset(s);
		return fail(f, ERR_INVALID, M_DIVISION_OUT_OF_SCOPE, "division_code");
	}
	db_reset(s);
	return 0;
}

static int
check_unit(struct db_conn *c, int64_t unit_id, struct fail *f)
{
	struct db_stmt *s;
	int rc;

	if (unit_id == 0)
		return 0;
	if ((s = db_stmt(c, STMT_UNIT_EXISTS)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, unit_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		db_reset(s);
		return 0;
	}
	return rc < 0 ? rc : fail(f, ERR_INVALID, M_UNIT_UNKNOWN, "unit_id");
}

/* Validates the fields shared by create and update; canonical roles into roles_out. */
static int
check_input(struct db_conn *c, const struct actor *who, const struct user_input *in,
    char *roles_out, size_t n, int64_t *division_id, struct fail *f)
{
	uint32_t roles;
	int rc;

	if (in->display_name && (utf8_length(in->display_name) > 32 ||
	    !utf8_is_clean_text(in->display_name, strlen(in->display_name))))
		return fail(f, ERR_INVALID, M_FIELD_TOO_LONG, "display_name");
	if (roles_parse(in->roles ? in->roles : "", &roles) != 0)
		return fail(f, ERR_INVALID, M_ROLE_UNKNOWN, "roles");
	roles_format(roles, roles_out, n);
	rc = resolve_division(c, who, in->division_code, division_id, f);
	if (rc == 0)
		rc = check_unit(c, in->unit_id, f);
	return rc;
}

static void
bind_optional_id(struct db_stmt *s, int idx, int64_t id)
{
	if (id)
		db_bind_int(s, idx, id);
	else
		db_bind_null(s, idx);
}

int
user_create(struct db *db, const struct actor *who, const struct user_input *in, int64_t *id,
    struct fail *f)
{
	char roles[160], hash[PASSWORD_HASH_MAX], detail[256], idtext[24];
	int64_t division_id;
	struct db_conn *w;
	struct db_stmt *s;
	enum msg_id m;
	int rc;

	if (!username_ok(in->username ? in->username : ""))
		return fail(f, ERR_INVALID, M_USERNAME_BAD, "username");
	if ((m = password_policy_check(in->password ? in->password : "", in->username)) != MSG_NONE)
		return fail(f, ERR_INVALID, m, "password");
	if (password_hash(in->password, hash) != 0)
		return fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = check_input(w, who, in, roles, sizeof roles, &division_id, f);
	if (rc != 0)
		goto out;
	if ((s = db_stmt(w, STMT_USER_INSERT)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_text(s, 1, in->username);
	db_bind_text(s, 2, in->display_name ? in->display_name : "");
	db_bind_text(s, 3, roles);
	bind_optional_id(s, 4, in->unit_id);
	bind_optional_id(s, 5, division_id);
	db_bind_text(s, 6, hash);
	db_bind_int(s, 7, in->must_change_password);
	db_bind_int(s, 8, clock_now_ms());
	rc = db_run(s);
	if (rc == ERR_CONFLICT) {
		fail(f, ERR_CONFLICT, M_USERNAME_TAKEN, "username");
		goto out;
	}
	if (rc != 0)
		goto out;
	*id = db_last_id(w);
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"roles\":\"%s\"}", in->username, roles);
	rc = audit_write(w, who, "user.create", "user", idtext, detail);
out:
	return txn_finish(db, rc, f);
}

int
user_get(struct db *db, const struct actor *who, int64_t id, struct user *u, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	rc = user_load_by_id(c, id, u);
	if (rc == ERR_NOT_FOUND || (rc == 0 && !user_visible(who, u)))
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	if (rc != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	return 0;
}

/* Loads the target for a change in the write transaction; out of scope reads as not found. */
static int
load_target(struct db_conn *w, const struct actor *who, int64_t id, struct user *u,
    struct fail *f)
{
	int rc = user_load_by_id(w, id, u);

	if (rc == ERR_NOT_FOUND || (rc == 0 && !user_visible(who, u)))
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	return rc;
}

int
user_update(struct db *db, const struct actor *who, int64_t id, const struct user_input *in,
    int64_t version, struct fail *f)
{
	char roles[160], detail[256], idtext[24];
	int64_t division_id;
	struct user u;
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_target(w, who, id, &u, f)) != 0)
		goto out;
	if (u.version != version) {
		rc = fail(f, ERR_STALE, M_STALE_VERSION, "version");
		goto out;
	}
	struct user_input eff = *in;

	/* What the request does not mention stays as it is. */
	if (eff.unit_id == USER_KEEP)
		eff.unit_id = u.unit_id;
	if (eff.division_code == NULL)
		eff.division_code = u.division_code;
	if ((rc = check_input(w, who, &eff, roles, sizeof roles, &division_id, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_USER_UPDATE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, in->display_name ? in->display_name : u.display_name);
	db_bind_text(s, 3, roles);
	bind_optional_id(s, 4, eff.unit_id);
	bind_optional_id(s, 5, division_id);
	db_bind_int(s, 6, clock_now_ms());
	db_bind_int(s, 7, version);
	if ((rc = db_run(s)) != 0)
		goto out;
	snprintf(detail, sizeof detail, "{\"roles\":\"%s\",\"version\":%lld}", roles,
	    (long long)version + 1);
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, "user.update", "user", idtext, detail);
out:
	return txn_finish(db, rc, f);
}

/*
 * Stores a new hash (computed by the caller before the write transaction:
 * argon2id must not hold the single writer) and signs the user's other
 * sessions out.
 */
static int
store_password(struct db_conn *w, const struct actor *who, int64_t id, const char *hash,
    bool must_change, const char *action, int64_t keep_session)
{
	char idtext[24];
	struct db_stmt *s;
	int rc;

	if ((s = db_stmt(w, STMT_USER_SET_PASSWORD)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, hash);
	db_bind_int(s, 3, must_change);
	db_bind_int(s, 4, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_SESSION_REVOKE_USER)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, clock_now_ms());
	db_bind_int(s, 3, keep_session);
	if ((rc = db_run(s)) != 0)
		return rc;
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	return audit_write(w, who, action, "user", idtext, NULL);
}

int
user_reset_password(struct db *db, const struct actor *who, int64_t id, const char *pw,
    bool must_change, struct fail *f)
{
	char hash[PASSWORD_HASH_MAX];
	struct user u;
	struct db_conn *w;
	enum msg_id m;
	int rc;

	if ((rc = user_get(db, who, id, &u, f)) != 0)
		return rc;
	if ((m = password_policy_check(pw, u.username)) != MSG_NONE)
		return fail(f, ERR_INVALID, m, "password");
	if (password_hash(pw, hash) != 0)
		return fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_target(w, who, id, &u, f)) == 0)
		rc = store_password(w, who, id, hash, must_change, "user.password_reset", 0);
	return txn_finish(db, rc, f);
}

int
user_change_password(struct db *db, const struct actor *who, const char *old_pw,
    const char *new_pw, struct fail *f)
{
	char hash[PASSWORD_HASH_MAX];
	struct db_conn *c = db_reader(db), *w;
	struct user u;
	enum msg_id m;
	int rc;

	if ((m = password_policy_check(new_pw, who->username)) != MSG_NONE)
		return fail(f, ERR_INVALID, m, "new_password");
	if (strcmp(old_pw, new_pw) == 0)
		return fail(f, ERR_INVALID, M_PASSWORD_SAME, "new_password");
	if (c == NULL || (rc = user_load_by_id(c, who->user_id, &u)) != 0)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	db_reader_done(db);
	if (!password_verify(u.password_hash, old_pw))
		return fail(f, ERR_INVALID, M_PASSWORD_WRONG_OLD, "old_password");
	if (password_hash(new_pw, hash) != 0)
		return fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = store_password(w, who, u.id, hash, false, "user.password_change", who->session_id);
	return txn_finish(db, rc, f);
}

int
user_set_locked(struct db *db, const struct actor *who, int64_t id, bool locked, struct fail *f)
{
	char idtext[24];
	struct user u;
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if (locked && id == who->user_id)
		return fail(f, ERR_CONFLICT, M_CANNOT_LOCK_SELF, NULL);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_target(w, who, id, &u, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_USER_SET_DISABLED)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, locked);
	db_bind_int(s, 3, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		goto out;
	if (locked) {
		if ((s = db_stmt(w, STMT_SESSION_REVOKE_USER)) == NULL) {
			rc = db_stmt_error(w);
			goto out;
		}
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, clock_now_ms());
		db_bind_int(s, 3, 0);
		if ((rc = db_run(s)) != 0)
			goto out;
	}
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, locked ? "user.lock" : "user.unlock", "user", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}

static json_t *
user_row(struct db_stmt *s, void *ctx)
{
	struct user u;

	(void)ctx;
	user_from_stmt(s, &u);
	return user_json(&u);
}

int
user_list(struct db *db, const struct actor *who, const struct user_filter *flt, json_t **rows,
    int64_t *next)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;

	if (c == NULL || (s = db_stmt(c, STMT_USER_LIST)) == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	db_bind_int(s, 1, flt->cursor);
	db_bind_text(s, 2, flt->q ? flt->q : "");
	db_bind_text(s, 3, flt->role ? flt->role : "");
	db_bind_int(s, 4, flt->limit + 1);
	return page_collect(s, flt->limit, user_row, NULL, rows, next);
}
