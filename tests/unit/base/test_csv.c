#include "../../harness.h"

#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"

TEST(csv_reads_quotes_commas_newlines_and_bom)
{
	const char *text = "\xEF\xBB\xBF" "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n";
	struct csv c;
	struct csv_record r;

	csv_init(&c, text, strlen(text));
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(r.nfields, 2);
	CHECK_STR(r.fields[0], "a");
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(r.line, 2);
	CHECK_STR(r.fields[0], "x,1");
	CHECK_STR(r.fields[1], "say \"hi\"");
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(r.line, 3);
	CHECK_STR(r.fields[0], "two\nlines");
	CHECK_INT(csv_next(&c, &r), 0);
	csv_release(&c);
}

TEST(csv_reports_an_unclosed_quote)
{
	const char *text = "a,b\n\"open,c\n";
	struct csv c;
	struct csv_record r;

	csv_init(&c, text, strlen(text));
	CHECK_INT(csv_next(&c, &r), 1);
	CHECK_INT(csv_next(&c, &r), ERR_INVALID);
	CHECK_INT(r.line, 2);
	csv_release(&c);
}

TEST(csv_write_quotes_only_when_needed)
{
	struct buf b;

	buf_init(&b, 256);
	CHECK_INT(csv_write_field(&b, "plain"), 0);
	(void)buf_addch(&b, '|');
	CHECK_INT(csv_write_field(&b, "a,\"b\""), 0);
	CHECK_STR(buf_str(&b), "plain|\"a,\"\"b\"\"\"");
	buf_release(&b);
}
