#include "../../harness.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "domain/pii/pii.h"

/* Fixed test keys: every test sets them first, so order does not matter. */
static void
set_test_keys(uint8_t enc_fill, uint8_t index_fill)
{
	uint8_t enc[PII_KEY_BYTES], idx[PII_KEY_BYTES];

	memset(enc, enc_fill, sizeof enc);
	memset(idx, index_fill, sizeof idx);
	pii_set_keys(enc, idx);
}

/* Whether needle (nlen > 0 bytes) occurs anywhere in hay. */
static bool
contains(const uint8_t *hay, size_t hlen, const void *needle, size_t nlen)
{
	for (size_t i = 0; nlen <= hlen && i <= hlen - nlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return true;
	return false;
}

/* Encrypts then decrypts value as kind; true when it comes back equal. */
static bool
round_trips(enum pii_kind kind, const char *value)
{
	uint8_t *c = NULL;
	size_t clen = 0;
	char *back = NULL;
	bool ok;

	if (pii_encrypt(kind, value, &c, &clen) != 0)
		return false;
	ok = clen == strlen(value) + PII_OVERHEAD && c[0] == PII_VERSION &&
	    pii_decrypt(kind, c, clen, &back) == 0 && strcmp(back, value) == 0;
	free(c);
	free(back);
	return ok;
}

static bool
same_index(enum pii_kind kind, const char *a, const char *b)
{
	uint8_t ia[PII_INDEX_BYTES], ib[PII_INDEX_BYTES];

	pii_index(kind, a, ia);
	pii_index(kind, b, ib);
	return memcmp(ia, ib, sizeof ia) == 0;
}

static const char *
masked(enum pii_kind kind, const char *value)
{
	static char out[128];

	pii_mask(kind, value, out, sizeof out);
	return out;
}

TEST(pii_round_trip_each_kind)
{
	set_test_keys(1, 2);
	CHECK(round_trips(PII_NAME, "王小明"));
	CHECK(round_trips(PII_NAME, "欧阳娜娜"));
	CHECK(round_trips(PII_NAME, "Zhang San"));
	CHECK(round_trips(PII_ID_NUMBER, "34052419800101001X"));
	CHECK(round_trips(PII_PHONE, "13800138000"));
	CHECK(round_trips(PII_ADDRESS, "浙江省绍兴市新昌县七星街道人民中路88号3幢201室"));
	CHECK(round_trips(PII_ADDRESS, ""));
}

TEST(pii_ciphertext_has_no_clear_text)
{
	const char *values[] = { "34052419800101001X", "13800138000", "王小明",
	    "浙江省绍兴市新昌县七星街道" };
	const enum pii_kind kinds[] = { PII_ID_NUMBER, PII_PHONE, PII_NAME, PII_ADDRESS };

	set_test_keys(1, 2);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		uint8_t *c;
		size_t clen;
		bool leaked;

		CHECK_INT(pii_encrypt(kinds[i], values[i], &c, &clen), 0);
		/* Not the whole value, nor any 4-byte run of it. */
		leaked = false;
		for (size_t j = 0; j + 4 <= strlen(values[i]); j++)
			leaked = leaked || contains(c, clen, values[i] + j, 4);
		free(c);
		CHECK(!leaked);
	}
}

TEST(pii_tampered_byte_is_rejected)
{
	uint8_t *c;
	size_t clen;
	char *back = NULL;

	set_test_keys(1, 2);
	CHECK_INT(pii_encrypt(PII_ID_NUMBER, "34052419800101001X", &c, &clen), 0);
	/* Every byte: version, nonce, ciphertext and tag. */
	for (size_t i = 0; i < clen; i++) {
		int rc;

		c[i] ^= 0x01;
		rc = pii_decrypt(PII_ID_NUMBER, c, clen, &back);
		c[i] ^= 0x01;
		if (rc != ERR_INVALID || back != NULL) {
			free(c);
			CHECK_INT(rc, ERR_INVALID);
			CHECK(back == NULL);
		}
	}
	CHECK_INT(pii_decrypt(PII_ID_NUMBER, c, clen, &back), 0);
	CHECK_STR(back, "34052419800101001X");
	free(back);
	free(c);
}

TEST(pii_short_or_unknown_version_is_rejected)
{
	uint8_t *c;
	size_t clen;
	char *back;

	set_test_keys(1, 2);
	CHECK_INT(pii_encrypt(PII_PHONE, "13800138000", &c, &clen), 0);
	CHECK_INT(pii_decrypt(PII_PHONE, c, clen - 1, &back), ERR_INVALID);
	CHECK_INT(pii_decrypt(PII_PHONE, c, PII_OVERHEAD - 1, &back), ERR_INVALID);
	CHECK_INT(pii_decrypt(PII_PHONE, c, 0, &back), ERR_INVALID);
	CHECK_INT(pii_decrypt(PII_PHONE, NULL, 0, &back), ERR_INVALID);
	c[0] = 0x02;
	CHECK_INT(pii_decrypt(PII_PHONE, c, clen, &back), ERR_INVALID);
	CHECK(back == NULL);
	free(c);
}

TEST(pii_wrong_kind_is_rejected)
{
	uint8_t *c;
	size_t clen;
	char *back;
	int rc_id, rc_name, rc_addr;

	set_test_keys(1, 2);
	CHECK_INT(pii_encrypt(PII_PHONE, "13800138000", &c, &clen), 0);
	rc_id = pii_decrypt(PII_ID_NUMBER, c, clen, &back);
	rc_name = pii_decrypt(PII_NAME, c, clen, &back);
	rc_addr = pii_decrypt(PII_ADDRESS, c, clen, &back);
	free(c);
	CHECK_INT(rc_id, ERR_INVALID);
	CHECK_INT(rc_name, ERR_INVALID);
	CHECK_INT(rc_addr, ERR_INVALID);
	CHECK(back == NULL);
}

TEST(pii_wrong_key_is_rejected)
{
	uint8_t *c;
	size_t clen;
	char *back;
	int rc;

	set_test_keys(1, 2);
	CHECK_INT(pii_encrypt(PII_NAME, "王小明", &c, &clen), 0);
	set_test_keys(9, 2);
	rc = pii_decrypt(PII_NAME, c, clen, &back);
	set_test_keys(1, 2);
	CHECK_INT(rc, ERR_INVALID);
	CHECK_INT(pii_decrypt(PII_NAME, c, clen, &back), 0);
	free(c);
	CHECK_STR(back, "王小明");
	free(back);
}

TEST(pii_random_nonce_but_equal_index)
{
	uint8_t *a, *b, ia[PII_INDEX_BYTES], ib[PII_INDEX_BYTES];
	size_t alen, blen;
	bool same;

	set_test_keys(1, 2);
	CHECK_INT(pii_encrypt(PII_ID_NUMBER, "34052419800101001X", &a, &alen), 0);
	CHECK_INT(pii_encrypt(PII_ID_NUMBER, "34052419800101001X", &b, &blen), 0);
	same = alen == blen && memcmp(a, b, alen) == 0;
	free(a);
	free(b);
	CHECK(!same);
	pii_index(PII_ID_NUMBER, "34052419800101001X", ia);
	pii_index(PII_ID_NUMBER, "34052419800101001X", ib);
	CHECK(memcmp(ia, ib, sizeof ia) == 0);
}

TEST(pii_index_normalises)
{
	set_test_keys(1, 2);
	CHECK(same_index(PII_ID_NUMBER, "34052419800101001x", "34052419800101001X"));
	CHECK(same_index(PII_ID_NUMBER, " 34052419800101001x\n", "34052419800101001X"));
	/* Invalid numbers still match whatever the case of their letters. */
	CHECK(same_index(PII_ID_NUMBER, "34052419800101002x", "34052419800101002X"));
	CHECK(!same_index(PII_ID_NUMBER, "34052419800101001X", "11010519491231002X"));
	CHECK(same_index(PII_PHONE, "+8613800138000", "13800138000"));
	CHECK(same_index(PII_PHONE, "8613800138000", "13800138000"));
	CHECK(same_index(PII_PHONE, " 13800138000 ", "13800138000"));
	CHECK(!same_index(PII_PHONE, "13800138001", "13800138000"));
	CHECK(same_index(PII_NAME, "  王小明\t", "王小明"));
	CHECK(same_index(PII_NAME, "\xe3\x80\x80王小明\xe3\x80\x80", "王小明"));
	CHECK(!same_index(PII_NAME, "王小明", "王小"));
	CHECK(same_index(PII_ADDRESS, " 新昌县七星街道 ", "新昌县七星街道"));
}

TEST(pii_index_depends_on_key_and_kind)
{
	uint8_t a[PII_INDEX_BYTES], b[PII_INDEX_BYTES], c[PII_INDEX_BYTES];

	set_test_keys(1, 2);
	pii_index(PII_PHONE, "13800138000", a);
	pii_index(PII_NAME, "13800138000", c);
	set_test_keys(1, 3);
	pii_index(PII_PHONE, "13800138000", b);
	set_test_keys(1, 2);
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK(memcmp(a, c, sizeof a) != 0);
	/* The encryption key plays no part in the index. */
	set_test_keys(7, 2);
	pii_index(PII_PHONE, "13800138000", b);
	set_test_keys(1, 2);
	CHECK(memcmp(a, b, sizeof a) == 0);
}

TEST(pii_mask_id_and_phone)
{
	CHECK_STR(masked(PII_ID_NUMBER, "34052419800101001X"), "340524********001X");
	CHECK_STR(masked(PII_ID_NUMBER, "34052419800101001x"), "340524********001X");
	CHECK_STR(masked(PII_ID_NUMBER, " 34052419800101001X "), "340524********001X");
	CHECK_STR(masked(PII_ID_NUMBER, "3405241980"), "**********");
	CHECK_STR(masked(PII_PHONE, "13812345678"), "138****5678");
	CHECK_STR(masked(PII_PHONE, "+8613812345678"), "138****5678");
	CHECK_STR(masked(PII_PHONE, "1381234"), "*******");
	CHECK_STR(masked(PII_PHONE, "+86 138 1234 5678 and more text"), "***********");
	CHECK_STR(masked(PII_PHONE, NULL), "");
	/* Text in the wrong field: stars per character, never a cut character or a visible one. */
	CHECK_STR(masked(PII_ID_NUMBER, "王王王王王王"), "******");
	CHECK_STR(masked(PII_PHONE, "王小明12345"), "********");
}

TEST(pii_mask_names)
{
	CHECK_STR(masked(PII_NAME, "王小明"), "王**");
	CHECK_STR(masked(PII_NAME, "王明"), "王*");
	CHECK_STR(masked(PII_NAME, "欧阳娜娜"), "欧***");
	CHECK_STR(masked(PII_NAME, " 王小明 "), "王**");
	CHECK_STR(masked(PII_NAME, "王"), "*");
	CHECK_STR(masked(PII_NAME, "Zhang"), "Z****");
	CHECK_STR(masked(PII_NAME, "艾力·买买提"), "艾*****");
	/* A 4-byte character (U+20BB7, 𠮷) counts as one. */
	CHECK_STR(masked(PII_NAME, "𠮷小明"), "𠮷**");
	CHECK_STR(masked(PII_NAME, ""), "");
	CHECK_STR(masked(PII_NAME, "   "), "");
}

TEST(pii_mask_address)
{
	CHECK_STR(masked(PII_ADDRESS, "浙江省绍兴市新昌县七星街道人民中路88号"), "浙江省绍兴市****");
	CHECK_STR(masked(PII_ADDRESS, "浙江省绍兴市新"), "浙江省绍兴市****");
	/* Short addresses never show whole: half of them at most. */
	CHECK_STR(masked(PII_ADDRESS, "浙江省绍兴市"), "浙江省****");
	CHECK_STR(masked(PII_ADDRESS, "新昌县"), "新****");
	CHECK_STR(masked(PII_ADDRESS, "县"), "****");
	CHECK_STR(masked(PII_ADDRESS, ""), "");
	CHECK_STR(masked(PII_ADDRESS, "No. 88 Renmin Road"), "No. 88****");
}

TEST(pii_mask_never_splits_utf8)
{
	char out[16];

	/* "王**" is 5 bytes + NUL; smaller buffers keep whole characters only. */
	pii_mask(PII_NAME, "王小明", out, 6);
	CHECK_STR(out, "王**");
	pii_mask(PII_NAME, "王小明", out, 5);
	CHECK_STR(out, "王*");
	pii_mask(PII_NAME, "王小明", out, 4);
	CHECK_STR(out, "王");
	for (size_t n = 1; n < 4; n++) {
		pii_mask(PII_NAME, "王小明", out, n);
		CHECK_STR(out, "");
	}
	pii_mask(PII_ADDRESS, "浙江省绍兴市新昌县", out, 8);
	CHECK_STR(out, "浙江");
	pii_mask(PII_ADDRESS, "浙江省绍兴市新昌县", out, 10);
	CHECK_STR(out, "浙江省");
	pii_mask(PII_ID_NUMBER, "34052419800101001X", out, 8);
	CHECK_STR(out, "340524*");
	out[0] = 'x';
	pii_mask(PII_NAME, "王小明", out, 0);
	CHECK(out[0] == 'x');
}

TEST(pii_mask_invalid_utf8)
{
	/* A stray continuation byte and a cut-short sequence: one '?' or star each, never copied. */
	CHECK_STR(masked(PII_NAME, "\x80王"), "?*");
	CHECK_STR(masked(PII_NAME, "王\xe5\xb0"), "王**");
	CHECK_STR(masked(PII_ADDRESS, "\xc0\xaf\xed\xa0\x80浙江省绍兴"), "?????浙****");
}
