#include "base/divcode.h"

#include <string.h>

static const char *const level_names[] = {
	[DIV_LEVEL_NONE] = "",
	[DIV_LEVEL_COUNTY] = "county",
	[DIV_LEVEL_TOWNSHIP] = "township",
	[DIV_LEVEL_VILLAGE] = "village",
	[DIV_LEVEL_GRID] = "grid",
};

#define LEVEL_COUNT (sizeof level_names / sizeof level_names[0])

/* Province codes of GB/T 2260 as "first digit -> allowed second digits". */
static const char *const provinces[10] = {
	[1] = "12345",
	[2] = "123",
	[3] = "1234567",
	[4] = "123456",
	[5] = "01234",
	[6] = "12345",
	[7] = "1",
	[8] = "12",
};

bool
divcode_province_valid(const char *p)
{
	const char *seconds;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	seconds = provinces[p[0] - '0'];
	return seconds != NULL && strchr(seconds, p[1]) != NULL;
}

unsigned
division_level_digits(enum division_level l)
{
	if (l < DIV_LEVEL_COUNTY || l > DIV_LEVEL_GRID)
		return 0;
	return 3u + 3u * (unsigned)l;
}

/* True when the n characters at p are all '0'. */
static bool
all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '0')
			return false;
	return true;
}

/* Sets *why (when given) to m and returns DIV_LEVEL_NONE, so that every
 * rejection in divcode_level() is one line. */
static enum division_level
reject(enum msg_id *why, enum msg_id m)
{
	if (why != NULL)
		*why = m;
	return DIV_LEVEL_NONE;
}

enum division_level
divcode_level(const char *code, enum msg_id *why)
{
	size_t len;

	if (code == NULL || *code == '\0')
		return reject(why, M_DIV_BAD_LENGTH);
	len = strnlen(code, DIVCODE_MAX);
	for (size_t i = 0; i < len; i++)
		if (code[i] < '0' || code[i] > '9')
			return reject(why, M_DIV_BAD_CHAR);
	if (len >= DIVCODE_MAX || len < 6 || len % 3 != 0)
		return reject(why, M_DIV_BAD_LENGTH);
	if (!divcode_province_valid(code))
		return reject(why, M_DIV_BAD_PROVINCE);
	/* Each 3-digit part below the county must name something. */
	for (size_t at = 6; at < len; at += 3)
		if (all_zero(code + at, 3))
			return reject(why, M_DIV_ZERO_PART);
	if (why != NULL)
		*why = MSG_NONE;
	return (enum division_level)(len / 3 - 1);
}

bool
divcode_parent(const char *code, char out[DIVCODE_MAX])
{
	enum division_level l = divcode_level(code, NULL);
	unsigned n;

	out[0] = '\0';
	if (l <= DIV_LEVEL_COUNTY)
		return false;
	n = division_level_digits((enum division_level)(l - 1));
	memcpy(out, code, n);
	out[n] = '\0';
	return true;
}

bool
divcode_extends(const char *child, const char *parent)
{
	enum division_level lc = divcode_level(child, NULL);
	enum division_level lp = divcode_level(parent, NULL);

	if (lc == DIV_LEVEL_NONE || lp == DIV_LEVEL_NONE || lc <= lp)
		return false;
	return strncmp(child, parent, division_level_digits(lp)) == 0;
}

const char *
division_level_name(enum division_level l)
{
	if ((unsigned)l >= LEVEL_COUNT)
		return "";
	return level_names[l];
}

enum division_level
division_level_from_name(const char *name)
{
	if (name == NULL || *name == '\0')
		return DIV_LEVEL_NONE;
	for (unsigned i = DIV_LEVEL_COUNTY; i < LEVEL_COUNT; i++)
		if (strcmp(name, level_names[i]) == 0)
			return (enum division_level)i;
	return DIV_LEVEL_NONE;
}
