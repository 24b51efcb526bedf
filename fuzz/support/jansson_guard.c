/*
 * Makes jansson's quiet failures loud. pingan builds every reply with
 * jansson, and jansson answers bad input by returning NULL or -1: text
 * that is not valid UTF-8 (a value cut inside a character by a fixed-size
 * buffer) makes json_pack() and json_string() return NULL, and appending
 * or setting a NULL value does nothing. The reply then silently lacks an
 * item or a field, or becomes a 500. These definitions take the place of
 * the library's for pingan's code (the linker prefers them; jansson's own
 * internal calls are unaffected) and abort with the reason instead.
 */
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "fuzz.h"

json_t *
json_pack(const char *fmt, ...)
{
	json_error_t err;
	json_t *v;
	va_list ap;

	va_start(ap, fmt);
	v = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	FUZZ_CHECK(v != NULL, "json_pack(\"%s\") failed: %s (at %s)", fmt, err.text, err.source);
	return v;
}

json_t *
json_string(const char *value)
{
	json_t *v;

	if (value == NULL)
		return NULL;
	v = json_stringn(value, strlen(value));
	FUZZ_CHECK(v != NULL, "json_string() of invalid UTF-8 (%zu bytes): the value is lost",
	    strlen(value));
	return v;
}

int
json_object_set_new(json_t *object, const char *key, json_t *value)
{
	FUZZ_CHECK(value != NULL, "json_object_set_new(\"%s\", NULL): the field is lost",
	    key ? key : "(null)");
	return json_object_set_new_nocheck(object, key, value) == 0 && key &&
	    json_object_get(object, key) == value ? 0 : -1;
}

int
json_array_append_new(json_t *array, json_t *value)
{
	FUZZ_CHECK(value != NULL, "json_array_append_new(NULL): the item is lost");
	return json_array_insert_new(array, json_array_size(array), value);
}
