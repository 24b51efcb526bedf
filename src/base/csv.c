#include "base/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

void
csv_init(struct csv *c, const char *data, size_t len)
{
	c->p = data;
	c->end = data + len;
	c->line = 1;
	c->scratch = NULL;
	c->scratch_cap = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

void
csv_release(struct csv *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->scratch_cap = 0;
}

/*
 * Copies the record's fields into scratch as NUL-terminated strings. The
 * scratch is sized for the worst case (every byte plus a NUL per field) up
 * front, so field pointers never move while a record is read.
 */
static void
ensure_scratch(struct csv *c, size_t need)
{
	if (need > c->scratch_cap) {
		c->scratch = xrealloc(c->scratch, need);
		c->scratch_cap = need;
	}
}

static bool
at_line_end(const char *p, const char *end)
{
	return p < end && (*p == '\n' || *p == '\r');
}

/* Consumes one line end (CRLF, LF or CR) and counts it. */
static const char *
skip_line_end(struct csv *c, const char *p)
{
	if (p < c->end && *p == '\r')
		p++;
	if (p < c->end && *p == '\n')
		p++;
	c->line++;
	return p;
}

int
csv_next(struct csv *c, struct csv_record *rec)
{
	const char *p = c->p;
	char *out;

	rec->line = c->line;
	rec->nfields = 0;
	if (p >= c->end)
		return 0;
	ensure_scratch(c, (size_t)(c->end - p) + CSV_MAX_FIELDS + 1);
	out = c->scratch;
	for (;;) {
		if (rec->nfields == CSV_MAX_FIELDS)
			return ERR_INVALID;
		rec->fields[rec->nfields++] = out;
		if (p < c->end && *p == '"') {
			p++;
			for (;;) {
				if (p >= c->end)
					return ERR_INVALID;
				if (*p == '"') {
					if (p + 1 < c->end && p[1] == '"') {
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					c->line++;
				*out++ = *p++;
			}
			if (p < c->end && *p != ',' && !at_line_end(p, c->end))
				return ERR_INVALID;
		} else {
			while (p < c->end && *p != ',' && !at_line_end(p, c->end)) {
				if (*p == '"')
					return ERR_INVALID;
				*out++ = *p++;
			}
		}
		*out++ = '\0';
		if (p < c->end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	c->p = p < c->end ? skip_line_end(c, p) : p;
	return 1;
}

int
csv_write_field(struct buf *b, const char *s)
{
	int rc = 0;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return buf_addstr(b, s);
	rc |= buf_addch(b, '"');
	for (; *s && rc == 0; s++)
		rc |= *s == '"' ? buf_addstr(b, "\"\"") : buf_addch(b, *s);
	rc |= buf_addch(b, '"');
	return rc ? ERR_TOO_LARGE : 0;
}
