#include "../../harness.h"

#include "base/idnum.h"

TEST(idnum_accepts_standard_vectors)
{
	struct idnum_info info;

	CHECK_INT(idnum_check("34052419800101001X", &info), MSG_NONE);
	CHECK_INT(info.year, 1980);
	CHECK_INT(info.month, 1);
	CHECK_INT(info.day, 1);
	CHECK_INT(info.sex, 'M');	/* sequence 001 is odd */
	CHECK_STR(info.region, "340524");

	CHECK_INT(idnum_check("11010519491231002X", &info), MSG_NONE);
	CHECK_INT(info.year, 1949);
	CHECK_INT(info.month, 12);
	CHECK_INT(info.day, 31);
	CHECK_INT(info.sex, 'F');	/* sequence 002 is even */
	CHECK_STR(info.region, "110105");

	CHECK_INT(idnum_check("330824198001011236", NULL), MSG_NONE);
}

TEST(idnum_rejects_wrong_check_character)
{
	struct idnum_info info = { .year = -7 };

	CHECK_INT(idnum_check("340524198001010013", &info), M_ID_BAD_CHECK);
	CHECK_INT(info.year, -7);	/* untouched on failure */
	CHECK_INT(idnum_check("34052419800101001Y", NULL), M_ID_BAD_CHAR);
	CHECK_INT(idnum_check("340524198001010010", NULL), M_ID_BAD_CHECK);
	/* One changed sequence digit breaks the check. */
	CHECK_INT(idnum_check("34052419800101002X", NULL), M_ID_BAD_CHECK);
}

TEST(idnum_check_char_follows_the_weights)
{
	CHECK_INT(idnum_check_char("34052419800101001"), 'X');
	CHECK_INT(idnum_check_char("33082419800101123"), '6');
	CHECK_INT(idnum_check_char("33082420000229123"), '3');
}

TEST(idnum_accepts_lower_case_x)
{
	struct idnum_info info;
	char out[IDNUM_SIZE];

	CHECK_INT(idnum_check("34052419800101001x", &info), MSG_NONE);
	CHECK_STR(info.region, "340524");
	CHECK_INT(idnum_normalize("34052419800101001x", out, NULL), MSG_NONE);
	CHECK_STR(out, "34052419800101001X");
	CHECK_INT(idnum_normalize("11010519491231002X", out, &info), MSG_NONE);
	CHECK_STR(out, "11010519491231002X");
	CHECK_INT(info.year, 1949);
	CHECK_INT(idnum_normalize("340524198001010013", out, NULL), M_ID_BAD_CHECK);
	CHECK_STR(out, "");
}

TEST(idnum_leap_years)
{
	struct idnum_info info;

	/* 1900 is divisible by 4 but not a leap year; 2000 is one. */
	CHECK_INT(idnum_check("330824190002291237", NULL), M_ID_BAD_DATE);
	CHECK_INT(idnum_check("330824200002291233", &info), MSG_NONE);
	CHECK_INT(info.month, 2);
	CHECK_INT(info.day, 29);
	CHECK_INT(idnum_check("330824190002281231", NULL), MSG_NONE);
}

TEST(idnum_rejects_impossible_dates)
{
	CHECK_INT(idnum_check("330824198002300013", NULL), M_ID_BAD_DATE);	/* 30 Feb */
	CHECK_INT(idnum_check("330824198013010011", NULL), M_ID_BAD_DATE);	/* month 13 */
	CHECK_INT(idnum_check("330824198001000019", NULL), M_ID_BAD_DATE);	/* day 0 */
}

TEST(idnum_birth_date_range)
{
	/* 1899-12-31 is too early, 1900-01-01 is the first day accepted. */
	CHECK_INT(idnum_check("330824189912311235", NULL), M_ID_DATE_RANGE);
	CHECK_INT(idnum_check("33082419000101123X", NULL), MSG_NONE);
	/* Born 2025-06-15: not yet born the day before, fine on the day. */
	CHECK_INT(idnum_check_on("33082420250615002X", NULL, 2025, 6, 14), M_ID_DATE_RANGE);
	CHECK_INT(idnum_check_on("33082420250615002X", NULL, 2025, 6, 15), MSG_NONE);
	CHECK_INT(idnum_check_on("33082420250615002X", NULL, 2026, 1, 1), MSG_NONE);
	/* Against the real clock, 2099 is still to come. */
	CHECK_INT(idnum_check("330824209912310019", NULL), M_ID_DATE_RANGE);
}

TEST(idnum_rejects_wrong_length)
{
	CHECK_INT(idnum_check(NULL, NULL), M_ID_BAD_LENGTH);
	CHECK_INT(idnum_check("", NULL), M_ID_BAD_LENGTH);
	CHECK_INT(idnum_check("34052419800101001", NULL), M_ID_BAD_LENGTH);
	CHECK_INT(idnum_check("34052419800101001X0", NULL), M_ID_BAD_LENGTH);
	CHECK_INT(idnum_check("340524800101001", NULL), M_ID_BAD_LENGTH);
}

TEST(idnum_rejects_bad_characters)
{
	CHECK_INT(idnum_check("3405241980010100X1", NULL), M_ID_BAD_CHAR);
	CHECK_INT(idnum_check("34052419800101 01X", NULL), M_ID_BAD_CHAR);
	CHECK_INT(idnum_check("a4052419800101001X", NULL), M_ID_BAD_CHAR);
	CHECK_INT(idnum_check("34052419800101001-", NULL), M_ID_BAD_CHAR);
}

TEST(idnum_rejects_bad_region)
{
	/* Correct check characters, so only the region code is at fault. */
	CHECK_INT(idnum_check("400824198001010012", NULL), M_ID_BAD_REGION);
	CHECK_INT(idnum_check("000000198001010010", NULL), M_ID_BAD_REGION);
	CHECK_INT(idnum_check("990824198001010019", NULL), M_ID_BAD_REGION);
}

TEST(idnum_from15_round_trip)
{
	char out[IDNUM_SIZE];
	struct idnum_info info;

	CHECK_INT(idnum_from15("340524800101001", out), MSG_NONE);
	CHECK_STR(out, "34052419800101001X");
	CHECK_INT(idnum_check(out, &info), MSG_NONE);
	CHECK_INT(info.year, 1980);

	CHECK_INT(idnum_from15("110105491231002", out), MSG_NONE);
	CHECK_STR(out, "11010519491231002X");

	CHECK_INT(idnum_from15("330824800101123", out), MSG_NONE);
	CHECK_STR(out, "330824198001011236");
}

TEST(idnum_from15_rejects_bad_input)
{
	char out[IDNUM_SIZE];

	CHECK_INT(idnum_from15(NULL, out), M_ID_OLD_BAD_FORMAT);
	CHECK_STR(out, "");
	CHECK_INT(idnum_from15("34052480010100", out), M_ID_OLD_BAD_FORMAT);
	CHECK_INT(idnum_from15("3405248001010011", out), M_ID_OLD_BAD_FORMAT);
	CHECK_INT(idnum_from15("34052480010100X", out), M_ID_OLD_BAD_FORMAT);
	CHECK_INT(idnum_from15("34052419800101001X", out), M_ID_OLD_BAD_FORMAT);
	CHECK_INT(idnum_from15("330824800230123", out), M_ID_BAD_DATE);
	CHECK_STR(out, "");
	/* "00" becomes 1900, which has no 29 February. */
	CHECK_INT(idnum_from15("330824000229123", out), M_ID_BAD_DATE);
	CHECK_INT(idnum_from15("400824800101001", out), M_ID_BAD_REGION);
	CHECK_STR(out, "");
}

TEST(idnum_mask_shows_six_and_four)
{
	char out[IDNUM_SIZE];

	idnum_mask("34052419800101001X", out);
	CHECK_STR(out, "340524********001X");
	idnum_mask("34052419800101001x", out);
	CHECK_STR(out, "340524********001X");
	idnum_mask("330824198001011236", out);
	CHECK_STR(out, "330824********1236");
	/* Masking does not validate: any 18 characters are masked alike. */
	idnum_mask("340524198001010013", out);
	CHECK_STR(out, "340524********0013");
}

TEST(idnum_mask_hides_malformed_input)
{
	char out[IDNUM_SIZE];

	idnum_mask("340524800101001", out);
	CHECK_STR(out, "***************");
	idnum_mask("34052419800101001X0000", out);
	CHECK_STR(out, "******************");
	idnum_mask("", out);
	CHECK_STR(out, "");
	idnum_mask(NULL, out);
	CHECK_STR(out, "");
}

TEST(idnum_age_counts_birthdays)
{
	struct idnum_info info;

	CHECK_INT(idnum_check("34052419800101001X", &info), MSG_NONE);
	CHECK_INT(idnum_age(&info, 2025, 12, 31), 45);
	CHECK_INT(idnum_age(&info, 2026, 1, 1), 46);
	CHECK_INT(idnum_age(&info, 1980, 1, 1), 0);
	CHECK_INT(idnum_age(&info, 1979, 12, 31), -1);

	CHECK_INT(idnum_check("11010519491231002X", &info), MSG_NONE);
	CHECK_INT(idnum_age(&info, 2025, 12, 30), 75);
	CHECK_INT(idnum_age(&info, 2025, 12, 31), 76);
}

TEST(idnum_age_leap_day_birth)
{
	struct idnum_info info;

	CHECK_INT(idnum_check("330824200002291233", &info), MSG_NONE);
	CHECK_INT(idnum_age(&info, 2001, 2, 28), 0);
	CHECK_INT(idnum_age(&info, 2001, 3, 1), 1);
	CHECK_INT(idnum_age(&info, 2004, 2, 28), 3);
	CHECK_INT(idnum_age(&info, 2004, 2, 29), 4);
	/* 重点青少年 age bands: 18 on 2018-03-01, not on 2018-02-28. */
	CHECK_INT(idnum_age(&info, 2018, 2, 28), 17);
	CHECK_INT(idnum_age(&info, 2018, 3, 1), 18);
}

TEST(idnum_messages_name_the_field)
{
	static const enum msg_id ids[] = {
		M_ID_BAD_LENGTH, M_ID_BAD_CHAR, M_ID_BAD_REGION, M_ID_BAD_DATE,
		M_ID_DATE_RANGE, M_ID_BAD_CHECK, M_ID_OLD_BAD_FORMAT,
	};

	CHECK_STR(msg_text(M_ID_BAD_CHECK, false), "身份证号校验位错误");
	CHECK_STR(msg_text(M_ID_BAD_CHECK, true), "The check character of the ID number is wrong");
	CHECK_STR(msg_name(M_ID_BAD_CHECK), "M_ID_BAD_CHECK");
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK(strstr(msg_text(ids[i], false), "身份证号") != NULL);
		CHECK(strstr(msg_text(ids[i], true), "ID number") != NULL);
	}
}
