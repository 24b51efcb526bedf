/*
 * Bounded growable byte buffer (after curl's dynbuf and git's strbuf).
 * Every buffer has a maximum size; appenders refuse to grow past it and
 * report ERR_TOO_LARGE instead, so input can never make us allocate without
 * limit. The data is always NUL-terminated for convenience.
 */
#ifndef PINGAN_BASE_BUF_H
#define PINGAN_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;    /* NUL-terminated; NULL until first append */
	size_t len;
	size_t cap;
	size_t max;    /* largest len allowed */
};

void buf_init(struct buf *b, size_t max);
/* Frees the data; the buffer may be reused after buf_init. */
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Drops what was appended after the first len bytes (nothing when len is not shorter). */
void buf_truncate(struct buf *b, size_t len);

/* Append; each returns 0 or ERR_TOO_LARGE (buffer unchanged then). */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Hands the data to the caller (who frees it) and leaves b empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);

/* Contents as a string; "" for an empty buffer. Valid until the next append. */
const char *buf_str(const struct buf *b);

#endif
