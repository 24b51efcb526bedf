/*
 * Regression tests for what the clock fuzz target (fuzz/clock.c) found.
 *
 * clock_parse_iso() accepts any date from 1900-01-01 to 9999-12-31 in the
 * offset it is written in, but clock_format_iso() renders in county time:
 * an instant near either end renders as year 10000 or 1899, which the
 * parser then refuses, so a time the server stored does not read back.
 * Found as fuzz/corpus/clock/regress-year-10000 and -year-1899.
 */
#include "../../harness.h"

#include "base/clock.h"

TEST(fuzz_clock_every_parsed_time_formats_back)
{
	static const char *const inputs[] = {
		"9999-12-31T23:59:59.999-14:00",   /* renders as 10000-01-01T21:59:59.999+08:00 */
		"9999-12-31T23:59:59+04:00",       /* renders as 10000-01-01T03:59:59.000+08:00 */
		"1900-01-01T00:00:02+09:00",       /* renders as 1899-12-31T23:00:02.000+08:00 */
	};

	clock_set_offset_minutes(480);
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char iso[64];
		int64_t ms, again;

		if (clock_parse_iso(inputs[i], &ms) != 0)
			continue;   /* refusing the instant is a fix too */
		clock_format_iso(ms, iso, sizeof iso);
		if (clock_parse_iso(iso, &again) != 0) {
			test_failf(__FILE__, __LINE__, "\"%s\" formats as \"%s\", which does not parse",
			    inputs[i], iso);
			return;
		}
		CHECK_INT(again, ms);
	}
}
