/*
 * The CSV reader behind every import (csv_next) and the writer behind
 * every export (csv_write_field). Each record read must survive a write
 * and a second read unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"
#include "support/fuzz.h"

/* Writes rec as one CSV line and reads it back. */
static void
round_trip(const struct csv_record *rec)
{
	struct buf out;
	struct csv again;
	struct csv_record back;
	int rc;

	buf_init(&out, 1u << 24);
	for (int i = 0; i < rec->nfields; i++) {
		if (i)
			FUZZ_CHECK(buf_addch(&out, ',') == 0, "buf");
		FUZZ_CHECK(csv_write_field(&out, rec->fields[i]) == 0, "csv_write_field failed");
	}
	FUZZ_CHECK(buf_addstr(&out, "\r\n") == 0, "buf");
	csv_init(&again, out.data, out.len);
	rc = csv_next(&again, &back);
	FUZZ_CHECK(rc == 1, "written record reads back as %d: %s", rc, out.data);
	FUZZ_CHECK(back.nfields == rec->nfields, "%d fields, read back %d", rec->nfields,
	    back.nfields);
	for (int i = 0; i < rec->nfields; i++)
		FUZZ_CHECK(strcmp(back.fields[i], rec->fields[i]) == 0, "field %d changed: [%s] [%s]",
		    i, rec->fields[i], back.fields[i]);
	FUZZ_CHECK(csv_next(&again, &back) == 0, "a written record read as two");
	csv_release(&again);
	buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c;
	struct csv_record rec;
	int rc, line = 0, records = 0;

	csv_init(&c, (const char *)data, size);
	while ((rc = csv_next(&c, &rec)) == 1) {
		FUZZ_CHECK(rec.nfields >= 1 && rec.nfields <= CSV_MAX_FIELDS, "%d fields", rec.nfields);
		FUZZ_CHECK(rec.line > line, "record lines not increasing: %d after %d", rec.line, line);
		line = rec.line;
		/* A field starting with a byte-order mark would lose it on the second read. */
		if (strncmp(rec.fields[0], "\xEF\xBB\xBF", 3) != 0)
			round_trip(&rec);
		FUZZ_CHECK(++records <= (int)size + 1, "more records than bytes");
	}
	FUZZ_CHECK(rc == 0 || rc == ERR_INVALID, "csv_next returned %d", rc);
	csv_release(&c);
	return 0;
}
