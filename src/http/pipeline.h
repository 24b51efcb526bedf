/*
 * What happens to a routed request once the caller is known, without
 * libmicrohttpd: the route's permission, the body (JSON object, CSV or
 * raw bytes), Idempotency-Key, the handler. The server runs it for every
 * API request, and the fuzzers drive it directly, so both test the same code.
 */
#ifndef PINGAN_HTTP_PIPELINE_H
#define PINGAN_HTTP_PIPELINE_H

#include "http/req.h"

/* 403 for a route the actor may not use (or not yet: password change, 2FA set-up). */
int permission_or_reply(struct req *r);
/* Checks and parses the body as the route wants it; 400/415 on a bad one. */
int json_body_or_reply(struct req *r);
/*
 * Runs permission, body, Idempotency-Key and the handler; r->route and
 * r->who are set. Returns -1 only when the handler gave no reply (a 500 is
 * sent then), else 0 whatever the status.
 */
int pipeline_run(struct req *r);

#endif
