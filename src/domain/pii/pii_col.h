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
/* Binds the blind index of value at idx; NULL or "" binds NULL. */
void pii_bind_index(struct db_stmt *s, int idx, enum pii_kind kind, const char *value);
/* The column's value masked, or clear when reveal; JSON null when NULL or unreadable. */
json_t *pii_col_json(struct db_stmt *s, int col, enum pii_kind kind, bool reveal);
/* The same, written under key into w. */
void pii_col_write(struct jw *w, const char *key, struct db_stmt *s, int col, enum pii_kind kind,
    bool reveal);

#endif
