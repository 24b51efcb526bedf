#include "base/uscc.h"

#include <string.h>

/* The 31 characters of the code, in order of their values 0..30. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* The value 0..30 of character c, or -1 when c is not in the alphabet. */
static int
char_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p == NULL ? -1 : (int)(p - alphabet);
}

char
uscc_check_char(const char *s)
{
	static const int weights[17] = {
		1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
	};
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = char_value(s[i]);

		if (v < 0)
			return '\0';
		sum += v * weights[i];
	}
	return alphabet[(31 - sum % 31) % 31];
}

enum msg_id
uscc_check(const char *s)
{
	if (s == NULL || strnlen(s, USCC_LEN + 1) != USCC_LEN)
		return M_USCC_BAD_LENGTH;
	for (int i = 0; i < USCC_LEN; i++)
		if (char_value(s[i]) < 0)
			return M_USCC_BAD_CHAR;
	if (uscc_check_char(s) != s[17])
		return M_USCC_BAD_CHECK;
	return MSG_NONE;
}
