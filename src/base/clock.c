#include "base/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/err.h"

static _Atomic int64_t fixed_ms;
static int offset_minutes = 480;

int64_t
clock_now_ms(void)
{
	struct timespec ts;
	int64_t f = atomic_load(&fixed_ms);

	if (f != 0)
		return f;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct timespec
clock_deadline_in(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

int64_t
clock_mono_ms(void)
{
	return clock_mono_us() / 1000;
}

void
clock_set_fixed(int64_t ms)
{
	atomic_store(&fixed_ms, ms);
}

void
clock_advance(int64_t ms)
{
	atomic_fetch_add(&fixed_ms, ms);
}

void
clock_set_offset_minutes(int minutes)
{
	offset_minutes = minutes;
}

int
clock_offset_minutes(void)
{
	return offset_minutes;
}

/* Howard Hinnant's civil-calendar algorithms: exact for all int64 days we use. */
int64_t
days_from_civil(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void
clock_local_date(int64_t ms, int *y, int *m, int *d)
{
	int64_t local = ms + (int64_t)offset_minutes * 60000;

	civil_from_days(floor_div(local, 86400000), y, m, d);
}

/* Writes v as exactly n decimal digits (v >= 0). */
static char *
put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/*
 * Every answer carries several times, so this avoids snprintf (a tenth of the
 * cost of reading one event): "2026-11-28T21:05:09.123+08:00", 29 characters.
 */
void
clock_format_iso(int64_t ms, char *out, size_t n)
{
	int64_t local = ms + (int64_t)offset_minutes * 60000;
	int64_t day = floor_div(local, 86400000);
	int rem = (int)(local - day * 86400000);
	int y, mo, d;
	int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
	char buf[32], *p = buf;

	civil_from_days(day, &y, &mo, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d", y, mo, d,
		    rem / 3600000, rem / 60000 % 60, rem / 1000 % 60, rem % 1000,
		    offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
		return;
	}
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, mo, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, rem / 3600000, 2);
	*p++ = ':';
	p = put_digits(p, rem / 60000 % 60, 2);
	*p++ = ':';
	p = put_digits(p, rem / 1000 % 60, 2);
	*p++ = '.';
	p = put_digits(p, rem % 1000, 3);
	*p++ = offset_minutes < 0 ? '-' : '+';
	p = put_digits(p, off / 60 % 100, 2);
	*p++ = ':';
	p = put_digits(p, off % 60, 2);
	*p = '\0';
	if (n > 0) {
		size_t len = (size_t)(p - buf) < n - 1 ? (size_t)(p - buf) : n - 1;

		memcpy(out, buf, len);
		out[len] = '\0';
	}
}

/* Reads exactly n digits at *p into *v and advances; false if not digits. */
static int
take_digits(const char **p, unsigned n, int *v)
{
	int x = 0;

	for (unsigned i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return 0;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return 1;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int
clock_parse_iso(const char *s, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, se = 0, frac = 0, oh, om;
	int64_t off_min = offset_minutes;

	if (!take_digits(&p, 4, &y) || *p++ != '-' || !take_digits(&p, 2, &mo) ||
	    *p++ != '-' || !take_digits(&p, 2, &d))
		return ERR_INVALID;
	/* Up to 9998 so that any instant accepted still formats with four year digits. */
	if (y < 1900 || y > 9998 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return ERR_INVALID;
	if (*p == '\0')
		goto done;
	if ((*p != 'T' && *p != ' ') || (p++, !take_digits(&p, 2, &h)) || *p++ != ':' ||
	    !take_digits(&p, 2, &mi) || *p++ != ':' || !take_digits(&p, 2, &se))
		return ERR_INVALID;
	if (h > 23 || mi > 59 || se > 59)
		return ERR_INVALID;
	if (*p == '.') {
		p++;
		if (!take_digits(&p, 3, &frac))
			return ERR_INVALID;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z') {
		off_min = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (!take_digits(&p, 2, &oh) || *p++ != ':' || !take_digits(&p, 2, &om) ||
		    oh > 14 || om > 59)
			return ERR_INVALID;
		off_min = sign * (oh * 60 + om);
	} else {
		return ERR_INVALID;
	}
	if (*p != '\0')
		return ERR_INVALID;
done:
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) - off_min * 60) *
	    1000 + frac;
	/* Only instants whose county-time date has a four-digit year from 1900: they format back. */
	if (*out < (days_from_civil(1900, 1, 1) * 86400 - (int64_t)offset_minutes * 60) * 1000 ||
	    *out >= (days_from_civil(9999, 1, 1) * 86400 - (int64_t)offset_minutes * 60) * 1000)
		return ERR_INVALID;
	return 0;
}
