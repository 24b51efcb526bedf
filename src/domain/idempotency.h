/*
 * Idempotency-Key (DESIGN.md section 4): a phone that retries a POST after
 * a lost answer must not create anything twice. The answer to the first
 * request is kept for a day under (user, key) and replayed for a retry.
 * Event intake records its key in the same transaction as the event; other
 * routes record it right after their own commit.
 */
#ifndef PINGAN_DOMAIN_IDEMPOTENCY_H
#define PINGAN_DOMAIN_IDEMPOTENCY_H

#include <stdint.h>

#include "db/db.h"

/* Keys are kept this long. */
#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/* 1 and the stored answer (*body: caller frees) when known; 0 when not; <0 on error. */
int idempotency_lookup(struct db *db, int64_t user_id, const char *key, char *route, size_t n,
    int *status, char **body, char *location, size_t locn);
/* Stores an answer and its Location (may be "") (a key stored meanwhile is left as it is). */
int idempotency_store(struct db *db, int64_t user_id, const char *key, const char *route,
    int status, const char *body, const char *location);
/*
 * Binds this thread's request to a key: the first write transaction that
 * commits while bound also records the key (status 0, "answer pending"),
 * so that a retry after a crash between the commit and the answer is
 * recognised instead of run twice. idempotency_store() then fills in the
 * answer. Unbind when the request ends.
 */
void idempotency_bind(int64_t user_id, const char *key, const char *route);
void idempotency_unbind(void);
/* Called inside a write transaction about to commit (txn_finish). */
int idempotency_record_pending(struct db_conn *w);
/* Deletes keys older than the TTL. */
int idempotency_purge(struct db *db, int64_t now);

#endif
