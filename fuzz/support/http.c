/* One request served in process, as src/http/server.c serves it (see http.h). */
#include "http.h"

#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/event/bus.h"
#include "fuzz.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/static_files.h"

/* What r->conn points at while a fuzz request is served. */
struct fake_conn {
	const struct fuzz_request *in;
};

/*
 * Stands in for libmicrohttpd's lookup: req_query() and req_header() in
 * server.c reach it. Header names compare without case, as in HTTP.
 */
const char *
MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
    const char *key)
{
	const struct fake_conn *c = (const struct fake_conn *)(const void *)connection;

	if (c == NULL || key == NULL)
		return NULL;
	if (kind & MHD_GET_ARGUMENT_KIND)
		for (int i = 0; i < c->in->nquery; i++)
			if (strcmp(c->in->query[i].key, key) == 0)
				return c->in->query[i].value;
	if (kind & MHD_HEADER_KIND)
		for (int i = 0; i < c->in->nheaders; i++)
			if (strcasecmp(c->in->headers[i].key, key) == 0)
				return c->in->headers[i].value;
	return NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* '+' to space, then %XX to the byte, in place; what libmicrohttpd does to arguments. */
static void
unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '+') {
			*out++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*out++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static void
parse_query(char *q, struct fuzz_request *out)
{
	while (q && *q && out->nquery < FUZZ_MAX_KV) {
		char *amp = strchr(q, '&'), *eq;

		if (amp)
			*amp = '\0';
		eq = strchr(q, '=');
		if (eq)
			*eq = '\0';
		unescape(q);
		if (eq)
			unescape(eq + 1);
		out->query[out->nquery].key = q;
		out->query[out->nquery].value = eq ? eq + 1 : "";
		out->nquery++;
		q = amp ? amp + 1 : NULL;
	}
}

/* Cuts the line at *p (ending in \n or at end) and advances *p past it. */
static char *
next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL) {
		*p = end;
		return line;
	}
	*nl = '\0';
	if (nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	*p = nl + 1;
	return line;
}

void
fuzz_http_parse(char *buf, size_t len, struct fuzz_request *out)
{
	char *p = buf, *end = buf + len, *line, *sp, *q;

	memset(out, 0, sizeof *out);
	out->actor = FX_ADMIN;
	out->method = "GET";
	out->url = "/";
	out->body = "";
	line = next_line(&p, end);
	if (line == NULL)
		return;
	sp = strchr(line, ' ');
	if (sp) {
		*sp = '\0';
		out->method = line;
		line = sp + 1;
	}
	q = strchr(line, '?');
	if (q)
		*q++ = '\0';
	out->url = line;
	parse_query(q, out);
	while ((line = next_line(&p, end)) != NULL && *line) {
		char *colon = strchr(line, ':');

		if (colon == NULL || out->nheaders == FUZZ_MAX_KV)
			continue;
		*colon++ = '\0';
		while (*colon == ' ')
			colon++;
		out->headers[out->nheaders].key = line;
		out->headers[out->nheaders].value = colon;
		out->nheaders++;
	}
	out->body = p < end ? p : "";
	out->body_len = p < end ? (size_t)(end - p) : 0;
}

static bool
is_api_path(const char *url)
{
	return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0 ||
	    strcmp(url, "/readyz") == 0 || strcmp(url, "/metrics") == 0;
}

/* server.c req_begin(): routing and the declared body size. */
static void
req_begin(struct req *r)
{
	const char *cl = req_header(r, "Content-Length");
	int64_t len;

	switch (router_match(api_routes, api_route_count, r->method, r->url, r, &r->route_index)) {
	case ROUTE_NO_PATH:
		r->route_index = METRICS_ROUTE_NONE;
		reply_error(r, ERR_NOT_FOUND, M_ROUTE_NOT_FOUND, NULL);
		return;
	case ROUTE_NO_METHOD:
		r->route_index = METRICS_ROUTE_NONE;
		router_allowed(api_routes, api_route_count, r->url, r->allow, sizeof r->allow);
		reply_error(r, ERR_METHOD, M_METHOD_NOT_ALLOWED, NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	r->route = &api_routes[r->route_index];
	if (r->route->max_body)
		r->body.max = r->route->max_body;
	if (cl && parse_i64(cl, 0, INT64_MAX, &len) == 0 && (uint64_t)len > r->body.max)
		reply_error(r, ERR_TOO_LARGE, M_BODY_TOO_LARGE, NULL);
}

/* server.c auth_or_reply() once the token resolved to the chosen actor. */
static int
auth_or_reply(struct req *r, const struct fixture *fx, enum fixture_actor who)
{
	if (who == FX_NOBODY) {
		if (r->route->perm == PERM_PUBLIC)
			return 0;
		reply_error(r, ERR_UNAUTHORIZED, M_UNAUTHORIZED, NULL);
		return -1;
	}
	r->who = fx->actors[who];
	snprintf(r->who.client_addr, sizeof r->who.client_addr, "%s", r->client_addr);
	snprintf(r->who.request_id, sizeof r->who.request_id, "%s", r->request_id);
	return 0;
}

/* server.c req_handle() for an API route: the fixture's sign-in, then the shared pipeline. */
static void
req_handle(struct req *r, struct fixture *fx, enum fixture_actor who)
{
	if (r->body_too_large) {
		reply_error(r, ERR_TOO_LARGE, M_BODY_TOO_LARGE, NULL);
		return;
	}
	if (auth_or_reply(r, fx, who) != 0)
		return;
	FUZZ_CHECK(pipeline_run(r) == 0, "handler for %s %s gave no reply", r->route->method,
	    r->route->pattern);
}

/* A file answer must name a file inside the web root. */
static void
check_static(const struct fixture *fx, const struct req *r)
{
	char want[PATH_MAX + 400], real[PATH_MAX], root[PATH_MAX];
	const char *url = strcmp(r->url, "/") == 0 ? "/index.html" : r->url;
	size_t n;

	if (r->status != 200)
		return;
	FUZZ_CHECK(realpath(fx->web_dir, root) != NULL, "web root %s", fx->web_dir);
	snprintf(want, sizeof want, "%s%s", root, url);
	FUZZ_CHECK(realpath(want, real) != NULL, "served %s, which does not exist", url);
	n = strlen(root);
	FUZZ_CHECK(strncmp(real, root, n) == 0 && real[n] == '/', "served %s from outside the web root",
	    real);
}

/* What must hold for every reply. */
static void
check_reply(const struct req *r)
{
	const char *body = r->out.data ? r->out.data : "";

	FUZZ_CHECK(r->status != 500 && r->status != 503, "%s %s answered %d: %s", r->method,
	    r->url, r->status, body);
	FUZZ_CHECK(r->status >= 200 && r->status < 600, "status %d", r->status);
	if (r->content_type && strncmp(r->content_type, "application/json", 16) == 0 &&
	    r->out.len > 0) {
		json_t *j = json_loadb(r->out.data, r->out.len, 0, NULL);

		FUZZ_CHECK(j != NULL, "%s %s: reply is not JSON: %.300s", r->method, r->url, body);
		json_decref(j);
	}
}

/* Pulls the greeting of a server-sent stream, and changes only when some are waiting. */
static void
drain_stream(struct req *r)
{
	char chunk[4096];
	const char *last = req_header(r, "Last-Event-ID");
	int64_t seq;
	long n;

	n = r->stream_next(r->stream_ctx, chunk, sizeof chunk);
	FUZZ_CHECK(n >= -1 && n <= (long)sizeof chunk, "stream returned %ld", n);
	if (last && parse_i64(last, 0, INT64_MAX, &seq) == 0 && (uint64_t)seq < event_bus_head()) {
		n = r->stream_next(r->stream_ctx, chunk, sizeof chunk);
		FUZZ_CHECK(n >= -1 && n <= (long)sizeof chunk, "stream returned %ld", n);
	}
}

int
fuzz_http_serve(struct fixture *fx, const struct fuzz_request *in)
{
	struct fake_conn conn = { in };
	struct req *r = calloc(1, sizeof *r);
	struct static_files *sf;
	struct MHD_Response *resp;
	struct app app = { fx->db, &fx->cfg };
	int status;
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") ? (strcmp(getenv("FUZZ_VERBOSE"), "2") == 0 ? 2 : 1) : 0;
	FUZZ_CHECK(r != NULL, "out of memory");
	r->conn = &conn;
	r->app = &app;
	r->db = fx->db;
	r->url = in->url;
	r->method = in->method;
	r->route_index = METRICS_ROUTE_NONE;
	buf_init(&r->body, (size_t)fx->cfg.max_body_bytes);
	buf_init(&r->out, 64u * 1024 * 1024);
	snprintf(r->request_id, sizeof r->request_id, "fuzz");
	r->en = req_header(r, "Accept-Language") &&
	    strncmp(req_header(r, "Accept-Language"), "en", 2) == 0;
	snprintf(r->client_addr, sizeof r->client_addr, "127.0.0.1");
	if (!is_api_path(r->url)) {
		r->route_index = METRICS_ROUTE_STATIC;
		sf = static_files_open(fx->web_dir);
		static_files_serve(sf, r);
		static_files_close(sf);
		check_static(fx, r);
		resp = static_files_take_response(r);
		if (resp)
			MHD_destroy_response(resp);
	} else {
		req_begin(r);
		if (!r->replied && in->body_len && buf_add(&r->body, in->body, in->body_len) != 0)
			r->body_too_large = true;
		if (!r->replied)
			req_handle(r, fx, in->actor);
		db_reader_done(fx->db);
		if (r->stream_next)
			drain_stream(r);
	}
	FUZZ_CHECK(r->replied, "%s %s: no reply", r->method, r->url);
	check_reply(r);
	metrics_request(r->route_index, r->status, 1);
	if (verbose)
		fprintf(stderr, "%s %s as %s -> %d %.*s\n", r->method, r->url,
		    fx->actor_names[in->actor], r->status, verbose > 1 ? 1 << 20 : 200,
		    r->out.data ? r->out.data : "");
	status = r->status;
	if (r->stream_free)
		r->stream_free(r->stream_ctx);
	buf_release(&r->body);
	buf_release(&r->out);
	json_decref(r->json);
	free(r);
	return status;
}
