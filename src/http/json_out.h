/* Compact JSON text of a jansson value, appended to a buf (see json_out.c). */
#ifndef PINGAN_HTTP_JSON_OUT_H
#define PINGAN_HTTP_JSON_OUT_H

#include <jansson.h>

#include "base/buf.h"

/*
 * Appends the text json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9)) would
 * give. -1 when the buffer's limit is reached or a string is not valid UTF-8
 * (the buffer then holds part of the text).
 */
int json_out(struct buf *b, const json_t *v);

#endif
