/*
 * Compact JSON text written straight into a bounded buf, with no tree in
 * between: the hot answers (an event, a page of events) are rendered by
 * walking their rows once. The text is the same as json_dumps(JSON_COMPACT |
 * JSON_REAL_PRECISION(9)) of the equivalent jansson value.
 *
 * Every value call takes the key it is stored under, or NULL inside an array.
 * Errors are sticky: the first failure is kept in w->err (ERR_TOO_LARGE when
 * text could not be added: buffer full or a string not UTF-8; ERR_INTERNAL
 * for unbalanced or too deep nesting), later calls do nothing, and
 * jw_finish says it.
 */
#ifndef PINGAN_BASE_JSON_WRITE_H
#define PINGAN_BASE_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define JW_MAX_DEPTH 16

struct jw {
	struct buf *b;               /* not owned */
	int err;                     /* 0 or the first ERR_* */
	int depth;
	char close[JW_MAX_DEPTH];    /* '}' or ']' for each open level */
	bool started[JW_MAX_DEPTH];  /* the level has an item already: the next needs a ',' */
};

/* Appends to b (not reset). */
void jw_init(struct jw *w, struct buf *b);
/*
 * Appends to b, which already holds an object opened and given at least one
 * member by an earlier writer (a copy of its text): the next member follows.
 */
void jw_resume_object(struct jw *w, struct buf *b);
/* 0, or the first error; also an error when a level is still open. */
int jw_finish(struct jw *w);

void jw_object(struct jw *w, const char *key);
void jw_array(struct jw *w, const char *key);
/* Closes the innermost object or array. */
void jw_end(struct jw *w);

/* A NULL string writes null. */
void jw_str(struct jw *w, const char *key, const char *s);
void jw_strn(struct jw *w, const char *key, const char *s, size_t n);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_real(struct jw *w, const char *key, double v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);

/* The string and real encoders, shared with the jansson serializer. -1 on failure. */
int json_put_string(struct buf *b, const char *s, size_t n);
int json_put_real(struct buf *b, double v);

#endif
