/*
 * The request context: everything known about one HTTP request while it is
 * served. It owns every allocation made for the request (body, parsed JSON,
 * reply) and frees them in one call when the request completes.
 * Handlers in src/api see only this header and reply.h: no libmicrohttpd.
 */
#ifndef PINGAN_HTTP_REQ_H
#define PINGAN_HTTP_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/config.h"
#include "db/db.h"
#include "domain/actor.h"
#include "http/handoff.h"

struct route;

/* What the whole server shares with every handler. */
struct app {
	struct db *db;
	const struct config *cfg;
};

#define REQ_MAX_PARAMS 4

struct req {
	void *conn;                     /* the MHD connection; only src/http uses it */
	struct app *app;
	struct db *db;
	const char *method;
	const char *url;
	const struct route *route;
	int route_index;
	char params[REQ_MAX_PARAMS][64];   /* {name} segments of the path, in order */
	int nparams;
	int64_t path_id;                /* the first {id} parameter, when numeric */

	struct buf body;
	bool body_too_large;
	json_t *json;                   /* parsed body (an object) or NULL */

	struct actor who;
	bool en;                        /* answer in English */
	char request_id[40];
	char client_addr[48];
	int64_t start_us;

	/* The reply being built. */
	int status;
	struct buf out;
	size_t sent_bytes;               /* body length handed to MHD (out is empty then) */
	const char *content_type;
	char set_cookie[256];
	char location[128];
	char allow[64];                 /* methods of the path, for a 405 */
	bool replied;
	char err_field[256];            /* copy of a dynamic field name for the error body */

	/* A streamed reply (server-sent events): pull callback and its context. */
	long (*stream_next)(void *ctx, char *buf, size_t max);
	void (*stream_free)(void *ctx);
	void *stream_ctx;

	/* Answered on the handoff pool (src/http/server.c): set before the handoff. */
	struct handoff_job handoff;
	bool handed_off;
};

/* A query parameter, or NULL when absent. Valid for the request's life. */
const char *req_query(struct req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);

#endif
