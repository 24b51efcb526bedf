/*
 * Sessions as last resolved, so that a request does not look up its
 * session, its user and a grid worker's grids again (three statements and a
 * read transaction, about a third of a small read's time). Only what the
 * database said is kept: the expiries are checked against the clock on
 * every request, and the session is still touched once a minute.
 *
 * Forgetting is driven by the database's change notices (db_watch), per
 * user: any change to a row of sessions, users or user_grids of a user
 * makes every kept session of that user stale at once (a sign-out, a
 * disabled account, new roles or grids, a new password), and a change to
 * divisions or units (a moved scope) makes all of them stale. The notice is
 * given before the change is acknowledged, so the next request after a
 * sign-out is refused. Commits of another process (`pingan user disable`
 * while serving) are noticed within 0.2 s or at the next write
 * (db_read_seq). API tokens are not kept.
 */
#ifndef PINGAN_DOMAIN_AUTH_SESSION_CACHE_H
#define PINGAN_DOMAIN_AUTH_SESSION_CACHE_H

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"

struct session_cache;

/* What resolving a session found. */
struct session_seen {
	int64_t id, user_id, last_seen, expires;
	struct actor actor;      /* the user's identity, roles and scope */
};

struct session_cache *session_cache_of(struct db *db);
/* The tables the cache is told about: every table a session lookup reads (a test checks it). */
const struct db_watch_table *session_cache_tables(size_t *n);
/* True, with *out filled, when the session of token hash was kept and nothing of it changed since. */
bool session_cache_get(struct session_cache *sc, const uint8_t hash[crypto_hash_sha256_BYTES],
    struct session_seen *out);
/* Keeps what was read at change sequence seq (db_read_seq before the first read). */
void session_cache_put(struct session_cache *sc, const uint8_t hash[crypto_hash_sha256_BYTES],
    uint64_t seq, const struct session_seen *seen);

#endif
