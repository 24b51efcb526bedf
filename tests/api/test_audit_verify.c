/*
 * `pingan audit verify` against a trail somebody edited behind pingan's back
 * with the sqlite3 shell: an edited row, a deleted middle row, a deleted
 * newest row. Each case starts from a fresh server whose trail verified.
 */
#include "client.h"

#include <stdlib.h>

/* A fresh server with a few audited events, stopped; NULL on failure. */
static struct fixture *
stopped_server_with_history(void)
{
	struct fixture *s = server_start_fixture(NULL);

	if (s == NULL)
		return NULL;
	(void)signin(s, "center", TEST_PASSWORD);
	(void)api_send(s, "POST", "/api/v1/session", NULL, signin_body("center", "Wrong#Pass2026"));
	(void)api_user_create(s, uniq("trail"), "leader");
	(void)signin(s, "auditor", TEST_PASSWORD);
	/* Only stopped matters here; the exit status is test_shutdown.c's business. */
	(void)fixture_stop(s);
	return s;
}

static int
verify(struct fixture *s, char **out)
{
	return run_pingan(NULL, out, "audit", "verify", "--data-dir", s->data_dir, (char *)NULL);
}

static int
row_count(struct fixture *s)
{
	char *out;
	long n;

	if (run_sqlite(s->db_path, "SELECT count(*) FROM audit_log", &out) != 0)
		return -1;
	n = strtol(out, NULL, 10);
	return (int)n;
}

TEST(audit_verify_detects_an_edited_row)
{
	struct fixture *s = stopped_server_with_history();
	char *out;

	CHECK(s != NULL);
	CHECK(row_count(s) >= 6);
	CHECK_INT(verify(s, &out), 0);
	CHECK(strstr(out, "intact") != NULL);
	CHECK_INT(run_sqlite(s->db_path, "UPDATE audit_log SET action = 'x' WHERE id = 2", NULL), 0);
	CHECK_INT(verify(s, &out), 1);
	CHECK(strstr(out, "BROKEN at row 2") != NULL);
}

TEST(audit_verify_detects_a_deleted_middle_row)
{
	struct fixture *s = stopped_server_with_history();
	char *out;

	CHECK(s != NULL);
	CHECK_INT(verify(s, &out), 0);
	CHECK_INT(run_sqlite(s->db_path, "DELETE FROM audit_log WHERE id = 3", NULL), 0);
	CHECK_INT(verify(s, &out), 1);
	CHECK(strstr(out, "BROKEN at row 3") != NULL);
}

TEST(audit_verify_detects_a_deleted_newest_row)
{
	struct fixture *s = stopped_server_with_history();
	char *out;

	CHECK(s != NULL);
	CHECK_INT(verify(s, &out), 0);
	CHECK_INT(run_sqlite(s->db_path,
	    "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", NULL), 0);
	CHECK_INT(verify(s, &out), 1);
	CHECK(strstr(out, "BROKEN") != NULL);
}

TEST(audit_verify_detects_a_rewritten_chain_without_the_key)
{
	struct fixture *s = stopped_server_with_history();
	char *out;

	CHECK(s != NULL);
	CHECK_INT(verify(s, &out), 0);
	/* Delete the newest row and move the anchor back as well: the anchor's MAC needs the key. */
	CHECK_INT(run_sqlite(s->db_path,
	    "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);"
	    "UPDATE audit_anchor SET last_id = last_id - 1, "
	    "last_hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)", NULL), 0);
	CHECK_INT(verify(s, &out), 1);
	CHECK(strstr(out, "BROKEN") != NULL);
}

TEST(audit_verify_chain_continues_across_a_restart)
{
	struct fixture *s = stopped_server_with_history();
	int before;
	char *out;

	CHECK(s != NULL);
	before = row_count(s);
	CHECK_INT(fixture_restart(s), 0);
	CHECK(signin(s, "auditor", TEST_PASSWORD) != NULL);
	(void)fixture_stop(s);
	CHECK_INT(row_count(s), before + 1);
	CHECK_INT(verify(s, &out), 0);
}
