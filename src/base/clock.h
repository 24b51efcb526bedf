/*
 * Wall-clock time in epoch milliseconds (UTC), as stored everywhere, and
 * ISO 8601 rendering with the county's offset (+08:00 by default). Tests
 * and the deadline scanner inject a fixed clock with clock_set_fixed().
 */
#ifndef PINGAN_BASE_CLOCK_H
#define PINGAN_BASE_CLOCK_H

#include <stddef.h>
#include <time.h>
#include <stdint.h>

/* Milliseconds since 1970-01-01T00:00:00Z, or the injected time. */
int64_t clock_now_ms(void);
/* Monotonic milliseconds for measuring durations. */
int64_t clock_mono_ms(void);
/* Monotonic microseconds. */
int64_t clock_mono_us(void);
/* The CLOCK_REALTIME instant ms milliseconds from now, as pthread_cond_timedwait wants it. */
struct timespec clock_deadline_in(long ms);
/* Injects a fixed time (ms); 0 returns to the real clock. */
void clock_set_fixed(int64_t ms);
/* Advances an injected clock by ms. */
void clock_advance(int64_t ms);
/* Offset of local (county) time from UTC in minutes; default 480. */
void clock_set_offset_minutes(int minutes);
int clock_offset_minutes(void);

/* "2026-11-28T10:00:00.000+08:00" into out (at least 32 bytes). */
void clock_format_iso(int64_t ms, char *out, size_t n);
/* Parses ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)" or "YYYY-MM-DD"
 * (local midnight). 0 or ERR_INVALID. */
int clock_parse_iso(const char *s, int64_t *ms);
/* Local calendar date of an instant. */
void clock_local_date(int64_t ms, int *y, int *m, int *d);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
