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
	SECURITY = 1 << 8,
	EVERYONE = 0x1ff,
	PUBLIC = 1 << 9,
	USER_READERS = ADMIN | CENTER | TOWNSHIP | LEADER | AUDITOR | SECURITY,
	/* Locks, password resets, two-factor resets (user.security). */
	USER_GUARDS = ADMIN | SECURITY,
	TOKEN_HOLDERS = ADMIN | CENTER,
	UNIT_READERS = ADMIN | CENTER | TOWNSHIP | DEPT | LEADER | AUDITOR | SECURITY,
	/* The event hub (src/domain/auth/roles.c). */
	EVENT_READERS = CENTER | TOWNSHIP | DEPT | GRID | LEADER,
	REPORTERS = CENTER | TOWNSHIP | GRID | VOLUNTEER,
	TRIAGERS = CENTER | TOWNSHIP,
	DISPATCHERS = CENTER | TOWNSHIP,
	HANDLERS = TOWNSHIP | DEPT,
	VERIFIERS = CENTER | TOWNSHIP,
	ESCALATORS = TOWNSHIP | GRID,
	SUPERVISORS = LEADER,
	REVEALERS = CENTER | TOWNSHIP,
	/* Readers who also report, handle, triage or verify: a leader only reads. */
	ATTACHERS = CENTER | TOWNSHIP | DEPT | GRID,
	STATS_READERS = CENTER | TOWNSHIP | LEADER,
	CATEGORY_ADMINS = ADMIN,
	/* The registry: grid workers register, a leader reads. */
	PERSON_READERS = CENTER | TOWNSHIP | GRID | LEADER,
	PERSON_WRITERS = CENTER | TOWNSHIP | GRID,
};

/* The fixture account holding each role, in the order of the bits above. */
static const char *const accounts[] = { "admin", "center", "township", "dept", "grid", "leader",
	"auditor", "volunteer", "security" };

/* A body that passes the permission check but fails validation: nothing changes. */
#define PROBE "{\"probe\":1}"
/* For a route that takes no fields: a body that is not JSON (400), so nothing runs. */
#define BROKEN "{"

struct expect {
	const char *method, *pattern;
	const char *path;       /* what is requested: ids that do not exist */
	const char *body;
	unsigned allowed;
	long answer;            /* the status every allowed role gets; 0: any that is not
	                           401, 403 or 5xx */
	long timeout_ms;        /* a stream: read its status, then hang up */
};

/* An action on an event that does not exist, with a probe body: 422 before anything is looked up. */
#define ACTION_LINE(name, who)                                                           \
	{ "POST", "/api/v1/events/{id}/" name, "/api/v1/events/999999/" name, PROBE, who, 422, 0 }

static const struct expect matrix[] = {
	{ "GET", "/healthz", "/healthz", NULL, PUBLIC },
	{ "GET", "/readyz", "/readyz", NULL, PUBLIC },
	{ "GET", "/metrics", "/metrics", NULL, ADMIN },
	{ "GET", "/api/v1/config", "/api/v1/config", NULL, PUBLIC, 200, 0 },
	{ "POST", "/api/v1/session", "/api/v1/session", PROBE, PUBLIC },
	{ "DELETE", "/api/v1/session", "/api/v1/session", NULL, EVERYONE },
	{ "GET", "/api/v1/me", "/api/v1/me", NULL, EVERYONE },
	{ "GET", "/api/v1/me/grids", "/api/v1/me/grids", NULL, EVERYONE },
	{ "POST", "/api/v1/me/password", "/api/v1/me/password", PROBE, EVERYONE },
	{ "POST", "/api/v1/me/totp", "/api/v1/me/totp", BROKEN, EVERYONE, 400, 0 },
	{ "POST", "/api/v1/me/totp/confirm", "/api/v1/me/totp/confirm", PROBE, EVERYONE, 422, 0 },
	{ "POST", "/api/v1/me/totp/disable", "/api/v1/me/totp/disable", PROBE, EVERYONE, 422, 0 },
	{ "GET", "/api/v1/roles", "/api/v1/roles", NULL, EVERYONE },
	{ "GET", "/api/v1/users", "/api/v1/users", NULL, USER_READERS },
	{ "POST", "/api/v1/users", "/api/v1/users", PROBE, ADMIN },
	{ "GET", "/api/v1/users/{id}", "/api/v1/users/1", NULL, USER_READERS },
	{ "PATCH", "/api/v1/users/{id}", "/api/v1/users/999999", PROBE, ADMIN },
	{ "POST", "/api/v1/users/{id}/lock", "/api/v1/users/999999/lock", NULL, USER_GUARDS },
	{ "POST", "/api/v1/users/{id}/unlock", "/api/v1/users/999999/unlock", NULL, USER_GUARDS },
	{ "POST", "/api/v1/users/{id}/password", "/api/v1/users/999999/password", PROBE,
	  USER_GUARDS },
	{ "POST", "/api/v1/users/{id}/totp/reset", "/api/v1/users/999999/totp/reset", NULL,
	  USER_GUARDS, 404, 0 },
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
	{ "GET", "/api/v1/audit/export", "/api/v1/audit/export", NULL, AUDITOR, 200, 0 },

	{ "GET", "/api/v1/categories", "/api/v1/categories", NULL, EVERYONE, 200, 0 },
	{ "PATCH", "/api/v1/categories/{code}", "/api/v1/categories/no.such", PROBE,
	  CATEGORY_ADMINS, 422, 0 },
	{ "GET", "/api/v1/routing-rules", "/api/v1/routing-rules", NULL, EVERYONE, 200, 0 },
	{ "POST", "/api/v1/routing-rules", "/api/v1/routing-rules", PROBE, CATEGORY_ADMINS, 422,
	  0 },
	{ "DELETE", "/api/v1/routing-rules/{id}", "/api/v1/routing-rules/999999", NULL,
	  CATEGORY_ADMINS, 404, 0 },
	{ "GET", "/api/v1/events", "/api/v1/events", NULL, EVENT_READERS, 200, 0 },
	{ "POST", "/api/v1/events", "/api/v1/events", PROBE, REPORTERS, 422, 0 },
	{ "POST", "/api/v1/events/duplicates", "/api/v1/events/duplicates", PROBE, REPORTERS, 422,
	  0 },
	/* The stream answers 200 at once and then streams for 25 s: hang up after 1 s. */
	{ "GET", "/api/v1/events/stream", "/api/v1/events/stream", NULL, EVENT_READERS, 200,
	  1000 },
	{ "GET", "/api/v1/events/{id}", "/api/v1/events/999999", NULL, EVENT_READERS, 404, 0 },
	{ "POST", "/api/v1/events/{id}/reveal", "/api/v1/events/999999/reveal", PROBE, REVEALERS,
	  422, 0 },
	/* The route needs event.read; the domain refuses a reader who may not add evidence. */
	{ "POST", "/api/v1/events/{id}/attachments", "/api/v1/events/999999/attachments", PROBE,
	  ATTACHERS, 415, 0 },
	ACTION_LINE("accept", TRIAGERS),
	ACTION_LINE("reject", TRIAGERS),
	ACTION_LINE("merge", TRIAGERS),
	ACTION_LINE("dispatch", DISPATCHERS),
	ACTION_LINE("sign", HANDLERS),
	ACTION_LINE("return", HANDLERS),
	ACTION_LINE("feedback", HANDLERS),
	ACTION_LINE("verify", VERIFIERS),
	ACTION_LINE("visit", VERIFIERS),
	ACTION_LINE("escalate", ESCALATORS),
	ACTION_LINE("supervise", SUPERVISORS),
	ACTION_LINE("extend_request", HANDLERS),
	ACTION_LINE("extend_decide", DISPATCHERS),
	ACTION_LINE("sample", VERIFIERS),
	{ "GET", "/api/v1/attachments/{id}", "/api/v1/attachments/999999", NULL, EVENT_READERS,
	  404, 0 },
	{ "GET", "/api/v1/notifications", "/api/v1/notifications", NULL, EVERYONE, 200, 0 },
	{ "POST", "/api/v1/notifications/{id}/read", "/api/v1/notifications/999999/read", NULL,
	  EVERYONE, 404, 0 },
	{ "GET", "/api/v1/stats/events", "/api/v1/stats/events?by=unit", NULL, STATS_READERS, 200,
	  0 },
	{ "GET", "/api/v1/stats/backlog", "/api/v1/stats/backlog", NULL, STATS_READERS, 200, 0 },
	{ "GET", "/api/v1/persons", "/api/v1/persons", NULL, PERSON_READERS, 200, 0 },
	{ "POST", "/api/v1/persons", "/api/v1/persons", PROBE, PERSON_WRITERS, 422, 0 },
	/* A JSON body where CSV is expected: refused before anything is read. */
	{ "POST", "/api/v1/persons/import", "/api/v1/persons/import", PROBE, PERSON_WRITERS, 415,
	  0 },
	{ "GET", "/api/v1/persons/{id}", "/api/v1/persons/999999", NULL, PERSON_READERS, 404, 0 },
	{ "PATCH", "/api/v1/persons/{id}", "/api/v1/persons/999999", PROBE, PERSON_WRITERS, 422,
	  0 },
	{ "POST", "/api/v1/persons/{id}/reveal", "/api/v1/persons/999999/reveal", PROBE, REVEALERS,
	  422, 0 },
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
		.bearer = token, .timeout_ms = e->timeout_ms };

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
			else if (allowed && e->answer && r->status != e->answer)
				test_failf(__FILE__, __LINE__, "%s %s as %s: %ld, expected %ld: %s",
				    e->method, e->path, accounts[a], r->status, e->answer, r->body);
			if (!allowed && (r->status != 403 ||
				!jstr(r->json, "error.code") ||
				strcmp(jstr(r->json, "error.code"), "forbidden") != 0))
				test_failf(__FILE__, __LINE__, "%s %s as %s: %ld, expected 403: %s",
				    e->method, e->path, accounts[a], r->status, r->body);
		}
	}
}

/* Every workflow action, in the order of src/domain/event/event.h. */
static const char *const actions[] = { "accept", "reject", "merge", "dispatch", "sign", "return",
	"feedback", "verify", "visit", "escalate", "supervise", "extend_request", "extend_decide",
	"sample" };

#define NACTIONS (sizeof actions / sizeof actions[0])

/* The actions a reported event allows (the transition table in src/domain/event/workflow.c). */
static bool
starts_from_reported(const char *action)
{
	static const char *const from_reported[] = { "accept", "reject", "merge", "escalate",
		"supervise" };

	for (size_t i = 0; i < sizeof from_reported / sizeof from_reported[0]; i++)
		if (strcmp(action, from_reported[i]) == 0)
			return true;
	return false;
}

/* The error code of each refusal status. */
static const char *
code_of(long status)
{
	return status == 403 ? "forbidden" : status == 404 ? "not_found" : "conflict";
}

/* Does the JSON array of strings hold exactly the names in want (n of them)? */
static bool
same_names(json_t *arr, const char *const *want, size_t n)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr) || json_array_size(arr) != n)
		return false;
	json_array_foreach(arr, i, v) {
		bool found = false;

		for (size_t k = 0; k < n && !found; k++)
			found = json_string_value(v) && strcmp(json_string_value(v), want[k]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/*
 * A role without an action's permission gets 403; a department not
 * dispatched to cannot see the event (404); with the permission, an action
 * the state does not allow is 409. Actions the state allows are not tried
 * (they would change the event) but must be exactly the allowed_actions the
 * event offers that role.
 */
TEST(permissions_actions_on_a_reported_event_answer_403_404_or_409)
{
	struct fixture *s = fixture_demo();
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("权限探测事件"));
	CHECK(id > 0);
	for (size_t a = 0; a < NACCOUNTS; a++) {
		const char *offered[NACTIONS];
		size_t noffered = 0;

		for (size_t k = 0; k < NACTIONS; k++) {
			const struct expect *e = matrix_find("POST",
			    tfmt("/api/v1/events/{id}/%s", actions[k]));
			long want;

			CHECK(e != NULL);
			if (!(e->allowed & (1u << a)))
				want = 403;
			else if (strcmp(accounts[a], "dept") == 0)
				want = 404;
			else if (starts_from_reported(actions[k])) {
				offered[noffered++] = actions[k];
				continue;
			} else
				want = 409;
			r = act_on(s, accounts[a], id, actions[k], "{}");
			if (r->status != want || !jstr(r->json, "error.code") ||
			    strcmp(jstr(r->json, "error.code"), code_of(want)) != 0)
				test_failf(__FILE__, __LINE__, "%s as %s: %ld, expected %ld: %s",
				    actions[k], accounts[a], r->status, want, r->body);
		}
		r = read_event(s, accounts[a], id);
		if (r->status == 200 && !same_names(jget(r->json, "allowed_actions"), offered,
			noffered))
			test_failf(__FILE__, __LINE__, "allowed_actions for %s: %s, expected %zu",
			    accounts[a], json_is_array(jget(r->json, "allowed_actions"))
			    ? jfmt("O", jget(r->json, "allowed_actions")) : "(none)", noffered);
	}
	r = read_event(s, "center", id);
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "state"), "reported");
	CHECK_INT(jint(r->json, "version", 0), 1);
	CHECK_INT(json_array_size(jget(r->json, "timeline")), 1);
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
