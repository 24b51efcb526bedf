/*
 * Personal data at rest and in responses (DESIGN.md section 4): names, ID
 * numbers, phone numbers and addresses are stored encrypted, found by a
 * keyed blind index, and shown masked in every response.
 *
 * Stored format of a ciphertext (PII_OVERHEAD bytes more than the value):
 *
 *   version (1 byte, PII_VERSION) | nonce (24 bytes, random per value) |
 *   XChaCha20-Poly1305-IETF ciphertext | tag (16 bytes)
 *
 * The associated data is the version byte followed by the field name of the
 * kind ("name", "id_number", "phone", "address"), so a ciphertext copied into
 * another column, or relabelled with another version, fails to decrypt. Those
 * field names are part of the stored format: never rename them. The version
 * byte lets a later key rotation tell old values from new ones.
 *
 * The blind index is HMAC-SHA256(index key, field name | 0x00 | normalised
 * value) cut to PII_INDEX_BYTES. Normalisation, shared by index and mask:
 *   - every kind: leading and trailing white space removed (ASCII white
 *     space and the ideographic space U+3000);
 *   - PII_ID_NUMBER: the canonical 18 characters of idnum_normalize() when
 *     valid (trailing 'x' upper-cased); otherwise the trimmed text with ASCII
 *     letters upper-cased (text of 64 bytes or more: the trimmed text);
 *   - PII_PHONE: the bare 11 digits of mobile_check() when valid ("+86" or
 *     "86" dropped); otherwise the trimmed text;
 *   - PII_NAME, PII_ADDRESS: the trimmed text.
 * The field name keeps equal text in two columns from having equal indexes.
 *
 * The keys are process-wide, set once at start-up from the data directory's
 * key file (KEY_PII_ENCRYPT and KEY_PII_INDEX). sodium_init() must have run.
 * Clear text is never logged here; callers must not log it either.
 */
#ifndef PINGAN_DOMAIN_PII_H
#define PINGAN_DOMAIN_PII_H

#include <stddef.h>
#include <stdint.h>

enum pii_kind { PII_NAME, PII_ID_NUMBER, PII_PHONE, PII_ADDRESS, PII_SECRET };

#define PII_KEY_BYTES 32
#define PII_INDEX_BYTES 16
#define PII_VERSION 0x01
#define PII_NONCE_BYTES 24
#define PII_TAG_BYTES 16
/* Bytes a ciphertext has beyond the value: version, nonce and tag. */
#define PII_OVERHEAD (1 + PII_NONCE_BYTES + PII_TAG_BYTES)

/*
 * Sets the two keys (32 bytes each, copied) used by every call below. Call
 * once at start-up, before any thread serves requests.
 */
void pii_set_keys(const uint8_t enc_key[PII_KEY_BYTES],
    const uint8_t index_key[PII_KEY_BYTES]);

/*
 * Encrypts the NUL-terminated value (stored as given: callers store the
 * canonical form of ID and phone numbers). On success returns 0 and *out
 * holds version|nonce|ciphertext|tag, *outlen (strlen(value) + PII_OVERHEAD)
 * bytes, malloc'd; the caller frees it. Returns ERR_INTERNAL when the keys
 * were never set or the value is impossibly long, with *out NULL and
 * *outlen 0.
 */
int pii_encrypt(enum pii_kind kind, const char *value, uint8_t **out,
    size_t *outlen);

/*
 * Decrypts inlen bytes from pii_encrypt() of the same kind. On success
 * returns 0 and *out is the NUL-terminated value, malloc'd; the caller
 * frees it (after sodium_memzero() if it lingers). Returns ERR_INVALID,
 * with *out NULL, when the input is short, of an unknown version, tampered
 * with, encrypted under another key or for another kind; ERR_INTERNAL when
 * the keys were never set.
 */
int pii_decrypt(enum pii_kind kind, const uint8_t *in, size_t inlen,
    char **out);

/*
 * Writes the blind index of the normalised value (see above) into out:
 * "...x" and "...X", "+8613800138000" and "13800138000" give the same
 * index. value must not be NULL.
 */
void pii_index(enum pii_kind kind, const char *value,
    uint8_t out[PII_INDEX_BYTES]);

/*
 * Copies value without the white space every kind's normalisation drops
 * (ASCII and U+3000, leading and trailing) into out (n > 0 bytes, cut to
 * fit): a value stored this way is exactly what its blind index covers.
 */
void pii_trim_copy(const char *value, char *out, size_t n);

/*
 * Writes the masked form shown in every response into out (n bytes, always
 * NUL-terminated when n > 0). The value is normalised first.
 *   PII_ID_NUMBER  first 6 and last 4 visible: "330824********123X"; input
 *                  that is not 18 characters becomes stars (idnum_mask()).
 *   PII_PHONE      "138****5678"; an invalid number becomes stars
 *                  (mobile_mask()).
 *   PII_NAME       first character, then one '*' per remaining character:
 *                  "王**", "王*"; a one-character name becomes "*" so that
 *                  no name is ever shown whole.
 *   PII_ADDRESS    the first 6 characters, then "****"; an address of 6
 *                  characters or fewer shows only its first half (rounded
 *                  down) before "****", so that none is shown whole.
 * Characters are UTF-8 code points; a byte that is not part of valid UTF-8
 * counts as one character and is shown as '?'. When out is too small the
 * result is cut before the first character that does not fit, never inside
 * one. NULL or empty (after trimming) gives "".
 */
void pii_mask(enum pii_kind kind, const char *value, char *out, size_t n);

#endif
