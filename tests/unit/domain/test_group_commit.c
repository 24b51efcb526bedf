#include "../../harness.h"

#include <pthread.h>
#include <stdio.h>

#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/txn.h"
#include "testdb.h"

struct writer_arg {
	struct db *db;
	int n, ok, rolled_back;
};

/* Writes audit rows; every fifth is rolled back on purpose. */
static void *
writer(void *p)
{
	struct writer_arg *a = p;
	struct actor sys;

	actor_system(&sys, "w");
	for (int i = 0; i < a->n; i++) {
		struct db_conn *w;

		if (db_write_begin(a->db, &w) != 0)
			continue;
		int rc = audit_write(w, &sys, "test.group", "t", "", NULL);

		if (i % 5 == 4) {
			db_write_rollback(a->db);
			a->rolled_back++;
			continue;
		}
		if (txn_finish(a->db, rc, NULL) == 0)
			a->ok++;
	}
	return NULL;
}

TEST(group_commit_keeps_every_acknowledged_write_and_drops_rolled_back_ones)
{
	struct testdb t;
	struct writer_arg args[8];
	pthread_t th[8];
	struct audit_check chk;
	int ok = 0;

	CHECK_INT(testdb_open(&t), 0);
	for (int i = 0; i < 8; i++) {
		args[i] = (struct writer_arg){ t.db, 100, 0, 0 };
		pthread_create(&th[i], NULL, writer, &args[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		ok += args[i].ok;
		CHECK_INT(args[i].rolled_back, 20);
	}
	CHECK_INT(ok, 8 * 80);
	CHECK_INT(audit_verify(t.db, &chk), 0);
	CHECK_INT(chk.rows, 8 * 80);
	testdb_close(&t);
}
