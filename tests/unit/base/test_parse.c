#include "../../harness.h"

#include <string.h>

#include "base/err.h"
#include "base/parse.h"

TEST(parse_i64_accepts_only_whole_numbers_in_range)
{
	int64_t v;

	CHECK_INT(parse_i64("42", 0, 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(parse_i64("-5", -10, 10, &v), 0);
	CHECK_INT(v, -5);
	CHECK_INT(parse_i64("101", 0, 100, &v), ERR_INVALID);
	CHECK_INT(parse_i64("4x", 0, 100, &v), ERR_INVALID);
	CHECK_INT(parse_i64(" 4", 0, 100, &v), ERR_INVALID);
	CHECK_INT(parse_i64("", 0, 100, &v), ERR_INVALID);
	CHECK_INT(parse_i64("99999999999999999999", 0, INT64_MAX, &v), ERR_INVALID);
}

TEST(parse_double_rejects_trailing_text_and_infinity)
{
	double d;

	CHECK_INT(parse_double("29.137", &d), 0);
	CHECK(d > 29.13 && d < 29.14);
	CHECK_INT(parse_double("29.1x", &d), ERR_INVALID);
	CHECK_INT(parse_double("inf", &d), ERR_INVALID);
	CHECK_INT(parse_double("", &d), ERR_INVALID);
}

TEST(utf8_validation_rejects_overlongs_surrogates_and_controls)
{
	CHECK(utf8_is_clean_text("开化县 abc\n", strlen("开化县 abc\n")));
	CHECK(!utf8_is_clean_text("\xc0\xaf", 2));          /* overlong '/' */
	CHECK(!utf8_is_clean_text("\xed\xa0\x80", 3));      /* UTF-16 surrogate */
	CHECK(!utf8_is_clean_text("\xe5\xbc", 2));          /* truncated */
	CHECK(!utf8_is_clean_text("a\x01", 2));             /* control */
	CHECK(!utf8_is_clean_text("a\0b", 3));              /* NUL */
	CHECK_INT(utf8_length("开化县ab"), 5);
}
