#include "domain/pii/pii.h"

#include <assert.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/err.h"
#include "base/idnum.h"
#include "base/mobile.h"

static uint8_t enc_key[PII_KEY_BYTES];
/* HMAC state after absorbing the index key: each index copies it instead of rehashing the key. */
static crypto_auth_hmacsha256_state index_keyed;
static bool keys_set;

/*
 * Nonces come from a per-thread pool refilled from the kernel's generator:
 * nonces are stored in clear beside each ciphertext and only have to be
 * unique, and one getrandom() call per 170 of them instead of one per field
 * took 5 % of a CSV import. pingan never forks, so no two processes can
 * share a pool.
 */
#define NONCE_POOL (170 * PII_NONCE_BYTES)
static _Thread_local struct {
	uint8_t bytes[NONCE_POOL];
	size_t used;
} nonce_pool = { .used = NONCE_POOL };

static void
next_nonce(uint8_t out[PII_NONCE_BYTES])
{
	if (nonce_pool.used == NONCE_POOL) {
		randombytes_buf(nonce_pool.bytes, NONCE_POOL);
		nonce_pool.used = 0;
	}
	memcpy(out, nonce_pool.bytes + nonce_pool.used, PII_NONCE_BYTES);
	nonce_pool.used += PII_NONCE_BYTES;
}

/* Field names: bound into every ciphertext and index, so part of the stored format. */
static const char *const field_names[] = {
	[PII_NAME] = "name",
	[PII_ID_NUMBER] = "id_number",
	[PII_PHONE] = "phone",
	[PII_ADDRESS] = "address",
	[PII_SECRET] = "totp_secret",
};

#define AD_MAX 16	/* version byte + the longest field name */

/* Characters an address mask shows before "****". */
#define ADDRESS_VISIBLE 6

static const char *
field_name(enum pii_kind kind)
{
	assert((size_t)kind < sizeof field_names / sizeof field_names[0]);
	return field_names[kind];
}

void
pii_set_keys(const uint8_t enc[PII_KEY_BYTES], const uint8_t idx[PII_KEY_BYTES])
{
	memcpy(enc_key, enc, sizeof enc_key);
	crypto_auth_hmacsha256_init(&index_keyed, idx, PII_KEY_BYTES);
	keys_set = true;
}

/* The associated data of a kind: PII_VERSION then the field name. Returns its length. */
static size_t
make_ad(enum pii_kind kind, uint8_t ad[AD_MAX])
{
	const char *name = field_name(kind);
	size_t len = strlen(name);

	assert(len + 1 <= AD_MAX);
	ad[0] = PII_VERSION;
	memcpy(ad + 1, name, len);
	return len + 1;
}

int
pii_encrypt(enum pii_kind kind, const char *value, uint8_t **out, size_t *outlen)
{
	uint8_t ad[AD_MAX], *c;
	size_t adlen, mlen;
	unsigned long long clen;

	assert(value != NULL && out != NULL && outlen != NULL);
	*out = NULL;
	*outlen = 0;
	mlen = strlen(value);
	if (!keys_set || mlen > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    mlen > SIZE_MAX - PII_OVERHEAD)
		return ERR_INTERNAL;
	adlen = make_ad(kind, ad);
	c = xmalloc(mlen + PII_OVERHEAD);
	c[0] = PII_VERSION;
	next_nonce(c + 1);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(c + 1 + PII_NONCE_BYTES, &clen,
	    (const unsigned char *)value, mlen, ad, adlen, NULL, c + 1, enc_key) != 0 ||
	    clen != mlen + PII_TAG_BYTES) {
		free(c);
		return ERR_INTERNAL;
	}
	*out = c;
	*outlen = mlen + PII_OVERHEAD;
	return 0;
}

int
pii_decrypt(enum pii_kind kind, const uint8_t *in, size_t inlen, char **out)
{
	uint8_t ad[AD_MAX];
	unsigned char *m = NULL;
	unsigned long long got;
	size_t adlen, mlen;
	int rc = ERR_INVALID;

	assert(out != NULL);
	*out = NULL;
	if (!keys_set)
		return ERR_INTERNAL;
	if (in == NULL || inlen < PII_OVERHEAD || in[0] != PII_VERSION)
		return ERR_INVALID;
	adlen = make_ad(kind, ad);
	mlen = inlen - PII_OVERHEAD;
	m = xmalloc(mlen + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(m, &got, NULL,
	    in + 1 + PII_NONCE_BYTES, inlen - 1 - PII_NONCE_BYTES, ad, adlen,
	    in + 1, enc_key) != 0)
		goto out;
	/* A value came from a C string: an embedded NUL means it is not ours. */
	if (got != mlen || memchr(m, '\0', mlen) != NULL)
		goto out;
	m[mlen] = '\0';
	*out = (char *)m;
	m = NULL;
	rc = 0;
out:
	if (m != NULL) {
		sodium_memzero(m, mlen + 1);
		free(m);
	}
	return rc;
}

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 when the byte at s
 * does not start one (stray continuation, overlong form, surrogate, beyond
 * U+10FFFF, cut short). s[0] must not be NUL; the NUL terminator stops the
 * look-ahead because it is never a continuation byte.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* Bytes of the character at s: its UTF-8 length, or 1 for an invalid byte. */
static size_t
char_len(const char *s)
{
	size_t n = utf8_len((const unsigned char *)s);

	return n == 0 ? 1 : n;
}

/* Bytes of white space (ASCII or U+3000 ideographic space) at s, 0 if none. */
static size_t
space_len(const char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	/* Byte by byte: the NUL terminator stops the look-ahead. */
	if ((unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

/* A stretch of a string: not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

/* s without leading and trailing white space. */
static struct span
trim(const char *s)
{
	struct span t;
	const char *end = NULL;
	size_t k;

	while ((k = space_len(s)) > 0)
		s += k;
	t.p = s;
	for (const char *q = s; *q != '\0'; ) {
		if ((k = space_len(q)) > 0) {
			q += k;
		} else {
			q += char_len(q);
			end = q;
		}
	}
	t.len = end == NULL ? 0 : (size_t)(end - s);
	return t;
}

/* Copies sp into dst (size n > 0) as a string, cut to fit; sp may lie in dst. */
static void
span_copy(struct span sp, char *dst, size_t n)
{
	size_t k = sp.len < n - 1 ? sp.len : n - 1;

	memmove(dst, sp.p, k);
	dst[k] = '\0';
}

void
pii_trim_copy(const char *value, char *out, size_t n)
{
	span_copy(trim(value), out, n);
}

/* Room enough for a trimmed ID or phone number with some junk around it. */
#define NORM_SIZE 64

/*
 * The normalised form of value for kind (see pii.h), as a span into either
 * value or buf (NORM_SIZE bytes).
 */
static struct span
normalize(enum pii_kind kind, const char *value, char buf[NORM_SIZE])
{
	struct span t = trim(value);
	char tmp[NORM_SIZE];

	if (kind != PII_ID_NUMBER && kind != PII_PHONE)
		return t;
	if (t.len >= NORM_SIZE)
		return t;
	span_copy(t, tmp, sizeof tmp);
	if (kind == PII_PHONE) {
		if (mobile_check(tmp, buf) != MSG_NONE)
			return t;
	} else if (idnum_normalize(tmp, buf, NULL) != MSG_NONE) {
		memcpy(buf, tmp, t.len + 1);
		for (size_t i = 0; i < t.len; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] = (char)(buf[i] - 'a' + 'A');
		return (struct span){ buf, t.len };
	}
	return (struct span){ buf, strlen(buf) };
}

void
pii_index(enum pii_kind kind, const char *value, uint8_t out[PII_INDEX_BYTES])
{
	crypto_auth_hmacsha256_state st;
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
	char buf[NORM_SIZE];
	const char *name = field_name(kind);
	struct span v;

	assert(keys_set && value != NULL);
	v = normalize(kind, value, buf);
	st = index_keyed;
	/* The name with its NUL: "name" | value can never read as another field's input. */
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)name, strlen(name) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)v.p, v.len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, mac, PII_INDEX_BYTES);
	sodium_memzero(mac, sizeof mac);
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(&st, sizeof st);
}

/* A fixed output buffer that takes whole pieces only: the first that does not fit ends it. */
struct sink {
	char *p;
	size_t n, len;
	bool full;
};

static void
sink_add(struct sink *o, const char *s, size_t k)
{
	if (o->full || k >= o->n - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, k);
	o->len += k;
	o->p[o->len] = '\0';
}

/* Copies the first count characters of sp, an invalid byte as '?'. */
static void
sink_chars(struct sink *o, struct span sp, size_t count)
{
	const char *q = sp.p;

	for (size_t i = 0; i < count && q < sp.p + sp.len; i++) {
		size_t k = utf8_len((const unsigned char *)q);

		if (k == 0)
			sink_add(o, "?", 1);
		else
			sink_add(o, q, k);
		q += k == 0 ? 1 : k;
	}
}

static void
sink_stars(struct sink *o, size_t count)
{
	for (size_t i = 0; i < count; i++)
		sink_add(o, "*", 1);
}

static size_t
count_chars(struct span sp)
{
	size_t count = 0;

	for (const char *q = sp.p; q < sp.p + sp.len; q += char_len(q))
		count++;
	return count;
}

static bool
is_ascii(struct span sp)
{
	for (size_t i = 0; i < sp.len; i++)
		if ((unsigned char)sp.p[i] >= 0x80)
			return false;
	return true;
}

static void
mask_text(enum pii_kind kind, struct span v, struct sink *o)
{
	size_t count = count_chars(v), shown;

	if (count == 0)
		return;
	if (kind == PII_NAME) {
		shown = count > 1 ? 1 : 0;
		sink_chars(o, v, shown);
		sink_stars(o, count - shown);
		return;
	}
	shown = count > ADDRESS_VISIBLE ? ADDRESS_VISIBLE : count / 2;
	sink_chars(o, v, shown);
	sink_add(o, "****", 4);
}

void
pii_mask(enum pii_kind kind, const char *value, char *out, size_t n)
{
	struct sink o = { out, n, 0, false };
	char buf[NORM_SIZE], masked[IDNUM_SIZE > MOBILE_SIZE ? IDNUM_SIZE : MOBILE_SIZE];
	struct span v;

	assert((size_t)kind < sizeof field_names / sizeof field_names[0]);
	if (n == 0)
		return;
	out[0] = '\0';
	if (value == NULL)
		return;
	if (kind == PII_SECRET) {
		/* A secret is never shown, not even in part. */
		sink_stars(&o, 6);
		return;
	}
	v = normalize(kind, value, buf);
	if (kind == PII_NAME || kind == PII_ADDRESS) {
		mask_text(kind, v, &o);
		return;
	}
	if (!is_ascii(v)) {
		/* No ID or phone number: idnum_mask() and mobile_mask() work on bytes and would cut characters. */
		size_t cap = kind == PII_ID_NUMBER ? IDNUM_LEN : MOBILE_LEN, count = count_chars(v);

		sink_stars(&o, count < cap ? count : cap);
		return;
	}
	/* A span longer than buf is no ID or phone number: its cut copy masks to stars all the same. */
	span_copy(v, buf, sizeof buf);
	if (kind == PII_ID_NUMBER)
		idnum_mask(buf, masked);
	else
		mobile_mask(buf, masked);
	sink_chars(&o, (struct span){ masked, strlen(masked) }, sizeof masked);
	sodium_memzero(buf, sizeof buf);
}
