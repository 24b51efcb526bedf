#include "../../harness.h"

#include "base/mobile.h"

TEST(mobile_accepts_eleven_digits)
{
	char out[MOBILE_SIZE];

	CHECK_INT(mobile_check("13812345678", out), MSG_NONE);
	CHECK_STR(out, "13812345678");
	CHECK_INT(mobile_check("19912345678", out), MSG_NONE);
	CHECK_STR(out, "19912345678");
	CHECK_INT(mobile_check("13812345678", NULL), MSG_NONE);
}

TEST(mobile_strips_country_code)
{
	char out[MOBILE_SIZE];

	CHECK_INT(mobile_check("+8613812345678", out), MSG_NONE);
	CHECK_STR(out, "13812345678");
	CHECK_INT(mobile_check("8615957012345", out), MSG_NONE);
	CHECK_STR(out, "15957012345");
	/* Only +86 is a country code we take. */
	CHECK_INT(mobile_check("+85213812345678", out), M_MOBILE_BAD_CHAR);
	CHECK_STR(out, "");
	CHECK_INT(mobile_check("008613812345678", out), M_MOBILE_BAD_LENGTH);
	CHECK_INT(mobile_check("+86", out), M_MOBILE_BAD_LENGTH);
	CHECK_INT(mobile_check("+86+8613812345678", out), M_MOBILE_BAD_CHAR);
	CHECK_INT(mobile_check("+861381234567", out), M_MOBILE_BAD_LENGTH);
	/* An 11-digit number starting 86 is not a stripped prefix. */
	CHECK_INT(mobile_check("86123456789", out), M_MOBILE_BAD_PREFIX);
}

TEST(mobile_rejects_separators_and_letters)
{
	char out[MOBILE_SIZE];

	CHECK_INT(mobile_check("138-1234-5678", out), M_MOBILE_BAD_CHAR);
	CHECK_STR(out, "");
	CHECK_INT(mobile_check("138 1234 5678", out), M_MOBILE_BAD_CHAR);
	CHECK_INT(mobile_check("+86 13812345678", out), M_MOBILE_BAD_CHAR);
	CHECK_INT(mobile_check("1381234567O", out), M_MOBILE_BAD_CHAR);
	CHECK_INT(mobile_check(" 13812345678", out), M_MOBILE_BAD_CHAR);
}

TEST(mobile_rejects_wrong_length)
{
	char out[MOBILE_SIZE] = "x";

	CHECK_INT(mobile_check(NULL, out), M_MOBILE_BAD_LENGTH);
	CHECK_STR(out, "");
	CHECK_INT(mobile_check("", out), M_MOBILE_BAD_LENGTH);
	CHECK_INT(mobile_check("1381234567", out), M_MOBILE_BAD_LENGTH);
	CHECK_INT(mobile_check("138123456789", out), M_MOBILE_BAD_LENGTH);
	CHECK_INT(mobile_check("0570123456", out), M_MOBILE_BAD_LENGTH);
}

TEST(mobile_rejects_bad_prefix)
{
	char out[MOBILE_SIZE];

	CHECK_INT(mobile_check("12812345678", out), M_MOBILE_BAD_PREFIX);
	CHECK_STR(out, "");
	CHECK_INT(mobile_check("10012345678", out), M_MOBILE_BAD_PREFIX);
	CHECK_INT(mobile_check("23812345678", out), M_MOBILE_BAD_PREFIX);
	CHECK_INT(mobile_check("05708123456", out), M_MOBILE_BAD_PREFIX);
	CHECK_INT(mobile_check("+8612812345678", out), M_MOBILE_BAD_PREFIX);
	CHECK_INT(mobile_check("13012345678", out), MSG_NONE);
}

TEST(mobile_mask_keeps_three_and_four)
{
	char out[MOBILE_SIZE];

	mobile_mask("13812345678", out);
	CHECK_STR(out, "138****5678");
	mobile_mask("1381234", out);
	CHECK_STR(out, "*******");
	mobile_mask("+8613812345678", out);
	CHECK_STR(out, "***********");
	mobile_mask("", out);
	CHECK_STR(out, "");
	mobile_mask(NULL, out);
	CHECK_STR(out, "");
}

TEST(mobile_messages_name_the_field)
{
	static const enum msg_id ids[] = {
		M_MOBILE_BAD_CHAR, M_MOBILE_BAD_LENGTH, M_MOBILE_BAD_PREFIX,
	};

	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK(strstr(msg_text(ids[i], false), "手机号码") != NULL);
		CHECK(strstr(msg_text(ids[i], true), "mobile number") != NULL);
	}
}
