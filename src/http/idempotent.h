/*
 * The HTTP side of Idempotency-Key: a retry with the same key replays the
 * first answer; a second request with a key still being served waits for
 * it instead of running twice.
 */
#ifndef PINGAN_HTTP_IDEMPOTENT_H
#define PINGAN_HTTP_IDEMPOTENT_H

#include <stdbool.h>

#include "http/req.h"

/* Before the handler: true when the answer was replayed (or refused) and the handler must not run. */
bool idempotent_begin(struct req *r, bool *holding);
/* After the handler: stores a 2xx answer and releases the key. */
void idempotent_end(struct req *r, bool holding);

#endif
