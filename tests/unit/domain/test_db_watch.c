/* The database's change notices (db_watch): which keys, when, and with what sequence. */
#include "../../harness.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "db/db_internal.h"
#include "evfix.h"

struct heard {
	int notices, released;
	int64_t keys[16];
	size_t n;
	bool all;
	uint64_t seq;
};

static void
on_changed(void *arg, const int64_t *keys, size_t n, bool all, uint64_t seq)
{
	struct heard *h = arg;

	h->notices++;
	h->n = n < 16 ? n : 16;
	memcpy(h->keys, keys, h->n * sizeof *keys);
	h->all = all;
	h->seq = seq;
}

static void
on_release(void *arg)
{
	((struct heard *)arg)->released++;
}

static bool
has_key(const struct heard *h, int64_t key)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->keys[i] == key)
			return true;
	return false;
}

TEST(db_watch_refuses_a_table_or_key_column_that_does_not_exist)
{
	static const struct db_watch_table no_table[] = { { "unitz", NULL } };
	static const struct db_watch_table no_column[] = { { "units", "division" } };
	static const struct db_watch_table no_rowid[] = { { "user_grids", NULL } };
	struct heard h = { 0 };
	struct testdb t;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(db_watch(t.db, no_table, 1, on_changed, on_release, &h), ERR_INTERNAL);
	CHECK_INT(db_watch(t.db, no_column, 1, on_changed, on_release, &h), ERR_INTERNAL);
	CHECK_INT(db_watch(t.db, no_rowid, 1, on_changed, on_release, &h), ERR_INTERNAL);
	CHECK(db_watcher_arg(t.db, on_changed) == NULL);
	testdb_close(&t);
	/* Refused, so still the caller's. */
	CHECK_INT(h.released, 0);
}

TEST(db_watch_hears_the_keys_of_each_transaction_once_it_ends)
{
	static const struct db_watch_table tables[] = {
		{ "divisions", NULL },
		{ "units", "division_id" },
		{ "categories", "*" },
	};
	struct heard h = { 0 };
	struct evfix x;
	struct db_conn *c;
	char sql[200];
	int64_t town, county, unit;
	uint64_t seq;

	CHECK_INT(evfix_open(&x), 0);
	CHECK_INT(db_watch(x.t.db, tables, 3, on_changed, on_release, &h), 0);
	CHECK(db_watcher_arg(x.t.db, on_changed) == &h);
	CHECK_INT(db_watch(x.t.db, tables, 3, on_changed, on_release, &h), ERR_INTERNAL);
	town = testdb_count(&x.t, "SELECT id FROM divisions WHERE code = '330824115'");
	county = testdb_count(&x.t, "SELECT id FROM divisions WHERE code = '330824'");
	unit = x.unit_town;
	CHECK(town > 0 && county > 0 && town != unit);

	/* A row keyed by its rowid. */
	CHECK_INT(testdb_write(x.t.db, "UPDATE divisions SET name = '华埠镇（新）' WHERE code = '330824115'",
	    true), 0);
	CHECK_INT(h.notices, 1);
	CHECK_INT(h.n, 1);
	CHECK_INT(h.keys[0], town);
	CHECK(!h.all);
	seq = h.seq;
	CHECK(seq > 0);
	CHECK((c = db_reader(x.t.db)) != NULL);
	CHECK_INT(db_read_seq(c), seq);
	db_reader_done(x.t.db);

	/* A row keyed by a column: moving it changes its old key and its new one. */
	snprintf(sql, sizeof sql, "UPDATE units SET division_id = %lld WHERE id = %lld",
	    (long long)county, (long long)unit);
	CHECK_INT(testdb_write(x.t.db, sql, true), 0);
	CHECK_INT(h.notices, 2);
	CHECK(has_key(&h, town) && has_key(&h, county));
	CHECK(h.seq > seq);
	seq = h.seq;

	/* Rolled back: heard all the same (a cache may forget more than it must, never less). */
	CHECK_INT(testdb_write(x.t.db, "UPDATE divisions SET name = name WHERE code = '330824'", false), 0);
	CHECK_INT(h.notices, 3);
	CHECK(has_key(&h, county));

	/* A table that stands for everything. */
	CHECK_INT(testdb_write(x.t.db, "UPDATE categories SET name = name || '。'", true), 0);
	CHECK_INT(h.notices, 4);
	CHECK(h.all);

	/* Tables nobody watches: no notice. */
	CHECK_INT(testdb_write(x.t.db, "UPDATE users SET display_name = display_name || '。'", true), 0);
	CHECK_INT(h.notices, 4);
	CHECK(h.seq > seq);

	evfix_close(&x);
	CHECK_INT(h.released, 1);
}
