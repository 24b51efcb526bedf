#include "../../harness.h"

#include "base/clock.h"
#include "base/err.h"

TEST(clock_formats_in_county_time)
{
	char s[40];

	clock_set_offset_minutes(480);
	clock_format_iso(0, s, sizeof s);
	CHECK_STR(s, "1970-01-01T08:00:00.000+08:00");
	clock_format_iso(1795831200000, s, sizeof s);   /* 2026-11-28T02:00:00Z */
	CHECK_STR(s, "2026-11-28T10:00:00.000+08:00");
}

TEST(clock_parses_offsets_dates_and_rejects_nonsense)
{
	int64_t ms;

	clock_set_offset_minutes(480);
	CHECK_INT(clock_parse_iso("2026-11-28T10:00:00+08:00", &ms), 0);
	CHECK_INT(ms, 1795831200000);
	CHECK_INT(clock_parse_iso("2026-11-28T02:00:00Z", &ms), 0);
	CHECK_INT(ms, 1795831200000);
	CHECK_INT(clock_parse_iso("2026-11-28T02:00:00.250Z", &ms), 0);
	CHECK_INT(ms, 1795831200250);
	CHECK_INT(clock_parse_iso("2026-11-28", &ms), 0);   /* local midnight */
	CHECK_INT(ms, 1795831200000 - 10 * 3600000);
	CHECK_INT(clock_parse_iso("2026-02-29", &ms), ERR_INVALID);
	CHECK_INT(clock_parse_iso("2026-11-28T24:00:00Z", &ms), ERR_INVALID);
	CHECK_INT(clock_parse_iso("2026-11-28T10:00:00", &ms), ERR_INVALID);
	CHECK_INT(clock_parse_iso("2026-11-28T10:00:00+08:00x", &ms), ERR_INVALID);
}

TEST(clock_injection_fixes_and_advances_time)
{
	clock_set_fixed(1000);
	CHECK_INT(clock_now_ms(), 1000);
	clock_advance(500);
	CHECK_INT(clock_now_ms(), 1500);
	clock_set_fixed(0);
	CHECK(clock_now_ms() > 1700000000000);
}

TEST(civil_days_round_trip)
{
	int y, m, d;

	for (int64_t z = -1000; z < 30000; z += 37) {
		civil_from_days(z, &y, &m, &d);
		CHECK_INT(days_from_civil(y, m, d), z);
	}
	CHECK_INT(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
}
