#include "../../harness.h"

#include "base/uscc.h"

TEST(uscc_accepts_standard_vectors)
{
	CHECK_INT(uscc_check("91350100M000100Y43"), MSG_NONE);
	CHECK_INT(uscc_check("91110000802100433B"), MSG_NONE);
}

TEST(uscc_rejects_wrong_check_character)
{
	CHECK_INT(uscc_check("91350100M000100Y44"), M_USCC_BAD_CHECK);
	CHECK_INT(uscc_check("91110000802100433C"), M_USCC_BAD_CHECK);
	/* Two characters swapped keep the alphabet but break the check. */
	CHECK_INT(uscc_check("91350100M000010Y43"), M_USCC_BAD_CHECK);
}

TEST(uscc_check_char_edges)
{
	CHECK_INT(uscc_check_char("91350100M000100Y4"), '3');
	CHECK_INT(uscc_check_char("91110000802100433"), 'B');
	/* A sum that is a multiple of 31 gives '0', not the 32nd character. */
	CHECK_INT(uscc_check_char("91330824MA28F00H0"), '0');
	CHECK_INT(uscc_check("91330824MA28F00H00"), MSG_NONE);
	/* The highest value, 30, is 'Y'. */
	CHECK_INT(uscc_check_char("91330824MA28F0E10"), 'Y');
	CHECK_INT(uscc_check("91330824MA28F0E10Y"), MSG_NONE);
	CHECK_INT(uscc_check_char("91350100I000100Y4"), '\0');
}

TEST(uscc_rejects_wrong_length)
{
	CHECK_INT(uscc_check(NULL), M_USCC_BAD_LENGTH);
	CHECK_INT(uscc_check(""), M_USCC_BAD_LENGTH);
	CHECK_INT(uscc_check("91350100M000100Y4"), M_USCC_BAD_LENGTH);
	CHECK_INT(uscc_check("91350100M000100Y430"), M_USCC_BAD_LENGTH);
}

TEST(uscc_rejects_letters_outside_the_alphabet)
{
	/* I, O, Z, S and V are not used, in any position. */
	CHECK_INT(uscc_check("91350100I000100Y43"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("91350100O000100Y43"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("91350100M000100Z43"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("S1350100M000100Y43"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("91350100M000100Y4V"), M_USCC_BAD_CHAR);
	/* Lower case is refused rather than guessed at. */
	CHECK_INT(uscc_check("91350100m000100Y43"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("91110000802100433b"), M_USCC_BAD_CHAR);
	CHECK_INT(uscc_check("91350100M000100Y4-"), M_USCC_BAD_CHAR);
}

TEST(uscc_messages_name_the_field)
{
	static const enum msg_id ids[] = {
		M_USCC_BAD_LENGTH, M_USCC_BAD_CHAR, M_USCC_BAD_CHECK,
	};

	CHECK_STR(msg_name(M_USCC_BAD_CHECK), "M_USCC_BAD_CHECK");
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK(strstr(msg_text(ids[i], false), "统一社会信用代码") != NULL);
		CHECK(strstr(msg_text(ids[i], true), "unified social credit code") != NULL);
	}
}
