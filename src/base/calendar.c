#include "base/calendar.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/file.h"
#include "base/parse.h"

#define MS_PER_DAY 86400000LL
#define MS_PER_HOUR 3600000LL
#define CAL_NAME_MAX 64                  /* with the NUL; "国庆节、中秋节" takes 22 */
#define CAL_FILE_MAX ((size_t)1 << 20)   /* a year is ~40 lines; more is not a calendar */
#define CAL_PATH_MAX 4096

enum cal_kind { CAL_HOLIDAY, CAL_WORKDAY };

/* One listed date; every date not listed follows the Mon-Fri rule. */
struct cal_day {
	int64_t day;                 /* days_from_civil() of the local date */
	enum cal_kind kind;
	int line;                    /* line in its file, for duplicate messages */
	char name[CAL_NAME_MAX];
};

/* A growable array of listed dates. */
struct cal_days {
	struct cal_day *v;
	size_t n, cap;
};

struct calendar {
	struct cal_days days;        /* sorted by day, no day twice: binary search */
	int *years;                  /* years covered by a file, in load order */
	size_t nyears;
};

/* ---- day arithmetic ---------------------------------------------------- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* The county-local day number of an instant. */
static int64_t
local_day(int64_t ms)
{
	return floor_div(ms + (int64_t)clock_offset_minutes() * 60000, MS_PER_DAY);
}

/* The instant 23:59:59.999 county time on a local day. */
static int64_t
end_of_local_day(int64_t day)
{
	return (day + 1) * MS_PER_DAY - (int64_t)clock_offset_minutes() * 60000 - 1;
}

/* 0 = Sunday .. 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
static int
weekday(int64_t day)
{
	return (int)(day + 4 - 7 * floor_div(day + 4, 7));
}

static bool
is_weekend(int64_t day)
{
	int wd = weekday(day);

	return wd == 0 || wd == 6;
}

/*
 * Mon-Fri days from an arbitrary origin through day, so that the difference
 * of two calls counts them over a range without walking it: a garbage
 * instant must not turn "days overdue" into a loop over millennia.
 */
static int64_t
weekdays_through(int64_t day)
{
	int64_t week = floor_div(day + 4, 7);
	int64_t wd = day + 4 - 7 * week;

	return 5 * week + (wd < 5 ? wd : 5);
}

/* ---- the sorted array -------------------------------------------------- */

static void
days_push(struct cal_days *ds, const struct cal_day *e)
{
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		ds->v = xrealloc(ds->v, ds->cap * sizeof *ds->v);
	}
	ds->v[ds->n++] = *e;
}

/* Index of the first listed date >= day (ds sorted). */
static size_t
days_lower_bound(const struct cal_days *ds, int64_t day)
{
	size_t lo = 0, hi = ds->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ds->v[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct cal_day *
days_find(const struct cal_days *ds, int64_t day)
{
	size_t i = days_lower_bound(ds, day);

	return i < ds->n && ds->v[i].day == day ? &ds->v[i] : NULL;
}

/* By day, then by line, so that of two equal dates the later line comes second. */
static int
cmp_day_line(const void *a, const void *b)
{
	const struct cal_day *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static bool
day_is_workday(const struct calendar *cal, int64_t day)
{
	const struct cal_day *e = days_find(&cal->days, day);

	if (e != NULL)
		return e->kind == CAL_WORKDAY;
	return !is_weekend(day);
}

/* ---- parsing ----------------------------------------------------------- */

/* Writes "name:line: why" (and the offending value, cut short) into err. */
static int
line_error(char *err, size_t errlen, const char *name, int line, const char *why,
    const char *value)
{
	if (value != NULL)
		snprintf(err, errlen, "%s:%d: %s: \"%.40s\"", name, line, why, value);
	else
		snprintf(err, errlen, "%s:%d: %s", name, line, why);
	return ERR_INVALID;
}

/* The value of n ASCII digits at s, or -1 when one is not a digit. */
static int
read_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Exactly "YYYY-MM-DD" naming a date that exists; its day number into *day. */
static bool
parse_date(const char *s, int64_t *day)
{
	int y, m, d, yy, mm, dd;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = read_digits(s, 4);
	m = read_digits(s + 5, 2);
	d = read_digits(s + 8, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*day = days_from_civil(y, m, d);
	civil_from_days(*day, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d;   /* 02-30 comes back as 03-02 */
}

static bool
parse_kind(const char *s, enum cal_kind *kind)
{
	if (strcmp(s, "holiday") == 0)
		*kind = CAL_HOLIDAY;
	else if (strcmp(s, "workday") == 0)
		*kind = CAL_WORKDAY;
	else
		return false;
	return true;
}

/* A name shown to users: one line of UTF-8 that fits cal_day.name. */
static bool
name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < CAL_NAME_MAX && strpbrk(s, "\t\r\n") == NULL &&
	    utf8_is_clean_text(s, n);
}

/*
 * Checks one data line into *row. A workday on Mon-Fri is refused: it
 * would change nothing, so it is a typo for some other date.
 */
static int
parse_row(const struct csv_record *rec, struct cal_day *row, const char *name, char *err,
    size_t errlen)
{
	const char *date, *kind, *label;

	if (rec->nfields != 3)
		return line_error(err, errlen, name, rec->line, "expected 3 fields date,kind,name",
		    NULL);
	date = rec->fields[0];
	kind = rec->fields[1];
	label = rec->fields[2];
	if (!parse_date(date, &row->day))
		return line_error(err, errlen, name, rec->line, "bad date (want a real YYYY-MM-DD)",
		    date);
	if (!parse_kind(kind, &row->kind))
		return line_error(err, errlen, name, rec->line,
		    "unknown kind (want holiday or workday)", kind);
	if (row->kind == CAL_WORKDAY && !is_weekend(row->day))
		return line_error(err, errlen, name, rec->line,
		    "workday on a Monday-Friday date (list only worked weekend days)", date);
	if (!name_ok(label))
		return line_error(err, errlen, name, rec->line,
		    "name must be 1-63 bytes of one-line UTF-8 text", NULL);
	memcpy(row->name, label, strlen(label) + 1);
	row->line = rec->line;
	return 0;
}

static int
read_header(struct csv *csv, struct csv_record *rec, const char *name, char *err,
    size_t errlen)
{
	if (csv_next(csv, rec) == 1 && rec->nfields == 3 && strcmp(rec->fields[0], "date") == 0 &&
	    strcmp(rec->fields[1], "kind") == 0 && strcmp(rec->fields[2], "name") == 0)
		return 0;
	return line_error(err, errlen, name, 1, "header must be date,kind,name", NULL);
}

/* 1 with the next non-blank record, 0 at the end, ERR_INVALID for broken CSV. */
static int
next_record(struct csv *csv, struct csv_record *rec, const char *name, char *err,
    size_t errlen)
{
	int rc;

	do
		rc = csv_next(csv, rec);
	while (rc == 1 && rec->nfields == 1 && rec->fields[0][0] == '\0');
	if (rc < 0)
		return line_error(err, errlen, name, rec->line, "malformed CSV record", NULL);
	return rc;
}

static int
duplicate_error(char *err, size_t errlen, const char *name, const struct cal_day *e,
    const char *where)
{
	int y, m, d;

	civil_from_days(e->day, &y, &m, &d);
	snprintf(err, errlen, "%s:%d: duplicate date %04d-%02d-%02d (%s)", name, e->line, y, m, d,
	    where);
	return ERR_INVALID;
}

/* Sorts a file's rows and refuses a date listed twice in it or already loaded. */
static int
check_file(const struct calendar *cal, struct cal_days *file, const char *name, char *err,
    size_t errlen)
{
	char where[48];

	if (file->n == 0)
		return line_error(err, errlen, name, 2, "no dates after the header", NULL);
	qsort(file->v, file->n, sizeof *file->v, cmp_day_line);
	for (size_t i = 0; i < file->n; i++) {
		const struct cal_day *e = &file->v[i];

		if (i > 0 && e->day == file->v[i - 1].day) {
			snprintf(where, sizeof where, "also on line %d", file->v[i - 1].line);
			return duplicate_error(err, errlen, name, e, where);
		}
		if (days_find(&cal->days, e->day) != NULL)
			return duplicate_error(err, errlen, name, e, "already in an earlier file");
	}
	return 0;
}

/* Years are few (one per file), so a list searched in order is enough. */
static void
add_year(struct calendar *cal, int y)
{
	if (calendar_knows_year(cal, y))
		return;
	cal->years = xrealloc(cal->years, (cal->nyears + 1) * sizeof *cal->years);
	cal->years[cal->nyears++] = y;
}

/* Adds a checked, sorted file and the year it covers (that of its last date). */
static void
merge(struct calendar *cal, const struct cal_days *file)
{
	int y, m, d;

	for (size_t i = 0; i < file->n; i++)
		days_push(&cal->days, &file->v[i]);
	qsort(cal->days.v, cal->days.n, sizeof *cal->days.v, cmp_day_line);
	civil_from_days(file->v[file->n - 1].day, &y, &m, &d);
	add_year(cal, y);
}

/*
 * Rows are gathered apart and merged only when the whole file is good, so
 * a bad file leaves cal as it was. A NUL byte means the file was saved as
 * UTF-16 (a spreadsheet's "Unicode text"), which deserves its own message.
 */
int
calendar_load_text(struct calendar *cal, const char *text, size_t len, const char *name,
    char *err, size_t errlen)
{
	struct csv csv;
	struct csv_record rec;
	struct cal_days file = { 0 };
	struct cal_day row;
	int rc;

	assert(cal != NULL);
	if (errlen > 0)
		err[0] = '\0';
	if (len > 0 && memchr(text, '\0', len) != NULL)
		return line_error(err, errlen, name, 1, "NUL byte: save the file as UTF-8", NULL);
	csv_init(&csv, text, len);
	rc = read_header(&csv, &rec, name, err, errlen);
	while (rc == 0 && (rc = next_record(&csv, &rec, name, err, errlen)) == 1) {
		rc = parse_row(&rec, &row, name, err, errlen);
		if (rc == 0)
			days_push(&file, &row);
	}
	if (rc == 0)
		rc = check_file(cal, &file, name, err, errlen);
	if (rc == 0)
		merge(cal, &file);
	csv_release(&csv);
	free(file.v);
	return rc;
}

/* ---- the directory ----------------------------------------------------- */

static bool
is_csv_name(const char *s)
{
	size_t n = strlen(s);

	return s[0] != '.' && n > 4 && strcmp(s + n - 4, ".csv") == 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.csv names in dir, sorted, into *names (each and the array freed by the caller). */
static int
list_csv(const char *dir, char ***names, size_t *n, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	int rc = 0;

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		snprintf(err, errlen, "%s: cannot open directory: %s", dir, strerror(errno));
		return ERR_NOT_FOUND;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (!is_csv_name(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*names = xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		snprintf(err, errlen, "%s: cannot list directory: %s", dir, strerror(errno));
		rc = ERR_STORAGE;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, cmp_str);
	return rc;
}

static const char *
read_failure(int rc)
{
	if (rc == ERR_TOO_LARGE)
		return "larger than 1 MiB";
	return rc == ERR_NOT_FOUND ? "cannot open" : "read error";
}

/* Reads dir/file into cal; messages name the path so an operator can open it. */
static int
load_file(struct calendar *cal, const char *dir, const char *file, char *err, size_t errlen)
{
	struct buf path;
	size_t dlen = strlen(dir);
	char *text = NULL;
	size_t len = 0;
	int rc;

	buf_init(&path, CAL_PATH_MAX);
	rc = buf_addf(&path, "%s%s%s", dir, dlen > 0 && dir[dlen - 1] == '/' ? "" : "/", file);
	if (rc != 0) {
		snprintf(err, errlen, "%s/%s: path too long", dir, file);
		goto out;
	}
	rc = file_read_all(buf_str(&path), CAL_FILE_MAX, &text, &len);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", buf_str(&path), read_failure(rc));
		goto out;
	}
	rc = calendar_load_text(cal, text, len, buf_str(&path), err, errlen);
out:
	free(text);
	buf_release(&path);
	return rc;
}

int
calendar_load_dir(const char *dir, struct calendar **out, char *err, size_t errlen)
{
	struct calendar *cal = calendar_new();
	char **names;
	size_t n;
	int rc;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	rc = list_csv(dir, &names, &n, err, errlen);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = load_file(cal, dir, names[i], err, errlen);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != 0) {
		calendar_free(cal);
		return rc;
	}
	*out = cal;
	return 0;
}

/* ---- lifecycle and queries --------------------------------------------- */

struct calendar *
calendar_new(void)
{
	return xcalloc(1, sizeof(struct calendar));
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->days.v);
	free(cal->years);
	free(cal);
}

/* Day number of a date the caller promises is real (a programmer error otherwise). */
static int64_t
checked_day(int y, int m, int d)
{
	assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	return days_from_civil(y, m, d);
}

bool
calendar_is_workday(const struct calendar *cal, int y, int m, int d)
{
	assert(cal != NULL);
	return day_is_workday(cal, checked_day(y, m, d));
}

bool
calendar_knows_year(const struct calendar *cal, int y)
{
	assert(cal != NULL);
	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i] == y)
			return true;
	return false;
}

const char *
calendar_holiday_name(const struct calendar *cal, int y, int m, int d)
{
	const struct cal_day *e;

	assert(cal != NULL);
	e = days_find(&cal->days, checked_day(y, m, d));
	return e != NULL && e->kind == CAL_HOLIDAY ? e->name : NULL;
}

/* Walks day by day: n is a deadline of days or weeks, and capped. */
int64_t
calendar_add_workdays(const struct calendar *cal, int64_t from, int n)
{
	int64_t day = local_day(from);

	assert(cal != NULL);
	if (n > CALENDAR_MAX_WORKDAYS)
		n = CALENDAR_MAX_WORKDAYS;
	while (n > 0) {
		day++;
		if (day_is_workday(cal, day))
			n--;
	}
	return end_of_local_day(day);
}

int64_t
calendar_add_hours(int64_t from, int hours)
{
	return from + (int64_t)hours * MS_PER_HOUR;
}

/* A listed date's effect on the Mon-Fri count: -1 for a weekday off, +1 for a worked weekend. */
static int
listed_correction(const struct cal_day *e)
{
	if (is_weekend(e->day))
		return e->kind == CAL_WORKDAY;
	return -(e->kind == CAL_HOLIDAY);
}

/* Working days in (a, b] for a <= b: the Mon-Fri count corrected by the listed dates. */
static int64_t
workdays_in(const struct calendar *cal, int64_t a, int64_t b)
{
	int64_t n = weekdays_through(b) - weekdays_through(a);

	for (size_t i = days_lower_bound(&cal->days, a + 1);
	    i < cal->days.n && cal->days.v[i].day <= b; i++)
		n += listed_correction(&cal->days.v[i]);
	return n;
}

int
calendar_workdays_between(const struct calendar *cal, int64_t from, int64_t to)
{
	int64_t a = local_day(from), b = local_day(to);
	int64_t n;

	assert(cal != NULL);
	n = b >= a ? workdays_in(cal, a, b) : -workdays_in(cal, b, a);
	if (n > INT_MAX)
		return INT_MAX;
	if (n < INT_MIN)
		return INT_MIN;
	return (int)n;
}
