#include "domain/actor.h"

#include <string.h>

void
actor_system(struct actor *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->perms = ~(uint64_t)0;
	a->via = VIA_SYSTEM;
	strncpy(a->username, name, sizeof a->username - 1);
	strncpy(a->display_name, name, sizeof a->display_name - 1);
	strncpy(a->client_addr, "local", sizeof a->client_addr - 1);
}

bool
actor_in_scope(const struct actor *a, const char *path)
{
	size_t n = strlen(a->scope_path);

	return n == 0 || strncmp(path, a->scope_path, n) == 0;
}
