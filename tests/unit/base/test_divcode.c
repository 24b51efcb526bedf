#include "../../harness.h"

#include "base/divcode.h"

TEST(divcode_levels_of_kaihua_codes)
{
	enum msg_id why = M_DIV_BAD_CHAR;

	CHECK_INT(divcode_level("330824", &why), DIV_LEVEL_COUNTY);
	CHECK_INT(why, MSG_NONE);
	CHECK_INT(divcode_level("330824106", &why), DIV_LEVEL_TOWNSHIP);
	CHECK_INT(divcode_level("330824106201", &why), DIV_LEVEL_VILLAGE);
	CHECK_INT(divcode_level("330824106201001", &why), DIV_LEVEL_GRID);
	CHECK_INT(why, MSG_NONE);
	CHECK_INT(divcode_level("330824106201001", NULL), DIV_LEVEL_GRID);
}

TEST(divcode_every_kaihua_township_and_neighbour)
{
	static const char *const townships[] = {
		"330824106", "330824107", "330824108", "330824109", "330824113",
		"330824115", "330824116", "330824117", "330824202", "330824205",
		"330824208", "330824216", "330824217", "330824218",
	};
	static const char *const counties[] = {
		"330824", "330800", "341022", "361123", "361130", "361181",
	};

	for (unsigned i = 0; i < sizeof townships / sizeof townships[0]; i++) {
		CHECK_INT(divcode_level(townships[i], NULL), DIV_LEVEL_TOWNSHIP);
		CHECK(divcode_extends(townships[i], "330824"));
	}
	for (unsigned i = 0; i < sizeof counties / sizeof counties[0]; i++)
		CHECK_INT(divcode_level(counties[i], NULL), DIV_LEVEL_COUNTY);
}

TEST(divcode_rejects_malformed_codes)
{
	enum msg_id why = MSG_NONE;

	CHECK_INT(divcode_level(NULL, &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_LENGTH);
	CHECK_INT(divcode_level("", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_LENGTH);
	CHECK_INT(divcode_level("33082", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_LENGTH);
	CHECK_INT(divcode_level("3308241", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_LENGTH);
	CHECK_INT(divcode_level("330824106201001002", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_LENGTH);
	CHECK_INT(divcode_level("33082a", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_CHAR);
	CHECK_INT(divcode_level("330824 106", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_CHAR);
	CHECK_INT(divcode_level("-30824", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_BAD_CHAR);
}

TEST(divcode_rejects_bad_province)
{
	static const char *const bad[] = {
		"000000", "100824", "160824", "240824", "380824", "470824",
		"550824", "660824", "720824", "830824", "990824", "400824106",
	};
	enum msg_id why = MSG_NONE;

	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(divcode_level(bad[i], &why), DIV_LEVEL_NONE);
		CHECK_INT(why, M_DIV_BAD_PROVINCE);
	}
	/* The ends of the range are provinces: 北京 11, 澳门 82. */
	CHECK_INT(divcode_level("110105", NULL), DIV_LEVEL_COUNTY);
	CHECK_INT(divcode_level("820000", NULL), DIV_LEVEL_COUNTY);
}

TEST(divcode_rejects_all_zero_parts)
{
	enum msg_id why = MSG_NONE;

	CHECK_INT(divcode_level("330824000", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_ZERO_PART);
	why = MSG_NONE;
	CHECK_INT(divcode_level("330824106000", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_ZERO_PART);
	why = MSG_NONE;
	CHECK_INT(divcode_level("330824106201000", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_ZERO_PART);
	why = MSG_NONE;
	CHECK_INT(divcode_level("330824000201001", &why), DIV_LEVEL_NONE);
	CHECK_INT(why, M_DIV_ZERO_PART);
	/* Zeros inside a part are fine (subdistricts are 0xx). */
	CHECK_INT(divcode_level("330824001", NULL), DIV_LEVEL_TOWNSHIP);
	CHECK_INT(divcode_level("330824106100", NULL), DIV_LEVEL_VILLAGE);
}

TEST(divcode_parent_walks_up)
{
	char out[DIVCODE_MAX];

	CHECK(divcode_parent("330824106201001", out));
	CHECK_STR(out, "330824106201");
	CHECK(divcode_parent("330824106201", out));
	CHECK_STR(out, "330824106");
	CHECK(divcode_parent("330824106", out));
	CHECK_STR(out, "330824");
	CHECK(!divcode_parent("330824", out));
	CHECK_STR(out, "");
	CHECK(!divcode_parent("3308241062", out));
	CHECK_STR(out, "");
	CHECK(!divcode_parent("330824000", out));
	CHECK(!divcode_parent(NULL, out));
}

TEST(divcode_extends_is_strict_descent)
{
	CHECK(divcode_extends("330824106201001", "330824"));
	CHECK(divcode_extends("330824106201001", "330824106"));
	CHECK(divcode_extends("330824106201001", "330824106201"));
	CHECK(divcode_extends("330824106", "330824"));
	CHECK(!divcode_extends("330824", "330824"));
	CHECK(!divcode_extends("330824106", "330824106"));
	CHECK(!divcode_extends("330824", "330824106"));
	CHECK(!divcode_extends("330824107", "330824106"));
	CHECK(!divcode_extends("330824107201", "330824106"));
	CHECK(!divcode_extends("361123106", "330824"));
	/* A malformed child or parent is never related. */
	CHECK(!divcode_extends("330824106000", "330824106"));
	CHECK(!divcode_extends("3308241", "330824"));
	CHECK(!divcode_extends("330824106", "33082"));
	CHECK(!divcode_extends("330824106", ""));
	CHECK(!divcode_extends(NULL, "330824"));
	CHECK(!divcode_extends("330824106", NULL));
}

TEST(divcode_level_names)
{
	CHECK_STR(division_level_name(DIV_LEVEL_COUNTY), "county");
	CHECK_STR(division_level_name(DIV_LEVEL_TOWNSHIP), "township");
	CHECK_STR(division_level_name(DIV_LEVEL_VILLAGE), "village");
	CHECK_STR(division_level_name(DIV_LEVEL_GRID), "grid");
	CHECK_STR(division_level_name(DIV_LEVEL_NONE), "");
	CHECK_STR(division_level_name((enum division_level)9), "");
	for (int l = DIV_LEVEL_COUNTY; l <= DIV_LEVEL_GRID; l++)
		CHECK_INT(division_level_from_name(division_level_name((enum division_level)l)), l);
	CHECK_INT(division_level_from_name(""), DIV_LEVEL_NONE);
	CHECK_INT(division_level_from_name("County"), DIV_LEVEL_NONE);
	CHECK_INT(division_level_from_name(NULL), DIV_LEVEL_NONE);
	CHECK_INT(division_level_digits(DIV_LEVEL_COUNTY), 6);
	CHECK_INT(division_level_digits(DIV_LEVEL_GRID), 15);
	CHECK_INT(division_level_digits(DIV_LEVEL_NONE), 0);
}

TEST(divcode_messages_name_the_field)
{
	static const enum msg_id ids[] = {
		M_DIV_BAD_CHAR, M_DIV_BAD_LENGTH, M_DIV_BAD_PROVINCE, M_DIV_ZERO_PART,
	};

	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK(strstr(msg_text(ids[i], false), "行政区划代码") != NULL);
		CHECK(strstr(msg_text(ids[i], true), "division code") != NULL);
	}
}
