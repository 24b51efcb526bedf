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
#define RAW ROUTE_RAW_BODY
#define ACTION(name, perm, summary) \
	{ "POST", "/api/v1/events/{id}/" name, api_events_act, perm, JSON, 0, summary }

const struct route api_routes[] = {
	{ "GET", "/healthz", api_healthz, PERM_PUBLIC, 0, 0, "liveness" },
	{ "GET", "/readyz", api_readyz, PERM_PUBLIC, 0, 0, "readiness: database reachable" },
	{ "GET", "/metrics", api_metrics, PERM_METRICS_READ, 0, 0, "Prometheus metrics" },
	{ "GET", "/api/v1/config", api_config, PERM_PUBLIC, 0, 0,
	  "installation settings the console needs (county code, map tile URL)" },

	{ "POST", "/api/v1/session", api_session_create, PERM_PUBLIC, JSON, 4096, "sign in" },
	{ "DELETE", "/api/v1/session", api_session_delete, PERM_SIGNED_IN, PWC, 0, "sign out" },
	{ "GET", "/api/v1/me", api_me, PERM_SIGNED_IN, PWC, 0, "the signed-in user" },
	{ "POST", "/api/v1/me/password", api_me_password, PERM_SIGNED_IN, JSON | PWC, 4096,
	  "change own password" },

	{ "GET", "/api/v1/me/grids", api_me_grids, PERM_SIGNED_IN, 0, 0,
	  "the signed-in grid worker's grids and duties" },
	{ "POST", "/api/v1/me/totp", api_totp_begin, PERM_SIGNED_IN, JSON | PWC, 4096,
	  "start two-factor sign-in: secret and otpauth URI, shown once" },
	{ "POST", "/api/v1/me/totp/confirm", api_totp_confirm, PERM_SIGNED_IN, JSON | PWC, 4096,
	  "turn two-factor sign-in on with a first code" },
	{ "POST", "/api/v1/me/totp/disable", api_totp_disable, PERM_SIGNED_IN, JSON, 4096,
	  "turn two-factor sign-in off (not for roles that require it)" },

	{ "GET", "/api/v1/roles", api_roles_list, PERM_SIGNED_IN, 0, 0, "roles and permissions" },
	{ "GET", "/api/v1/users", api_users_list, PERM_USER_READ, 0, 0, "list users in scope" },
	{ "POST", "/api/v1/users", api_users_create, PERM_USER_ADMIN, JSON, 0, "create a user" },
	{ "GET", "/api/v1/users/{id}", api_users_get, PERM_USER_READ, 0, 0, "read a user" },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, PERM_USER_ADMIN, JSON, 0,
	  "change a user's name, roles, unit or division" },
	{ "POST", "/api/v1/users/{id}/lock", api_users_lock, PERM_USER_SECURITY, 0, 0, "lock a user" },
	{ "POST", "/api/v1/users/{id}/unlock", api_users_unlock, PERM_USER_SECURITY, 0, 0,
	  "unlock a user" },
	{ "POST", "/api/v1/users/{id}/password", api_users_reset_password, PERM_USER_SECURITY, JSON, 0,
	  "set a new password the user must change" },
	{ "POST", "/api/v1/users/{id}/totp/reset", api_totp_reset, PERM_USER_SECURITY, 0, 0,
	  "clear a user's two-factor sign-in (lost phone)" },

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

	{ "GET", "/api/v1/categories", api_categories_list, PERM_SIGNED_IN, 0, 0,
	  "event categories with their deadline rules" },
	{ "PATCH", "/api/v1/categories/{code}", api_categories_update, PERM_CATEGORY_ADMIN, JSON, 0,
	  "change a category's name, flags and deadlines" },
	{ "GET", "/api/v1/routing-rules", api_routing_list, PERM_SIGNED_IN, 0, 0,
	  "default responsible unit per category and division subtree" },
	{ "POST", "/api/v1/routing-rules", api_routing_set, PERM_CATEGORY_ADMIN, JSON, 0,
	  "set a routing rule" },
	{ "DELETE", "/api/v1/routing-rules/{id}", api_routing_delete, PERM_CATEGORY_ADMIN, 0, 0,
	  "delete a routing rule" },

	{ "GET", "/api/v1/events", api_events_list, PERM_EVENT_READ, 0, 0,
	  "list, filter, search and inboxes" },
	{ "POST", "/api/v1/events", api_events_create, PERM_EVENT_REPORT, JSON | ROUTE_IDEMPOTENT_SELF, 0,
	  "report an event (Idempotency-Key honoured)" },
	{ "POST", "/api/v1/events/duplicates", api_events_duplicates, PERM_EVENT_REPORT, JSON, 0,
	  "events that look like the one being reported" },
	{ "GET", "/api/v1/events/stream", api_events_stream, PERM_EVENT_READ, 0, 0,
	  "server-sent events of changes in scope" },
	{ "GET", "/api/v1/events/{id}", api_events_get, PERM_EVENT_READ, 0, 0,
	  "one event with timeline, dispatches and allowed actions" },
	{ "POST", "/api/v1/events/{id}/reveal", api_events_reveal, PERM_PII_REVEAL, JSON, 4096,
	  "personal data in clear, with a reason (audited)" },
	{ "POST", "/api/v1/events/{id}/attachments", api_attachments_upload, PERM_EVENT_READ, RAW,
	  10 * MiB, "attach a photo or PDF (type checked by content)" },
	ACTION("accept", PERM_EVENT_TRIAGE, "accept a reported event"),
	ACTION("reject", PERM_EVENT_TRIAGE, "reject with a reason"),
	ACTION("merge", PERM_EVENT_TRIAGE, "merge into another event"),
	ACTION("dispatch", PERM_EVENT_DISPATCH, "dispatch to a lead unit and co-units"),
	ACTION("sign", PERM_EVENT_HANDLE, "sign for a dispatch"),
	ACTION("return", PERM_EVENT_HANDLE, "return to the dispatcher with a reason"),
	ACTION("feedback", PERM_EVENT_HANDLE, "report the result"),
	ACTION("verify", PERM_EVENT_VERIFY, "verify the result: close or send back"),
	ACTION("visit", PERM_EVENT_VERIFY, "record the return visit"),
	ACTION("escalate", PERM_EVENT_ESCALATE, "escalate one level up"),
	ACTION("supervise", PERM_EVENT_SUPERVISE, "a leader's supervision"),
	ACTION("extend_request", PERM_EVENT_HANDLE, "ask for more time"),
	ACTION("extend_decide", PERM_EVENT_DISPATCH, "grant or refuse more time"),
	ACTION("sample", PERM_EVENT_VERIFY, "sample an on-the-spot resolution"),
	{ "GET", "/api/v1/attachments/{id}", api_attachments_get, PERM_EVENT_READ, 0, 0,
	  "download an attachment" },
	{ "GET", "/api/v1/notifications", api_notifications_list, PERM_SIGNED_IN, 0, 0,
	  "own and unit notifications" },
	{ "POST", "/api/v1/notifications/{id}/read", api_notifications_read, PERM_SIGNED_IN, 0, 0,
	  "mark a notification read" },
	{ "GET", "/api/v1/stats/events", api_stats_events, PERM_STATS_READ, 0, 0,
	  "received, closed, on time, returns, satisfaction by division or unit" },
	{ "GET", "/api/v1/stats/backlog", api_stats_backlog, PERM_STATS_READ, 0, 0,
	  "petition backlog zeroing and open death cases" },

	{ "GET", "/api/v1/tokens", api_tokens_list, PERM_TOKEN_MANAGE, 0, 0, "own API tokens" },
	{ "POST", "/api/v1/tokens", api_tokens_create, PERM_TOKEN_MANAGE, JSON, 0,
	  "create an API token" },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_delete, PERM_TOKEN_MANAGE, 0, 0,
	  "revoke an API token" },

	{ "GET", "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, 0, 0, "the audit trail" },
	{ "GET", "/api/v1/audit/export", api_audit_export, PERM_AUDIT_READ, 0, 0,
	  "the audit trail as CSV for archiving" },
};

const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
