#include "domain/pii/pii_col.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"

int
pii_bind(struct db_stmt *s, int idx, enum pii_kind kind, const char *value)
{
	uint8_t *ct;
	size_t n;

	if (value == NULL || *value == '\0') {
		db_bind_null(s, idx);
		return 0;
	}
	if (pii_encrypt(kind, value, &ct, &n) != 0)
		return ERR_INTERNAL;
	db_bind_blob(s, idx, ct, n);
	free(ct);
	return 0;
}

void
pii_bind_index(struct db_stmt *s, int idx, enum pii_kind kind, const char *value)
{
	uint8_t ix[PII_INDEX_BYTES];

	if (value == NULL || *value == '\0') {
		db_bind_null(s, idx);
		return;
	}
	pii_index(kind, value, ix);
	db_bind_blob(s, idx, ix, sizeof ix);
}

/*
 * The text an answer shows for the column: the clear value when reveal, else
 * its mask (written into masked). NULL when the column is NULL or cannot be
 * decrypted. *clear is set when something was decrypted; wipe_clear frees it.
 */
static const char *
col_text(struct db_stmt *s, int col, enum pii_kind kind, bool reveal, char **clear,
    char *masked, size_t n)
{
	size_t len;
	const void *p = db_col_blob(s, col, &len);

	*clear = NULL;
	if (p == NULL || len == 0 || pii_decrypt(kind, p, len, clear) != 0)
		return NULL;
	if (reveal)
		return *clear;
	pii_mask(kind, *clear, masked, n);
	return masked;
}

static void
wipe_clear(char *clear)
{
	if (clear == NULL)
		return;
	sodium_memzero(clear, strlen(clear));
	free(clear);
}

json_t *
pii_col_json(struct db_stmt *s, int col, enum pii_kind kind, bool reveal)
{
	char *clear, masked[256];
	const char *t = col_text(s, col, kind, reveal, &clear, masked, sizeof masked);
	json_t *v = t ? json_string(t) : json_null();

	wipe_clear(clear);
	return v;
}

void
pii_col_write(struct jw *w, const char *key, struct db_stmt *s, int col, enum pii_kind kind,
    bool reveal)
{
	char *clear, masked[256];

	jw_str(w, key, col_text(s, col, kind, reveal, &clear, masked, sizeof masked));
	wipe_clear(clear);
}
