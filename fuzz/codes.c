/*
 * The national code formats that arrive in bodies, queries, paths and CSV:
 * citizen ID numbers (GB 11643), unified social credit codes (GB 32100),
 * division codes (GB/T 2260) and mobile numbers. Beyond memory safety,
 * each accepted value must be consistent with itself: a normalised ID
 * number checks again, a parent code is extended by its child, masks
 * keep their length and never show what they hide.
 */
#include <stdlib.h>
#include <string.h>

#include "base/divcode.h"
#include "base/idnum.h"
#include "base/mobile.h"
#include "base/uscc.h"
#include "support/fuzz.h"

static void
check_idnum(const char *s)
{
	struct idnum_info info;
	char norm[IDNUM_SIZE], mask[IDNUM_SIZE], from[IDNUM_SIZE];
	enum msg_id m = idnum_check_on(s, &info, 2026, 3, 2);

	if (m == MSG_NONE) {
		FUZZ_CHECK(info.sex == 'M' || info.sex == 'F', "sex %c", info.sex);
		FUZZ_CHECK(info.year >= 1900 && info.month >= 1 && info.month <= 12, "birth %d-%d",
		    info.year, info.month);
		FUZZ_CHECK(idnum_age(&info, 2026, 3, 2) >= 0, "negative age");
		FUZZ_CHECK(strlen(info.region) == 6, "region %s", info.region);
	}
	if (idnum_normalize(s, norm, NULL) == MSG_NONE) {
		FUZZ_CHECK(strlen(norm) == IDNUM_LEN && norm[17] != 'x', "normalised %s", norm);
		FUZZ_CHECK(idnum_check(norm, NULL) == MSG_NONE, "normalised %s does not check", norm);
	} else {
		FUZZ_CHECK(norm[0] == '\0', "failed normalisation left %s", norm);
	}
	idnum_mask(s, mask);
	FUZZ_CHECK(strlen(mask) == (strlen(s) == IDNUM_LEN ? IDNUM_LEN :
	    (strlen(s) > IDNUM_LEN ? IDNUM_LEN : strlen(s))), "mask %s of %zu characters", mask,
	    strlen(s));
	if (strlen(s) == IDNUM_LEN)
		FUZZ_CHECK(strncmp(mask + 6, "********", 8) == 0, "mask %s shows the birth date", mask);
	if (idnum_from15(s, from) == MSG_NONE)
		FUZZ_CHECK(strlen(from) == IDNUM_LEN && idnum_check(from, NULL) == MSG_NONE,
		    "15-digit %s converted to bad %s", s, from);
	else
		FUZZ_CHECK(from[0] == '\0', "failed conversion left %s", from);
}

static void
check_uscc(const char *s)
{
	if (uscc_check(s) == MSG_NONE)
		FUZZ_CHECK(uscc_check_char(s) == s[17], "accepted %s with a wrong check", s);
	if (strlen(s) >= 17)
		(void)uscc_check_char(s);
}

static void
check_divcode(const char *s, const char *other)
{
	enum msg_id why = MSG_NONE;
	enum division_level l = divcode_level(s, &why);
	char parent[DIVCODE_MAX];

	FUZZ_CHECK((l == DIV_LEVEL_NONE) == (why != MSG_NONE), "level %d with why %d", (int)l,
	    (int)why);
	if (l != DIV_LEVEL_NONE) {
		FUZZ_CHECK(strlen(s) == division_level_digits(l), "%s is level %d", s, (int)l);
		FUZZ_CHECK(division_level_from_name(division_level_name(l)) == l, "level name");
	}
	if (divcode_parent(s, parent)) {
		FUZZ_CHECK(divcode_level(parent, NULL) == l - 1, "parent %s of %s", parent, s);
		FUZZ_CHECK(divcode_extends(s, parent), "%s does not extend its parent %s", s, parent);
		FUZZ_CHECK(!divcode_extends(parent, s), "parent %s extends child %s", parent, s);
	} else {
		FUZZ_CHECK(parent[0] == '\0', "no parent but %s", parent);
	}
	FUZZ_CHECK(!divcode_extends(s, s), "%s extends itself", s);
	(void)divcode_extends(s, other);
	(void)division_level_from_name(s);
}

static void
check_mobile(const char *s)
{
	char out[MOBILE_SIZE], again[MOBILE_SIZE], mask[MOBILE_SIZE];

	if (mobile_check(s, out) == MSG_NONE) {
		FUZZ_CHECK(strlen(out) == MOBILE_LEN, "mobile %s", out);
		FUZZ_CHECK(mobile_check(out, again) == MSG_NONE && strcmp(out, again) == 0,
		    "normalised mobile %s does not check", out);
		mobile_mask(out, mask);
		FUZZ_CHECK(strlen(mask) == MOBILE_LEN && strncmp(mask + 3, "****", 4) == 0,
		    "mask %s", mask);
	} else {
		FUZZ_CHECK(out[0] == '\0', "failed check left %s", out);
	}
	mobile_mask(s, mask);
	FUZZ_CHECK(strlen(mask) <= MOBILE_LEN, "mask %s", mask);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;

	fuzz_fields_split(&ff, data, size, '\n', 2);
	check_idnum(ff.f[0]);
	check_uscc(ff.f[0]);
	check_divcode(ff.f[0], ff.f[1]);
	check_mobile(ff.f[0]);
	fuzz_fields_release(&ff);
	return 0;
}
