/*
 * Who is acting: the signed-in user (or the system), with the effective
 * permissions and the division scope every domain call checks. Built by
 * the auth module from a session or API token; the CLI builds a system
 * actor. Plain data, no ownership.
 */
#ifndef PINGAN_DOMAIN_ACTOR_H
#define PINGAN_DOMAIN_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

/* A grid worker may look after this many grids at most. */
#define ACTOR_MAX_SCOPES 16

enum actor_via { VIA_NONE, VIA_SYSTEM, VIA_COOKIE, VIA_BEARER_SESSION, VIA_API_TOKEN };

struct actor {
	int64_t user_id;            /* 0: the system or nobody */
	char username[64];
	char display_name[132];
	uint64_t perms;             /* bit (1 << enum perm) per permission held */
	uint32_t roles;             /* bit (1 << enum role) per role held */
	int64_t unit_id;
	int64_t division_id;
	char scope_path[160];       /* home division path; "" = no division */
	bool scope_all;             /* sees every division (county-wide roles, system) */
	bool scope_all_events;      /* the system: not limited to its unit's dispatches */
	int nscopes;                /* prefixes below; 0 and !scope_all: sees nothing */
	char scopes[ACTOR_MAX_SCOPES][160];
	bool must_change_password;
	bool must_enroll_totp;      /* a role requires two-factor sign-in and none is set up */
	/* A grid worker may look after this many grids at most. */
#define ACTOR_MAX_SCOPES 16

enum actor_via via;
	int64_t session_id;
	int64_t token_id;
	char client_addr[48];
	char request_id[40];
};

/* The actor the CLI and background jobs act as: every permission, no scope limit. */
void actor_system(struct actor *a, const char *name);
/*
 * Data scope (DESIGN.md section 4), the one mechanism every capability
 * uses: a record bound to a division is visible when its path starts with
 * one of the actor's scope prefixes. actor_in_scope() checks one record;
 * scope_enter() makes the SQL function in_scope(path) answer the same
 * question for this thread's queries (lists, counts).
 */
bool actor_in_scope(const struct actor *a, const char *path);
void scope_enter(const struct actor *a);
/* Sets the scope to one prefix ("" = everything). */
void actor_scope_single(struct actor *a, const char *path);

#endif
