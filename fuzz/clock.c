/*
 * clock_parse_iso(): every time in a query (from=, to=) and in a body
 * (occurred_at, deadline, due). A time that parses must format and parse
 * back to the same instant.
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "support/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), iso[64];
	int64_t ms, again;
	int y, m, d;

	if (clock_parse_iso(s, &ms) == 0) {
		clock_format_iso(ms, iso, sizeof iso);
		FUZZ_CHECK(clock_parse_iso(iso, &again) == 0, "\"%s\" formats as unparsable \"%s\"",
		    s, iso);
		FUZZ_CHECK(again == ms, "\"%s\" -> %s -> %lld, not %lld", s, iso, (long long)again,
		    (long long)ms);
		clock_local_date(ms, &y, &m, &d);
		FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31, "local date %d-%d-%d", y, m, d);
	}
	free(s);
	return 0;
}
