#include "domain/json_time.h"

#include "base/clock.h"

json_t *
json_time(int64_t ms)
{
	char t[40];

	if (ms == 0)
		return json_null();
	clock_format_iso(ms, t, sizeof t);
	return json_string(t);
}

void
jw_time(struct jw *w, const char *key, int64_t ms)
{
	char t[40];

	if (ms == 0) {
		jw_null(w, key);
		return;
	}
	clock_format_iso(ms, t, sizeof t);
	jw_str(w, key, t);
}
