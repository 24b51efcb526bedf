/*
 * Personal data: pii_decrypt() of arbitrary bytes (a tampered or foreign
 * ciphertext in the database), pii_mask() and pii_index() of arbitrary
 * text (what a reporter typed). Checks: forged ciphertexts never decrypt;
 * an encrypted value decrypts to itself; a mask is valid UTF-8 when its
 * input is, fits its buffer, and never shows a name, ID or phone whole.
 *
 * Input: one byte picks the kind and the mask buffer size, the rest is
 * the value (and, as bytes, the ciphertext).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "domain/pii/pii.h"
#include "support/fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t k1[PII_KEY_BYTES], k2[PII_KEY_BYTES];

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	memset(k1, 1, sizeof k1);
	memset(k2, 2, sizeof k2);
	pii_set_keys(k1, k2);
	return 0;
}

static void
check_mask(enum pii_kind kind, const char *value, size_t n)
{
	char *out = malloc(n + 1);
	size_t len;

	FUZZ_CHECK(out != NULL, "malloc");
	out[n] = 'Z';
	pii_mask(kind, value, out, n);
	FUZZ_CHECK(out[n] == 'Z', "pii_mask wrote past %zu bytes", n);
	if (n == 0) {
		free(out);
		return;
	}
	len = strnlen(out, n);
	FUZZ_CHECK(len < n, "mask not terminated within %zu bytes", n);
	FUZZ_CHECK(utf8_is_clean_text(out, len) || !utf8_is_clean_text(value, strlen(value)),
	    "mask of clean text is not clean UTF-8");
	if (*value && strlen(value) > 1 && len > 0 && strchr(value, '*') == NULL &&
	    utf8_is_clean_text(value, strlen(value)) && strspn(value, " \t\r\n") == 0)
		FUZZ_CHECK(strcmp(out, value) != 0, "value shown whole by the mask: %s", out);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pii_kind kind;
	uint8_t idx1[PII_INDEX_BYTES], idx2[PII_INDEX_BYTES];
	uint8_t *ct;
	size_t ctlen;
	char *value, *plain = NULL;
	int rc;

	if (size < 1)
		return 0;
	kind = (enum pii_kind)(data[0] % 4);
	value = fuzz_cstr(data + 1, size - 1);
	/* Arbitrary bytes must not decrypt under any kind. */
	for (int k = 0; k < 4; k++) {
		rc = pii_decrypt((enum pii_kind)k, data + 1, size - 1, &plain);
		FUZZ_CHECK(rc != 0 && plain == NULL, "forged ciphertext decrypted");
	}
	check_mask(kind, value, (size_t)(data[0] >> 2));
	check_mask(kind, value, 64);
	pii_index(kind, value, idx1);
	pii_index(kind, value, idx2);
	FUZZ_CHECK(memcmp(idx1, idx2, sizeof idx1) == 0, "index not deterministic");
	FUZZ_CHECK(pii_encrypt(kind, value, &ct, &ctlen) == 0, "pii_encrypt failed");
	FUZZ_CHECK(ctlen == strlen(value) + PII_OVERHEAD, "ciphertext of %zu bytes", ctlen);
	FUZZ_CHECK(pii_decrypt(kind, ct, ctlen, &plain) == 0 && strcmp(plain, value) == 0,
	    "round trip failed");
	free(plain);
	plain = NULL;
	FUZZ_CHECK(pii_decrypt((enum pii_kind)((kind + 1) % 4), ct, ctlen, &plain) != 0,
	    "decrypted as another kind");
	if (ctlen > PII_OVERHEAD) {
		ct[ctlen - 1] ^= 1;
		FUZZ_CHECK(pii_decrypt(kind, ct, ctlen, &plain) != 0, "tampered tag accepted");
	}
	free(ct);
	free(value);
	return 0;
}
