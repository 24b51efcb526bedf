#include "http/server.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/parse.h"
#include "domain/auth/auth.h"
#include "domain/event/bus.h"
#include "http/access_log.h"
#include "http/handoff.h"
#include "http/pipeline.h"
#include "http/metrics.h"
#include "http/reply.h"
#include "http/static_files.h"
#include "http/watchdog.h"

/*
 * A request head (path, query arguments, headers and cookies) weighing more
 * than this is refused with 431 before any handler runs. Each item weighs its
 * text plus HEAD_RECORD_BYTES, at least what libmicrohttpd's record of it takes
 * in the connection's pool, so the weight bounds the pool the head uses.
 */
#define MAX_HEADER_BYTES (16 * 1024)
#define HEAD_RECORD_BYTES 64
/*
 * Each connection's memory pool: a head of MAX_HEADER_BYTES leaves as much
 * again for the read buffer and the answer's headers, so a request a handler
 * has acted on always gets its answer. No larger: libmicrohttpd clears the
 * pool between requests, and at 64 KiB that memset was 3.4 % of a read's CPU.
 */
#define CONNECTION_POOL_BYTES (2 * MAX_HEADER_BYTES)
#define SESSION_COOKIE "pingan_session"

struct server {
	struct MHD_Daemon *d;
	pthread_t ticker;
	bool ticker_running;
	_Atomic bool stop_ticker;
	struct app *app;
	const struct route *routes;
	size_t nroutes;
	struct static_files *files;
	struct handoff *blocking;       /* answers requests that may block (see handoff.h) */
	_Atomic int in_flight;
};

static void streams_wake(void);

/*
 * Once a second: resumes suspended streams (keepalives, expiry) and shuts
 * down connections that take longer than the connection timeout to send
 * their headers, or twice that for a body.
 */
static void *
ticker_main(void *arg)
{
	struct server *s = arg;
	struct timespec ts = { 1, 0 };
	int64_t limit = s->app->cfg->connection_timeout_s * 1000;

	while (!atomic_load(&s->stop_ticker)) {
		nanosleep(&ts, NULL);
		streams_wake();
		(void)watchdog_sweep(clock_mono_ms(), limit, 2 * limit);
	}
	return NULL;
}

static const struct route *current_routes;
static size_t current_nroutes;

const struct route *
server_routes(size_t *n)
{
	*n = current_nroutes;
	return current_routes;
}

const char *
req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void
req_set_session_cookie(struct req *r, const char *token, int64_t max_age_s)
{
	snprintf(r->set_cookie, sizeof r->set_cookie,
	    "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", SESSION_COOKIE,
	    token ? token : "", token ? (long long)max_age_s : 0LL,
	    r->app->cfg->cookie_secure ? "; Secure" : "");
}

static bool
request_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 36)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
			(*s >= 'A' && *s <= 'Z') || *s == '-'))
			return false;
	return true;
}

static void
client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		    (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		    (socklen_t)n);
}

/*
 * An id for a request that brought none. It only tells requests apart in the
 * logs and the audit trail (a client may send its own), so it need not be
 * secret: a per-thread counter from a random start, scrambled by splitmix64,
 * instead of a getrandom() system call for every request.
 */
static void
new_request_id(char *out, size_t n)
{
	static _Thread_local uint64_t next;
	static _Thread_local bool seeded;
	uint64_t z;
	uint8_t raw[8];

	if (!seeded) {
		randombytes_buf(&next, sizeof next);
		seeded = true;
	}
	z = (next += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	memcpy(raw, &z, sizeof raw);
	sodium_bin2hex(out, n, raw, sizeof raw);
}

/*
 * A request's context is over 4 KiB, past glibc's per-thread cache, so each
 * one was taken from and given back to its malloc arena under the arena's
 * lock. An HTTP thread keeps the last one it freed for its next request; the
 * key's destructor frees it when the thread ends.
 */
static pthread_key_t spare_req_key;
static pthread_once_t spare_req_once = PTHREAD_ONCE_INIT;

static void
spare_req_init(void)
{
	if (pthread_key_create(&spare_req_key, free) != 0)
		abort();
}

static struct req *
req_alloc(void)
{
	struct req *r;

	pthread_once(&spare_req_once, spare_req_init);
	r = pthread_getspecific(spare_req_key);
	if (r == NULL)
		return xcalloc(1, sizeof *r);
	pthread_setspecific(spare_req_key, NULL);
	memset(r, 0, sizeof *r);
	return r;
}

static void
req_dealloc(struct req *r)
{
	if (pthread_getspecific(spare_req_key) == NULL && pthread_setspecific(spare_req_key, r) == 0)
		return;
	free(r);
}

static struct req *
req_new(struct server *srv, struct MHD_Connection *c, const char *url, const char *method)
{
	struct req *r = req_alloc();
	const char *rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	const char *lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");

	r->conn = c;
	r->app = srv->app;
	r->db = srv->app->db;
	r->url = url;
	r->method = method;
	r->route_index = METRICS_ROUTE_NONE;
	r->start_us = clock_mono_us();
	buf_init(&r->body, (size_t)srv->app->cfg->max_body_bytes);
	buf_init(&r->out, 64u * 1024 * 1024);
	if (rid && request_id_ok(rid))
		snprintf(r->request_id, sizeof r->request_id, "%s", rid);
	else
		new_request_id(r->request_id, sizeof r->request_id);
	r->en = lang && strncmp(lang, "en", 2) == 0;
	client_address(c, r->client_addr, sizeof r->client_addr);
	snprintf(r->who.client_addr, sizeof r->who.client_addr, "%s", r->client_addr);
	snprintf(r->who.request_id, sizeof r->who.request_id, "%s", r->request_id);
	atomic_fetch_add(&srv->in_flight, 1);
	return r;
}

static void
req_free(struct server *srv, struct req *r)
{
	if (r->stream_free)
		r->stream_free(r->stream_ctx);
	buf_release(&r->body);
	buf_release(&r->out);
	json_decref(r->json);
	req_dealloc(r);
	atomic_fetch_sub(&srv->in_flight, 1);
}

static enum MHD_Result
weigh_head_item(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4 + HEAD_RECORD_BYTES;
	return MHD_YES;
}

static bool
is_api_path(const char *url)
{
	return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0 ||
	    strcmp(url, "/readyz") == 0 || strcmp(url, "/metrics") == 0;
}

/* First look at a request: size limits and routing, before any body arrives. */
static void
req_begin(struct server *srv, struct req *r)
{
	size_t head_bytes = strlen(r->url);
	const char *cl;
	int64_t len;

	/* The kinds are a bit mask: headers, cookies and query arguments in one pass. */
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND | MHD_COOKIE_KIND | MHD_GET_ARGUMENT_KIND,
	    weigh_head_item, &head_bytes);
	if (head_bytes > MAX_HEADER_BYTES) {
		reply_error(r, ERR_HEADERS_TOO_LARGE, M_HEADER_TOO_LARGE, NULL);
		return;
	}
	if (!is_api_path(r->url)) {
		r->route_index = METRICS_ROUTE_STATIC;
		return;
	}
	switch (router_match(srv->routes, srv->nroutes, r->method, r->url, r, &r->route_index)) {
	case ROUTE_NO_PATH:
		r->route_index = METRICS_ROUTE_NONE;
		reply_error(r, ERR_NOT_FOUND, M_ROUTE_NOT_FOUND, NULL);
		return;
	case ROUTE_NO_METHOD:
		r->route_index = METRICS_ROUTE_NONE;
		router_allowed(srv->routes, srv->nroutes, r->url, r->allow, sizeof r->allow);
		reply_error(r, ERR_METHOD, M_METHOD_NOT_ALLOWED, NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	r->route = &srv->routes[r->route_index];
	if (r->route->max_body)
		r->body.max = r->route->max_body;
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && parse_i64(cl, 0, INT64_MAX, &len) == 0 && (uint64_t)len > r->body.max)
		reply_error(r, ERR_TOO_LARGE, M_BODY_TOO_LARGE, NULL);
}

static bool
unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Finds the caller's token and resolves it. Replies 401/403 itself. */
static int
auth_or_reply(struct req *r)
{
	const char *authz = req_header(r, "Authorization");
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	const char *token = NULL;
	enum actor_via via = VIA_NONE;
	int rc;

	if (authz && strncmp(authz, "Bearer ", 7) == 0) {
		token = authz + 7;
		via = VIA_BEARER_SESSION;
	} else if (cookie && *cookie) {
		token = cookie;
		via = VIA_COOKIE;
	}
	if (token == NULL) {
		if (r->route->perm == PERM_PUBLIC)
			return 0;
		reply_error(r, ERR_UNAUTHORIZED, M_UNAUTHORIZED, NULL);
		return -1;
	}
	rc = session_resolve(r->db, token, via, &r->who);
	if (rc != 0) {
		if (r->route->perm == PERM_PUBLIC)
			return 0;
		if (rc == ERR_STORAGE)
			reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		else
			reply_error(r, ERR_UNAUTHORIZED, M_SESSION_EXPIRED, NULL);
		return -1;
	}
	if (via == VIA_COOKIE && unsafe_method(r->method) && req_header(r, "X-Requested-With") == NULL) {
		reply_error(r, ERR_FORBIDDEN, M_CSRF_MISSING, "X-Requested-With");
		return -1;
	}
	return 0;
}

static void
req_handle(struct server *srv, struct req *r)
{
	if (r->route_index == METRICS_ROUTE_STATIC) {
		static_files_serve(srv->files, r);
		return;
	}
	if (r->body_too_large) {
		reply_error(r, ERR_TOO_LARGE, M_BODY_TOO_LARGE, NULL);
		return;
	}
	if (auth_or_reply(r) == 0)
		(void)pipeline_run(r);
}

/* Builds the answer to a request whose body has arrived, in one read scope. */
static void
req_answer(struct server *srv, struct req *r)
{
	db_read_scope(srv->app->db);
	req_handle(srv, r);
	db_reader_done(srv->app->db);
}

/*
 * A request that changes something waits for the group commit that makes
 * it durable (or for argon2id, to sign in). In libmicrohttpd's pool that
 * would stall every other connection of the thread, so it is answered on
 * the handoff pool instead. Reads are answered where they arrive.
 */
static bool
may_block(const struct req *r)
{
	return r->route != NULL && unsafe_method(r->method);
}

static void
answer_handed_off(struct handoff_job *job, void *ctx)
{
	struct req *r = (struct req *)((char *)job - offsetof(struct req, handoff));

	req_answer(ctx, r);
	MHD_resume_connection(r->conn);
}

/* Built once at start: a configured map tile server is the only other origin allowed. */
static char csp[640];

static void
build_csp(const char *tile_url)
{
	char origin[200] = "";
	const char *p = strstr(tile_url, "://");

	if (p && (strncmp(tile_url, "https://", 8) == 0 || strncmp(tile_url, "http://", 7) == 0)) {
		size_t n = (size_t)(p + 3 - tile_url) + strcspn(p + 3, "/{?#");

		/* Only scheme, host and port; nothing that could close the directive. */
		if (n < sizeof origin && strcspn(tile_url, " ;,'\"") >= n)
			snprintf(origin, sizeof origin, " %.*s", (int)n, tile_url);
	}
	snprintf(csp, sizeof csp,
	    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	    "img-src 'self' data: blob:%s; connect-src 'self'; font-src 'self' data:; "
	    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", origin);
}

/* Security headers on every answer: API, errors and static files alike. */
static void
add_common_headers(struct req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (r->route_index != METRICS_ROUTE_STATIC)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/*
 * A streamed reply outlives its request context (libmicrohttpd frees the
 * response after the completion callback), so it owns its own state.
 */
struct stream {
	long (*next)(void *ctx, char *buf, size_t max);
	void (*free_ctx)(void *ctx);
	void *ctx;
	struct MHD_Connection *conn;
	struct stream *next_suspended;
	bool suspended;
};

/*
 * A stream with nothing to send is suspended (it holds no thread) and put
 * on this list; every change on the event bus, and a ticker once a second
 * for keepalives and expiry, resumes them all. Only listed connections are
 * suspended, and the list is changed under one lock, so a connection is
 * never resumed twice.
 */
static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stream *suspended_streams;
static bool streams_stopping;

static void
streams_wake(void)
{
	pthread_mutex_lock(&streams_lock);
	for (struct stream *st = suspended_streams; st; st = st->next_suspended) {
		st->suspended = false;
		MHD_resume_connection(st->conn);
	}
	suspended_streams = NULL;
	pthread_mutex_unlock(&streams_lock);
}

static ssize_t
stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	long n;

	(void)pos;
	if (streams_stopping)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = st->next(st->ctx, buf, max);
	if (n < 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n == 0) {
		pthread_mutex_lock(&streams_lock);
		if (!streams_stopping) {
			MHD_suspend_connection(st->conn);
			st->suspended = true;
			st->next_suspended = suspended_streams;
			suspended_streams = st;
		}
		pthread_mutex_unlock(&streams_lock);
	}
	return (ssize_t)n;
}

static void
stream_done(void *cls)
{
	struct stream *st = cls;

	pthread_mutex_lock(&streams_lock);
	for (struct stream **p = &suspended_streams; *p; p = &(*p)->next_suspended) {
		if (*p == st) {
			*p = st->next_suspended;
			break;
		}
	}
	pthread_mutex_unlock(&streams_lock);
	if (st->free_ctx)
		st->free_ctx(st->ctx);
	free(st);
}

/* Moves the request's stream into a response of its own. */
static struct MHD_Response *
stream_response(struct req *r)
{
	struct stream *st = xcalloc(1, sizeof *st);
	struct MHD_Response *resp;

	st->conn = r->conn;
	st->next = r->stream_next;
	st->free_ctx = r->stream_free;
	st->ctx = r->stream_ctx;
	r->stream_next = NULL;
	r->stream_free = NULL;
	r->stream_ctx = NULL;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_reader, st,
	    stream_done);
	if (resp == NULL) {
		stream_done(st);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return resp;
}

static enum MHD_Result
req_send(struct req *r)
{
	struct MHD_Response *resp = static_files_take_response(r);
	enum MHD_Result ok;

	if (resp == NULL && r->stream_next && (resp = stream_response(r)) == NULL)
		return MHD_NO;
	if (resp == NULL) {
		/* The body changes hands instead of being copied: MHD frees it when sent. */
		char *body = buf_detach(&r->out, &r->sent_bytes);

		resp = MHD_create_response_from_buffer_with_free_callback(r->sent_bytes, body, free);
		if (resp == NULL) {
			free(body);
			return MHD_NO;
		}
		if (r->content_type)
			MHD_add_response_header(resp, "Content-Type", r->content_type);
	}
	add_common_headers(r, resp);
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->status == 405)
		MHD_add_response_header(resp, "Allow", r->allow[0] ? r->allow : "GET, HEAD");
	ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* The watch of a connection (its socket context). */
static struct watch *
watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		watchdog_body(watch_of(c));
		r = req_new(srv, c, url, method);
		*con_cls = r;
		req_begin(srv, r);
		if (r->replied)
			watchdog_answering(watch_of(c));
		return r->replied ? req_send(r) : MHD_YES;
	}
	if (*upload_size) {
		if (!r->replied && !r->body_too_large && buf_add(&r->body, upload, *upload_size) != 0)
			r->body_too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->handed_off)
		return req_send(r);     /* resumed by the pool: the answer is ready */
	if (r->replied)
		return MHD_YES;
	watchdog_answering(watch_of(c));
	if (may_block(r)) {
		/* Suspended before it is queued, so the pool's resume always finds it suspended. */
		r->handed_off = true;
		MHD_suspend_connection(c);
		handoff_push(srv->blocking, &r->handoff);
		return MHD_YES;
	}
	req_answer(srv, r);
	return req_send(r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct req *r = *con_cls;
	int64_t us;

	watchdog_idle(watch_of(c));
	if (r == NULL)
		return;
	us = clock_mono_us() - r->start_us;
	if (!r->replied || toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		r->status = r->replied ? r->status : 499;
	metrics_request(r->route_index, r->status, us);
	access_log(r, us, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	req_free(srv, r);
	*con_cls = NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

		*socket_ctx = ci ? watchdog_opened(ci->connect_fd) : NULL;
		metrics_connection(1);
	} else {
		watchdog_closed(*socket_ctx);
		*socket_ctx = NULL;
		metrics_connection(-1);
	}
}


/* Parses "host:port" or "[v6]:port" into a socket address. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	int64_t port;
	size_t n;

	memset(ss, 0, sizeof *ss);
	if (colon == NULL || parse_i64(colon + 1, 0, 65535, &port) != 0)
		return ERR_INVALID;
	n = (size_t)(colon - s);
	if (n >= sizeof host)
		return ERR_INVALID;
	memcpy(host, s, n);
	host[n] = '\0';
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		host[n - 1] = '\0';
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1 ? 0 : ERR_INVALID;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? 0 : ERR_INVALID;
}

int
server_start(struct app *app, const struct route *routes, size_t n, const char *web_dir,
    struct server **out, char *err, size_t errlen)
{
	struct server *srv = xcalloc(1, sizeof *srv);
	struct sockaddr_storage ss;
	const struct config *cfg = app->cfg;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

	if (n > METRICS_ROUTE_STATIC) {
		snprintf(err, errlen, "too many routes");
		free(srv);
		return ERR_INVALID;
	}
	if (parse_listen(cfg->listen, &ss) != 0) {
		snprintf(err, errlen, "listen address '%s' is not host:port", cfg->listen);
		free(srv);
		return ERR_INVALID;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	build_csp(cfg->tile_url);
	srv->app = app;
	srv->routes = routes;
	srv->nroutes = n;
	current_routes = routes;
	current_nroutes = n;
	srv->files = static_files_open(web_dir);
	srv->blocking = handoff_start((unsigned)cfg->write_threads, answer_handed_off, srv);
	if (srv->blocking == NULL) {
		snprintf(err, errlen, "cannot start the threads that answer writes");
		static_files_close(srv->files);
		free(srv);
		return ERR_STORAGE;
	}
	srv->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_POOL_BYTES,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_connections / 2 + 1),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	    MHD_OPTION_END);
	if (srv->d == NULL) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not allowed)", cfg->listen);
		handoff_free(srv->blocking);
		static_files_close(srv->files);
		free(srv);
		return ERR_STORAGE;
	}
	streams_stopping = false;
	event_bus_set_listener(streams_wake);
	srv->ticker_running = pthread_create(&srv->ticker, NULL, ticker_main, srv) == 0;
	*out = srv;
	return 0;
}

uint16_t
server_port(struct server *s)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);

	return i ? i->port : 0;
}

void
server_stop(struct server *s, int timeout_ms)
{
	int64_t until = clock_mono_ms() + timeout_ms;
	struct timespec ts = { 0, 20 * 1000000L };

	MHD_socket listener = MHD_quiesce_daemon(s->d);

	/* Closing the listener refuses new connections at once instead of queueing them. */
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	/* Streams end next: a suspended connection must be resumed before the daemon stops. */
	event_bus_set_listener(NULL);
	pthread_mutex_lock(&streams_lock);
	streams_stopping = true;
	pthread_mutex_unlock(&streams_lock);
	streams_wake();
	atomic_store(&s->stop_ticker, true);
	if (s->ticker_running)
		pthread_join(s->ticker, NULL);
	streams_wake();
	while (atomic_load(&s->in_flight) > 0 && clock_mono_ms() < until)
		nanosleep(&ts, NULL);
	/*
	 * Requests on the pool run to the end even past the timeout (a write
	 * half done is worse than a late stop), and each resumes its connection:
	 * libmicrohttpd must not be stopped with one still suspended. A write
	 * arriving on a kept-alive connection from now on is answered on its
	 * HTTP thread (handoff_push), so the pool is freed only after the daemon.
	 */
	handoff_stop(s->blocking);
	MHD_stop_daemon(s->d);
	handoff_free(s->blocking);
	static_files_close(s->files);
	free(s);
}
