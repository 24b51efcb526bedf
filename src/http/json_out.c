/*
 * Compact JSON text of a jansson value, written straight into a buf.
 *
 * Every answer goes through here. jansson's json_dumps decodes each string
 * character by character through a callback and builds its text in a buffer
 * of its own that is copied again; for an event with its Chinese timeline that
 * was a third of the cost of reading it. The output is byte for byte what
 * json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9)) writes (a fuzz target
 * compares the two): keys in insertion order, no escaping beyond what JSON
 * needs, reals with nine significant digits and always a '.' or an exponent.
 */
#include "http/json_out.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/json_write.h"

int
json_out(struct buf *b, const json_t *v)
{
	char num[32];
	size_t i;
	const char *key;
	json_t *item;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (buf_addch(b, '{') != 0)
			return -1;
		json_object_foreach((json_t *)v, key, item) {
			if ((!first && buf_addch(b, ',') != 0) || json_put_string(b, key, strlen(key)) != 0 ||
			    buf_addch(b, ':') != 0 || json_out(b, item) != 0)
				return -1;
			first = false;
		}
		return buf_addch(b, '}');
	case JSON_ARRAY:
		if (buf_addch(b, '[') != 0)
			return -1;
		json_array_foreach(v, i, item) {
			if ((i > 0 && buf_addch(b, ',') != 0) || json_out(b, item) != 0)
				return -1;
		}
		return buf_addch(b, ']');
	case JSON_STRING:
		return json_put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf_addstr(b, num);
	case JSON_REAL:
		return json_put_real(b, json_real_value(v));
	case JSON_TRUE:
		return buf_addstr(b, "true");
	case JSON_FALSE:
		return buf_addstr(b, "false");
	case JSON_NULL:
		return buf_addstr(b, "null");
	}
	return -1;
}
