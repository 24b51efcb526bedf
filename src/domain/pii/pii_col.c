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

json_t *
pii_col_json(struct db_stmt *s, int col, enum pii_kind kind, bool reveal)
{
	size_t n;
	const void *p = db_col_blob(s, col, &n);
	char *clear = NULL, masked[256];
	json_t *v;

	if (p == NULL || n == 0 || pii_decrypt(kind, p, n, &clear) != 0)
		return json_null();
	if (reveal) {
		v = json_string(clear);
	} else {
		pii_mask(kind, clear, masked, sizeof masked);
		v = json_string(masked);
	}
	sodium_memzero(clear, strlen(clear));
	free(clear);
	return v;
}
