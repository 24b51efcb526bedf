/*
 * Regression test for what the json_body fuzz target (fuzz/json_body.c)
 * found in src/http/reply.c.
 *
 * reply_error() copies the field name into r->err_field (64 bytes) with
 * snprintf(), which can cut a UTF-8 character in two; json_string() then
 * refuses the copy and the 422 goes out without its "field". Any unknown
 * body key of 64 bytes or more does it, e.g. "a" and 21 Chinese
 * characters. Found as fuzz/corpus/json_body/regress-long-unknown-key.
 */
#include "../../harness.h"

#include <jansson.h>
#include <string.h>

#include "base/err.h"
#include "http/reply.h"

TEST(fuzz_reply_error_keeps_a_long_field_name)
{
	char key[80];
	struct req r;
	json_t *body;
	const char *field;
	bool ok;

	key[0] = 'a';
	for (int i = 0; i < 21; i++)
		memcpy(key + 1 + 3 * i, "\xe4\xb8\xad", 3);   /* 中: 64 bytes in all */
	key[64] = '\0';
	memset(&r, 0, sizeof r);
	buf_init(&r.out, 1u << 16);
	reply_error(&r, ERR_INVALID, M_FIELD_UNKNOWN, key);
	CHECK_INT(r.status, 422);
	body = json_loadb(r.out.data, r.out.len, 0, NULL);
	buf_release(&r.out);
	CHECK(body != NULL);
	field = json_string_value(json_object_get(json_object_get(body, "error"), "field"));
	ok = field != NULL && *field && strncmp(key, field, strlen(field)) == 0;
	json_decref(body);
	CHECK(ok);
}
