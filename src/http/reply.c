#include "http/reply.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "http/json_out.h"

void
reply_raw(struct req *r, int status, const char *content_type, const char *data, size_t n)
{
	buf_reset(&r->out);
	if (buf_add(&r->out, data, n) != 0) {
		reply_error(r, ERR_INTERNAL, M_INTERNAL, NULL);
		return;
	}
	r->status = status;
	r->content_type = content_type;
	r->replied = true;
}

void
reply_json(struct req *r, int status, json_t *body)
{
	int rc;

	buf_reset(&r->out);
	rc = json_out(&r->out, body);
	json_decref(body);
	if (rc != 0) {
		reply_error(r, ERR_INTERNAL, M_INTERNAL, NULL);
		return;
	}
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	r->replied = true;
}

struct buf *
reply_body(struct req *r)
{
	buf_reset(&r->out);
	return &r->out;
}

void
reply_json_written(struct req *r, int status)
{
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	r->replied = true;
}

void
reply_empty(struct req *r)
{
	buf_reset(&r->out);
	r->status = 204;
	r->content_type = NULL;
	r->replied = true;
}

void
reply_error(struct req *r, int code, enum msg_id msg, const char *field)
{
	json_t *err;

	/* After a failed sync "nothing was saved, try later" is not true: say what is. */
	if (msg == M_STORAGE_UNAVAILABLE && r->db && db_writes_stopped(r->db))
		msg = M_STORAGE_STOPPED;
	err = json_pack("{s:s, s:s}", "code", err_string(code), "message", msg_text(msg, r->en));
	if (field) {
		/* A field name may come from the client: cut it at a character boundary. */
		utf8_copy(r->err_field, sizeof r->err_field, field);
		json_object_set_new(err, "field", json_string(r->err_field));
	}
	json_t *body = json_pack("{s:o}", "error", err);

	buf_reset(&r->out);
	(void)json_out(&r->out, body);
	json_decref(body);
	r->status = err_status(code);
	r->content_type = "application/json; charset=utf-8";
	r->replied = true;
}

/* The message that fits a bare error code when the domain named none. */
static enum msg_id
default_msg(int code)
{
	switch (code) {
	case ERR_NOT_FOUND: return M_NOT_FOUND;
	case ERR_FORBIDDEN: return M_FORBIDDEN;
	case ERR_UNAUTHORIZED: return M_UNAUTHORIZED;
	case ERR_STALE: return M_STALE_VERSION;
	case ERR_STORAGE: return M_STORAGE_UNAVAILABLE;
	case ERR_CONFLICT: return M_STORAGE_CONFLICT;
	case ERR_RATE_LIMITED: return M_RATE_LIMITED;
	default: return M_INTERNAL;
	}
}

void
reply_fail(struct req *r, const struct fail *f, int code)
{
	if (f && f->code != 0 && f->msg != MSG_NONE)
		reply_error(r, f->code, f->msg, f->field);
	else
		reply_error(r, code, default_msg(code), NULL);
}

void
reply_stream(struct req *r, long (*next)(void *ctx, char *buf, size_t max), void *ctx,
    void (*free_ctx)(void *ctx))
{
	buf_reset(&r->out);
	r->status = 200;
	r->content_type = "text/event-stream; charset=utf-8";
	r->stream_next = next;
	r->stream_ctx = ctx;
	r->stream_free = free_ctx;
	r->replied = true;
}

void
reply_read_back_failed(struct req *r, int status, int64_t id, bool written, const struct fail *f,
    int code)
{
	if (written)
		reply_json(r, status, json_pack("{s:I, s:b}", "id", (json_int_t)id, "saved", 1));
	else
		reply_fail(r, f, code);
}

void
reply_list(struct req *r, json_t *rows, int64_t next)
{
	reply_json(r, 200, json_pack("{s:o, s:o}", "items", rows,
	    "next_cursor", next ? json_integer(next) : json_null()));
}

static bool
type_ok(json_t *v, enum field_type t)
{
	switch (t) {
	case F_STRING: return json_is_string(v);
	case F_INT: return json_is_integer(v);
	case F_BOOL: return json_is_boolean(v);
	case F_ARRAY: return json_is_array(v);
	case F_OBJECT: return json_is_object(v);
	case F_NUMBER: return json_is_number(v);
	case F_ANY: return true;
	}
	return false;
}

static const struct field_spec *
spec_find(const struct field_spec *spec, const char *name)
{
	for (; spec->name; spec++)
		if (strcmp(spec->name, name) == 0)
			return spec;
	return NULL;
}

/* Replies 422 naming prefix+name (e.g. "parties.name"). */
static void
field_error(struct req *r, enum msg_id msg, const char *prefix, const char *name)
{
	char field[256];
	size_t n = strlen(prefix) < sizeof field ? strlen(prefix) : sizeof field - 1;

	/* The name may come from the client: cut it at a character boundary. */
	memcpy(field, prefix, n);
	utf8_copy(field + n, sizeof field - n, name);
	reply_error(r, ERR_INVALID, msg, field);
}

/* Checks one present field's type and, for strings, its length and characters. */
static int
field_check_or_reply(struct req *r, const struct field_spec *sp, json_t *v, const char *prefix)
{
	if (json_is_null(v) && !sp->required)
		return 0;
	if (!type_ok(v, sp->type)) {
		field_error(r, M_FIELD_TYPE, prefix, sp->name);
		return -1;
	}
	if (sp->type == F_STRING) {
		const char *s = json_string_value(v);
		size_t max = sp->max_chars ? sp->max_chars : 1000;

		if (!utf8_is_clean_text(s, json_string_length(v)) ||
		    strlen(s) != json_string_length(v)) {
			field_error(r, M_FIELD_BAD_TEXT, prefix, sp->name);
			return -1;
		}
		if (utf8_length(s) > max) {
			field_error(r, M_FIELD_TOO_LONG, prefix, sp->name);
			return -1;
		}
	}
	return 0;
}

int
object_check_or_reply(struct req *r, json_t *obj, const struct field_spec *spec,
    const char *prefix)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const struct field_spec *sp = spec_find(spec, key);

		if (sp == NULL) {
			field_error(r, M_FIELD_UNKNOWN, prefix, key);
			return -1;
		}
		if (field_check_or_reply(r, sp, v, prefix) != 0)
			return -1;
	}
	for (; spec->name; spec++) {
		v = json_object_get(obj, spec->name);
		if (spec->required && (v == NULL || json_is_null(v))) {
			field_error(r, M_FIELD_REQUIRED, prefix, spec->name);
			return -1;
		}
	}
	return 0;
}

int
body_check_or_reply(struct req *r, const struct field_spec *spec)
{
	return object_check_or_reply(r, r->json, spec, "");
}

const char *
body_str(struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->json, name));
}

int64_t
body_int(struct req *r, const char *name, int64_t def)
{
	json_t *v = json_object_get(r->json, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

bool
body_bool(struct req *r, const char *name, bool def)
{
	json_t *v = json_object_get(r->json, name);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

int
query_int_or_reply(struct req *r, const char *name, int64_t min, int64_t max, int64_t def,
    int64_t *out)
{
	const char *v = req_query(r, name);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (parse_i64(v, min, max, out) != 0) {
		reply_error(r, ERR_INVALID, M_QUERY_BAD, name);
		return -1;
	}
	return 0;
}

int
paging_or_reply(struct req *r, int *limit, int64_t *cursor)
{
	int64_t l;

	if (query_int_or_reply(r, "limit", 1, 200, 20, &l) != 0 ||
	    query_int_or_reply(r, "cursor", 1, INT64_MAX, 0, cursor) != 0)
		return -1;
	*limit = (int)l;
	return 0;
}

int
query_time_or_reply(struct req *r, const char *name, int64_t def, int64_t *out)
{
	const char *v = req_query(r, name);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (clock_parse_iso(v, out) != 0) {
		reply_error(r, ERR_INVALID, M_TIME_BAD, name);
		return -1;
	}
	return 0;
}

int
version_or_reply(struct req *r, int64_t *version)
{
	const char *h = req_header(r, "If-Match");
	char tmp[32];

	if (h) {
		size_t n;

		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		n = strlen(h);
		if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
			h++;
			n -= 2;
		}
		if (n == 0 || n >= sizeof tmp)
			goto bad;
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		if (parse_i64(tmp, 1, INT64_MAX, version) != 0)
			goto bad;
		return 0;
	}
	if (r->json && json_is_integer(json_object_get(r->json, "version"))) {
		*version = (int64_t)json_integer_value(json_object_get(r->json, "version"));
		return 0;
	}
	reply_error(r, ERR_STALE, M_VERSION_REQUIRED, "version");
	return -1;
bad:
	reply_error(r, ERR_STALE, M_STALE_VERSION, "If-Match");
	return -1;
}

int
path_id_or_reply(struct req *r, int64_t *id)
{
	if (r->path_id <= 0) {
		reply_error(r, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
		return -1;
	}
	*id = r->path_id;
	return 0;
}
