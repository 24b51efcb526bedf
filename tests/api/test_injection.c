/*
 * Security review: quotes and SQL fragments in every text field and filter
 * are only data. Nothing answers 500, no error body mentions SQL or an
 * internal detail, the database stays intact, and the text comes back as
 * it was sent.
 */
#include "../harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static const char *const nasty[] = {
	"' OR '1'='1", "\"; DROP TABLE users; --", "1; DELETE FROM events", "%' OR 1=1 --",
	"') UNION SELECT password_hash FROM users --", "\\", "x' AND randomblob(1000000000) --",
	"\"\" OR \"\"=\"\"", "NEAR(a b)", "* OR title:*",
};
#define NNASTY (sizeof nasty / sizeof nasty[0])

/* No answer may be a server error or leak SQL words or file paths. */
static bool
clean_answer(const struct resp *r)
{
	static const char *const leaks[] = { "SQLITE", "sqlite", "syntax error", "SELECT ",
		"no such", ".c:", "Traceback", "stack" };

	if (r == NULL || r->status >= 500)
		return false;
	for (size_t i = 0; i < sizeof leaks / sizeof leaks[0]; i++)
		if (r->body && strstr(r->body, leaks[i]))
			return false;
	return true;
}

TEST(injection_in_filters_is_only_data)
{
	struct fixture *s = fixture_demo();
	const char *center, *auditor, *admin;
	static const char *const lists[] = { "/api/v1/events?q=", "/api/v1/events?category=",
		"/api/v1/events?channel=", "/api/v1/events?division=", "/api/v1/events?urgency=",
		"/api/v1/users?q=", "/api/v1/users?role=", "/api/v1/units?q=",
		"/api/v1/divisions?q=", "/api/v1/divisions?parent=", "/api/v1/audit?action=",
		"/api/v1/audit?entity=", "/api/v1/stats/events?division=" };

	CHECK(s != NULL);
	CHECK((center = session_of(s, "center")) != NULL);
	CHECK((auditor = session_of(s, "auditor")) != NULL);
	CHECK((admin = session_of(s, "admin")) != NULL);
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		for (size_t k = 0; k < NNASTY; k++) {
			const char *tok = strstr(lists[i], "audit") ? auditor
			    : strstr(lists[i], "users") || strstr(lists[i], "units") ? admin : center;
			struct resp *r = api_get(s, tok, tfmt("%s%s", lists[i], url_encode(nasty[k])));

			if (!clean_answer(r)) {
				test_failf(__FILE__, __LINE__, "%s with %s answered %ld: %.200s", lists[i],
				    nasty[k], r ? r->status : 0, r && r->body ? r->body : "");
				return;
			}
		}
	}
	/* Still all there. */
	struct resp *users = api_get(s, admin, "/api/v1/users?limit=200");

	CHECK(users && users->status == 200);
	CHECK(json_array_size(jget(users->json, "items")) >= 9);
}

TEST(injection_in_text_fields_is_stored_as_sent)
{
	struct fixture *s = fixture_demo();
	const char *grid;

	CHECK(s != NULL);
	CHECK((grid = session_of(s, "grid")) != NULL);
	for (size_t k = 0; k < NNASTY; k++) {
		json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "channel", "grid",
		    "category_code", "dispute.neighbour", "title", nasty[k], "description", nasty[k],
		    "division_code", "330824115205001", "anonymous", 1);
		char *text = json_dumps(body, JSON_COMPACT);
		struct resp *r = api_send(s, "POST", "/api/v1/events", grid, text);

		free(text);
		json_decref(body);
		/* The answer echoes the text, so only its status is judged here. */
		if (r == NULL || r->status != 201) {
			test_failf(__FILE__, __LINE__, "report titled %s answered %ld: %.200s", nasty[k],
			    r ? r->status : 0, r && r->body ? r->body : "");
			return;
		}
		CHECK_STR(jstr(r->json, "title"), nasty[k]);
		CHECK_STR(jstr(r->json, "description"), nasty[k]);
	}
}

TEST(injection_in_sign_in_and_path_parameters_is_refused_cleanly)
{
	struct fixture *s = fixture_demo();
	const char *center;

	CHECK(s != NULL);
	CHECK((center = session_of(s, "center")) != NULL);
	for (size_t k = 0; k < NNASTY; k++) {
		json_t *body = json_pack("{s:s, s:s}", "username", nasty[k], "password", nasty[k]);
		char *text = json_dumps(body, JSON_COMPACT);
		struct resp *r = api_send(s, "POST", "/api/v1/session", NULL, text);
		struct resp *d = api_get(s, center, tfmt("/api/v1/divisions/%s", url_encode(nasty[k])));
		struct resp *e = api_get(s, center, tfmt("/api/v1/events/%s", url_encode(nasty[k])));

		free(text);
		json_decref(body);
		CHECK(r && r->status == 401 && clean_answer(r));
		CHECK(d && (d->status == 404) && clean_answer(d));
		CHECK(e && (e->status == 404) && clean_answer(e));
	}
}
