/*
 * Personal data in and out of statements: the one place that binds a value
 * encrypted, binds its blind index, and turns a stored ciphertext into the
 * masked (or, for an audited reveal, clear) JSON string of a response.
 */
#ifndef PINGAN_DOMAIN_PII_COL_H
#define PINGAN_DOMAIN_PII_COL_H

#include <jansson.h>
#include <stdbool.h>

#include "base/json_write.h"
#include "db/db.h"
#include "domain/pii/pii.h"

/* Binds value encrypted at idx; NULL or "" binds NULL. 0 or ERR_INTERNAL (no keys). */
int pii_bind(struct db_stmt *s, int idx, enum pii_kind kind, const char *value);

/*
 * A value encrypted (and, when asked, indexed) ahead of its bind, so that
 * the work can be done away from the writer: an import seals its rows on a
 * thread of its own. ct is NULL for NULL or "", which bind as NULL.
 */
struct pii_sealed {
	uint8_t *ct;                        /* owned; pii_sealed_release frees it */
	size_t n;
	uint8_t index[PII_INDEX_BYTES];     /* when sealed with_index */
};
/* 0, or ERR_INTERNAL (no keys) with nothing to release. */
int pii_seal(enum pii_kind kind, const char *value, bool with_index, struct pii_sealed *out);
void pii_bind_sealed(struct db_stmt *s, int idx, const struct pii_sealed *v);
/* Its blind index (it must have been sealed with_index), or NULL for an empty value. */
void pii_bind_sealed_index(struct db_stmt *s, int idx, const struct pii_sealed *v);
void pii_sealed_release(struct pii_sealed *v);
/* Binds the blind index of value at idx; NULL or "" binds NULL. */
void pii_bind_index(struct db_stmt *s, int idx, enum pii_kind kind, const char *value);
/* The column's value masked, or clear when reveal; JSON null when NULL or unreadable. */
json_t *pii_col_json(struct db_stmt *s, int col, enum pii_kind kind, bool reveal);
/* The same, written under key into w. */
void pii_col_write(struct jw *w, const char *key, struct db_stmt *s, int col, enum pii_kind kind,
    bool reveal);

#endif
