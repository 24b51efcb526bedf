/*
 * The audit trail (DESIGN.md section 4): every change, sign-in, failed
 * sign-in, sign-out and reveal of personal data is one row, written in the
 * same transaction as the change and chained to the row before it by a
 * keyed hash. Rows never hold personal data in clear.
 */
#ifndef PINGAN_DOMAIN_AUDIT_H
#define PINGAN_DOMAIN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "domain/actor.h"

#define AUDIT_HASH_BYTES 32

/* Sets the chain key (derived from the data directory's key file). Must be called before writes. */
void audit_set_key(const uint8_t key[32]);

/*
 * Appends a row inside the caller's write transaction w. detail is a JSON
 * object as text (NULL: "{}"). Returns 0 or a storage error; on error the
 * caller rolls back.
 */
int audit_write(struct db_conn *w, const struct actor *who, const char *action,
    const char *entity, const char *entity_id, const char *detail);

struct audit_check {
	int64_t rows;          /* rows checked */
	int64_t first_bad_id;  /* 0 when the chain is intact */
	char why[160];
};

/* Walks the whole chain. 0 when intact, ERR_CONFLICT with r->first_bad_id and r->why when not. */
int audit_verify(struct db *db, struct audit_check *r);

struct audit_filter {
	int64_t actor_id;      /* 0: any */
	const char *action;    /* "": any */
	const char *entity;
	const char *entity_id;
	int64_t from_ms, to_ms;
	int64_t cursor;        /* list rows with id below this; 0: from the newest */
	int limit;
};

/* Newest first. *rows is a new JSON array the caller owns; *next is the cursor for the next page or 0. */
int audit_list(struct db *db, const struct audit_filter *f, json_t **rows, int64_t *next);

/*
 * Writes every row matching f (newest first) as CSV into out, and one audit
 * row recording the export itself. 0 or a storage error.
 */
int audit_export_csv(struct db *db, const struct actor *who, const struct audit_filter *f,
    struct buf *out);

#endif
