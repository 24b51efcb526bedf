/*
 * Who may call what. The matrix below is the expected answer of every route
 * for every role, written out by hand: a route added to src/api/routes.c
 * without a line here, or a permission that changes silently, fails a test.
 */
#include "client.h"

#include <stdio.h>

#include "api/api.h"

enum {
	ADMIN = 1 << 0,
	CENTER = 1 << 1,
	TOWNSHIP = 1 << 2,
	DEPT = 1 << 3,
	GRID = 1 << 4,
	LEADER = 1 << 5,
	AUDITOR = 1 << 6,
	VOLUNTEER = 1 << 7,
	EVERYONE = 0xff,
	PUBLIC = 1 << 8,
	USER_READERS = ADMIN | CENTER | TOWNSHIP | LEADER | AUDITOR,
	TOKEN_HOLDERS = ADMIN | CENTER,
	UNIT_READERS = ADMIN | CENTER | TOWNSHIP | DEPT | LEADER | AUDITOR,
};

/* The fixture account holding each role, in the order of the bits above. */
static const char *const accounts[] = { "admin", "center", "township", "dept", "grid", "leader",
	"auditor", "volunteer" };

/* A body that passes the permission check but fails validation: nothing changes. */
#define PROBE "{\"probe\":1}"

struct expect {
	const char *method, *pattern;
	const char *path;       /* what is requested: ids that do not exist */
	const char *body;
	unsigned allowed;
};

static const struct expect matrix[] = {
	{ "GET", "/healthz", "/healthz", NULL, PUBLIC },
	{ "GET", "/readyz", "/readyz", NULL, PUBLIC },
	{ "GET", "/metrics", "/metrics", NULL, ADMIN },
	{ "POST", "/api/v1/session", "/api/v1/session", PROBE, PUBLIC },
	{ "DELETE", "/api/v1/session", "/api/v1/session", NULL, EVERYONE },
	{ "GET", "/api/v1/me", "/api/v1/me", NULL, EVERYONE },
	{ "POST", "/api/v1/me/password", "/api/v1/me/password", PROBE, EVERYONE },
	{ "GET", "/api/v1/roles", "/api/v1/roles", NULL, EVERYONE },
	{ "GET", "/api/v1/users", "/api/v1/users", NULL, USER_READERS },
	{ "POST", "/api/v1/users", "/api/v1/users", PROBE, ADMIN },
	{ "GET", "/api/v1/users/{id}", "/api/v1/users/1", NULL, USER_READERS },
	{ "PATCH", "/api/v1/users/{id}", "/api/v1/users/999999", PROBE, ADMIN },
	{ "POST", "/api/v1/users/{id}/lock", "/api/v1/users/999999/lock", NULL, ADMIN },
	{ "POST", "/api/v1/users/{id}/unlock", "/api/v1/users/999999/unlock", NULL, ADMIN },
	{ "POST", "/api/v1/users/{id}/password", "/api/v1/users/999999/password", PROBE, ADMIN },
	{ "GET", "/api/v1/users/{id}/grids", "/api/v1/users/999999/grids", NULL, USER_READERS },
	{ "PUT", "/api/v1/users/{id}/grids", "/api/v1/users/999999/grids", PROBE, ADMIN },
	{ "GET", "/api/v1/divisions", "/api/v1/divisions", NULL, EVERYONE },
	{ "POST", "/api/v1/divisions", "/api/v1/divisions", PROBE, ADMIN },
	{ "GET", "/api/v1/divisions/export", "/api/v1/divisions/export", NULL, EVERYONE },
	{ "POST", "/api/v1/divisions/import", "/api/v1/divisions/import", PROBE, ADMIN },
	{ "POST", "/api/v1/divisions/outlines", "/api/v1/divisions/outlines", PROBE, ADMIN },
	{ "GET", "/api/v1/divisions/{code}", "/api/v1/divisions/999999999999999", NULL, EVERYONE },
	{ "PATCH", "/api/v1/divisions/{code}", "/api/v1/divisions/999999999999999", PROBE, ADMIN },
	{ "GET", "/api/v1/divisions/{code}/outlines", "/api/v1/divisions/999999999999999/outlines",
	  NULL, EVERYONE },
	{ "POST", "/api/v1/divisions/{code}/move", "/api/v1/divisions/999999999999999/move", PROBE,
	  ADMIN },
	{ "POST", "/api/v1/divisions/{code}/retire", "/api/v1/divisions/999999999999999/retire",
	  PROBE, ADMIN },
	{ "GET", "/api/v1/units", "/api/v1/units", NULL, UNIT_READERS },
	{ "POST", "/api/v1/units", "/api/v1/units", PROBE, ADMIN },
	{ "GET", "/api/v1/units/{id}", "/api/v1/units/999999", NULL, UNIT_READERS },
	{ "PATCH", "/api/v1/units/{id}", "/api/v1/units/999999", PROBE, ADMIN },
	{ "POST", "/api/v1/units/{id}/retire", "/api/v1/units/999999/retire", PROBE, ADMIN },
	{ "GET", "/api/v1/tokens", "/api/v1/tokens", NULL, TOKEN_HOLDERS },
	{ "POST", "/api/v1/tokens", "/api/v1/tokens", PROBE, TOKEN_HOLDERS },
	{ "DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/999999", NULL, TOKEN_HOLDERS },
	{ "GET", "/api/v1/audit", "/api/v1/audit", NULL, AUDITOR },
};

#define NMATRIX (sizeof matrix / sizeof matrix[0])
#define NACCOUNTS (sizeof accounts / sizeof accounts[0])

static const struct expect *
matrix_find(const char *method, const char *pattern)
{
	for (size_t i = 0; i < NMATRIX; i++)
		if (strcmp(matrix[i].method, method) == 0 && strcmp(matrix[i].pattern, pattern) == 0)
			return &matrix[i];
	return NULL;
}

static struct resp *
probe(struct fixture *s, const struct expect *e, const char *token)
{
	struct request rq = { .method = e->method, .path = e->path, .body = e->body,
		.bearer = token };

	return http(s, &rq);
}

TEST(permissions_matrix_lists_every_route_of_the_table)
{
	for (size_t i = 0; i < api_route_count; i++)
		if (matrix_find(api_routes[i].method, api_routes[i].pattern) == NULL)
			test_failf(__FILE__, __LINE__, "route %s %s has no line in the matrix",
			    api_routes[i].method, api_routes[i].pattern);
	CHECK_INT(api_route_count, NMATRIX);
}

TEST(permissions_matrix_every_route_for_every_role)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	for (size_t i = 0; i < NMATRIX; i++) {
		const struct expect *e = &matrix[i];

		for (size_t a = 0; a < NACCOUNTS && !(e->allowed & PUBLIC); a++) {
			bool allowed = (e->allowed & (1u << a)) != 0;
			/* Signing out ends the session: use one of its own. */
			const char *token = strcmp(e->method, "DELETE") == 0 &&
			    strcmp(e->pattern, "/api/v1/session") == 0
			    ? signin(s, accounts[a], TEST_PASSWORD) : session_of(s, accounts[a]);
			struct resp *r;

			CHECK(token != NULL);
			r = probe(s, e, token);
			if (allowed && (r->status == 401 || r->status == 403 || r->status >= 500 ||
				r->status == 0))
				test_failf(__FILE__, __LINE__, "%s %s as %s: %ld, expected it allowed: %s",
				    e->method, e->path, accounts[a], r->status, r->body);
			if (!allowed && (r->status != 403 ||
				!jstr(r->json, "error.code") ||
				strcmp(jstr(r->json, "error.code"), "forbidden") != 0))
				test_failf(__FILE__, __LINE__, "%s %s as %s: %ld, expected 403: %s",
				    e->method, e->path, accounts[a], r->status, r->body);
		}
	}
}

TEST(permissions_no_session_is_401_except_on_public_routes)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	for (size_t i = 0; i < NMATRIX; i++) {
		struct resp *r = probe(s, &matrix[i], NULL);
		bool public = (matrix[i].allowed & PUBLIC) != 0;

		if (public && (r->status == 401 || r->status == 403))
			test_failf(__FILE__, __LINE__, "%s %s without a session: %ld, expected public",
			    matrix[i].method, matrix[i].path, r->status);
		if (!public && (r->status != 401 ||
			!jstr(r->json, "error.code") ||
			strcmp(jstr(r->json, "error.code"), "unauthorized") != 0))
			test_failf(__FILE__, __LINE__, "%s %s without a session: %ld, expected 401: %s",
			    matrix[i].method, matrix[i].path, r->status, r->body);
	}
}

TEST(permissions_admin_creates_users_the_county_centre_cannot)
{
	struct fixture *s = fixture_shared();
	const char *a = uniq("byadmin"), *c = uniq("bycenter");

	CHECK(s != NULL);
	CHECK_INT(api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:[s]}", "username", a, "password", TEST_PASSWORD, "roles",
		"leader"))->status, 201);
	CHECK_ERROR(api_send(s, "POST", "/api/v1/users", session_of(s, "center"),
	    jfmt("{s:s, s:s, s:[s]}", "username", c, "password", TEST_PASSWORD, "roles",
		"leader")), 403, "forbidden");
	CHECK(user_exists(s, session_of(s, "admin"), a));
	CHECK(!user_exists(s, session_of(s, "admin"), c));
}

TEST(permissions_auditor_reads_the_audit_trail_the_admin_cannot)
{
	struct fixture *s = fixture_shared();
	struct resp *r;

	CHECK(s != NULL);
	r = api_get(s, session_of(s, "auditor"), "/api/v1/audit");
	CHECK_INT(r->status, 200);
	CHECK(json_is_array(jget(r->json, "items")));
	r = api_get(s, session_of(s, "admin"), "/api/v1/audit");
	CHECK_ERROR(r, 403, "forbidden");
	CHECK_STR(jstr(r->json, "error.message"), "您没有执行此操作的权限");
	CHECK_ERROR(api_get(s, NULL, "/api/v1/audit"), 401, "unauthorized");
	CHECK_ERROR(api_get(s, NULL, "/api/v1/users"), 401, "unauthorized");
}

TEST(permissions_auditor_changes_nothing)
{
	struct fixture *s = fixture_shared();
	const char *auditor;
	struct resp *r;

	CHECK(s != NULL);
	auditor = session_of(s, "auditor");
	CHECK_ERROR(api_send(s, "POST", "/api/v1/users/1/lock", auditor, NULL), 403, "forbidden");
	CHECK_ERROR(api_send(s, "PATCH", "/api/v1/users/1", auditor,
	    "{\"roles\":[\"auditor\"],\"version\":1}"), 403, "forbidden");
	r = api_get(s, session_of(s, "admin"), "/api/v1/users/1");
	CHECK_INT(r->status, 200);
	CHECK(json_is_false(jget(r->json, "disabled")));
	CHECK_STR(jstr(r->json, "roles.0"), "admin");
}

TEST(permissions_roles_lists_each_role_with_its_permissions)
{
	struct fixture *s = fixture_shared();
	struct resp *r;
	json_t *items, *role;
	size_t i;
	bool auditor_reads_audit = false, admin_reads_audit = false;

	CHECK(s != NULL);
	r = api_get(s, session_of(s, "grid"), "/api/v1/roles");
	CHECK_INT(r->status, 200);
	items = jget(r->json, "items");
	CHECK_INT(json_array_size(items), NACCOUNTS);
	json_array_foreach(items, i, role) {
		const char *name = json_string_value(json_object_get(role, "name"));
		json_t *perms = json_object_get(role, "permissions"), *p;
		size_t k;

		CHECK(name != NULL);
		json_array_foreach(perms, k, p) {
			if (strcmp(json_string_value(p), "audit.read") != 0)
				continue;
			if (strcmp(name, "auditor") == 0)
				auditor_reads_audit = true;
			if (strcmp(name, "admin") == 0)
				admin_reads_audit = true;
		}
	}
	CHECK(auditor_reads_audit);
	CHECK(!admin_reads_audit);
}
