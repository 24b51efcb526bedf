/*
 * GB/T 2260 division codes as pingan uses them: 6 digits for the county,
 * 9 for a township, 12 for a village or community (statistical division
 * codes) and 15 for a grid (village code + 3-digit grid number). A code's
 * ancestors are its prefixes of the shorter lengths, which is what the
 * division-subtree scope filter relies on.
 *
 * Nothing here allocates: callers pass the output buffers, and every
 * returned string is static.
 */
#ifndef PINGAN_BASE_DIVCODE_H
#define PINGAN_BASE_DIVCODE_H

#include <stdbool.h>

#include "base/msg.h"

enum division_level {
	DIV_LEVEL_NONE = 0,
	DIV_LEVEL_COUNTY = 1,
	DIV_LEVEL_TOWNSHIP = 2,
	DIV_LEVEL_VILLAGE = 3,
	DIV_LEVEL_GRID = 4
};

/* Longest code (a grid) plus its NUL: the size of divcode_parent()'s out. */
#define DIVCODE_MAX 16

/*
 * The level implied by the code's length (6/9/12/15 digits). Returns
 * DIV_LEVEL_NONE when code is not well formed (NULL, non-digits, another
 * length, province prefix not one of the GB/T 2260 provinces 11..82, or an
 * all-zero township, village or grid part) and then sets *why to the
 * message saying so. *why is MSG_NONE on success; why may be NULL.
 */
enum division_level divcode_level(const char *code, enum msg_id *why);

/*
 * Writes the code of the parent level into out ("330824106" -> "330824",
 * "330824106201001" -> "330824106201"). Returns false, leaving out an empty
 * string, for a county code or a malformed code.
 */
bool divcode_parent(const char *code, char out[DIVCODE_MAX]);

/*
 * True when child is a strict descendant of parent: both well formed and
 * child is longer and starts with parent. A code does not extend itself.
 */
bool divcode_extends(const char *child, const char *parent);

/* "county", "township", "village", "grid", or "" for DIV_LEVEL_NONE or any
 * other value. The string is static. */
const char *division_level_name(enum division_level l);

/* The level named by name (the inverse of division_level_name()), or
 * DIV_LEVEL_NONE when name is NULL or not one of the four names. */
enum division_level division_level_from_name(const char *name);

/* Number of digits in a code of level l (6, 9, 12, 15), or 0 for
 * DIV_LEVEL_NONE or any other value. */
unsigned division_level_digits(enum division_level l);

/*
 * True when the two characters at p are a GB/T 2260 province code
 * (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82). p must point at
 * two readable characters; also used for the region code of ID numbers.
 */
bool divcode_province_valid(const char *p);

#endif
