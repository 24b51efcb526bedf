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
