#include "../../harness.h"

#include <string.h>

#include "base/sha1.h"
#include "base/totp.h"

static const uint8_t rfc_secret[] = "12345678901234567890";

TEST(sha1_matches_the_fips_vectors)
{
	uint8_t h[SHA1_BYTES];
	static const uint8_t abc[] = { 0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
		0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d };

	sha1((const uint8_t *)"abc", 3, h);
	CHECK(memcmp(h, abc, sizeof abc) == 0);
}

TEST(hotp_matches_rfc4226_appendix_d)
{
	static const uint32_t want[] = { 755224, 287082, 359152, 969429, 338314, 254676, 287922,
		162583, 399871, 520489 };

	for (uint64_t i = 0; i < 10; i++)
		CHECK_INT(hotp(rfc_secret, 20, i), want[i]);
}

TEST(totp_matches_rfc6238_sha1_vectors)
{
	/* T = 59 s -> 94287082 (8 digits); 6 digits is the last six. */
	CHECK_INT(hotp(rfc_secret, 20, totp_counter(59000)), 287082);
	CHECK_INT(hotp(rfc_secret, 20, totp_counter(1111111109000LL)), 81804);   /* 07081804 */
	CHECK_INT(hotp(rfc_secret, 20, totp_counter(1234567890000LL)), 5924);    /* 89005924 */
}

TEST(totp_accepts_one_step_of_drift_and_refuses_replay)
{
	int64_t now = 1234567890000LL;
	uint64_t used;

	CHECK(totp_check(rfc_secret, 20, "005924", now, 0, &used));
	CHECK(!totp_check(rfc_secret, 20, "005924", now, used, &used));      /* replay */
	CHECK(totp_check(rfc_secret, 20, "005924", now + 30000, 0, &used));   /* one step late */
	CHECK(!totp_check(rfc_secret, 20, "005924", now + 90000, 0, &used));  /* too late */
	CHECK(!totp_check(rfc_secret, 20, "5924", now, 0, &used));
	CHECK(!totp_check(rfc_secret, 20, "00592a", now, 0, &used));
}

TEST(base32_encodes_like_rfc4648)
{
	char out[64];

	base32_encode((const uint8_t *)"foobar", 6, out, sizeof out);
	CHECK_STR(out, "MZXW6YTBOI");
	base32_encode(rfc_secret, 20, out, sizeof out);
	CHECK_STR(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}
