#include "db/query.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db_internal.h"

#define EV_SUMMARY "e.id, e.case_no, e.title, e.state, e.channel, c.code, c.name, e.urgency, " \
	"e.color, e.division_path, d.code, d.name, e.reported_at, e.deadline_at, e.supervised, " \
	"e.level, COALESCE(u.name, ''), e.kind, e.backlog, e.version, e.on_the_spot, e.lat, e.lng"
#define EV_FROM " FROM events e JOIN categories c ON c.id = e.category_id " \
	"JOIN divisions d ON d.id = e.division_id LEFT JOIN units u ON u.id = e.lead_unit_id "

/*
 * One fragment per filter bit. The division range uses +e.division_path so
 * that SQLite walks events newest first and stops at the page size rather
 * than sorting a whole subtree.
 */
static const char *const fragments[] = {
	" AND e.state = ?2",
	" AND c.code = ?3",
	" AND e.channel = ?4",
	" AND +e.division_path >= ?5 AND +e.division_path < ?18",
	" AND e.lead_unit_id = ?6",
	" AND e.urgency = ?7",
	" AND e.color = ?8",
	" AND e.supervised = ?9",
	" AND e.backlog = ?10",
	" AND e.kind = ?11",
	" AND e.reported_at >= ?12",
	" AND e.reported_at < ?13",
	" AND EXISTS (SELECT 1 FROM dispatches x WHERE x.event_id = e.id AND +x.unit_id = ?14)",
	" AND events_fts MATCH ?16",
	" AND (instr(e.title, ?17) > 0 OR instr(e.description, ?17) > 0)",
	" AND e.state = 'reported' AND (?20 OR e.level <> 'county')",
	" AND e.state = 'accepted' AND (?20 OR e.level <> 'county')",
	" AND e.state IN ('dispatched', 'handling') AND EXISTS (SELECT 1 FROM dispatches y "
	"WHERE y.event_id = e.id AND y.active = 1 AND y.signed_at IS NULL "
	"AND (?21 = 0 OR y.unit_id = ?21))",
	" AND e.state = 'handling' AND (?21 = 0 OR e.lead_unit_id = ?21)",
	" AND e.state = 'handled'",
	" AND e.state = 'closed' AND e.satisfaction IS NULL AND e.on_the_spot = 0 "
	"AND e.merged_into IS NULL",
	" AND e.state = 'closed' AND e.on_the_spot = 1 AND e.sampled = 0",
	" AND e.state NOT IN ('closed', 'rejected', 'merged')",
};

#define CACHE 32

/* Prepared shapes of one connection: a small cache keyed by the filter bits. */
struct shape_cache {
	uint32_t key[CACHE];
	sqlite3_stmt *stmt[CACHE];
	int n, next;
};


static char *
build_sql(uint32_t filters)
{
	struct buf b;

	buf_init(&b, 16384);
	(void)buf_addstr(&b, filters & EVF_COUNT ? "SELECT count(*)" : "SELECT " EV_SUMMARY);
	/*
	 * A full-text search walks the index newest first and stops at the page
	 * size, instead of collecting every match and sorting them.
	 */
	if (filters & EVF_FTS)
		(void)buf_addstr(&b, " FROM events_fts JOIN events e ON e.id = events_fts.rowid "
				     "JOIN categories c ON c.id = e.category_id "
				     "JOIN divisions d ON d.id = e.division_id "
				     "LEFT JOIN units u ON u.id = e.lead_unit_id "
				     "WHERE in_scope(e.division_path) AND events_fts.rowid < ?1");
	else
		(void)buf_addstr(&b, EV_FROM "WHERE in_scope(e.division_path) AND e.id < ?1");
	for (unsigned i = 0; i < sizeof fragments / sizeof fragments[0]; i++)
		if (filters & (1u << i))
			(void)buf_addstr(&b, fragments[i]);
	if (!(filters & EVF_COUNT))
		(void)buf_addstr(&b, filters & EVF_FTS ? " ORDER BY events_fts.rowid DESC LIMIT ?15"
						       : " ORDER BY e.id DESC LIMIT ?15");
	return buf_detach(&b, NULL);
}

struct db_stmt *
db_event_query(struct db_conn *c, uint32_t filters)
{
	void **slotp = db_conn_shapes(c);
	struct shape_cache *sc;
	sqlite3_stmt *st;
	char *sql;
	int slot;

	if (*slotp == NULL)
		*slotp = xcalloc(1, sizeof(struct shape_cache));
	sc = *slotp;
	for (int i = 0; i < sc->n; i++) {
		if (sc->key[i] == filters) {
			sqlite3_reset(sc->stmt[i]);
			sqlite3_clear_bindings(sc->stmt[i]);
			return (struct db_stmt *)sc->stmt[i];
		}
	}
	sql = build_sql(filters);
	if (sqlite3_prepare_v3(db_conn_handle(c), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
	    SQLITE_OK) {
		log_error("prepare event query %u: %s", filters, sqlite3_errmsg(db_conn_handle(c)));
		free(sql);
		return NULL;
	}
	free(sql);
	slot = sc->n < CACHE ? sc->n++ : sc->next++ % CACHE;
	if (sc->stmt[slot])
		sqlite3_finalize(sc->stmt[slot]);
	sc->key[slot] = filters;
	sc->stmt[slot] = st;
	return (struct db_stmt *)st;
}

void
db_shapes_release(void *shapes)
{
	struct shape_cache *sc = shapes;

	if (sc == NULL)
		return;
	for (int i = 0; i < sc->n; i++)
		sqlite3_finalize(sc->stmt[i]);
	free(sc);
}

void
db_shapes_reset(void *shapes)
{
	struct shape_cache *sc = shapes;

	for (int i = 0; sc && i < sc->n; i++)
		sqlite3_reset(sc->stmt[i]);
}
