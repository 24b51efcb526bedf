/*
 * Accounts and sign-in: password policy and hashing (argon2id), sessions
 * (256-bit tokens stored only as hashes, idle and absolute expiry),
 * lockout after repeated failures, long-lived API tokens.
 */
#ifndef PINGAN_DOMAIN_AUTH_H
#define PINGAN_DOMAIN_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/msg.h"
#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

struct auth_settings {
	uint64_t opslimit;        /* argon2id passes */
	size_t memlimit;          /* argon2id memory in bytes */
	int64_t idle_ms;
	int64_t absolute_ms;
	int lockout_threshold;
	int64_t lockout_ms;
	uint32_t totp_required_roles;  /* users with any of these roles must use TOTP */
};

/* Sets the rules used by every call below; call once at start-up. */
void auth_configure(const struct auth_settings *s);
const struct auth_settings *auth_settings(void);

#define PASSWORD_HASH_MAX 128
#define TOKEN_TEXT_MAX 64

/* MSG_NONE when pw meets the policy (10+ characters, 3 of 4 classes, not the username). */
enum msg_id password_policy_check(const char *pw, const char *username);
/* argon2id hash string into out. 0 or ERR_INTERNAL (out of memory for the hash). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
bool password_verify(const char *hash, const char *pw);

struct user {
	int64_t id;
	char username[64];
	char display_name[132];          /* 32 characters of up to 4 bytes */
	uint32_t roles;
	int64_t unit_id;
	int64_t division_id;
	char division_path[160];
	char division_code[16];
	char division_name[132];
	char unit_name[260];
	char password_hash[PASSWORD_HASH_MAX];
	bool must_change_password;
	int failed_count;
	int64_t locked_until;
	bool disabled;
	bool totp_enabled;
	int64_t version;
	int64_t created_at, updated_at;
};

/* Loads by name or id on connection c. 0, ERR_NOT_FOUND or a storage error. */
int user_load_by_name(struct db_conn *c, const char *username, struct user *u);
int user_load_by_id(struct db_conn *c, int64_t id, struct user *u);
/* The public JSON of a user (no hash). New reference, caller owns. */
json_t *user_json(const struct user *u);
/* Fills an actor from a user record (perms from roles, scope from division). */
void actor_from_user(struct actor *a, const struct user *u);
/* For grid workers: narrows the actor's scope to the grids assigned to them. */
int actor_load_grids(struct db_conn *c, struct actor *a);

/* In an update, a unit_id that leaves the user's unit as it is. */
#define USER_KEEP (-1)

struct user_input {
	const char *username;
	const char *display_name;
	const char *roles;           /* comma-separated role names */
	int64_t unit_id;             /* 0: none; USER_KEEP on update: unchanged */
	const char *division_code;   /* create: NULL or "" none; update: NULL unchanged, "" none */
	const char *password;        /* create and reset only */
	bool must_change_password;
};

int user_create(struct db *db, const struct actor *who, const struct user_input *in,
    int64_t *id, struct fail *f);
/* Changes display name, roles, unit and division; version must match (else ERR_STALE). */
int user_update(struct db *db, const struct actor *who, int64_t id, const struct user_input *in,
    int64_t version, struct fail *f);
/* Reads one user inside the actor's scope (ERR_NOT_FOUND outside it). */
int user_get(struct db *db, const struct actor *who, int64_t id, struct user *u, struct fail *f);
/* Sets a new password chosen by an administrator; with must_change the user
 * must change it at next sign-in. Signs out the user's sessions. */
int user_reset_password(struct db *db, const struct actor *who, int64_t id, const char *pw,
    bool must_change, struct fail *f);
/* The signed-in user changes their own password; other sessions are signed out. */
int user_change_password(struct db *db, const struct actor *who, const char *old_pw,
    const char *new_pw, struct fail *f);
/* Locks (disables) or unlocks an account; locking signs out its sessions. */
int user_set_locked(struct db *db, const struct actor *who, int64_t id, bool locked,
    struct fail *f);

struct user_filter {
	const char *q;       /* part of username or display name */
	const char *role;    /* one role name */
	int64_t cursor;
	int limit;
};
int user_list(struct db *db, const struct actor *who, const struct user_filter *flt,
    json_t **rows, int64_t *next);

struct signin {
	char token[TOKEN_TEXT_MAX];
	int64_t expires_at;
	struct user user;
};

/*
 * Checks the password, applies lockout, creates a session and writes the
 * audit row (signin or signin_failed) in the same transaction. ctx carries
 * the client address and request id. Failures: ERR_UNAUTHORIZED (wrong
 * name or password, one message for both), ERR_LOCKED, ERR_FORBIDDEN (disabled).
 */
int session_signin(struct db *db, const struct actor *ctx, const char *username,
    const char *password, const char *totp, struct signin *out, struct fail *f);
/*
 * Resolves a bearer token (session or API token) into an actor; the
 * caller has already set client_addr and request_id. ERR_UNAUTHORIZED
 * when unknown, revoked or expired.
 */
int session_resolve(struct db *db, const char *token, enum actor_via via, struct actor *a);
/*
 * Keeps resolved sessions for db's requests (session_cache.h), dropped as
 * the database reports changes to them. Call once, before serving.
 */
int session_cache_attach(struct db *db);
/* Revokes the actor's session and writes the signout audit row. */
int session_signout(struct db *db, const struct actor *who);

/* Two-factor sign-in (totp_user.c). The secret is returned once, base32, with an otpauth:// URI. */
int totp_begin(struct db *db, const struct actor *who, char secret[40], char uri[256],
    struct fail *f);
int totp_confirm(struct db *db, const struct actor *who, const char *code, struct fail *f);
int totp_disable(struct db *db, const struct actor *who, const char *code, struct fail *f);
/* A security administrator clears a user's second factor (lost phone). */
int totp_reset(struct db *db, const struct actor *who, int64_t user_id, struct fail *f);
/* Inside sign-in: 0 when the user has no TOTP or the code is right (then used up);
 * ERR_UNAUTHORIZED when a code is needed and missing; ERR_FORBIDDEN when wrong. */
int totp_signin_check(struct db_conn *w, int64_t user_id, const char *code);

/* Creates an API token for the actor with a subset of its permissions. */
int token_create(struct db *db, const struct actor *who, const char *name, uint64_t perms,
    int64_t expires_at, char token[TOKEN_TEXT_MAX], int64_t *id, struct fail *f);
int token_list(struct db *db, const struct actor *who, json_t **rows);
int token_revoke(struct db *db, const struct actor *who, int64_t id, struct fail *f);

#endif
