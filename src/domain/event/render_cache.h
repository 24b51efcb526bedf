/*
 * The answers of GET /events/{id} as everyone sees them: the event, its
 * parties (masked), dispatches, timeline, attachments, extensions and visits,
 * rendered once and kept until a change to any of them. Reading one event
 * runs eight statements over 60 to 80 pages; a kept answer needs none of
 * them. Only what differs by reader is done each time: the scope check (and,
 * for a department, the dispatch check), the actions the reader may take and
 * the routing suggestion.
 *
 * Forgetting is driven by the database's change notices (db_watch): a row
 * of the event or of a table keyed by its event_id drops that event, a
 * change to categories, divisions or units (their names are in the answer)
 * drops everything (event_cache_attach in event.h starts it). An answer
 * read from a snapshot older than a drop of its event is never kept, and
 * one read before a drop of everything is never served (the sequence
 * numbers in render_cache_put and render_cache_get).
 */
#ifndef PINGAN_DOMAIN_EVENT_RENDER_CACHE_H
#define PINGAN_DOMAIN_EVENT_RENDER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "domain/event/event_internal.h"

struct render_cache;

/* db's cache, or NULL when none is attached. */
struct render_cache *render_cache_of(struct db *db);

/*
 * On a hit appends the kept text (an object still open, ready for
 * jw_resume_object) to out, fills *e with the event's loaded fields and
 * returns true.
 */
bool render_cache_get(struct render_cache *rc, int64_t id, bool en, struct ev *e,
    struct buf *out);
/* Keeps text for (id, en), read at change sequence seq (db_read_seq before the first read). */
void render_cache_put(struct render_cache *rc, int64_t id, bool en, uint64_t seq,
    const struct ev *e, const char *text, size_t len);

/* The tables the cache is told about: every table an answer reads (a test checks it). */
const struct db_watch_table *render_cache_tables(size_t *n);

#endif
