#include "../../harness.h"

#include "http/router.h"

static void handler(struct req *r) { (void)r; }

static const struct route routes[] = {
	{ "GET", "/api/v1/users", handler, PERM_USER_READ, 0, 0, "" },
	{ "GET", "/api/v1/users/{id}", handler, PERM_USER_READ, 0, 0, "" },
	{ "POST", "/api/v1/users/{id}/lock", handler, PERM_USER_ADMIN, 0, 0, "" },
	{ "GET", "/api/v1/divisions/export", handler, PERM_DIVISION_READ, 0, 0, "" },
	{ "GET", "/api/v1/divisions/{code}", handler, PERM_DIVISION_READ, 0, 0, "" },
};
#define N (sizeof routes / sizeof routes[0])

TEST(router_matches_patterns_and_captures_ids)
{
	struct req r = { 0 };
	int i;

	CHECK_INT(router_match(routes, N, "GET", "/api/v1/users/42", &r, &i), ROUTE_FOUND);
	CHECK_INT(i, 1);
	CHECK_STR(r.params[0], "42");
	CHECK_INT(r.path_id, 42);
	CHECK_INT(router_match(routes, N, "POST", "/api/v1/users/7/lock", &r, &i), ROUTE_FOUND);
	CHECK_INT(i, 2);
	CHECK_INT(r.path_id, 7);
}

TEST(router_prefers_the_earlier_literal_route)
{
	struct req r = { 0 };
	int i;

	CHECK_INT(router_match(routes, N, "GET", "/api/v1/divisions/export", &r, &i), ROUTE_FOUND);
	CHECK_INT(i, 3);
	CHECK_INT(router_match(routes, N, "GET", "/api/v1/divisions/330824", &r, &i), ROUTE_FOUND);
	CHECK_INT(i, 4);
	CHECK_STR(r.params[0], "330824");
}

TEST(router_tells_unknown_path_from_wrong_method)
{
	struct req r = { 0 };
	int i;

	CHECK_INT(router_match(routes, N, "DELETE", "/api/v1/users/42", &r, &i), ROUTE_NO_METHOD);
	CHECK_INT(router_match(routes, N, "GET", "/api/v1/users/42/x", &r, &i), ROUTE_NO_PATH);
	CHECK_INT(router_match(routes, N, "GET", "/api/v1/users/", &r, &i), ROUTE_NO_PATH);
	CHECK_INT(router_match(routes, N, "GET", "/api/v1/userss", &r, &i), ROUTE_NO_PATH);
}

TEST(router_gives_no_id_for_non_numeric_segments)
{
	struct req r = { 0 };
	int i;

	CHECK_INT(router_match(routes, N, "GET", "/api/v1/users/abc", &r, &i), ROUTE_FOUND);
	CHECK_INT(r.path_id, 0);
	CHECK_INT(router_match(routes, N, "GET", "/api/v1/users/-3", &r, &i), ROUTE_FOUND);
	CHECK_INT(r.path_id, 0);
}
