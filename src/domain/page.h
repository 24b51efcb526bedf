/*
 * Keyset pages (DESIGN.md section 4: ?limit= and ?cursor=): every list runs
 * its statement with LIMIT limit+1 and turns rows into JSON with one
 * function; the extra row only says that a next page exists.
 */
#ifndef PINGAN_DOMAIN_PAGE_H
#define PINGAN_DOMAIN_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "base/json_write.h"
#include "db/db.h"

/* Makes the JSON of the current row (new reference) and says its key (column 0 by default). */
typedef json_t *(*page_row_fn)(struct db_stmt *s, void *ctx);

/*
 * Steps s (bound with LIMIT limit+1), appending row(s, ctx) for up to limit
 * rows into a new array *rows (caller owns). *next is the key (column 0) of
 * the last row when more follow, else 0. 0 or a storage error (no array then).
 */
int page_collect(struct db_stmt *s, int limit, page_row_fn row, void *ctx, json_t **rows,
    int64_t *next);

/* Writes the current row as one value (key NULL) of the open array. */
typedef void (*page_write_fn)(struct jw *w, struct db_stmt *s, void *ctx);
/* As page_collect, writing the rows into the array open in w. */
int page_write(struct db_stmt *s, int limit, page_write_fn row, void *ctx, struct jw *w,
    int64_t *next);

#endif
