/*
 * The working-day calendar: case deadlines are counted in working days on
 * the Chinese statutory calendar, where holiday periods (放假) take days off
 * and some weekend days are worked instead (调休上班). The facts come from
 * one CSV file per year under data/calendar/ (see its README.md), because
 * the State Council publishes next year's dates each November and a county
 * must be able to add them without a new build.
 *
 * Dates are county-local (clock_offset_minutes()). A year without a file is
 * counted as plain Monday-to-Friday weeks; calendar_knows_year() tells the
 * caller when that happens so it can warn.
 *
 * A loaded calendar is read-only, so one instance may be shared by every
 * thread; the loaders are the only functions that change it.
 */
#ifndef PINGAN_BASE_CALENDAR_H
#define PINGAN_BASE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;   /* opaque */

/* Largest n calendar_add_workdays() honours (about 400 years): a bound so
 * that a nonsense count cannot keep a request thread busy. */
#define CALENDAR_MAX_WORKDAYS 100000

/* An empty calendar (every year plain Mon-Fri). Freed with calendar_free. */
struct calendar *calendar_new(void);
/* Frees cal and everything it holds; NULL is fine. */
void calendar_free(struct calendar *cal);

/*
 * Loads every "*.csv" file in dir, in name order, into a new calendar.
 * Returns 0 and sets *out (the caller frees it with calendar_free), or an
 * error with *out NULL and a one-line reason in err (err may be NULL when
 * errlen is 0):
 *   ERR_INVALID    "dir/file.csv:line: reason" for a malformed line (bad
 *                  date, unknown kind, duplicate date, ...)
 *   ERR_NOT_FOUND  dir or a file cannot be opened
 *   ERR_TOO_LARGE  a file is over 1 MiB (a year is about 40 lines)
 *   ERR_STORAGE    a read failed
 * Files other than *.csv (the README) are ignored; an empty directory gives
 * an empty calendar.
 */
int calendar_load_dir(const char *dir, struct calendar **out, char *err, size_t errlen);

/*
 * Adds the rows of one CSV text (header "date,kind,name") to cal; name is
 * the file name used in messages. All or nothing: on error (ERR_INVALID with
 * "name:line: reason" in err) cal is unchanged. A date already in cal is a
 * duplicate. The text need not be NUL-terminated.
 */
int calendar_load_text(struct calendar *cal, const char *text, size_t len, const char *name,
    char *err, size_t errlen);

/* True when the county-local date y-m-d (a real date) is a working day:
 * Mon-Fri unless a holiday, Sat/Sun only when listed as a workday. */
bool calendar_is_workday(const struct calendar *cal, int y, int m, int d);

/* True when a loaded file covers year y. A file covers the year of its
 * latest date, since a 元旦 break may begin in late December before. */
bool calendar_knows_year(const struct calendar *cal, int y);

/*
 * The deadline n working days after the instant from (epoch ms): the last
 * millisecond (23:59:59.999 county time) of the n-th working day after
 * from's local date. Working day 1 is the first working day after that date,
 * so a case received on Friday evening with 1 day is due at the end of
 * Monday, or later around holidays. n = 0 gives the end of from's own date
 * (even when that date is a holiday); n < 0 counts as 0 and n above
 * CALENDAR_MAX_WORKDAYS as that maximum.
 */
int64_t calendar_add_workdays(const struct calendar *cal, int64_t from, int n);

/* from + hours in epoch ms: urgent cases run on the clock, not the calendar. */
int64_t calendar_add_hours(int64_t from, int hours);

/*
 * Working days d with date(from) < d <= date(to), county-local dates; the
 * negative count when to's date is before from's. For "days overdue":
 * calendar_workdays_between(cal, from, calendar_add_workdays(cal, from, n))
 * is n. Saturates at INT_MIN/INT_MAX.
 */
int calendar_workdays_between(const struct calendar *cal, int64_t from, int64_t to);

/* Name of the holiday (放假) on the date, e.g. "春节", or NULL (also for a
 * worked weekend day). The string belongs to cal. */
const char *calendar_holiday_name(const struct calendar *cal, int y, int m, int d);

#endif
