/*
 * JSON request bodies of every route family, through the real handlers:
 * each route of src/api/routes.c that takes a JSON body (sign-in, users,
 * grids, divisions, outlines, units, categories, routing rules, events,
 * every workflow action, reveal, tokens, and any added later) is served
 * in process on the demo county database by a signed-in user (see
 * support/http.h for what is checked).
 *
 * Input, three lines: the route as "METHOD pattern" (one not in the table
 * picks a JSON route by its hash, so seeds stay valid when routes are
 * added), the user and a number picking which fixture record the path
 * names ("center 2"; an unknown name is signed out), then the body.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "support/fixture.h"
#include "support/fuzz.h"
#include "support/http.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)fixture_get();
	return 0;
}

/* The value for the {param} after segment "what" in a path: a fixture record. */
static void
param_value(const struct fixture *fx, const char *what, size_t whatlen, unsigned pick,
    char *out, size_t n)
{
	static const char *const codes[] = { "330824115205", "330824115", "330824",
		"330824115205001" };
	static const char *const cats[] = { "dispute.neighbour", "dispute", "hazard" };
#define IS(s) (whatlen == strlen(s) && strncmp(what, s, whatlen) == 0)
	if (IS("users"))
		snprintf(out, n, "%lld", (long long)fx->user_ids[pick % FX_SYSTEM]);
	else if (IS("divisions"))
		snprintf(out, n, "%s", codes[pick % 4]);
	else if (IS("units"))
		snprintf(out, n, "%lld", (long long)fx->unit_police);
	else if (IS("categories"))
		snprintf(out, n, "%s", cats[pick % 3]);
	else if (IS("events"))
		snprintf(out, n, "%lld", (long long)fx->events[pick % FX_EVENTS]);
	else if (IS("routing-rules"))
		snprintf(out, n, "%lld", (long long)fx->routing_id);
	else if (IS("tokens"))
		snprintf(out, n, "%lld", (long long)fx->token_id);
	else if (IS("attachments"))
		snprintf(out, n, "%lld", (long long)fx->attachment_id);
	else
		snprintf(out, n, "1");
#undef IS
}

/* The route's pattern with each {param} replaced by a fixture record. */
static void
fill_path(const struct fixture *fx, const char *pattern, unsigned pick, char *out, size_t n)
{
	size_t len = 0;
	const char *seg = pattern;

	for (const char *p = pattern; *p && len + 1 < n; ) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *prev = seg;
			char v[64];

			/* seg is the start of the segment before this one. */
			param_value(fx, prev, (size_t)(p - 1 - prev), pick, v, sizeof v);
			len += (size_t)snprintf(out + len, n - len, "%s", v);
			if (len >= n)
				len = n - 1;
			p = close ? close + 1 : p + strlen(p);
			continue;
		}
		if (*p == '/' && p[1] != '{')
			seg = p + 1;
		out[len++] = *p++;
	}
	out[len] = '\0';
}

/* The route named by "METHOD pattern", else the one the line's hash picks. */
static const struct route *
pick_route(const char *line)
{
	const struct route *json_routes[256];
	size_t n = 0;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < api_route_count && n < 256; i++) {
		char name[200];

		if (!(api_routes[i].flags & ROUTE_JSON_BODY))
			continue;
		snprintf(name, sizeof name, "%s %s", api_routes[i].method, api_routes[i].pattern);
		if (strcmp(name, line) == 0)
			return &api_routes[i];
		json_routes[n++] = &api_routes[i];
	}
	FUZZ_CHECK(n > 0, "no JSON route");
	for (const char *p = line; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return json_routes[h % n];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture *fx = fixture_get();
	struct fuzz_fields ff;
	struct fuzz_request in;
	const struct route *rt;
	char path[256], who[32];
	unsigned pick = 0;

	fuzz_fields_split(&ff, data, size, '\n', 3);
	rt = pick_route(ff.f[0]);
	memset(&in, 0, sizeof in);
	who[0] = '\0';
	(void)sscanf(ff.f[1], "%31s %u", who, &pick);
	fill_path(fx, rt->pattern, pick, path, sizeof path);
	in.method = rt->method;
	in.url = path;
	in.actor = fixture_actor_by_name(fx, who);
	in.headers[0] = (struct fuzz_kv){ "Content-Type", "application/json" };
	in.nheaders = 1;
	in.body = ff.f[2];
	in.body_len = ff.len[2];
	(void)fuzz_http_serve(fx, &in);
	fuzz_fields_release(&ff);
	fixture_after_input(fx);
	return 0;
}
