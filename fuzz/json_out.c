/*
 * The answer writer (src/http/json_out.c) against jansson's own: for every
 * value, json_out must write exactly what json_dumps(JSON_COMPACT |
 * JSON_REAL_PRECISION(9)) writes, and fail exactly when it fails.
 *
 * Input: the first byte picks the mode. 0: the rest is JSON text, decoded by
 * json_loadb (any value, NUL allowed in strings). 1: the rest is a raw
 * string, not checked for UTF-8 (json_stringn_nocheck), in an object and an
 * array. 2: the rest is read as doubles, 8 bytes each (finite ones only).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "http/json_out.h"
#include "support/fuzz.h"

static void
same_as_jansson(const json_t *v)
{
	char *want = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9) | JSON_ENCODE_ANY);
	struct buf b;
	int rc;

	buf_init(&b, 1u << 24);
	rc = json_out(&b, v);
	if (want == NULL) {
		FUZZ_CHECK(rc != 0, "json_out wrote what jansson refused");
	} else {
		FUZZ_CHECK(rc == 0, "json_out refused what jansson wrote: %s", want);
		FUZZ_CHECK(b.len == strlen(want) && memcmp(buf_str(&b), want, b.len) == 0,
		    "json_out %s, jansson %s", buf_str(&b), want);
	}
	free(want);
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = NULL;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		v = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		break;
	case 1: {
		json_t *s = json_stringn_nocheck((const char *)data + 1, size - 1);

		if (s)
			v = json_pack("{s:o, s:[O, i, b, n]}", "text", s, "list", s, (json_int_t)size, 1);
		break;
	}
	default:
		v = json_array();
		for (size_t i = 1; i + 8 <= size; i += 8) {
			double d;

			memcpy(&d, data + i, 8);
			if (isfinite(d))
				json_array_append_new(v, json_real(d));
		}
		break;
	}
	if (v) {
		same_as_jansson(v);
		json_decref(v);
	}
	return 0;
}
