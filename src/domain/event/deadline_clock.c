/*
 * One deadline clock (acceptance, the case's deadline, a dispatch's sign or
 * finish deadline): its colour at an instant and the next instant at which
 * that colour changes. Yellow from 75 % of the time, red once past the end.
 */
#include "domain/event/event_internal.h"

static enum colour
colour_at(int64_t start, int64_t end, int64_t now)
{
	if (end <= 0 || start <= 0)
		return COLOUR_GREEN;
	if (now > end)
		return COLOUR_RED;
	if (end > start && (now - start) * 4 >= (end - start) * 3)
		return COLOUR_YELLOW;
	return COLOUR_GREEN;
}

/* The first instant after now at which that colour changes; 0 when it never will. */
static int64_t
next_change(int64_t start, int64_t end, int64_t now)
{
	int64_t yellow;

	if (end <= 0 || start <= 0 || now > end)
		return 0;
	/* The first instant t with (t - start) * 4 >= (end - start) * 3. */
	yellow = end > start ? start + ((end - start) * 3 + 3) / 4 : end + 1;
	return now < yellow ? yellow : end + 1;
}

enum colour
clock_watch(int64_t start, int64_t end, int64_t now, int64_t *next)
{
	int64_t at = next_change(start, end, now);

	if (at != 0 && (*next == 0 || at < *next))
		*next = at;
	return colour_at(start, end, now);
}
