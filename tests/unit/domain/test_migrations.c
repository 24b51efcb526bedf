#include "../../harness.h"

#include <stdio.h>

#include "base/err.h"
#include "testdb.h"

TEST(migrations_refuse_a_database_newer_than_the_binary)
{
	struct testdb t;
	struct db *again = NULL;
	char sql[64];

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(db_schema_version(t.db), db_schema_latest());
	db_close(t.db);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_latest() + 1);
	CHECK_INT(testdb_sql(&t, sql), 0);
	CHECK_INT(db_open(t.path, false, &again), ERR_CONFLICT);
	CHECK(again == NULL);
	CHECK_INT(db_open(t.path, false, &t.db), ERR_CONFLICT);
	t.db = NULL;
	testdb_close(&t);
}

/* The schema's CHECK constraints that list values, found by their text. */
static const char in_list_checks[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%'";

TEST(migrations_leave_no_check_constraint_written_as_an_in_list)
{
	struct testdb t;

	/* SQLite fills a temporary b-tree for such a list on every row written (015). */
	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(testdb_count(&t, in_list_checks), 0);
	testdb_close(&t);
}

TEST(migrations_rewrite_an_in_list_check_of_an_older_file_and_keep_its_meaning)
{
	struct testdb t;
	char sql[512];

	CHECK_INT(testdb_open(&t), 0);
	db_close(t.db);
	t.db = NULL;
	/* The visits table as schema 14 wrote it. */
	snprintf(sql, sizeof sql,
	    "PRAGMA writable_schema = ON;"
	    "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (satisfaction = ''satisfied'' OR "
	    "satisfaction = ''basically'' OR satisfaction = ''unsatisfied'')', 'CHECK (satisfaction "
	    "IN (''satisfied'', ''basically'', ''unsatisfied''))') WHERE name = 'visits';"
	    "CREATE TABLE bump (x); DROP TABLE bump; PRAGMA user_version = 14;");
	CHECK_INT(testdb_sql(&t, sql), 0);
	CHECK_INT(testdb_count(&t, in_list_checks), 1);
	CHECK_INT(db_open(t.path, false, &t.db), 0);
	CHECK_INT(db_schema_version(t.db), db_schema_latest());
	CHECK_INT(testdb_count(&t, in_list_checks), 0);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM pragma_integrity_check "
				   "WHERE integrity_check <> 'ok'"), 0);
	CHECK_INT(testdb_sql(&t, "INSERT INTO visits (event_id, satisfaction, visited_at) "
				 "VALUES (1, 'satisfied', 0)"), 0);
	CHECK_INT(testdb_sql(&t, "INSERT INTO visits (event_id, satisfaction, visited_at) "
				 "VALUES (1, 'so-so', 0)"), -1);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM visits"), 1);
	testdb_close(&t);
}
