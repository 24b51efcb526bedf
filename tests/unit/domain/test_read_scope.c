#include "../../harness.h"

#include <stdio.h>

#include "base/err.h"
#include "db/db.h"
#include "domain/txn.h"
#include "testdb.h"

static int64_t
divisions_seen(struct db *db)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s = c ? db_stmt(c, STMT_DIV_COUNT) : NULL;
	int64_t n = -1;

	if (s && db_step(s) == DB_ROW)
		n = db_col_int(s, 0);
	if (s)
		db_reset(s);
	return n;
}

/* Inserts a top-level division on the writer w (inside a write the caller ends). */
static int
insert_division(struct db_conn *w, const char *code)
{
	struct db_stmt *s = db_stmt(w, STMT_DIV_INSERT);
	char path[32];

	if (s == NULL)
		return ERR_STORAGE;
	snprintf(path, sizeof path, "/%s/", code);
	db_bind_text(s, 1, code);
	db_bind_text(s, 2, "测试县");
	db_bind_text(s, 3, "county");
	db_bind_text(s, 5, path);
	db_bind_int(s, 8, 0);
	db_bind_int(s, 9, 1);
	return db_run(s);
}

static int
add_division(struct db *db, const char *code)
{
	struct db_conn *w;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	return txn_finish(db, insert_division(w, code), NULL);
}

/* Within a scope every read sees one snapshot; db_reader_done lets the next one see more. */
TEST(read_scope_reads_one_snapshot_until_done)
{
	struct testdb t;
	int64_t before;

	CHECK_INT(testdb_open(&t), 0);
	db_read_scope(t.db);
	before = divisions_seen(t.db);
	CHECK(before >= 0);
	CHECK_INT(testdb_sql(&t, "INSERT INTO divisions (code, name, level, path, created_at, "
	    "updated_at) VALUES ('990001', '外县', 'county', '/990001/', 1, 1)"), 0);
	CHECK_INT(divisions_seen(t.db), before);
	db_reader_done(t.db);
	CHECK_INT(divisions_seen(t.db), before + 1);
	testdb_close(&t);
}

/* A request that reads, writes, then reads its answer must find what it wrote. */
TEST(read_scope_sees_the_threads_own_write)
{
	struct testdb t;
	int64_t before;

	CHECK_INT(testdb_open(&t), 0);
	db_read_scope(t.db);
	before = divisions_seen(t.db);
	CHECK_INT(add_division(t.db, "990002"), 0);
	CHECK_INT(divisions_seen(t.db), before + 1);
	db_reader_done(t.db);
	testdb_close(&t);
}

/* A read made while the thread holds the writer must not pin a snapshot from before the commit. */
TEST(read_scope_read_during_a_write_does_not_outlive_it)
{
	struct testdb t;
	struct db_conn *w;
	int64_t before;

	CHECK_INT(testdb_open(&t), 0);
	db_read_scope(t.db);
	CHECK_INT(db_write_begin(t.db, &w), 0);
	before = divisions_seen(t.db);
	CHECK_INT(txn_finish(t.db, insert_division(w, "990003"), NULL), 0);
	CHECK_INT(divisions_seen(t.db), before + 1);
	db_reader_done(t.db);
	testdb_close(&t);
}
