#include "../../harness.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/json_write.h"

TEST(json_write_nests_objects_and_arrays_with_commas_in_place)
{
	struct buf b;
	struct jw w;

	buf_init(&b, 1000);
	jw_init(&w, &b);
	jw_object(&w, NULL);
	jw_int(&w, "id", -42);
	jw_str(&w, "name", "平安\"开化\"\n");
	jw_array(&w, "tags");
	jw_str(&w, NULL, "a");
	jw_null(&w, NULL);
	jw_object(&w, NULL);
	jw_end(&w);
	jw_end(&w);
	jw_bool(&w, "ok", true);
	jw_real(&w, "lat", 29.1);
	jw_str(&w, "none", NULL);
	jw_array(&w, "empty");
	jw_end(&w);
	jw_end(&w);
	CHECK_INT(jw_finish(&w), 0);
	CHECK_STR(buf_str(&b), "{\"id\":-42,\"name\":\"平安\\\"开化\\\"\\n\",\"tags\":[\"a\",null,{}],"
	    "\"ok\":true,\"lat\":29.1,\"none\":null,\"empty\":[]}");
	buf_release(&b);
}

/* The writer's text must be what the jansson serializer gives for the same value. */
TEST(json_write_matches_jansson_for_the_same_value)
{
	json_t *v = json_pack("{s:I, s:s, s:f, s:f, s:[s, b], s:o}", "n", (json_int_t)9007199254740993LL,
	    "ctl", "\x01\t\\/", "r", 1e21, "i", 3.0, "a", "中", 0, "z", json_null());
	char *ref = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9));
	struct buf b;
	struct jw w;

	buf_init(&b, 1000);
	jw_init(&w, &b);
	jw_object(&w, NULL);
	jw_int(&w, "n", 9007199254740993LL);
	jw_str(&w, "ctl", "\x01\t\\/");
	jw_real(&w, "r", 1e21);
	jw_real(&w, "i", 3.0);
	jw_array(&w, "a");
	jw_str(&w, NULL, "中");
	jw_bool(&w, NULL, false);
	jw_end(&w);
	jw_null(&w, "z");
	jw_end(&w);
	CHECK_INT(jw_finish(&w), 0);
	CHECK_STR(buf_str(&b), ref);
	free(ref);
	json_decref(v);
	buf_release(&b);
}

/* Keys take a one-append path when plain; the others, and integer extremes, must still match jansson. */
TEST(json_write_escapes_unusual_keys_and_writes_integer_extremes)
{
	char long_key[100];
	json_t *v;
	char *ref;
	struct buf b;
	struct jw w;

	memset(long_key, 'k', sizeof long_key - 1);
	long_key[sizeof long_key - 1] = '\0';
	v = json_pack("{s:I, s:I, s:I, s:I, s:I}", "min", (json_int_t)INT64_MIN, "max",
	    (json_int_t)INT64_MAX, "名称", (json_int_t)0, "q\"\\\n", (json_int_t)-1, long_key,
	    (json_int_t)10);
	ref = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_init(&b, 1000);
	jw_init(&w, &b);
	jw_object(&w, NULL);
	jw_int(&w, "min", INT64_MIN);
	jw_int(&w, "max", INT64_MAX);
	jw_int(&w, "名称", 0);
	jw_int(&w, "q\"\\\n", -1);
	jw_int(&w, long_key, 10);
	jw_end(&w);
	CHECK_INT(jw_finish(&w), 0);
	CHECK_STR(buf_str(&b), ref);
	free(ref);
	json_decref(v);
	buf_release(&b);
}

TEST(json_write_errors_stick_and_are_reported_once_at_the_end)
{
	struct buf b;
	struct jw w;

	buf_init(&b, 10);
	jw_init(&w, &b);
	jw_object(&w, NULL);
	jw_str(&w, "long", "more than ten bytes");
	jw_int(&w, "after", 1);
	jw_end(&w);
	CHECK_INT(jw_finish(&w), ERR_TOO_LARGE);
	buf_release(&b);

	buf_init(&b, 100);
	jw_init(&w, &b);
	jw_array(&w, NULL);
	jw_str(&w, NULL, "\xff\xfe");
	CHECK_INT(jw_finish(&w), ERR_TOO_LARGE);
	buf_release(&b);

	buf_init(&b, 100);
	jw_init(&w, &b);
	jw_array(&w, NULL);
	CHECK_INT(jw_finish(&w), ERR_INTERNAL);
	buf_release(&b);

	buf_init(&b, 100);
	jw_init(&w, &b);
	jw_end(&w);
	CHECK_INT(jw_finish(&w), ERR_INTERNAL);
	buf_release(&b);
}

TEST(json_write_refuses_nesting_deeper_than_its_stack)
{
	struct buf b;
	struct jw w;

	buf_init(&b, 1000);
	jw_init(&w, &b);
	for (int i = 0; i <= JW_MAX_DEPTH; i++)
		jw_array(&w, NULL);
	CHECK_INT(jw_finish(&w), ERR_INTERNAL);
	buf_release(&b);
}
