/*
 * Change notices for caches (db_watch in db.h). SQLite's pre-update hook on
 * the writer connection sees every row a transaction inserts, updates or
 * deletes, including those of triggers, with the old and new values of its
 * columns; the keys of rows in each watcher's tables are gathered while the
 * transaction runs and handed to the watcher when it ends. The hook is used
 * rather than notices from the domain code because it cannot be forgotten
 * by a new statement: whatever changes a watched table is seen.
 */
/* sqlite3.h declares the hook only for builds that have it; Debian's libsqlite3 does. */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/err.h"
#include "base/log.h"
#include "db/db_internal.h"

#define WATCHERS_MAX 4
#define WATCH_TABLES_MAX 16
/* A transaction that changes more rows than this (a division move, a bulk load) empties the cache. */
#define WATCH_KEYS_MAX 4096

enum { KEY_MISSING = -1, KEY_ROWID = -2, KEY_ALL = -3 };

struct watcher {
	int ntables;
	char *names[WATCH_TABLES_MAX];
	int key_col[WATCH_TABLES_MAX];     /* column index, KEY_ROWID or KEY_ALL */
	db_changed_fn *fn;
	void (*release)(void *arg);
	void *arg;
	/* The open transaction's changes (touched only under the writer's lock). */
	int64_t keys[WATCH_KEYS_MAX];
	size_t nkeys;
	bool all;
};

struct db_watcher {
	int n;
	struct watcher *w[WATCHERS_MAX];
	_Atomic uint64_t seq;              /* the newest notice given */
};

static void
add_key(struct watcher *w, int64_t key)
{
	/* A report changes its event's row and several rows keyed by it, one after the other. */
	if (w->nkeys > 0 && w->keys[w->nkeys - 1] == key)
		return;
	if (w->nkeys == WATCH_KEYS_MAX) {
		w->all = true;
		return;
	}
	w->keys[w->nkeys++] = key;
}

static void
add_value(struct watcher *w, sqlite3_value *v)
{
	if (v != NULL && sqlite3_value_type(v) == SQLITE_INTEGER)
		add_key(w, sqlite3_value_int64(v));
}

static void
heard(struct watcher *w, sqlite3 *h, int op, const char *table, sqlite3_int64 old_key,
    sqlite3_int64 new_key)
{
	sqlite3_value *v;
	int t;

	if (w->all)
		return;
	for (t = 0; t < w->ntables; t++)
		if (strcmp(table, w->names[t]) == 0)
			break;
	if (t == w->ntables)
		return;
	if (w->key_col[t] == KEY_ALL) {
		w->all = true;
	} else if (w->key_col[t] == KEY_ROWID) {
		if (op != SQLITE_INSERT)
			add_key(w, old_key);
		if (op != SQLITE_DELETE)
			add_key(w, new_key);
	} else {
		/* An update may move a row from one key to another: both change. */
		if (op != SQLITE_INSERT && sqlite3_preupdate_old(h, w->key_col[t], &v) == SQLITE_OK)
			add_value(w, v);
		if (op != SQLITE_DELETE && sqlite3_preupdate_new(h, w->key_col[t], &v) == SQLITE_OK)
			add_value(w, v);
	}
}

static void
on_preupdate(void *arg, sqlite3 *h, int op, const char *schema, const char *table,
    sqlite3_int64 old_key, sqlite3_int64 new_key)
{
	struct db_watcher *set = arg;

	if (strcmp(schema, "main") != 0)
		return;
	for (int i = 0; i < set->n; i++)
		heard(set->w[i], h, op, table, old_key, new_key);
}

/* The index of column name in table, or KEY_MISSING. */
static int
column_index(sqlite3 *h, const char *table, const char *name)
{
	sqlite3_stmt *st;
	int found = KEY_MISSING;

	if (sqlite3_prepare_v2(h, "SELECT cid FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
		NULL) != SQLITE_OK)
		return KEY_MISSING;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return found;
}

/* True when table exists and has a rowid (a WITHOUT ROWID table's hook gives none). */
static bool
table_has(sqlite3 *h, const char *table, bool rowid)
{
	sqlite3_stmt *st;
	bool yes;

	if (sqlite3_prepare_v2(h, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND "
		"type = 'table' AND name = ?1", -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW && (!rowid || sqlite3_column_int(st, 0) == 0);
	sqlite3_finalize(st);
	return yes;
}

/* Frees a watcher; its arg too when release is set. */
static void
watcher_release(struct watcher *w, bool release)
{
	for (int i = 0; i < w->ntables; i++)
		free(w->names[i]);
	if (release && w->release)
		w->release(w->arg);
	free(w);
}

/* A watcher of tables, or NULL when one of them (or its key column) does not exist. */
static struct watcher *
watcher_of(sqlite3 *h, const struct db_watch_table *tables, size_t n)
{
	struct watcher *w;

	if (n == 0 || n > WATCH_TABLES_MAX)
		return NULL;
	w = xcalloc(1, sizeof *w);
	for (size_t i = 0; i < n; i++) {
		const char *col = tables[i].key_column;

		w->names[w->ntables] = xstrdup(tables[i].name);
		w->key_col[w->ntables++] = col == NULL ? KEY_ROWID
		    : strcmp(col, "*") == 0 ? KEY_ALL : column_index(h, tables[i].name, col);
		/* A misspelt name would silently never be seen changing: refuse it. */
		if (!table_has(h, tables[i].name, w->key_col[i] == KEY_ROWID) ||
		    w->key_col[i] == KEY_MISSING) {
			log_error("db_watch: no table %s with column %s", tables[i].name,
			    col ? col : "rowid");
			watcher_release(w, false);
			return NULL;
		}
	}
	return w;
}

int
watcher_add(struct db_watcher **set, sqlite3 *h, const struct db_watch_table *tables, size_t n,
    db_changed_fn *fn, void (*release)(void *arg), void *arg)
{
	struct watcher *w;

	if (*set && ((*set)->n == WATCHERS_MAX || watcher_arg(*set, fn) != NULL))
		return ERR_INTERNAL;
	if ((w = watcher_of(h, tables, n)) == NULL)
		return ERR_INTERNAL;
	w->fn = fn;
	w->release = release;
	w->arg = arg;
	if (*set == NULL) {
		*set = xcalloc(1, sizeof **set);
		sqlite3_preupdate_hook(h, on_preupdate, *set);
	}
	(*set)->w[(*set)->n++] = w;
	return 0;
}

void
watcher_free(struct db_watcher *set)
{
	if (set == NULL)
		return;
	for (int i = 0; i < set->n; i++)
		watcher_release(set->w[i], true);
	free(set);
}

void
watcher_flush(struct db_watcher *set)
{
	uint64_t seq = 0;

	for (int i = 0; set && i < set->n; i++) {
		struct watcher *w = set->w[i];

		if (w->nkeys == 0 && !w->all)
			continue;
		/* One number for the transaction, whoever hears of it. */
		if (seq == 0)
			seq = atomic_fetch_add(&set->seq, 1) + 1;
		w->fn(w->arg, w->keys, w->nkeys, w->all, seq);
		w->nkeys = 0;
		w->all = false;
	}
}

void
watcher_mark_all(struct db_watcher *set)
{
	for (int i = 0; set && i < set->n; i++)
		set->w[i]->all = true;
}

uint64_t
watcher_seq(struct db_watcher *set)
{
	return set ? atomic_load(&set->seq) : 0;
}

void *
watcher_arg(struct db_watcher *set, db_changed_fn *fn)
{
	for (int i = 0; set && i < set->n; i++)
		if (set->w[i]->fn == fn)
			return set->w[i]->arg;
	return NULL;
}
