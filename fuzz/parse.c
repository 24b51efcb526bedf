/*
 * The checked parsers of src/base/parse.c on arbitrary bytes: numbers
 * (every query parameter and CSV coordinate), flags, and the UTF-8
 * helpers every text field passes through.
 *
 * Input: one byte picks the bounds and copy size, the rest is the text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "support/fuzz.h"

static const int64_t bounds[][2] = {
	{ INT64_MIN, INT64_MAX }, { 1, INT64_MAX }, { 0, 65535 }, { 1, 200 }, { -90, 90 },
	{ 0, 0 }, { -1, 1 }, { 1, INT64_MAX - 1 },
};

/* A UTF-8 copy never ends inside a sequence and is a prefix of the source. */
static void
check_copy(const char *s, size_t slen, size_t n)
{
	char *dst = malloc(n ? n : 1);
	size_t len;

	FUZZ_CHECK(dst != NULL, "malloc");
	dst[0] = 'Z';
	utf8_copy(dst, n, s);
	if (n == 0) {
		FUZZ_CHECK(dst[0] == 'Z', "utf8_copy wrote into a zero-size buffer");
		free(dst);
		return;
	}
	len = strlen(dst);
	FUZZ_CHECK(len < n && len <= slen, "copy of %zu bytes into %zu", len, n);
	FUZZ_CHECK(memcmp(dst, s, len) == 0, "copy is not a prefix");
	if (utf8_is_clean_text(s, slen))
		FUZZ_CHECK(utf8_is_clean_text(dst, len), "copy of clean text cut a character (n=%zu)", n);
	if (len < slen && utf8_is_clean_text(s, slen))
		FUZZ_CHECK(len + 4 >= n, "copy stopped early at %zu of %zu (n=%zu)", len, slen, n);
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t slen;
	int64_t v;
	double d;
	bool b;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	s = fuzz_cstr(data + 1, size - 1);
	slen = strlen(s);
	{
		const int64_t *bd = bounds[sel % (sizeof bounds / sizeof bounds[0])];

		if (parse_i64(s, bd[0], bd[1], &v) == 0)
			FUZZ_CHECK(v >= bd[0] && v <= bd[1], "parse_i64 gave %lld outside bounds",
			    (long long)v);
	}
	if (parse_double(s, &d) == 0)
		FUZZ_CHECK(isfinite(d), "parse_double gave a non-finite value");
	if (parse_bool(s, &b) == 0)
		FUZZ_CHECK(slen <= 5, "parse_bool accepted \"%s\"", s);
	(void)is_digits(s, (unsigned)(sel % 20 < slen ? sel % 20 : slen));
	if (utf8_is_clean_text(s, slen)) {
		size_t cps = utf8_length(s);

		FUZZ_CHECK(utf8_visible_length(s) <= cps, "more visible characters than characters");
		FUZZ_CHECK(cps <= slen, "more characters than bytes");
	}
	(void)utf8_is_clean_text((const char *)data + 1, size - 1);
	(void)utf8_visible_length(s);
	check_copy(s, slen, (size_t)(sel >> 3));
	check_copy(s, slen, slen + 1);
	free(s);
	return 0;
}
