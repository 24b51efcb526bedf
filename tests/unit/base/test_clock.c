#include "../../harness.h"

#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

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

/* The hand-written formatter against gmtime_r and snprintf, years 1900..9998, any offset. */
TEST(clock_format_matches_gmtime_for_random_times_and_offsets)
{
	uint64_t x = 88172645463325252ull;
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		int64_t lo = -2208988800000LL, hi = 253370764800000LL;   /* 1900 .. 9999 */
		int offset;
		int64_t ms;
		time_t secs;
		struct tm tm;
		char got[40], want[96];

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		ms = lo + (int64_t)(x % (uint64_t)(hi - lo - 86400000LL * 2)) + 86400000LL;
		offset = (int)(x >> 40) % 1441 - 720;
		clock_set_offset_minutes(offset);
		clock_format_iso(ms, got, sizeof got);
		secs = (time_t)((ms + offset * 60000LL - (((ms % 1000) + 1000) % 1000)) / 1000);
		gmtime_r(&secs, &tm);
		snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (int)(((ms % 1000) + 1000) % 1000), offset < 0 ? '-' : '+', abs(offset) / 60,
		    abs(offset) % 60);
		if (strcmp(got, want) != 0 && bad++ < 3)
			printf("    %lld at %+d: %s, expected %s\n", (long long)ms, offset, got, want);
	}
	clock_set_offset_minutes(480);
	CHECK_INT(bad, 0);
	{
		char small[11];

		clock_format_iso(0, small, sizeof small);   /* cut, never overrun */
		CHECK_STR(small, "1970-01-01");
	}
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
