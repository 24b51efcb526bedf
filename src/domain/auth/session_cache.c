/*
 * Kept sessions (session_cache.h). A direct-mapped table by token hash.
 * Staleness is decided when an entry is read, not by finding it when a
 * notice comes: each user falls in one of a fixed number of buckets that
 * remember the newest notice about any of their users, and an entry read
 * before that notice (or before a notice about everything) is not used.
 */
#include "domain/auth/session_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/err.h"
#include "domain/auth/auth.h"

#define SLOTS 1024
#define STRIPES 32
#define USER_BUCKETS 1024

struct slot {
	bool used;
	uint8_t hash[crypto_hash_sha256_BYTES];
	uint64_t seq;              /* the change sequence it was read at */
	struct session_seen seen;
};

struct session_cache {
	struct slot slots[SLOTS];
	pthread_mutex_t locks[STRIPES];
	_Atomic uint64_t user_dropped_at[USER_BUCKETS];
	_Atomic uint64_t all_dropped_at;
};

static size_t
slot_of(const uint8_t *hash)
{
	size_t v;

	/* The hash is uniform: its first bytes are as good an index as any. */
	memcpy(&v, hash, sizeof v);
	return v % SLOTS;
}

static _Atomic uint64_t *
bucket_of(struct session_cache *sc, int64_t user_id)
{
	return &sc->user_dropped_at[(uint64_t)user_id % USER_BUCKETS];
}

/* The change notice of one write transaction (db_watch); runs on the writer, which orders them. */
static void
on_changed(void *arg, const int64_t *keys, size_t n, bool all, uint64_t seq)
{
	struct session_cache *sc = arg;

	if (all)
		atomic_store(&sc->all_dropped_at, seq);
	for (size_t i = 0; i < n; i++)
		atomic_store(bucket_of(sc, keys[i]), seq);
}

static void
cache_free(void *arg)
{
	struct session_cache *sc = arg;

	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&sc->locks[i]);
	/* The clear copies of identities go with it. */
	sodium_memzero(sc->slots, sizeof sc->slots);
	free(sc);
}

/* Everything resolving a session reads, each keyed by the user it concerns. */
static const struct db_watch_table watched[] = {
	{ "sessions", "user_id" },
	{ "users", NULL },
	{ "user_grids", "user_id" },
	{ "divisions", "*" },
	{ "units", "*" },
};

const struct db_watch_table *
session_cache_tables(size_t *n)
{
	*n = sizeof watched / sizeof watched[0];
	return watched;
}

int
session_cache_attach(struct db *db)
{
	struct session_cache *sc = xcalloc(1, sizeof *sc);
	int rc;

	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&sc->locks[i], NULL);
	rc = db_watch(db, watched, sizeof watched / sizeof watched[0], on_changed, cache_free, sc);
	if (rc != 0)
		cache_free(sc);
	return rc;
}

struct session_cache *
session_cache_of(struct db *db)
{
	return db_watcher_arg(db, on_changed);
}

bool
session_cache_get(struct session_cache *sc, const uint8_t hash[crypto_hash_sha256_BYTES],
    struct session_seen *out)
{
	size_t i = slot_of(hash);
	const struct slot *s = &sc->slots[i];
	bool hit = false;

	pthread_mutex_lock(&sc->locks[i % STRIPES]);
	if (s->used && memcmp(s->hash, hash, sizeof s->hash) == 0 &&
	    s->seq >= atomic_load(&sc->all_dropped_at) &&
	    s->seq >= atomic_load(bucket_of(sc, s->seen.user_id))) {
		*out = s->seen;
		hit = true;
	}
	pthread_mutex_unlock(&sc->locks[i % STRIPES]);
	return hit;
}

void
session_cache_put(struct session_cache *sc, const uint8_t hash[crypto_hash_sha256_BYTES],
    uint64_t seq, const struct session_seen *seen)
{
	size_t i = slot_of(hash);
	struct slot *s = &sc->slots[i];

	pthread_mutex_lock(&sc->locks[i % STRIPES]);
	s->used = true;
	memcpy(s->hash, hash, sizeof s->hash);
	s->seq = seq;
	s->seen = *seen;
	pthread_mutex_unlock(&sc->locks[i % STRIPES]);
}
