#include "../../harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/err.h"

/* Tests run from the repository root. */
#define CAL_DIR "data/calendar"

/* An instant from ISO 8601 text; 0 (never a test instant) when it does not parse. */
static int64_t
at(const char *iso)
{
	int64_t ms;

	return clock_parse_iso(iso, &ms) == 0 ? ms : 0;
}

/* 23:59:59.999 county time on a "YYYY-MM-DD" date. */
static int64_t
end_of(const char *date)
{
	char iso[40];

	snprintf(iso, sizeof iso, "%sT23:59:59.999+08:00", date);
	return at(iso);
}

static struct calendar *
load_real(void)
{
	struct calendar *cal = NULL;
	char err[256];

	clock_set_offset_minutes(480);
	if (calendar_load_dir(CAL_DIR, &cal, err, sizeof err) != 0)
		printf("    %s\n", err);
	return cal;
}

struct day_fact {
	int y, m, d;
	bool work;
};

/* The first failing row of a fact table, or -1. */
static int
first_wrong(const struct calendar *cal, const struct day_fact *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (calendar_is_workday(cal, f[i].y, f[i].m, f[i].d) != f[i].work)
			return (int)i;
	return -1;
}

TEST(calendar_2026_matches_the_state_council_notice)
{
	static const struct day_fact facts[] = {
		{ 2026, 1, 1, false }, { 2026, 1, 2, false }, { 2026, 1, 3, false },
		{ 2026, 1, 4, true },     /* Sun, 元旦 调休 */
		{ 2026, 2, 14, true },    /* Sat, 春节 调休 */
		{ 2026, 2, 15, false }, { 2026, 2, 16, false }, { 2026, 2, 17, false },
		{ 2026, 2, 18, false }, { 2026, 2, 19, false }, { 2026, 2, 20, false },
		{ 2026, 2, 21, false }, { 2026, 2, 22, false }, { 2026, 2, 23, false },
		{ 2026, 2, 24, true },
		{ 2026, 2, 28, true },    /* Sat, 春节 调休 */
		{ 2026, 3, 7, false },    /* an ordinary Saturday */
		{ 2026, 3, 11, true },    /* an ordinary Wednesday */
		{ 2026, 4, 4, false }, { 2026, 4, 5, false }, { 2026, 4, 6, false },
		{ 2026, 5, 1, false }, { 2026, 5, 2, false }, { 2026, 5, 3, false },
		{ 2026, 5, 4, false }, { 2026, 5, 5, false },
		{ 2026, 5, 9, true },     /* Sat, 劳动节 调休 */
		{ 2026, 6, 19, false }, { 2026, 6, 20, false }, { 2026, 6, 21, false },
		{ 2026, 9, 20, true },    /* Sun, 国庆节 调休 */
		{ 2026, 9, 25, false }, { 2026, 9, 26, false }, { 2026, 9, 27, false },
		{ 2026, 9, 28, true },
		{ 2026, 10, 1, false }, { 2026, 10, 2, false }, { 2026, 10, 3, false },
		{ 2026, 10, 4, false }, { 2026, 10, 5, false }, { 2026, 10, 6, false },
		{ 2026, 10, 7, false },
		{ 2026, 10, 8, true },
		{ 2026, 10, 10, true },   /* Sat, 国庆节 调休 */
		{ 2026, 10, 11, false },
	};
	struct calendar *cal = load_real();

	CHECK(cal != NULL);
	CHECK_INT(first_wrong(cal, facts, sizeof facts / sizeof facts[0]), -1);
	calendar_free(cal);
}

TEST(calendar_2025_matches_the_state_council_notice)
{
	static const struct day_fact facts[] = {
		{ 2025, 1, 1, false },
		{ 2025, 1, 26, true },    /* Sun, 春节 调休 */
		{ 2025, 1, 28, false }, { 2025, 2, 4, false },
		{ 2025, 2, 5, true },
		{ 2025, 2, 8, true },     /* Sat, 春节 调休 */
		{ 2025, 4, 4, false },
		{ 2025, 4, 27, true },    /* Sun, 劳动节 调休 */
		{ 2025, 5, 5, false },
		{ 2025, 6, 2, false },
		{ 2025, 9, 28, true },    /* Sun, 国庆 调休 */
		{ 2025, 10, 1, false }, { 2025, 10, 2, false }, { 2025, 10, 3, false },
		{ 2025, 10, 4, false }, { 2025, 10, 5, false }, { 2025, 10, 6, false },
		{ 2025, 10, 7, false }, { 2025, 10, 8, false },
		{ 2025, 10, 9, true },
		{ 2025, 10, 11, true },   /* Sat, 国庆 调休 */
	};
	struct calendar *cal = load_real();

	CHECK(cal != NULL);
	CHECK_INT(first_wrong(cal, facts, sizeof facts / sizeof facts[0]), -1);
	calendar_free(cal);
}

/* Holiday days and worked weekend days of a year, counted from the data. */
static void
count_year(const struct calendar *cal, int y, int *off, int *worked_weekends)
{
	int64_t first = days_from_civil(y, 1, 1), last = days_from_civil(y, 12, 31);
	int yy, m, d;

	*off = *worked_weekends = 0;
	for (int64_t z = first; z <= last; z++) {
		int wd = (int)(((z + 4) % 7 + 7) % 7);

		civil_from_days(z, &yy, &m, &d);
		*off += calendar_holiday_name(cal, yy, m, d) != NULL;
		*worked_weekends += (wd == 0 || wd == 6) && calendar_is_workday(cal, yy, m, d);
	}
}

/* Every day of every holiday period is listed, and nothing more: totals per the notices. */
TEST(calendar_files_list_every_day_off_and_every_worked_weekend)
{
	struct calendar *cal = load_real();
	int off, worked;

	CHECK(cal != NULL);
	count_year(cal, 2025, &off, &worked);
	CHECK_INT(off, 1 + 8 + 3 + 5 + 3 + 8);
	CHECK_INT(worked, 5);
	count_year(cal, 2026, &off, &worked);
	CHECK_INT(off, 3 + 9 + 3 + 5 + 3 + 3 + 7);
	CHECK_INT(worked, 6);
	calendar_free(cal);
}

TEST(calendar_names_holidays_and_knows_its_years)
{
	struct calendar *cal = load_real();

	CHECK(cal != NULL);
	CHECK_STR(calendar_holiday_name(cal, 2026, 2, 17), "春节");
	CHECK_STR(calendar_holiday_name(cal, 2026, 9, 26), "中秋节");
	CHECK_STR(calendar_holiday_name(cal, 2026, 10, 3), "国庆节");
	CHECK_STR(calendar_holiday_name(cal, 2025, 10, 8), "国庆节、中秋节");
	CHECK(calendar_holiday_name(cal, 2026, 2, 14) == NULL);   /* worked, not a holiday */
	CHECK(calendar_holiday_name(cal, 2026, 3, 7) == NULL);
	CHECK(calendar_knows_year(cal, 2025));
	CHECK(calendar_knows_year(cal, 2026));
	CHECK(!calendar_knows_year(cal, 2024));
	CHECK(!calendar_knows_year(cal, 2027));
	/* A year without a file is plain Mon-Fri: 2027-10-01 is a Friday. */
	CHECK(calendar_is_workday(cal, 2027, 10, 1));
	CHECK(!calendar_is_workday(cal, 2027, 10, 2));
	calendar_free(cal);
}

TEST(calendar_deadlines_skip_holidays_and_count_worked_weekends)
{
	struct calendar *cal = load_real();

	CHECK(cal != NULL);
	CHECK_INT(calendar_add_workdays(cal, at("2026-09-30T10:00:00+08:00"), 1),
	    end_of("2026-10-08"));
	CHECK_INT(calendar_add_workdays(cal, at("2026-02-13T18:00:00+08:00"), 1),
	    end_of("2026-02-14"));
	CHECK_INT(calendar_add_workdays(cal, at("2026-02-13T18:00:00+08:00"), 2),
	    end_of("2026-02-24"));
	/* Wed 04-29: Thu 04-30, then 05-06/07/08 and the worked Saturday 05-09. */
	CHECK_INT(calendar_add_workdays(cal, at("2026-04-29T09:00:00+08:00"), 5),
	    end_of("2026-05-09"));
	/* An ordinary Friday evening with one day is due Monday. */
	CHECK_INT(calendar_add_workdays(cal, at("2026-03-06T20:00:00+08:00"), 1),
	    end_of("2026-03-09"));
	CHECK_INT(end_of("2026-10-08") % 1000, 999);
	calendar_free(cal);
}

/* The local date decides, not the UTC one: 16:30Z on 02-13 is already 02-14 in the county. */
TEST(calendar_deadlines_use_the_county_date)
{
	struct calendar *cal = load_real();

	CHECK(cal != NULL);
	CHECK_INT(calendar_add_workdays(cal, at("2026-02-13T15:59:59Z"), 1), end_of("2026-02-14"));
	CHECK_INT(calendar_add_workdays(cal, at("2026-02-13T16:30:00Z"), 1), end_of("2026-02-24"));
	CHECK_INT(calendar_add_workdays(cal, at("2026-02-13T16:30:00Z"), 0), end_of("2026-02-14"));
	/* n = 0 is the end of the day itself, holiday or not; a negative n counts as 0. */
	CHECK_INT(calendar_add_workdays(cal, at("2026-10-02T08:00:00+08:00"), 0),
	    end_of("2026-10-02"));
	CHECK_INT(calendar_add_workdays(cal, at("2026-10-02T08:00:00+08:00"), -3),
	    end_of("2026-10-02"));
	calendar_free(cal);
}

TEST(calendar_add_hours_ignores_the_calendar)
{
	int64_t from = at("2026-09-30T22:00:00+08:00");

	CHECK_INT(calendar_add_hours(from, 24), at("2026-10-01T22:00:00+08:00"));
	CHECK_INT(calendar_add_hours(from, 2), at("2026-10-01T00:00:00+08:00"));
	CHECK_INT(calendar_add_hours(from, 0), from);
	CHECK_INT(calendar_add_hours(from, -1), at("2026-09-30T21:00:00+08:00"));
}

TEST(calendar_counts_working_days_between_instants)
{
	struct calendar *cal = load_real();
	int64_t sep30 = at("2026-09-30T10:00:00+08:00");

	CHECK(cal != NULL);
	CHECK_INT(calendar_workdays_between(cal, sep30, at("2026-10-08T09:00:00+08:00")), 1);
	CHECK_INT(calendar_workdays_between(cal, sep30, at("2026-10-07T23:00:00+08:00")), 0);
	/* 10-08, 10-09, the worked Saturday 10-10, then Monday 10-12. */
	CHECK_INT(calendar_workdays_between(cal, sep30, at("2026-10-12T09:00:00+08:00")), 4);
	CHECK_INT(calendar_workdays_between(cal, at("2026-10-12T09:00:00+08:00"), sep30), -4);
	CHECK_INT(calendar_workdays_between(cal, sep30, sep30 + 3600000), 0);
	CHECK_INT(calendar_workdays_between(cal, at("2026-02-13T10:00:00+08:00"),
	    at("2026-02-24T10:00:00+08:00")), 2);
	/* 2027 has no file: 5 a week. */
	CHECK_INT(calendar_workdays_between(cal, at("2027-03-01T10:00:00+08:00"),
	    at("2027-03-29T10:00:00+08:00")), 20);
	calendar_free(cal);
}

/* The counting shortcut in workdays_between agrees with walking day by day. */
TEST(calendar_between_agrees_with_add_workdays)
{
	struct calendar *cal = load_real();
	int64_t start = at("2024-12-01T12:00:00+08:00");

	CHECK(cal != NULL);
	for (int day = 0; day < 800; day++) {
		int64_t from = start + (int64_t)day * 86400000;

		for (int n = 0; n <= 25; n++) {
			int64_t due = calendar_add_workdays(cal, from, n);

			if (calendar_workdays_between(cal, from, due) != n ||
			    calendar_workdays_between(cal, due, from) != -n) {
				test_failf(__FILE__, __LINE__, "day %d n %d", day, n);
				calendar_free(cal);
				return;
			}
		}
	}
	calendar_free(cal);
}

/* Loads text into a fresh calendar; the code, with the message in err. */
static int
load_one(const char *text, char *err, size_t errlen)
{
	struct calendar *cal = calendar_new();
	int rc = calendar_load_text(cal, text, strlen(text), "t.csv", err, errlen);

	calendar_free(cal);
	return rc;
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define HDR "date,kind,name\n"

TEST(calendar_rejects_malformed_lines_with_file_and_line)
{
	static const struct { const char *text, *where; } bad[] = {
		{ HDR "2026-02-27,holiday,春节\n2026-02-30,holiday,春节\n", "t.csv:3: bad date" },
		{ HDR "2026-2-3,holiday,春节\n", "t.csv:2: bad date" },
		{ HDR "2026-02-17,vacation,春节\n", "t.csv:2: unknown kind" },
		{ HDR "2026-02-17,holiday,春节\n\n2026-02-17,holiday,春节\n",
		  "t.csv:4: duplicate date 2026-02-17 (also on line 2)" },
		{ HDR "2026-03-11,workday,春节\n", "t.csv:2: workday on a Monday-Friday" },
		{ HDR "2026-02-17,holiday\n", "t.csv:2: expected 3 fields" },
		{ HDR "2026-02-17,holiday,\n", "t.csv:2: name must be" },
		{ HDR "2026-02-17,holiday,\"春节\n", "t.csv:2: malformed CSV" },
		{ "date,type,name\n2026-02-17,holiday,春节\n", "t.csv:1: header" },
		{ "", "t.csv:1: header" },
		{ HDR, "t.csv:2: no dates" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = load_one(bad[i].text, err, sizeof err);

		if (rc != ERR_INVALID || !starts_with(err, bad[i].where)) {
			test_failf(__FILE__, __LINE__, "case %zu: rc %d err \"%s\"", i, rc, err);
			return;
		}
	}
}

TEST(calendar_rejects_utf16_text)
{
	static const char text[] = "d\0a\0t\0e\0";
	struct calendar *cal = calendar_new();
	char err[256];

	CHECK_INT(calendar_load_text(cal, text, sizeof text - 1, "t.csv", err, sizeof err),
	    ERR_INVALID);
	CHECK(starts_with(err, "t.csv:1: NUL byte"));
	calendar_free(cal);
}

/* A bad file changes nothing; a date in a second file that is already loaded is a duplicate. */
TEST(calendar_load_text_is_all_or_nothing)
{
	struct calendar *cal = calendar_new();
	const char *good = HDR "2026-10-01,holiday,国庆节\n";
	const char *bad = HDR "2026-10-02,holiday,国庆节\n2026-10-03,holday,国庆节\n";
	const char *dup = HDR "2026-10-05,holiday,国庆节\n2026-10-01,holiday,国庆节\n";
	char err[256];

	CHECK_INT(calendar_load_text(cal, good, strlen(good), "a.csv", err, sizeof err), 0);
	CHECK_STR(err, "");
	CHECK_INT(calendar_load_text(cal, bad, strlen(bad), "b.csv", err, sizeof err), ERR_INVALID);
	CHECK(starts_with(err, "b.csv:3: unknown kind"));
	CHECK(strstr(err, "\"holday\"") != NULL);
	CHECK(calendar_is_workday(cal, 2026, 10, 2));   /* line 2 of b.csv was not applied */
	CHECK_INT(calendar_load_text(cal, dup, strlen(dup), "c.csv", err, sizeof err), ERR_INVALID);
	CHECK(starts_with(err, "c.csv:3: duplicate date 2026-10-01 (already in an earlier file)"));
	CHECK(calendar_is_workday(cal, 2026, 10, 5));
	CHECK(!calendar_is_workday(cal, 2026, 10, 1));
	calendar_free(cal);
}

/* What a spreadsheet writes: a BOM, CRLF, quoted fields, a blank last line. */
TEST(calendar_reads_spreadsheet_csv)
{
	const char *text = "\xEF\xBB\xBF" "date,kind,name\r\n2025-12-31,holiday,\"元旦\"\r\n"
	    "2026-01-01,holiday,元旦\r\n2026-01-04,workday,元旦\r\n\r\n";
	struct calendar *cal = calendar_new();
	char err[256];

	CHECK_INT(calendar_load_text(cal, text, strlen(text), "t.csv", err, sizeof err), 0);
	CHECK_STR(calendar_holiday_name(cal, 2025, 12, 31), "元旦");
	CHECK(calendar_is_workday(cal, 2026, 1, 4));
	/* The file covers the year of its last date, not the December day before it. */
	CHECK(calendar_knows_year(cal, 2026));
	CHECK(!calendar_knows_year(cal, 2025));
	calendar_free(cal);
}

static bool
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;
	bool ok;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return false;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

static void
remove_file(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

/* Files load in name order, the README is skipped, and errors name the path and line. */
TEST(calendar_load_dir_names_the_bad_file)
{
	char dir[] = "/tmp/pingan-calendar-XXXXXX", want[128], err[256];
	struct calendar *cal = NULL;
	int rc;

	CHECK(mkdtemp(dir) != NULL);
	CHECK(write_file(dir, "README.md", "not a calendar\n"));
	CHECK(write_file(dir, "cn-2026.csv", HDR "2026-10-01,holiday,国庆节\n"));
	CHECK(write_file(dir, "cn-2027.csv", HDR "2027-02-06,holiday,春节\n"
	    "2026-10-01,holiday,国庆节\n"));
	rc = calendar_load_dir(dir, &cal, err, sizeof err);
	remove_file(dir, "README.md");
	remove_file(dir, "cn-2026.csv");
	remove_file(dir, "cn-2027.csv");
	rmdir(dir);
	CHECK_INT(rc, ERR_INVALID);
	CHECK(cal == NULL);
	snprintf(want, sizeof want, "%s/cn-2027.csv:3: duplicate date 2026-10-01", dir);
	CHECK(starts_with(err, want));
	CHECK_INT(calendar_load_dir("/nonexistent/calendar", &cal, err, sizeof err), ERR_NOT_FOUND);
	CHECK(cal == NULL);
}
