#include "domain/pii/pii_col.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"

int
pii_seal(enum pii_kind kind, const char *value, bool with_index, struct pii_sealed *out)
{
	out->ct = NULL;
	out->n = 0;
	if (value == NULL || *value == '\0')
		return 0;
	if (pii_encrypt(kind, value, &out->ct, &out->n) != 0)
		return ERR_INTERNAL;
	if (with_index)
		pii_index(kind, value, out->index);
	return 0;
}

void
pii_bind_sealed(struct db_stmt *s, int idx, const struct pii_sealed *v)
{
	if (v->ct)
		db_bind_blob(s, idx, v->ct, v->n);
	else
		db_bind_null(s, idx);
}

void
pii_bind_sealed_index(struct db_stmt *s, int idx, const struct pii_sealed *v)
{
	if (v->ct)
		db_bind_blob(s, idx, v->index, PII_INDEX_BYTES);
	else
		db_bind_null(s, idx);
}

void
pii_sealed_release(struct pii_sealed *v)
{
	free(v->ct);
	v->ct = NULL;
	v->n = 0;
}

int
pii_bind(struct db_stmt *s, int idx, enum pii_kind kind, const char *value)
{
	struct pii_sealed v;

	if (pii_seal(kind, value, false, &v) != 0)
		return ERR_INTERNAL;
	pii_bind_sealed(s, idx, &v);
	pii_sealed_release(&v);
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
