#include "base/mobile.h"

#include <string.h>

#include "base/parse.h"

/* Where the national number starts in s: after "+86", or after "86" on a
 * 13-digit string; s itself otherwise. */
static const char *
skip_country_code(const char *s)
{
	if (strncmp(s, "+86", 3) == 0)
		return s + 3;
	if (strncmp(s, "86", 2) == 0 && is_digits(s, MOBILE_LEN + 2))
		return s + 2;
	return s;
}

enum msg_id
mobile_check(const char *s, char out[MOBILE_SIZE])
{
	const char *p;
	size_t len;

	if (out != NULL)
		out[0] = '\0';
	if (s == NULL || *s == '\0')
		return M_MOBILE_BAD_LENGTH;
	p = skip_country_code(s);
	len = strnlen(p, MOBILE_SIZE);
	for (size_t i = 0; p[i] != '\0'; i++)
		if (p[i] < '0' || p[i] > '9')
			return M_MOBILE_BAD_CHAR;
	if (len != MOBILE_LEN)
		return M_MOBILE_BAD_LENGTH;
	if (p[0] != '1' || p[1] < '3')
		return M_MOBILE_BAD_PREFIX;
	if (out != NULL) {
		memcpy(out, p, MOBILE_LEN);
		out[MOBILE_LEN] = '\0';
	}
	return MSG_NONE;
}

void
mobile_mask(const char *s11, char out[MOBILE_SIZE])
{
	size_t len = s11 == NULL ? 0 : strnlen(s11, MOBILE_SIZE);

	if (len != MOBILE_LEN) {
		len = len > MOBILE_LEN ? MOBILE_LEN : len;
		memset(out, '*', len);
		out[len] = '\0';
		return;
	}
	memcpy(out, s11, 3);
	memset(out + 3, '*', 4);
	memcpy(out + 7, s11 + 7, 4);
	out[MOBILE_LEN] = '\0';
}
