/*
 * Table-driven routes (after kcgi/Kore): method, path pattern, handler,
 * permission and limits are declared once; the router matches, checks the
 * permission and the body before any handler runs.
 */
#ifndef PINGAN_HTTP_ROUTER_H
#define PINGAN_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/auth/roles.h"
#include "http/req.h"

enum route_flags {
	ROUTE_JSON_BODY = 1 << 0,        /* the body is a JSON object (empty: {}) */
	ROUTE_ALLOW_MUST_CHANGE = 1 << 1,/* usable before the forced password change */
	ROUTE_CSV_BODY = 1 << 2,         /* the body is UTF-8 CSV (text/csv) */
	ROUTE_RAW_BODY = 1 << 3,         /* the body is bytes the handler checks (uploads) */
	ROUTE_IDEMPOTENT_SELF = 1 << 4,  /* the domain keeps Idempotency-Key in its own transaction */
};

struct route {
	const char *method;      /* "GET", "POST", ... */
	const char *pattern;     /* "/api/v1/users/{id}"; {x} matches one segment */
	void (*handler)(struct req *r);
	enum perm perm;          /* PERM_PUBLIC: no session needed */
	unsigned flags;
	size_t max_body;         /* 0: the configured default */
	const char *summary;     /* one line for docs and tests */
};

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/*
 * Finds the route for method and path among n routes. On ROUTE_FOUND sets
 * *index and fills r->params / r->path_id.
 */
enum route_match router_match(const struct route *routes, size_t n, const char *method,
    const char *path, struct req *r, int *index);
/* Writes the methods that path accepts ("GET, POST") into out. */
void router_allowed(const struct route *routes, size_t n, const char *path, char *out, size_t len);
/* True when path matches pattern (used by the router and the openapi test). */
bool router_pattern_match(const char *pattern, const char *path, struct req *r);

#endif
