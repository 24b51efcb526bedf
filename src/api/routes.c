/*
 * Every route pingan serves, with the permission the router checks before
 * the handler runs. docs/openapi.yaml documents exactly this list (a test
 * keeps them in step) and tests/api/test_permissions.c holds the expected
 * answer of every route for every role.
 */
#include "api/api.h"

#define JSON ROUTE_JSON_BODY
#define PWC ROUTE_ALLOW_MUST_CHANGE
#define CSV ROUTE_CSV_BODY
#define MiB (1024 * 1024)

const struct route api_routes[] = {
	{ "GET", "/healthz", api_healthz, PERM_PUBLIC, 0, 0, "liveness" },
	{ "GET", "/readyz", api_readyz, PERM_PUBLIC, 0, 0, "readiness: database reachable" },
	{ "GET", "/metrics", api_metrics, PERM_METRICS_READ, 0, 0, "Prometheus metrics" },

	{ "POST", "/api/v1/session", api_session_create, PERM_PUBLIC, JSON, 4096, "sign in" },
	{ "DELETE", "/api/v1/session", api_session_delete, PERM_SIGNED_IN, PWC, 0, "sign out" },
	{ "GET", "/api/v1/me", api_me, PERM_SIGNED_IN, PWC, 0, "the signed-in user" },
	{ "POST", "/api/v1/me/password", api_me_password, PERM_SIGNED_IN, JSON | PWC, 4096,
	  "change own password" },

	{ "GET", "/api/v1/roles", api_roles_list, PERM_SIGNED_IN, 0, 0, "roles and permissions" },
	{ "GET", "/api/v1/users", api_users_list, PERM_USER_READ, 0, 0, "list users in scope" },
	{ "POST", "/api/v1/users", api_users_create, PERM_USER_ADMIN, JSON, 0, "create a user" },
	{ "GET", "/api/v1/users/{id}", api_users_get, PERM_USER_READ, 0, 0, "read a user" },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, PERM_USER_ADMIN, JSON, 0,
	  "change a user's name, roles, unit or division" },
	{ "POST", "/api/v1/users/{id}/lock", api_users_lock, PERM_USER_ADMIN, 0, 0, "lock a user" },
	{ "POST", "/api/v1/users/{id}/unlock", api_users_unlock, PERM_USER_ADMIN, 0, 0,
	  "unlock a user" },
	{ "POST", "/api/v1/users/{id}/password", api_users_reset_password, PERM_USER_ADMIN, JSON, 0,
	  "set a new password the user must change" },

	{ "GET", "/api/v1/users/{id}/grids", api_user_grids_get, PERM_USER_READ, 0, 0,
	  "a grid worker's grids and duties" },
	{ "PUT", "/api/v1/users/{id}/grids", api_user_grids_set, PERM_USER_ADMIN, JSON, 0,
	  "assign grids and duties" },

	{ "GET", "/api/v1/divisions", api_divisions_list, PERM_DIVISION_READ, 0, 0,
	  "children of a division, the top of the scope, or a search" },
	{ "POST", "/api/v1/divisions", api_divisions_create, PERM_DIVISION_ADMIN, JSON, 0,
	  "create a division" },
	{ "GET", "/api/v1/divisions/export", api_divisions_export, PERM_DIVISION_READ, 0, 0,
	  "divisions in scope as CSV" },
	{ "POST", "/api/v1/divisions/import", api_divisions_import, PERM_DIVISION_ADMIN, CSV, 16 * MiB,
	  "import divisions from CSV, all or nothing" },
	{ "POST", "/api/v1/divisions/outlines", api_divisions_import_outlines, PERM_DIVISION_ADMIN,
	  JSON, 64 * MiB, "import outlines from a GeoJSON FeatureCollection" },
	{ "GET", "/api/v1/divisions/{code}", api_divisions_get, PERM_DIVISION_READ, 0, 0,
	  "one division with outline and ancestors" },
	{ "PATCH", "/api/v1/divisions/{code}", api_divisions_update, PERM_DIVISION_ADMIN, JSON, 0,
	  "rename a division or set its point and outline" },
	{ "GET", "/api/v1/divisions/{code}/outlines", api_divisions_outlines, PERM_DIVISION_READ, 0,
	  0, "GeoJSON of a division and its children" },
	{ "POST", "/api/v1/divisions/{code}/move", api_divisions_move, PERM_DIVISION_ADMIN, JSON, 0,
	  "move a division under another parent" },
	{ "POST", "/api/v1/divisions/{code}/retire", api_divisions_retire, PERM_DIVISION_ADMIN, JSON,
	  0, "retire a division" },

	{ "GET", "/api/v1/units", api_units_list, PERM_UNIT_READ, 0, 0, "list units in scope" },
	{ "POST", "/api/v1/units", api_units_create, PERM_UNIT_ADMIN, JSON, 0, "create a unit" },
	{ "GET", "/api/v1/units/{id}", api_units_get, PERM_UNIT_READ, 0, 0, "read a unit" },
	{ "PATCH", "/api/v1/units/{id}", api_units_update, PERM_UNIT_ADMIN, JSON, 0,
	  "change a unit" },
	{ "POST", "/api/v1/units/{id}/retire", api_units_retire, PERM_UNIT_ADMIN, JSON, 0,
	  "retire a unit" },

	{ "GET", "/api/v1/tokens", api_tokens_list, PERM_TOKEN_MANAGE, 0, 0, "own API tokens" },
	{ "POST", "/api/v1/tokens", api_tokens_create, PERM_TOKEN_MANAGE, JSON, 0,
	  "create an API token" },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_delete, PERM_TOKEN_MANAGE, 0, 0,
	  "revoke an API token" },

	{ "GET", "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, 0, 0, "the audit trail" },
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
