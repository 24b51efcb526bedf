#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "base/parse.h"

bool
router_pattern_match(const char *pattern, const char *path, struct req *r)
{
	const char *p = pattern, *s = path;
	int np = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t n = strcspn(s, "/");

			if (close == NULL || n == 0 || n >= sizeof r->params[0] || np == REQ_MAX_PARAMS)
				return false;
			if (r) {
				memcpy(r->params[np], s, n);
				r->params[np][n] = '\0';
			}
			np++;
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p != '\0' || *s != '\0')
		return false;
	if (r) {
		int64_t id;

		r->nparams = np;
		r->path_id = 0;
		if (np > 0 && parse_i64(r->params[0], 1, INT64_MAX, &id) == 0)
			r->path_id = id;
	}
	return true;
}

enum route_match
router_match(const struct route *routes, size_t n, const char *method, const char *path,
    struct req *r, int *index)
{
	/* The method first: it rules out most routes with one short comparison. */
	for (size_t i = 0; i < n; i++) {
		if (strcmp(routes[i].method, method) != 0 ||
		    !router_pattern_match(routes[i].pattern, path, NULL))
			continue;
		router_pattern_match(routes[i].pattern, path, r);
		*index = (int)i;
		return ROUTE_FOUND;
	}
	/* No route for this method: 405 if the path has one for another, else 404. */
	for (size_t i = 0; i < n; i++)
		if (router_pattern_match(routes[i].pattern, path, NULL))
			return ROUTE_NO_METHOD;
	return ROUTE_NO_PATH;
}

void
router_allowed(const struct route *routes, size_t n, const char *path, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!router_pattern_match(routes[i].pattern, path, NULL) || strstr(out, routes[i].method))
			continue;
		int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "", routes[i].method);

		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}
