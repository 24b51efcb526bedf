#include "base/idnum.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "base/divcode.h"

/* Today's date in China Standard Time (UTC+8, no daylight saving), the
 * calendar the birth dates are written in whatever TZ the server has. */
static void
today_cst(int *y, int *m, int *d)
{
	time_t now = time(NULL) + 8 * 60 * 60;
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL) {
		/* Unreachable in practice; never reject a birth date for it. */
		*y = 9999, *m = 12, *d = 31;
		return;
	}
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/* The value of the n decimal digits at p (already checked to be digits). */
static int
digits_value(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y, or 0 when m is not 1..12. */
static int
month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Negative, zero or positive as y1-m1-d1 is before, on or after y2-m2-d2. */
static int
date_cmp(int y1, int m1, int d1, int y2, int m2, int d2)
{
	if (y1 != y2)
		return y1 < y2 ? -1 : 1;
	if (m1 != m2)
		return m1 < m2 ? -1 : 1;
	if (d1 != d2)
		return d1 < d2 ? -1 : 1;
	return 0;
}

/* True when the n characters at p are all ASCII digits. */
static bool
all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

char
idnum_check_char(const char *s)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char checks[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		assert(s[i] >= '0' && s[i] <= '9');
		sum += (s[i] - '0') * weights[i];
	}
	return checks[sum % 11];
}

/* Checks the birth date at s + 6 against the calendar and the range
 * 1900-01-01 .. today. Returns MSG_NONE or the message. */
static enum msg_id
check_birth(const char *s, int ty, int tm, int td)
{
	int y = digits_value(s + 6, 4), m = digits_value(s + 10, 2);
	int d = digits_value(s + 12, 2);

	if (d < 1 || d > month_days(y, m))
		return M_ID_BAD_DATE;
	if (date_cmp(y, m, d, 1900, 1, 1) < 0 || date_cmp(y, m, d, ty, tm, td) > 0)
		return M_ID_DATE_RANGE;
	return MSG_NONE;
}

/* Fills *info from a number already found valid. */
static void
fill_info(const char *s, struct idnum_info *info)
{
	info->year = digits_value(s + 6, 4);
	info->month = digits_value(s + 10, 2);
	info->day = digits_value(s + 12, 2);
	info->sex = (s[16] - '0') % 2 == 1 ? 'M' : 'F';
	memcpy(info->region, s, 6);
	info->region[6] = '\0';
}

enum msg_id
idnum_check_on(const char *s, struct idnum_info *info, int ty, int tm, int td)
{
	char last;
	enum msg_id m;

	if (s == NULL || strnlen(s, IDNUM_SIZE) != IDNUM_LEN)
		return M_ID_BAD_LENGTH;
	last = s[17];
	if (!all_digits(s, 17) || !((last >= '0' && last <= '9') || last == 'X' || last == 'x'))
		return M_ID_BAD_CHAR;
	if (!divcode_province_valid(s))
		return M_ID_BAD_REGION;
	if ((m = check_birth(s, ty, tm, td)) != MSG_NONE)
		return m;
	if (idnum_check_char(s) != (last == 'x' ? 'X' : last))
		return M_ID_BAD_CHECK;
	if (info != NULL)
		fill_info(s, info);
	return MSG_NONE;
}

enum msg_id
idnum_check(const char *s, struct idnum_info *info)
{
	int y, m, d;

	today_cst(&y, &m, &d);
	return idnum_check_on(s, info, y, m, d);
}

enum msg_id
idnum_normalize(const char *s, char out[IDNUM_SIZE], struct idnum_info *info)
{
	enum msg_id m = idnum_check(s, info);

	out[0] = '\0';
	if (m != MSG_NONE)
		return m;
	memcpy(out, s, IDNUM_LEN);
	if (out[17] == 'x')
		out[17] = 'X';
	out[IDNUM_LEN] = '\0';
	return MSG_NONE;
}

enum msg_id
idnum_from15(const char *s15, char out[IDNUM_SIZE])
{
	enum msg_id m;

	out[0] = '\0';
	if (s15 == NULL || strnlen(s15, 16) != 15 || !all_digits(s15, 15))
		return M_ID_OLD_BAD_FORMAT;
	memcpy(out, s15, 6);
	out[6] = '1';
	out[7] = '9';
	memcpy(out + 8, s15 + 6, 9);
	out[17] = idnum_check_char(out);
	out[IDNUM_LEN] = '\0';
	if ((m = idnum_check(out, NULL)) != MSG_NONE)
		out[0] = '\0';
	return m;
}

void
idnum_mask(const char *s, char out[IDNUM_SIZE])
{
	size_t len = s == NULL ? 0 : strnlen(s, IDNUM_SIZE);

	if (len != IDNUM_LEN) {
		len = len > IDNUM_LEN ? IDNUM_LEN : len;
		memset(out, '*', len);
		out[len] = '\0';
		return;
	}
	memcpy(out, s, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, s + 14, 4);
	if (out[17] == 'x')
		out[17] = 'X';
	out[IDNUM_LEN] = '\0';
}

int
idnum_age(const struct idnum_info *info, int y, int m, int d)
{
	int age;

	assert(info != NULL);
	if (date_cmp(y, m, d, info->year, info->month, info->day) < 0)
		return -1;
	age = y - info->year;
	if (m < info->month || (m == info->month && d < info->day))
		age--;	/* this year's birthday is still to come */
	return age;
}
