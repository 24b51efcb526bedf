/*
 * The fixed roles and the permissions each grants: one table (roles.c),
 * consulted by the router before any handler runs.
 */
#ifndef PINGAN_DOMAIN_AUTH_ROLES_H
#define PINGAN_DOMAIN_AUTH_ROLES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/*      id                   name               */
#define PERM_LIST(X)                              \
	X(PERM_PUBLIC,          "public")        \
	X(PERM_SIGNED_IN,       "signed_in")     \
	X(PERM_USER_READ,       "user.read")     \
	X(PERM_USER_ADMIN,      "user.admin")    \
	X(PERM_AUDIT_READ,      "audit.read")    \
	X(PERM_TOKEN_MANAGE,    "token.manage")  \
	X(PERM_DIVISION_READ,   "division.read") \
	X(PERM_DIVISION_ADMIN,  "division.admin")\
	X(PERM_UNIT_READ,       "unit.read")     \
	X(PERM_UNIT_ADMIN,      "unit.admin")    \
	X(PERM_METRICS_READ,    "metrics.read")  \
	X(PERM_PII_REVEAL,      "pii.reveal")    \
	X(PERM_EVENT_READ,      "event.read")    \
	X(PERM_EVENT_REPORT,    "event.report")  \
	X(PERM_EVENT_TRIAGE,    "event.triage")  \
	X(PERM_EVENT_DISPATCH,  "event.dispatch")\
	X(PERM_EVENT_HANDLE,    "event.handle")  \
	X(PERM_EVENT_VERIFY,    "event.verify")  \
	X(PERM_EVENT_SUPERVISE, "event.supervise")\
	X(PERM_EVENT_ESCALATE,  "event.escalate")\
	X(PERM_CATEGORY_ADMIN,  "category.admin")\
	X(PERM_STATS_READ,      "stats.read")    \
	X(PERM_USER_SECURITY,   "user.security") \
	X(PERM_PERSON_READ,     "person.read")   \
	X(PERM_PERSON_WRITE,    "person.write")

enum perm {
#define X(id, name) id,
	PERM_LIST(X)
#undef X
	PERM_COUNT_
};

#define PERM_BIT(p) ((uint64_t)1 << (p))

#define ROLE_LIST(X)                                                     \
	X(ROLE_ADMIN,           "admin",           "系统管理员", "System administrator") \
	X(ROLE_COUNTY_CENTER,   "county_center",   "县社会治理中心", "County governance centre") \
	X(ROLE_TOWNSHIP_CENTER, "township_center", "乡镇指挥室", "Township command room") \
	X(ROLE_DEPARTMENT,      "department",      "部门承办人", "Department handler") \
	X(ROLE_GRID_WORKER,     "grid_worker",     "网格员", "Grid worker") \
	X(ROLE_LEADER,          "leader",          "领导", "Leader") \
	X(ROLE_AUDITOR,         "auditor",         "审计员", "Auditor") \
	X(ROLE_VOLUNTEER,       "volunteer",       "志愿者", "Volunteer") \
	X(ROLE_SECURITY_ADMIN,  "security_admin",  "安全管理员", "Security administrator")

enum role {
#define X(id, name, zh, en) id,
	ROLE_LIST(X)
#undef X
	ROLE_COUNT_
};

/* Permission bits a set of roles (bit per enum role) grants. */
uint64_t roles_perms(uint32_t roles);
/* Parses "a,b,c" into role bits. 0 or ERR_INVALID (unknown or empty). */
int roles_parse(const char *csv, uint32_t *out);
/* Writes role names "a,b" into out (n bytes). */
void roles_format(uint32_t roles, char *out, unsigned long n);
const char *role_name(enum role r);
const char *role_label(enum role r, bool en);
/* The permission names in perms (without public/signed_in) as a new JSON array. */
json_t *perms_json(uint64_t perms);
/* Permission by name ("user.read"); PERM_COUNT_ when unknown. */
enum perm perm_by_name(const char *name);
const char *perm_name(enum perm p);

#endif
