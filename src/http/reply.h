/*
 * Building the answer to a request. Every reply helper records the status
 * and body in the request context; the server sends it when the handler
 * returns. Helpers named *_or_reply() validate and, on failure, write the
 * 4xx answer themselves and return non-zero, so handlers read straight down.
 */
#ifndef PINGAN_HTTP_REPLY_H
#define PINGAN_HTTP_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/msg.h"
#include "domain/fail.h"
#include "http/req.h"

/* Replies with a JSON value; takes the reference to body. */
void reply_json(struct req *r, int status, json_t *body);
/* 204 No Content. */
void reply_empty(struct req *r);
/* The error shape of DESIGN.md section 4 for an enum err_code. */
void reply_error(struct req *r, int code, enum msg_id msg, const char *field);
/* Replies with a domain failure (falls back to a generic message for code). */
void reply_fail(struct req *r, const struct fail *f, int code);
/*
 * The read back of a record failed. After a committed write (written) the
 * answer is still status with {"id", "saved": true}; otherwise the failure.
 */
void reply_read_back_failed(struct req *r, int status, int64_t id, bool written,
    const struct fail *f, int code);
/*
 * For renderers that write JSON text themselves: empties the reply body and
 * returns it to be written into; reply_json_written then sends it.
 */
struct buf *reply_body(struct req *r);
void reply_json_written(struct req *r, int status);
/* A raw body with a content type (copied). */
void reply_raw(struct req *r, int status, const char *content_type, const char *data, size_t n);

/*
 * Streams the reply (text/event-stream): next() fills buf with up to max
 * bytes and returns how many, 0 when it has nothing yet (it may block
 * briefly), or -1 to end the stream. free_ctx(ctx) runs when the stream ends.
 */
void reply_stream(struct req *r, long (*next)(void *ctx, char *buf, size_t max),
    void *ctx, void (*free_ctx)(void *ctx));

/* { "items": rows, "next_cursor": next or null } */
void reply_list(struct req *r, json_t *rows, int64_t next);

enum field_type { F_STRING, F_INT, F_BOOL, F_ARRAY, F_OBJECT, F_NUMBER, F_ANY };

struct field_spec {
	const char *name;
	enum field_type type;
	bool required;
	size_t max_chars;     /* strings: most code points (0: 1000) */
};

/* Checks r->json against the spec list (terminated by a NULL name): unknown,
 * missing, wrongly typed, overlong or control-character fields get a 422. */
int body_check_or_reply(struct req *r, const struct field_spec *spec);
/* The same for a nested object; error fields are named prefix+name ("parties.name"). */
int object_check_or_reply(struct req *r, json_t *obj, const struct field_spec *spec,
    const char *prefix);
/* String field or NULL when absent/null. */
const char *body_str(struct req *r, const char *name);
int64_t body_int(struct req *r, const char *name, int64_t def);
bool body_bool(struct req *r, const char *name, bool def);

/* ?limit= (default 20, 1..200) and ?cursor= (positive integer). */
int paging_or_reply(struct req *r, int *limit, int64_t *cursor);
/* An integer query parameter (absent: def). */
int query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
    int64_t *out);
/* An ISO 8601 time query parameter (absent: def). */
int query_time_or_reply(struct req *r, const char *name, int64_t def, int64_t *out);
/* The version the client last saw: If-Match header or "version" in the body. */
int version_or_reply(struct req *r, int64_t *version);
/* A numeric {id} path parameter. */
int path_id_or_reply(struct req *r, int64_t *id);

#endif
