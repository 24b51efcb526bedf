/*
 * The secret key file of a data directory: 32 random bytes, mode 0600,
 * kept outside the database so that a copied database file alone reveals
 * no personal data and cannot re-forge the audit chain. Purpose keys are
 * derived from it with libsodium's KDF, one id per purpose.
 */
#ifndef PINGAN_BASE_KEYFILE_H
#define PINGAN_BASE_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define KEYFILE_BYTES 32

enum key_purpose {
	KEY_AUDIT_MAC = 1,    /* HMAC of the audit chain */
	KEY_PII_ENCRYPT = 2,  /* XChaCha20-Poly1305 for personal data at rest */
	KEY_PII_INDEX = 3,    /* keyed blind index for exact lookup */
};

/* Creates a new key file (fails with ERR_CONFLICT if it exists). */
int keyfile_create(const char *path);
/* Loads the master key; refuses a file readable by group or others. */
int keyfile_load(const char *path, uint8_t master[KEYFILE_BYTES], char *err, size_t errlen);
/* Derives the 32-byte key for a purpose. */
void keyfile_derive(const uint8_t master[KEYFILE_BYTES], enum key_purpose p,
    uint8_t out[KEYFILE_BYTES]);

#endif
