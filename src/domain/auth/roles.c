#include "domain/auth/roles.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define P(x) PERM_BIT(PERM_##x)

struct role_info {
	const char *name, *zh, *en;
	uint64_t perms;
};

/*
 * What each role may do. Three-way separation (三员分立): the system
 * administrator (admin) manages accounts and organisation; the security
 * administrator (security_admin) locks, unlocks and resets accounts and
 * their two-factor sign-in; the audit administrator (auditor) reads and
 * exports the trail and changes nothing. Neither admin role can read the
 * trail, and no role can edit, erase or switch it off: no code path does.
 */
static const uint64_t role_perms[ROLE_COUNT_] = {
	[ROLE_ADMIN] = P(USER_READ) | P(USER_ADMIN) | P(TOKEN_MANAGE) | P(DIVISION_READ) |
	    P(DIVISION_ADMIN) | P(UNIT_READ) | P(UNIT_ADMIN) | P(METRICS_READ) | P(CATEGORY_ADMIN) |
	    P(USER_SECURITY),
	[ROLE_COUNTY_CENTER] = P(USER_READ) | P(TOKEN_MANAGE) | P(DIVISION_READ) | P(UNIT_READ) |
	    P(PII_REVEAL) | P(EVENT_READ) | P(EVENT_REPORT) | P(EVENT_TRIAGE) | P(EVENT_DISPATCH) |
	    P(EVENT_VERIFY) | P(STATS_READ) | P(PERSON_READ) | P(PERSON_WRITE),
	[ROLE_TOWNSHIP_CENTER] = P(USER_READ) | P(DIVISION_READ) | P(UNIT_READ) | P(PII_REVEAL) |
	    P(EVENT_READ) | P(EVENT_REPORT) | P(EVENT_TRIAGE) | P(EVENT_DISPATCH) | P(EVENT_HANDLE) |
	    P(EVENT_VERIFY) | P(EVENT_ESCALATE) | P(STATS_READ) | P(PERSON_READ) | P(PERSON_WRITE),
	[ROLE_DEPARTMENT] = P(DIVISION_READ) | P(UNIT_READ) | P(EVENT_READ) | P(EVENT_HANDLE),
	[ROLE_GRID_WORKER] = P(DIVISION_READ) | P(EVENT_READ) | P(EVENT_REPORT) | P(EVENT_ESCALATE) |
	    P(PERSON_READ) | P(PERSON_WRITE),
	[ROLE_LEADER] = P(USER_READ) | P(DIVISION_READ) | P(UNIT_READ) | P(EVENT_READ) |
	    P(EVENT_SUPERVISE) | P(STATS_READ) | P(PERSON_READ),
	[ROLE_AUDITOR] = P(AUDIT_READ) | P(USER_READ) | P(DIVISION_READ) | P(UNIT_READ),
	[ROLE_VOLUNTEER] = P(DIVISION_READ) | P(EVENT_REPORT),
	[ROLE_SECURITY_ADMIN] = P(USER_READ) | P(USER_SECURITY) | P(DIVISION_READ) | P(UNIT_READ),
};

static const struct role_info roles[ROLE_COUNT_] = {
#define X(id, name, zh, en) [id] = { name, zh, en, 0 },
	ROLE_LIST(X)
#undef X
};

static const char *const perm_names[PERM_COUNT_] = {
#define X(id, name) [id] = name,
	PERM_LIST(X)
#undef X
};

uint64_t
roles_perms(uint32_t set)
{
	uint64_t p = 0;

	for (int r = 0; r < ROLE_COUNT_; r++)
		if (set & (1u << r))
			p |= role_perms[r];
	return p;
}

static int
role_by_name(const char *s, size_t n)
{
	for (int r = 0; r < ROLE_COUNT_; r++)
		if (strlen(roles[r].name) == n && strncmp(roles[r].name, s, n) == 0)
			return r;
	return -1;
}

int
roles_parse(const char *csv, uint32_t *out)
{
	uint32_t set = 0;
	const char *p = csv;

	if (*p == '\0')
		return ERR_INVALID;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int r = role_by_name(p, n);

		if (r < 0)
			return ERR_INVALID;
		set |= 1u << r;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = set;
	return 0;
}

void
roles_format(uint32_t set, char *out, unsigned long n)
{
	size_t len = 0;

	if (n == 0)
		return;
	out[0] = '\0';
	for (int r = 0; r < ROLE_COUNT_; r++) {
		if (!(set & (1u << r)))
			continue;
		int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", roles[r].name);

		if (w < 0 || (size_t)w >= n - len)
			return;
		len += (size_t)w;
	}
}

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT_ ? roles[r].name : "";
}

const char *
role_label(enum role r, bool en)
{
	if ((unsigned)r >= ROLE_COUNT_)
		return "";
	return en ? roles[r].en : roles[r].zh;
}

enum perm
perm_by_name(const char *name)
{
	for (int p = 0; p < PERM_COUNT_; p++)
		if (strcmp(perm_names[p], name) == 0)
			return (enum perm)p;
	return PERM_COUNT_;
}

const char *
perm_name(enum perm p)
{
	return (unsigned)p < PERM_COUNT_ ? perm_names[p] : "";
}

json_t *
perms_json(uint64_t perms)
{
	json_t *a = json_array();

	for (int p = PERM_SIGNED_IN + 1; p < PERM_COUNT_; p++)
		if (perms & PERM_BIT(p))
			json_array_append_new(a, json_string(perm_names[p]));
	return a;
}
