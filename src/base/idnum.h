/*
 * GB 11643-1999 citizen ID numbers (公民身份号码): 6-digit region code,
 * birth date YYYYMMDD, 3-digit sequence (odd = male) and a check
 * character, 18 characters in all. Also the old 15-digit form of
 * GB 11643-1989, converted on request, and the masked form that every
 * response shows.
 *
 * Nothing here allocates: callers pass the output buffers.
 */
#ifndef PINGAN_BASE_IDNUM_H
#define PINGAN_BASE_IDNUM_H

#include "base/msg.h"

/* Length of an ID number and the size of a buffer holding one. */
#define IDNUM_LEN 18
#define IDNUM_SIZE 19

struct idnum_info {
	int year, month, day;	/* birth date */
	char sex;		/* 'M' or 'F' */
	char region[7];		/* the 6-digit region code, NUL-terminated */
};

/*
 * Validates an 18-character ID number; the last character may be a digit,
 * 'X' or 'x'. Returns MSG_NONE when valid and then fills *info (info may
 * be NULL). Otherwise returns the message saying what is wrong, checked in
 * this order: length (M_ID_BAD_LENGTH, also for NULL), characters
 * (M_ID_BAD_CHAR), region code (M_ID_BAD_REGION: must start with a
 * GB/T 2260 province code 11..82), birth date (M_ID_BAD_DATE for a day
 * that does not exist, M_ID_DATE_RANGE before 1900-01-01 or after today in
 * China Standard Time), check character (M_ID_BAD_CHECK). *info is left
 * untouched on failure.
 */
enum msg_id idnum_check(const char *s, struct idnum_info *info);

/*
 * As idnum_check(), but with "today" given as ty-tm-td instead of read
 * from the clock, so that callers and tests can fix the date.
 */
enum msg_id idnum_check_on(const char *s, struct idnum_info *info,
    int ty, int tm, int td);

/*
 * Validates s as idnum_check() does and writes its canonical form (a
 * trailing 'x' upper-cased) into out, the form to store and to feed the
 * blind index, so that "...x" and "...X" find the same person. Returns
 * MSG_NONE, or the error with out set to "". info may be NULL.
 */
enum msg_id idnum_normalize(const char *s, char out[IDNUM_SIZE],
    struct idnum_info *info);

/*
 * Converts an old 15-digit number (6 region + YYMMDD + 3 sequence) to the
 * 18-character form by inserting "19" before the year and appending the
 * check character. Returns MSG_NONE, or M_ID_OLD_BAD_FORMAT when s15 is not
 * 15 digits, or the idnum_check() error of the result (bad region or
 * date); out is "" on any error.
 */
enum msg_id idnum_from15(const char *s15, char out[IDNUM_SIZE]);

/*
 * The check character ('0'..'9' or 'X') for the first 17 characters of s,
 * which must be digits (asserted).
 */
char idnum_check_char(const char *s);

/*
 * Writes the masked form shown in every response: the first 6 and last 4
 * characters visible, 8 stars between ("330824********123X"; a trailing
 * 'x' is shown as 'X'). Input that is not 18 characters becomes stars of
 * the same length (at most 18), and NULL becomes "", so nothing of a
 * malformed number leaks either.
 */
void idnum_mask(const char *s, char out[IDNUM_SIZE]);

/*
 * Age in whole years on the date y-m-d: the number of birthdays passed
 * (someone born on 29 February gains a year on 1 March in common years).
 * Returns -1 when y-m-d is before the birth date.
 */
int idnum_age(const struct idnum_info *info, int y, int m, int d);

#endif
