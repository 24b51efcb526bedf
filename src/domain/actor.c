#include "domain/actor.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"

void
actor_system(struct actor *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->perms = ~(uint64_t)0;
	a->scope_all = true;
	a->scope_all_events = true;
	a->via = VIA_SYSTEM;
	strncpy(a->username, name, sizeof a->username - 1);
	strncpy(a->display_name, name, sizeof a->display_name - 1);
	strncpy(a->client_addr, "local", sizeof a->client_addr - 1);
}

bool
actor_in_scope(const struct actor *a, const char *path)
{
	if (a->scope_all)
		return true;
	for (int i = 0; i < a->nscopes; i++) {
		size_t n = strlen(a->scopes[i]);

		if (n > 0 && strncmp(path, a->scopes[i], n) == 0)
			return true;
	}
	return false;
}

void
scope_enter(const struct actor *a)
{
	const char *prefixes[ACTOR_MAX_SCOPES];

	for (int i = 0; i < a->nscopes; i++)
		prefixes[i] = a->scopes[i];
	db_scope_set(a->scope_all, prefixes, a->nscopes);
}

void
actor_scope_single(struct actor *a, const char *path)
{
	a->scope_all = path[0] == '\0';
	a->nscopes = a->scope_all ? 0 : 1;
	snprintf(a->scope_path, sizeof a->scope_path, "%s", path);
	if (!a->scope_all)
		snprintf(a->scopes[0], sizeof a->scopes[0], "%s", path);
}
