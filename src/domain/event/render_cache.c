/*
 * The kept answers of event reads (render_cache.h). A set-associative
 * table: an event id picks a set of four ways, each way holds one event's
 * Chinese and English answers, and a fifth event in a full set takes the
 * way filled longest ago. Sets are guarded by striped locks, held only to
 * copy an answer in or out.
 */
#include "domain/event/render_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/err.h"
#include "domain/event/event.h"

/* Room for one answer on average; the sets' own memory is a small part of the budget. */
#define AVERAGE_ANSWER 2048
/* Four ways: a direct-mapped table lost a fifth of a thousand hot events to collisions. */
#define WAYS 4
#define STRIPES 64
/* An event with a very long history is rendered each time rather than crowding out others. */
#define ANSWER_MAX (64u * 1024)

struct answer {
	struct ev ev;
	uint64_t seq;              /* the change notice it was read at */
	size_t len;
	char text[];
};

struct way {
	int64_t id;                /* 0: empty */
	struct answer *lang[2];    /* [en] */
};

struct set {
	struct way way[WAYS];
	uint64_t dropped_at;       /* the notice that last dropped an event of this set */
	unsigned next;             /* the way to fill when all are taken */
};

struct render_cache {
	size_t nsets;
	struct set *sets;
	pthread_mutex_t locks[STRIPES];
	size_t budget;
	_Atomic size_t bytes;
	_Atomic size_t hand;       /* the next set to give up a way when over budget */
	_Atomic uint64_t all_dropped_at;
	_Atomic uint64_t hits, misses, entries;
};

static size_t
answer_size(const struct answer *a)
{
	return sizeof *a + a->len;
}

static size_t
set_of(const struct render_cache *rc, int64_t id)
{
	/* Fibonacci hashing: ids that differ by the table size still part. */
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 20) % rc->nsets;
}

static pthread_mutex_t *
lock_of(struct render_cache *rc, size_t set)
{
	return &rc->locks[set % STRIPES];
}

static struct way *
way_of(struct set *s, int64_t id)
{
	for (int i = 0; i < WAYS; i++)
		if (s->way[i].id == id)
			return &s->way[i];
	return NULL;
}

/* Takes one answer out of its way (the set's lock held); the caller frees it. */
static struct answer *
take_out(struct render_cache *rc, struct way *w, bool en)
{
	struct answer *a = w->lang[en];

	w->lang[en] = NULL;
	if (a) {
		atomic_fetch_sub(&rc->bytes, answer_size(a));
		atomic_fetch_sub(&rc->entries, 1);
	}
	if (!w->lang[!en])
		w->id = 0;
	return a;
}

/* Empties a way (the set's lock held); the answers are freed by the caller. */
static void
empty_way(struct render_cache *rc, struct way *w, struct answer *gone[2])
{
	gone[0] = take_out(rc, w, false);
	gone[1] = take_out(rc, w, true);
}

static void
drop_event(struct render_cache *rc, int64_t id, uint64_t seq)
{
	size_t i = set_of(rc, id);
	struct answer *gone[2] = { NULL, NULL };
	struct way *w;

	pthread_mutex_lock(lock_of(rc, i));
	if (seq > rc->sets[i].dropped_at)
		rc->sets[i].dropped_at = seq;
	if ((w = way_of(&rc->sets[i], id)) != NULL)
		empty_way(rc, w, gone);
	pthread_mutex_unlock(lock_of(rc, i));
	free(gone[0]);
	free(gone[1]);
}

/* Whether an answer was read before the last change to everything (it is then never served). */
static bool
stale(const struct render_cache *rc, const struct answer *a)
{
	return a->seq < atomic_load(&rc->all_dropped_at);
}

/*
 * The change notice of one write transaction (db_watch); runs on the writer.
 * A change to everything only moves all_dropped_at: the answers read before
 * it are freed as they are met, so that the writer does not walk and free a
 * whole cache (a gigabyte at the largest budget) while every write waits.
 */
static void
on_changed(void *arg, const int64_t *keys, size_t n, bool all, uint64_t seq)
{
	struct render_cache *rc = arg;

	if (all) {
		atomic_store(&rc->all_dropped_at, seq);
		return;
	}
	for (size_t k = 0; k < n; k++)
		drop_event(rc, keys[k], seq);
}

/* Everything read into an answer; event_id keys the rows of each event's own tables. */
static const struct db_watch_table watched[] = {
	{ "events", NULL },
	{ "event_parties", "event_id" },
	{ "dispatches", "event_id" },
	{ "timeline", "event_id" },
	{ "attachments", "event_id" },
	{ "extensions", "event_id" },
	{ "visits", "event_id" },
	{ "categories", "*" },
	{ "divisions", "*" },
	{ "units", "*" },
};

const struct db_watch_table *
render_cache_tables(size_t *n)
{
	*n = sizeof watched / sizeof watched[0];
	return watched;
}

/* With the db that owns it (db_watch), once no thread reads any more. */
static void
cache_free(void *arg)
{
	struct render_cache *rc = arg;

	for (size_t i = 0; i < rc->nsets; i++)
		for (int k = 0; k < WAYS; k++) {
			free(rc->sets[i].way[k].lang[0]);
			free(rc->sets[i].way[k].lang[1]);
		}
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&rc->locks[i]);
	free(rc->sets);
	free(rc);
}

int
event_cache_attach(struct db *db, size_t budget)
{
	struct render_cache *rc;
	int rc_err;

	if (budget == 0)
		return 0;
	rc = xcalloc(1, sizeof *rc);
	rc->budget = budget;
	rc->nsets = budget / AVERAGE_ANSWER / WAYS > 16 ? budget / AVERAGE_ANSWER / WAYS : 16;
	rc->sets = xcalloc(rc->nsets, sizeof *rc->sets);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&rc->locks[i], NULL);
	rc_err = db_watch(db, watched, sizeof watched / sizeof watched[0], on_changed, cache_free, rc);
	if (rc_err != 0)
		cache_free(rc);
	return rc_err;
}

struct render_cache *
render_cache_of(struct db *db)
{
	return db_watcher_arg(db, on_changed);
}

bool
render_cache_get(struct render_cache *rc, int64_t id, bool en, struct ev *e, struct buf *out)
{
	size_t i = set_of(rc, id);
	struct answer *a, *gone = NULL;
	struct way *w;
	bool hit = false;

	pthread_mutex_lock(lock_of(rc, i));
	w = way_of(&rc->sets[i], id);
	if (w && (a = w->lang[en]) != NULL) {
		if (stale(rc, a))
			gone = take_out(rc, w, en);
		else if (buf_add(out, a->text, a->len) == 0) {
			*e = a->ev;
			hit = true;
		}
	}
	pthread_mutex_unlock(lock_of(rc, i));
	free(gone);
	atomic_fetch_add(hit ? &rc->hits : &rc->misses, 1);
	return hit;
}

/*
 * Empties the way of s filled longest ago (its answers into gone, the set's
 * lock held) and returns it; NULL when s holds nothing.
 */
static struct way *
evict(struct render_cache *rc, struct set *s, struct answer *gone[2])
{
	for (unsigned k = 0; k < WAYS; k++) {
		struct way *w = &s->way[(s->next + k) % WAYS];

		if (w->id != 0) {
			s->next = (s->next + k + 1) % WAYS;
			empty_way(rc, w, gone);
			return w;
		}
	}
	return NULL;
}

/*
 * Frees ways, a set at a time round the table like a clock's hand, until
 * the answers fit the budget again. Without it a full cache would keep
 * whatever filled it first (the 201 answers of a burst of reports) and
 * refuse the events being read.
 */
static void
make_room(struct render_cache *rc)
{
	for (size_t tries = 0; tries < rc->nsets && atomic_load(&rc->bytes) > rc->budget; tries++) {
		size_t i = atomic_fetch_add(&rc->hand, 1) % rc->nsets;
		struct answer *gone[2] = { NULL, NULL };
		struct set *s = &rc->sets[i];

		pthread_mutex_lock(lock_of(rc, i));
		evict(rc, s, gone);
		pthread_mutex_unlock(lock_of(rc, i));
		free(gone[0]);
		free(gone[1]);
	}
}

/* A way of s with nothing that may be served: empty, or answers from before a drop of all. */
static struct way *
unused_way(const struct render_cache *rc, struct set *s)
{
	for (int k = 0; k < WAYS; k++) {
		struct way *w = &s->way[k];

		if ((!w->lang[0] || stale(rc, w->lang[0])) && (!w->lang[1] || stale(rc, w->lang[1])))
			return w;
	}
	return NULL;
}

/*
 * The way for id in s: its own, an unused one, or the one filled longest
 * ago; what it held goes into gone.
 */
static struct way *
way_for(struct render_cache *rc, struct set *s, int64_t id, struct answer *gone[2])
{
	struct way *w = way_of(s, id);

	if (w != NULL)
		return w;
	if ((w = unused_way(rc, s)) != NULL) {
		empty_way(rc, w, gone);
		return w;
	}
	return evict(rc, s, gone);
}

void
render_cache_put(struct render_cache *rc, int64_t id, bool en, uint64_t seq, const struct ev *e,
    const char *text, size_t len)
{
	size_t i = set_of(rc, id);
	struct answer *a, *gone[3] = { NULL, NULL, NULL };
	struct set *s;
	struct way *w;

	if (id == 0 || len > ANSWER_MAX)
		return;
	a = xmalloc(sizeof *a + len);
	a->ev = *e;
	a->seq = seq;
	a->len = len;
	memcpy(a->text, text, len);
	pthread_mutex_lock(lock_of(rc, i));
	s = &rc->sets[i];
	/* Read before a change the cache has already been told of: it may be stale. */
	if (seq < s->dropped_at || seq < atomic_load(&rc->all_dropped_at)) {
		gone[2] = a;
	} else {
		w = way_for(rc, s, id, gone);
		gone[2] = take_out(rc, w, en);
		w->id = id;
		w->lang[en] = a;
		atomic_fetch_add(&rc->bytes, answer_size(a));
		atomic_fetch_add(&rc->entries, 1);
	}
	pthread_mutex_unlock(lock_of(rc, i));
	free(gone[0]);
	free(gone[1]);
	free(gone[2]);
	/* Over budget: ways elsewhere are given up (the clock may take this one too, rarely). */
	if (atomic_load(&rc->bytes) > rc->budget)
		make_room(rc);
}

void
event_cache_stats(struct db *db, struct event_cache_stats *out)
{
	struct render_cache *rc = render_cache_of(db);

	memset(out, 0, sizeof *out);
	if (rc == NULL)
		return;
	out->hits = atomic_load(&rc->hits);
	out->misses = atomic_load(&rc->misses);
	out->entries = atomic_load(&rc->entries);
	out->bytes = atomic_load(&rc->bytes);
}
