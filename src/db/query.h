/*
 * Queries whose WHERE clause depends on which filters a request uses. The
 * SQL is assembled only from the constant fragments listed in query.c (no
 * value ever enters the text; every value is bound by parameter number),
 * and each distinct shape is prepared once per connection and cached, so
 * SQLite can plan each shape with the right index.
 */
#ifndef PINGAN_DB_QUERY_H
#define PINGAN_DB_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* Filters of the event list; the bit says the fragment is included. Parameter numbers are fixed. */
enum event_filter_bits {
	EVF_STATE = 1 << 0,        /* ?2 */
	EVF_CATEGORY = 1 << 1,     /* ?3 */
	EVF_CHANNEL = 1 << 2,      /* ?4 */
	EVF_DIVISION = 1 << 3,     /* ?5 path, ?18 end of the path range */
	EVF_UNIT = 1 << 4,         /* ?6 lead unit */
	EVF_URGENCY = 1 << 5,      /* ?7 */
	EVF_COLOR = 1 << 6,        /* ?8 */
	EVF_SUPERVISED = 1 << 7,   /* ?9 */
	EVF_BACKLOG = 1 << 8,      /* ?10 */
	EVF_KIND = 1 << 9,         /* ?11 */
	EVF_FROM = 1 << 10,        /* ?12 */
	EVF_TO = 1 << 11,          /* ?13 */
	EVF_UNIT_BOUND = 1 << 12,  /* ?14 the handler's unit: only events dispatched to it */
	EVF_FTS = 1 << 13,         /* ?16 FTS5 phrase */
	EVF_LIKE = 1 << 14,        /* ?17 short text */
	EVF_INBOX_ACCEPT = 1 << 15,   /* ?20 county-wide */
	EVF_INBOX_DISPATCH = 1 << 16, /* ?20 */
	EVF_INBOX_SIGN = 1 << 17,     /* ?21 unit (0: any) */
	EVF_INBOX_HANDLING = 1 << 18, /* ?21 */
	EVF_INBOX_VERIFY = 1 << 19,
	EVF_INBOX_VISIT = 1 << 20,
	EVF_INBOX_SAMPLE = 1 << 21,
	EVF_OPEN = 1 << 22,        /* not closed, rejected or merged */
	EVF_COUNT = 1 << 30,       /* count(*) instead of rows */
};

/*
 * The event list statement for these filters: summary columns of events
 * with id < ?1, newest first, at most ?15 rows (or count(*) with EVF_COUNT).
 */
struct db_stmt *db_event_query(struct db_conn *c, uint32_t filters);

#endif
