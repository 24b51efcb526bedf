/*
 * Allocation that never returns NULL. pingan is a server, not a library:
 * when memory runs out there is nothing sensible left to do, so these abort
 * with a message instead of making every caller handle NULL.
 */
#ifndef PINGAN_BASE_ALLOC_H
#define PINGAN_BASE_ALLOC_H

#include <stddef.h>

/* Each returns memory the caller owns and frees with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
