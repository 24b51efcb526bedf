/*
 * router_match() against the real route table (src/api/routes.c): the
 * first code every request meets, with its method and path straight from
 * the request line. Input: "METHOD /path".
 *
 * A found route must re-match its own pattern, have the method asked
 * for, and give path parameters that are non-empty, slash-free, bounded
 * and NUL-terminated; path_id must be the first parameter when numeric.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/parse.h"
#include "support/fuzz.h"

static int
count_params(const char *pattern)
{
	int n = 0;

	for (; *pattern; pattern++)
		n += *pattern == '{';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct req r;
	char allow[64];
	int index = -1;
	enum route_match m;

	fuzz_fields_split(&ff, data, size, ' ', 2);
	memset(&r, 0, sizeof r);
	m = router_match(api_routes, api_route_count, ff.f[0], ff.f[1], &r, &index);
	if (m == ROUTE_FOUND) {
		const struct route *rt;
		int64_t id;

		FUZZ_CHECK(index >= 0 && (size_t)index < api_route_count, "index %d", index);
		rt = &api_routes[index];
		FUZZ_CHECK(strcmp(rt->method, ff.f[0]) == 0, "method %s for %s", rt->method, ff.f[0]);
		FUZZ_CHECK(router_pattern_match(rt->pattern, ff.f[1], NULL), "pattern %s", rt->pattern);
		FUZZ_CHECK(r.nparams == count_params(rt->pattern), "%d parameters for %s", r.nparams,
		    rt->pattern);
		for (int i = 0; i < r.nparams; i++) {
			size_t n = strnlen(r.params[i], sizeof r.params[i]);

			FUZZ_CHECK(n > 0 && n < sizeof r.params[i], "parameter %d of %zu bytes", i, n);
			FUZZ_CHECK(strchr(r.params[i], '/') == NULL, "parameter %s holds a slash",
			    r.params[i]);
			FUZZ_CHECK(strstr(ff.f[1], r.params[i]) != NULL, "parameter %s not in the path",
			    r.params[i]);
		}
		if (r.nparams > 0 && parse_i64(r.params[0], 1, INT64_MAX, &id) == 0)
			FUZZ_CHECK(r.path_id == id, "path_id %lld for %s", (long long)r.path_id,
			    r.params[0]);
		else
			FUZZ_CHECK(r.path_id == 0, "path_id %lld", (long long)r.path_id);
	} else {
		FUZZ_CHECK(m == ROUTE_NO_PATH || m == ROUTE_NO_METHOD, "match %d", (int)m);
		router_allowed(api_routes, api_route_count, ff.f[1], allow, sizeof allow);
		FUZZ_CHECK(strlen(allow) < sizeof allow, "allow");
		FUZZ_CHECK((m == ROUTE_NO_METHOD) == (allow[0] != '\0'), "405 with Allow \"%s\"", allow);
	}
	fuzz_fields_release(&ff);
	return 0;
}
