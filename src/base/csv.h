/*
 * RFC 4180 CSV reading: quoted fields with doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF line ends, an optional UTF-8 BOM. The
 * reader works on a whole buffer in memory (imports are bounded by the
 * request size limit) and reports the line each record starts on.
 */
#ifndef PINGAN_BASE_CSV_H
#define PINGAN_BASE_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELDS 64

struct csv {
	const char *p, *end;
	int line;              /* line the next record starts on */
	char *scratch;         /* owned; holds unquoted field text */
	size_t scratch_cap;
};

struct csv_record {
	int line;
	int nfields;
	const char *fields[CSV_MAX_FIELDS];   /* valid until the next csv_next */
};

void csv_init(struct csv *c, const char *data, size_t len);
void csv_release(struct csv *c);
/* 1 with a record, 0 at the end, ERR_INVALID for a malformed record
 * (unclosed quote, text after a closing quote, too many fields); rec->line says where. */
int csv_next(struct csv *c, struct csv_record *rec);

struct buf;
/* Appends s as one CSV field, quoted when it holds a comma, quote or line break. */
int csv_write_field(struct buf *b, const char *s);

#endif
