#include "../../harness.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

TEST(buf_appends_and_terminates)
{
	struct buf b;

	buf_init(&b, 100);
	CHECK_STR(buf_str(&b), "");
	CHECK_INT(buf_addstr(&b, "平安"), 0);
	CHECK_INT(buf_addf(&b, "-%d", 42), 0);
	CHECK_STR(buf_str(&b), "平安-42");
	CHECK_INT(b.len, 9);
	buf_release(&b);
}

TEST(buf_refuses_to_grow_past_its_maximum)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK_INT(buf_addstr(&b, "12345678"), 0);
	CHECK_INT(buf_addch(&b, 'x'), ERR_TOO_LARGE);
	CHECK_INT(buf_addf(&b, "%s", "y"), ERR_TOO_LARGE);
	CHECK_STR(buf_str(&b), "12345678");
	buf_release(&b);
}

TEST(buf_detach_hands_over_ownership)
{
	struct buf b;
	size_t n;
	char *p;

	buf_init(&b, 64);
	(void)buf_addstr(&b, "abc");
	p = buf_detach(&b, &n);
	CHECK_STR(p, "abc");
	CHECK_INT(n, 3);
	CHECK(b.data == NULL && b.len == 0);
	free(p);
	p = buf_detach(&b, &n);
	CHECK_STR(p, "");
	free(p);
}

TEST(buf_addch_stops_at_the_maximum_and_keeps_the_text_terminated)
{
	struct buf b;

	buf_init(&b, 3);
	CHECK_INT(buf_addch(&b, 'a'), 0);
	CHECK_INT(buf_addch(&b, 'b'), 0);
	CHECK_INT(buf_addch(&b, 'c'), 0);
	CHECK_INT(buf_addch(&b, 'd'), ERR_TOO_LARGE);
	CHECK_STR(buf_str(&b), "abc");
	CHECK_INT((int)b.len, 3);
	buf_release(&b);
}

TEST(buf_truncate_drops_the_tail_and_never_lengthens)
{
	struct buf b;

	buf_init(&b, 100);
	CHECK_INT(buf_addstr(&b, "{\"id\":1,\"kept\":true"), 0);
	buf_truncate(&b, 7);
	CHECK_INT(b.len, 7);
	CHECK_STR(buf_str(&b), "{\"id\":1");
	buf_truncate(&b, 50);
	CHECK_INT(b.len, 7);
	CHECK_STR(buf_str(&b), "{\"id\":1");
	buf_release(&b);
}
