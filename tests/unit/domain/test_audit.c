#include "../../harness.h"

#include <stdio.h>

#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/txn.h"
#include "testdb.h"

/* Writes n audit rows, each in its own transaction. */
static int
write_rows(struct db *db, int n)
{
	struct actor a;

	actor_system(&a, "tester");
	for (int i = 0; i < n; i++) {
		struct db_conn *w;
		char id[16];

		if (db_write_begin(db, &w) != 0)
			return -1;
		snprintf(id, sizeof id, "%d", i);
		if (txn_finish(db, audit_write(w, &a, "test.write", "thing", id, "{\"n\":1}"), NULL))
			return -1;
	}
	return 0;
}

TEST(audit_chain_verifies_when_untouched)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 5), 0);
	CHECK_INT(audit_verify(t.db, &chk), 0);
	CHECK_INT(chk.rows, 5);
	testdb_close(&t);
}

TEST(audit_chain_detects_an_edited_row)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 5), 0);
	CHECK_INT(testdb_sql(&t, "UPDATE audit_log SET entity_id = 'forged' WHERE id = 3"), 0);
	CHECK_INT(audit_verify(t.db, &chk), ERR_CONFLICT);
	CHECK_INT(chk.first_bad_id, 3);
	testdb_close(&t);
}

TEST(audit_chain_detects_a_deleted_middle_row)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 5), 0);
	CHECK_INT(testdb_sql(&t, "DELETE FROM audit_log WHERE id = 2"), 0);
	CHECK_INT(audit_verify(t.db, &chk), ERR_CONFLICT);
	CHECK_INT(chk.first_bad_id, 2);
	testdb_close(&t);
}

TEST(audit_chain_detects_deleted_newest_rows)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 5), 0);
	CHECK_INT(testdb_sql(&t, "DELETE FROM audit_log WHERE id >= 4"), 0);
	CHECK_INT(audit_verify(t.db, &chk), ERR_CONFLICT);
	CHECK_INT(chk.first_bad_id, 4);
	testdb_close(&t);
}

TEST(audit_chain_detects_a_recomputed_hash_without_the_key)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 3), 0);
	/* An attacker who edits a row and stores a plain SHA-256 still fails: the hash is keyed. */
	CHECK_INT(testdb_sql(&t, "UPDATE audit_log SET action = 'x', hash = randomblob(32) WHERE id = 3;"
	    "UPDATE audit_anchor SET last_hash = (SELECT hash FROM audit_log WHERE id = 3)"), 0);
	CHECK_INT(audit_verify(t.db, &chk), ERR_CONFLICT);
	testdb_close(&t);
}

TEST(audit_chain_detects_an_erased_log)
{
	struct testdb t;
	struct audit_check chk;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 2), 0);
	CHECK_INT(testdb_sql(&t, "DELETE FROM audit_log; DELETE FROM audit_anchor"), 0);
	CHECK_INT(audit_verify(t.db, &chk), ERR_CONFLICT);
	testdb_close(&t);
}

TEST(audit_write_is_rolled_back_with_its_transaction)
{
	struct testdb t;
	struct audit_check chk;
	struct db_conn *w;
	struct actor a;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(write_rows(t.db, 2), 0);
	actor_system(&a, "tester");
	CHECK_INT(db_write_begin(t.db, &w), 0);
	CHECK_INT(audit_write(w, &a, "test.lost", "thing", "x", NULL), 0);
	db_write_rollback(t.db);
	CHECK_INT(write_rows(t.db, 1), 0);
	CHECK_INT(audit_verify(t.db, &chk), 0);
	CHECK_INT(chk.rows, 3);
	testdb_close(&t);
}
