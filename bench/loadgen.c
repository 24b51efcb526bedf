/*
 * loadgen: a constant-rate (open-model) HTTP/1.1 load generator for the
 * pingan benchmarks, after wrk2's idea but small enough to read.
 *
 * Request i is due at t0 + i / rate. It is sent on an idle keep-alive
 * connection as soon as it is due; when every connection is busy it waits,
 * and its latency is still counted from the time it was due. A slow server
 * therefore shows slow answers instead of quietly receiving fewer requests
 * (coordinated omission). Latencies go into a log-linear histogram with
 * about 0.2 % resolution (our own HDR-style code, below).
 *
 * One thread, epoll, plain sockets; loopback targets only (127.0.0.1 or
 * localhost): this is a benchmark tool for a server on the same machine,
 * never a way to load someone else's. Every loop is bounded: the run stops
 * at the end of its duration plus the request time-out.
 *
 *   loadgen [options] http://127.0.0.1:PORT
 *     -c N            connections (default 16, at most 4096)
 *     -r RATE         requests per second (required, at most 1000000)
 *     -d SECONDS      measured duration (default 10, at most 600)
 *     --warmup S      seconds sent before measuring (default 1)
 *     -m METHOD       GET (default), POST, PUT, PATCH, DELETE
 *     -H 'Name: v'    header, repeatable
 *     -b BODY         request body (repeatable: requests rotate over the bodies)
 *     -B FILE         request body from a file
 *     -L FILE         request bodies, one per line: requests rotate over them
 *     -u PATH         URL path, repeatable: requests rotate over them
 *     -U FILE         URL paths, one per line
 *     -t SECONDS      time-out of one request (default 10)
 *     -l LABEL        name printed in the JSON line
 *     --seq-base N    first value of {{seq}} (default: microseconds since the epoch)
 *     --close         open a connection per request and close it after the answer
 *                     (for servers that close anyway; -c then limits requests in flight)
 *
 * {{seq}} in a path, header or body is replaced by the request's sequence
 * number, so each created record and each Idempotency-Key differ.
 *
 * Output: counts, status classes and codes, achieved rate, p50/p90/p99/
 * p99.9/max in milliseconds, and a last line of JSON for scripts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 4096
#define MAX_HEADERS 32
#define MAX_PATHS 100000
#define MAX_RESPONSE (64u * 1024 * 1024)
#define NS 1000000000ull

/* ---------------------------------------------------------------- histogram
 *
 * Values are microseconds. Below 1024 us every microsecond has its own
 * bucket; above, each power of two is split into 512 linear sub-buckets, so
 * a bucket is at most 1/512 (0.2 %) wide. Up to 2^40 us (12 days).
 */
#define H_LINEAR 1024u
#define H_SUB 512u
#define H_SHIFTS 31u
#define H_BUCKETS (H_LINEAR + H_SHIFTS * H_SUB)

struct histogram {
	uint64_t count[H_BUCKETS];
	uint64_t total, max_us;
	double sum_us;
};

static unsigned
h_index(uint64_t us)
{
	unsigned msb, shift;

	if (us < H_LINEAR)
		return (unsigned)us;
	msb = 63u - (unsigned)__builtin_clzll(us);
	shift = msb - 9u;                       /* us >> shift is in [512, 1023] */
	if (shift > H_SHIFTS)
		return H_BUCKETS - 1;
	return H_LINEAR + (shift - 1u) * H_SUB + (unsigned)((us >> shift) - H_SUB);
}

/* The highest value that falls in bucket idx (so percentiles never flatter). */
static uint64_t
h_value(unsigned idx)
{
	unsigned shift, sub;

	if (idx < H_LINEAR)
		return idx;
	shift = (idx - H_LINEAR) / H_SUB + 1u;
	sub = (idx - H_LINEAR) % H_SUB + H_SUB;
	return (((uint64_t)sub + 1u) << shift) - 1u;
}

static void
h_record(struct histogram *h, uint64_t us)
{
	h->count[h_index(us)]++;
	h->total++;
	h->sum_us += (double)us;
	if (us > h->max_us)
		h->max_us = us;
}

/* The value at percentile p (0..100), in microseconds; 0 when empty. */
static uint64_t
h_percentile(const struct histogram *h, double p)
{
	uint64_t want, seen = 0;

	if (h->total == 0)
		return 0;
	want = (uint64_t)((p / 100.0) * (double)h->total + 0.5);
	if (want < 1)
		want = 1;
	if (want > h->total)
		want = h->total;
	for (unsigned i = 0; i < H_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= want) {
			uint64_t v = h_value(i);
			return v < h->max_us ? v : h->max_us;
		}
	}
	return h->max_us;
}

/* ------------------------------------------------------------------ options */

struct options {
	int conns;
	double rate, duration, warmup, timeout;
	const char *method, *label;
	const char *headers[MAX_HEADERS];
	int nheaders;
	char **bodies;
	size_t *body_lens;
	int nbodies;
	char **paths;
	int npaths;
	uint16_t port;
	char host[64];
	uint64_t seq_base;
	bool close_mode;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen -r RATE [-c CONNS] [-d SECONDS] [--warmup S] [-m METHOD]\n"
	    "               [-H 'Name: value']... [-b BODY | -B FILE | -L FILE] [-u PATH]... [-U FILE]\n"
	    "               [-t TIMEOUT_S] [-l LABEL] [--seq-base N] [--close] http://127.0.0.1:PORT\n");
	exit(2);
}

static void
die(const char *what)
{
	fprintf(stderr, "loadgen: %s\n", what);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

static double
number_arg(const char *s, double lo, double hi, const char *name)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "loadgen: %s must be a number from %g to %g\n", name, lo, hi);
		exit(2);
	}
	return v;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL) {
		fprintf(stderr, "loadgen: cannot open %s\n", path);
		exit(1);
	}
	do {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > 256u * 1024 * 1024)
				die("input file too large");
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
add_path(struct options *o, const char *p, size_t n)
{
	if (n == 0 || p[0] != '/')
		die("a path must start with /");
	if (o->npaths >= MAX_PATHS)
		die("too many paths");
	o->paths = xrealloc(o->paths, (size_t)(o->npaths + 1) * sizeof *o->paths);
	o->paths[o->npaths] = xmalloc(n + 1);
	memcpy(o->paths[o->npaths], p, n);
	o->paths[o->npaths][n] = '\0';
	o->npaths++;
}

static void
add_body(struct options *o, const char *b, size_t n)
{
	if (o->nbodies >= MAX_PATHS)
		die("too many bodies");
	o->bodies = xrealloc(o->bodies, (size_t)(o->nbodies + 1) * sizeof *o->bodies);
	o->body_lens = xrealloc(o->body_lens, (size_t)(o->nbodies + 1) * sizeof *o->body_lens);
	o->bodies[o->nbodies] = xmalloc(n + 1);
	memcpy(o->bodies[o->nbodies], b, n);
	o->bodies[o->nbodies][n] = '\0';
	o->body_lens[o->nbodies] = n;
	o->nbodies++;
}

/* Calls add(o, line, len) for every non-empty line of file. */
static void
add_lines(struct options *o, const char *file, void (*add)(struct options *, const char *, size_t))
{
	size_t len, i = 0;
	char *text = read_file(file, &len);

	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		size_t end = j;
		while (end > i && (text[end - 1] == '\r' || text[end - 1] == ' '))
			end--;
		if (end > i)
			add(o, text + i, end - i);
		i = j + 1;
	}
	free(text);
}

/* Accepts http://127.0.0.1:PORT or http://localhost:PORT only (loopback). */
static void
parse_target(struct options *o, const char *url)
{
	const char *p = url, *colon;
	char *end;
	unsigned long port;
	size_t hl;

	if (strncmp(p, "http://", 7) != 0)
		die("target must be http://127.0.0.1:PORT (plain HTTP on loopback)");
	p += 7;
	colon = strchr(p, ':');
	if (colon == NULL)
		die("target needs a port: http://127.0.0.1:PORT");
	hl = (size_t)(colon - p);
	if (!((hl == 9 && strncmp(p, "127.0.0.1", 9) == 0) ||
		(hl == 9 && strncmp(p, "localhost", 9) == 0)))
		die("refusing a non-loopback target: only 127.0.0.1 and localhost are allowed");
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno != 0 || end == colon + 1 || (*end != '\0' && *end != '/') || port == 0 ||
	    port > 65535)
		die("bad port in target");
	o->port = (uint16_t)port;
	snprintf(o->host, sizeof o->host, "127.0.0.1:%lu", port);
}

static void
parse_args(struct options *o, int argc, char **argv)
{
	const char *target = NULL;
	struct timespec ts;

	memset(o, 0, sizeof *o);
	o->conns = 16;
	o->duration = 10;
	o->warmup = 1;
	o->timeout = 10;
	o->method = "GET";
	o->label = "";
	clock_gettime(CLOCK_REALTIME, &ts);
	o->seq_base = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (a[0] != '-') {
			if (target)
				usage();
			target = a;
			continue;
		}
		if (strcmp(a, "--close") == 0) {
			o->close_mode = true;
			continue;
		}
		if (v == NULL)
			usage();
		if (strcmp(a, "-c") == 0)
			o->conns = (int)number_arg(v, 1, MAX_CONNS, "-c");
		else if (strcmp(a, "-r") == 0)
			o->rate = number_arg(v, 0.1, 1e6, "-r");
		else if (strcmp(a, "-d") == 0)
			o->duration = number_arg(v, 0.1, 600, "-d");
		else if (strcmp(a, "--warmup") == 0)
			o->warmup = number_arg(v, 0, 120, "--warmup");
		else if (strcmp(a, "-t") == 0)
			o->timeout = number_arg(v, 0.1, 120, "-t");
		else if (strcmp(a, "-m") == 0)
			o->method = v;
		else if (strcmp(a, "-l") == 0)
			o->label = v;
		else if (strcmp(a, "-H") == 0) {
			if (o->nheaders >= MAX_HEADERS || strchr(v, ':') == NULL)
				die("bad or too many -H headers");
			o->headers[o->nheaders++] = v;
		} else if (strcmp(a, "-b") == 0)
			add_body(o, v, strlen(v));
		else if (strcmp(a, "-B") == 0) {
			size_t n;
			char *text = read_file(v, &n);
			add_body(o, text, n);
			free(text);
		} else if (strcmp(a, "-L") == 0)
			add_lines(o, v, add_body);
		else if (strcmp(a, "-u") == 0)
			add_path(o, v, strlen(v));
		else if (strcmp(a, "-U") == 0)
			add_lines(o, v, add_path);
		else if (strcmp(a, "--seq-base") == 0)
			o->seq_base = (uint64_t)number_arg(v, 0, 9e15, "--seq-base");
		else
			takes = false;
		if (!takes)
			usage();
		i++;
	}
	if (target == NULL || o->rate <= 0)
		usage();
	parse_target(o, target);
	if (o->npaths == 0)
		add_path(o, "/", 1);
	for (const char *m = o->method; *m; m++)
		if (*m < 'A' || *m > 'Z')
			die("method must be upper case letters");
}

/* ---------------------------------------------------------------- requests */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends s with every {{seq}} replaced by seq. */
static void
sb_add_subst(struct sbuf *b, const char *s, size_t n, uint64_t seq)
{
	static const char mark[] = "{{seq}}";
	char num[24];
	size_t i = 0;

	while (i < n) {
		const char *hit = memmem(s + i, n - i, mark, sizeof mark - 1);
		if (hit == NULL) {
			sb_add(b, s + i, n - i);
			break;
		}
		sb_add(b, s + i, (size_t)(hit - (s + i)));
		int k = snprintf(num, sizeof num, "%" PRIu64, seq);
		sb_add(b, num, (size_t)k);
		i = (size_t)(hit - s) + sizeof mark - 1;
	}
}

/* Builds request number i into out (reset first). */
static void
build_request(const struct options *o, uint64_t i, struct sbuf *out)
{
	uint64_t seq = o->seq_base + i;
	const char *path = o->paths[i % (uint64_t)o->npaths];
	struct sbuf body = { 0 };
	char line[64];

	out->len = 0;
	sb_add(out, o->method, strlen(o->method));
	sb_add(out, " ", 1);
	sb_add_subst(out, path, strlen(path), seq);
	sb_add(out, " HTTP/1.1\r\nHost: ", 17);
	sb_add(out, o->host, strlen(o->host));
	sb_add(out, "\r\n", 2);
	for (int h = 0; h < o->nheaders; h++) {
		sb_add_subst(out, o->headers[h], strlen(o->headers[h]), seq);
		sb_add(out, "\r\n", 2);
	}
	if (o->nbodies > 0) {
		int k = (int)(i % (uint64_t)o->nbodies);
		sb_add_subst(&body, o->bodies[k], o->body_lens[k], seq);
		k = snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", body.len);
		sb_add(out, line, (size_t)k);
		sb_add(out, body.p ? body.p : "", body.len);
		free(body.p);
	} else if (strcmp(o->method, "GET") != 0 && strcmp(o->method, "DELETE") != 0) {
		sb_add(out, "Content-Length: 0\r\n\r\n", 21);
	} else {
		sb_add(out, "\r\n", 2);
	}
}

/* --------------------------------------------------------------- responses */

enum resp { RESP_MORE, RESP_DONE, RESP_BAD };

/*
 * Looks at what has arrived on a connection. When a whole response is there
 * sets *status, *used (bytes it took) and *close (server will close).
 * Handles Content-Length, chunked bodies and read-until-close.
 */
static enum resp
parse_response(const char *buf, size_t len, bool eof, int *status, size_t *used, bool *close_after)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4), *p;
	size_t hlen, clen = 0;
	bool have_len = false, chunked = false;

	*close_after = false;
	if (end == NULL)
		return eof || len > 65536 ? RESP_BAD : RESP_MORE;
	hlen = (size_t)(end - buf) + 4;
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0)
		return RESP_BAD;
	*status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	if (*status < 100 || *status > 599)
		return RESP_BAD;
	if (buf[7] == '0')
		*close_after = true;    /* HTTP/1.0 closes unless told otherwise */
	for (p = memchr(buf, '\n', hlen); p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
		p++;
		if (strncasecmp(p, "Content-Length:", 15) == 0) {
			clen = strtoul(p + 15, NULL, 10);
			have_len = true;
		} else if (strncasecmp(p, "Transfer-Encoding:", 18) == 0) {
			const char *eol = memchr(p, '\r', (size_t)(end - p) + 1);
			chunked = eol && memmem(p, (size_t)(eol - p), "chunked", 7) != NULL;
		} else if (strncasecmp(p, "Connection:", 11) == 0) {
			const char *q = p + 11;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, "close", 5) == 0)
				*close_after = true;
			else if (strncasecmp(q, "keep-alive", 10) == 0)
				*close_after = false;
		}
	}
	if (*status < 200 || *status == 204 || *status == 304) {
		*used = hlen;
		return *status < 200 ? RESP_BAD : RESP_DONE;   /* no 1xx expected here */
	}
	if (chunked) {
		size_t at = hlen;
		for (;;) {
			const char *crlf = memmem(buf + at, len - at, "\r\n", 2);
			char *e;
			unsigned long n;
			if (crlf == NULL)
				return eof ? RESP_BAD : RESP_MORE;
			n = strtoul(buf + at, &e, 16);
			if (e == buf + at)
				return RESP_BAD;
			at = (size_t)(crlf - buf) + 2;
			if (n == 0) {
				const char *fin = memmem(buf + at - 2, len - (at - 2), "\r\n\r\n", 4);
				if (fin == NULL)
					return eof ? RESP_BAD : RESP_MORE;
				*used = (size_t)(fin - buf) + 4;
				return RESP_DONE;
			}
			if (len < at + n + 2)
				return eof ? RESP_BAD : RESP_MORE;
			at += n + 2;
		}
	}
	if (have_len) {
		if (len < hlen + clen)
			return eof ? RESP_BAD : RESP_MORE;
		*used = hlen + clen;
		return RESP_DONE;
	}
	*close_after = true;
	if (!eof)
		return RESP_MORE;
	*used = len;
	return RESP_DONE;
}

/* ------------------------------------------------------------- connections */

enum cstate { C_DOWN, C_CONNECTING, C_IDLE, C_BUSY };

struct conn {
	int fd;
	enum cstate state;
	uint64_t due_ns, sent_ns, retry_at_ns;
	bool measured, want_out;
	struct sbuf out;
	size_t out_off;
	char *in;
	size_t in_len, in_cap;
};

struct stats {
	struct histogram h;
	uint64_t sent, completed, unsent, timeouts, sock_errors, bad_responses, reconnects;
	uint64_t done_in_window;   /* answers that arrived inside the measured window, whenever due */
	uint64_t classes[6];
	uint64_t codes[600];
};

static struct options opt;
static struct conn *conns;
static int *idle_stack, nidle, nbusy;
static int epfd;
static struct stats st;
static uint64_t window_from, window_to;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void
watch(int ci, uint32_t events, int op)
{
	struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)ci };

	if (epoll_ctl(epfd, op, conns[ci].fd, &ev) != 0)
		die("epoll_ctl failed");
}

static void
conn_open(int ci)
{
	struct conn *c = &conns[ci];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(opt.port) };
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		die("socket() failed (too many open files? raise ulimit -n)");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c->in_len = 0;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		c->state = C_IDLE;
		c->want_out = false;
		watch(ci, EPOLLIN, EPOLL_CTL_ADD);
		idle_stack[nidle++] = ci;
		return;
	}
	if (errno != EINPROGRESS) {
		close(c->fd);
		c->fd = -1;
		c->state = C_DOWN;
		c->retry_at_ns = now_ns() + NS / 20;
		st.sock_errors++;
		return;
	}
	c->state = C_CONNECTING;
	c->want_out = true;
	watch(ci, EPOLLOUT, EPOLL_CTL_ADD);
}

/* Closes a connection; a request in flight on it is lost (counted by the caller). */
static void
conn_close(int ci, bool retry_soon)
{
	struct conn *c = &conns[ci];

	if (c->state == C_BUSY)
		nbusy--;
	if (c->state == C_IDLE)
		for (int k = 0; k < nidle; k++)
			if (idle_stack[k] == ci) {
				idle_stack[k] = idle_stack[--nidle];
				break;
			}
	if (c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->state = C_DOWN;
	c->retry_at_ns = retry_soon ? 0 : now_ns() + NS / 20;
}

static void
record_latency(uint64_t due_ns, uint64_t at_ns, bool measured)
{
	if (measured)
		h_record(&st.h, at_ns > due_ns ? (at_ns - due_ns) / 1000u : 0);
}

static void
request_failed(int ci, bool timeout)
{
	struct conn *c = &conns[ci];

	if (c->measured) {
		if (timeout)
			st.timeouts++;
		else
			st.sock_errors++;
		record_latency(c->due_ns, now_ns(), true);
	}
	conn_close(ci, false);
	st.reconnects++;
}

static void
conn_write(int ci)
{
	struct conn *c = &conns[ci];

	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.p + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (!c->want_out)
					watch(ci, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
				c->want_out = true;
				return;
			}
			request_failed(ci, false);
			return;
		}
		c->out_off += (size_t)n;
	}
	if (c->want_out)
		watch(ci, EPOLLIN, EPOLL_CTL_MOD);
	c->want_out = false;
}

static void
send_request(int ci, uint64_t i, uint64_t due_ns, bool measured)
{
	struct conn *c = &conns[ci];

	build_request(&opt, i, &c->out);
	c->out_off = 0;
	c->due_ns = due_ns;
	c->sent_ns = now_ns();
	c->measured = measured;
	c->state = C_BUSY;
	nbusy++;
	c->in_len = 0;
	if (measured)
		st.sent++;
	if (c->fd < 0) {
		/* --close: connect now; the request goes out when the socket is writable. */
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(opt.port) };
		int one = 1;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			die("socket() failed (too many open files? raise ulimit -n)");
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
			watch(ci, EPOLLIN, EPOLL_CTL_ADD);
			request_failed(ci, false);
			return;
		}
		c->want_out = true;
		watch(ci, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
		return;
	}
	conn_write(ci);
}

static void
response_done(int ci, int status, bool close_after)
{
	struct conn *c = &conns[ci];
	uint64_t t = now_ns();

	if (t >= window_from && t < window_to)
		st.done_in_window++;
	if (c->measured) {
		st.completed++;
		st.classes[status / 100]++;
		st.codes[status]++;
		record_latency(c->due_ns, t, true);
	}
	c->in_len = 0;
	if (opt.close_mode) {
		conn_close(ci, true);   /* counts it out of nbusy */
		c->state = C_IDLE;
		idle_stack[nidle++] = ci;
		return;
	}
	if (close_after) {
		conn_close(ci, true);   /* counts it out of nbusy */
		st.reconnects++;
		return;
	}
	c->state = C_IDLE;
	nbusy--;
	idle_stack[nidle++] = ci;
}

static void
conn_read(int ci)
{
	struct conn *c = &conns[ci];
	bool eof = false;
	enum resp r;
	int status = 0;
	size_t used = 0;
	bool close_after;

	for (;;) {
		if (c->in_cap - c->in_len < 16384) {
			if (c->in_cap >= MAX_RESPONSE) {
				request_failed(ci, false);
				return;
			}
			c->in_cap = c->in_cap ? c->in_cap * 2 : 32768;
			c->in = xrealloc(c->in, c->in_cap);
		}
		ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (n > 0) {
			size_t room = c->in_cap - c->in_len;
			c->in_len += (size_t)n;
			if ((size_t)n < room)
				break;    /* drained for now; level-triggered epoll reports more */
			continue;
		}
		if (n == 0)
			eof = true;
		else if (errno != EAGAIN && errno != EWOULDBLOCK)
			eof = true;
		break;
	}
	if (c->state != C_BUSY) {
		/* An idle keep-alive connection closed by the server: reopen it. */
		if (eof) {
			conn_close(ci, true);
			st.reconnects++;
		}
		return;
	}
	r = parse_response(c->in, c->in_len, eof, &status, &used, &close_after);
	if (r == RESP_MORE)
		return;
	if (r == RESP_BAD) {
		if (c->measured)
			st.bad_responses++;
		request_failed(ci, false);
		return;
	}
	response_done(ci, status, close_after || eof);
}

static void
conn_event(int ci, uint32_t events)
{
	struct conn *c = &conns[ci];

	if (c->state == C_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof err;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
			st.sock_errors++;
			conn_close(ci, false);
			return;
		}
		c->state = C_IDLE;
		c->want_out = false;
		watch(ci, EPOLLIN, EPOLL_CTL_MOD);
		idle_stack[nidle++] = ci;
		return;
	}
	if ((events & EPOLLOUT) && c->state == C_BUSY && c->out_off < c->out.len)
		conn_write(ci);
	if (c->fd >= 0 && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		conn_read(ci);
}

/* ------------------------------------------------------------------- main */

static int
wait_events(struct epoll_event *evs, int max, uint64_t wait_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(wait_ns / NS), .tv_nsec = (long)(wait_ns % NS) };
	static bool no_pwait2;
	int n;

	if (!no_pwait2) {
		n = epoll_pwait2(epfd, evs, max, &ts, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		no_pwait2 = true;
	}
	return epoll_wait(epfd, evs, max, (int)((wait_ns + 999999u) / 1000000u));
}

/* This process's CPU use since it started, in % of one core over wall seconds. */
static double
own_cpu_pct(double wall_s)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0 || wall_s <= 0)
		return 0;
	return ((double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6) / wall_s * 100.0;
}

static void
print_report(double measured_s, double wall_s)
{
	double self_cpu = own_cpu_pct(wall_s);
	double rate = measured_s > 0 ? (double)st.done_in_window / measured_s : 0;
	double ms[6];
	const double pct[5] = { 50, 90, 99, 99.9, 100 };
	bool saturated = st.unsent > 0 || rate < opt.rate * 0.95;

	for (int k = 0; k < 5; k++)
		ms[k] = (double)(k == 4 ? st.h.max_us : h_percentile(&st.h, pct[k])) / 1000.0;
	ms[5] = st.h.total ? st.h.sum_us / (double)st.h.total / 1000.0 : 0;
	printf("loadgen %s: %.0f req/s for %.0f s (+%.0f s warm-up), %d connections, %s %s%s\n",
	    opt.label, opt.rate, opt.duration, opt.warmup, opt.conns, opt.method, opt.host,
	    opt.paths[0]);
	printf("  sent %" PRIu64 "  completed %" PRIu64 "  never sent %" PRIu64 "  timeouts %" PRIu64
	       "  socket errors %" PRIu64 "  bad responses %" PRIu64 "  reconnects %" PRIu64 "\n",
	    st.sent, st.completed, st.unsent, st.timeouts, st.sock_errors, st.bad_responses,
	    st.reconnects);
	printf("  status 2xx %" PRIu64 "  3xx %" PRIu64 "  4xx %" PRIu64 "  5xx %" PRIu64 "  codes",
	    st.classes[2], st.classes[3], st.classes[4], st.classes[5]);
	for (int s = 100; s < 600; s++)
		if (st.codes[s])
			printf(" %d=%" PRIu64, s, st.codes[s]);
	printf("\n  achieved %.1f req/s (answers inside the measured window; target %.1f)%s\n", rate, opt.rate,
	    saturated ? "  SATURATED: the server did not keep up" : "");
	printf("  latency ms from the scheduled time: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  "
	       "max %.3f  mean %.3f\n", ms[0], ms[1], ms[2], ms[3], ms[4], ms[5]);
	printf("  loadgen's own CPU: %.0f %% of a core%s\n", self_cpu,
	    self_cpu > 90 ? "  (the load generator itself may be the limit)" : "");
	printf("{\"label\":\"%s\",\"target_rate\":%.1f,\"rate\":%.1f,\"connections\":%d,"
	       "\"duration_s\":%.1f,\"sent\":%" PRIu64 ",\"completed\":%" PRIu64 ",\"unsent\":%" PRIu64
	       ",\"timeouts\":%" PRIu64 ",\"socket_errors\":%" PRIu64 ",\"bad_responses\":%" PRIu64
	       ",\"s2xx\":%" PRIu64 ",\"s3xx\":%" PRIu64 ",\"s4xx\":%" PRIu64 ",\"s5xx\":%" PRIu64
	       ",\"codes\":{",
	    opt.label, opt.rate, rate, opt.conns, opt.duration, st.sent, st.completed, st.unsent,
	    st.timeouts, st.sock_errors, st.bad_responses, st.classes[2], st.classes[3],
	    st.classes[4], st.classes[5]);
	bool first = true;
	for (int s = 100; s < 600; s++)
		if (st.codes[s]) {
			printf("%s\"%d\":%" PRIu64, first ? "" : ",", s, st.codes[s]);
			first = false;
		}
	printf("},\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,"
	       "\"mean_ms\":%.3f,\"saturated\":%s,\"loadgen_cpu\":%.0f}\n",
	    ms[0], ms[1], ms[2], ms[3], ms[4], ms[5], saturated ? "true" : "false", self_cpu);
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[256];
	uint64_t total, next = 0, t0, measure_from, sched_end, hard_end, interval_ps;
	uint64_t timeout_ns, last_check = 0, start_ns = now_ns();

	parse_args(&opt, argc, argv);
	signal(SIGPIPE, SIG_IGN);
	conns = calloc((size_t)opt.conns, sizeof *conns);
	idle_stack = calloc((size_t)opt.conns, sizeof *idle_stack);
	if (conns == NULL || idle_stack == NULL)
		die("out of memory");
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		die("epoll_create1 failed");
	for (int i = 0; i < opt.conns; i++) {
		conns[i].fd = -1;
		if (opt.close_mode) {
			conns[i].state = C_IDLE;
			idle_stack[nidle++] = i;
		} else
			conn_open(i);
	}

	/* Wait (at most 5 s) for the connections to open before the clock starts. */
	for (uint64_t until = now_ns() + 5 * NS; nidle < opt.conns && now_ns() < until;) {
		int n = wait_events(evs, 256, NS / 100);
		for (int k = 0; k < n; k++)
			conn_event((int)evs[k].data.u32, evs[k].events);
	}
	if (nidle == 0)
		die("cannot connect to the target");

	total = (uint64_t)((opt.warmup + opt.duration) * opt.rate + 0.5);
	interval_ps = (uint64_t)(1e12 / opt.rate);     /* picoseconds: exact enough for 1e6/s */
	timeout_ns = (uint64_t)(opt.timeout * 1e9);
	t0 = now_ns() + NS / 100;
	measure_from = t0 + (uint64_t)(opt.warmup * 1e9);
	sched_end = t0 + (uint64_t)((opt.warmup + opt.duration) * 1e9);
	window_from = measure_from;
	window_to = sched_end;
	hard_end = sched_end + timeout_ns;

	for (;;) {
		uint64_t t = now_ns(), wait = NS / 100;

		/*
		 * Send everything that is due, as long as a connection is free. Every
		 * request is due before sched_end; one this thread woke up for a little
		 * after it (a late timer on a busy machine) still goes out, its latency
		 * counted from when it was due: only a request that found no free
		 * connection is "never sent".
		 */
		while (next < total && nidle > 0) {
			uint64_t due = t0 + (uint64_t)(((__uint128_t)next * interval_ps) / 1000u);
			if (due > t) {
				wait = due - t;
				break;
			}
			int ci = idle_stack[--nidle];
			send_request(ci, next, due, due >= measure_from);
			next++;
		}
		if (t >= sched_end && next < total) {
			/* Never sent: the server was too slow. Count their wait so far (a lower bound). */
			for (; next < total; next++) {
				uint64_t due = t0 + (uint64_t)(((__uint128_t)next * interval_ps) / 1000u);
				if (due >= measure_from) {
					st.unsent++;
					record_latency(due, t, true);
				}
			}
		}
		/* Time-outs, reopening closed connections (every 10 ms at most). */
		if (t - last_check > NS / 100) {
			last_check = t;
			for (int i = 0; i < opt.conns; i++) {
				struct conn *c = &conns[i];
				if (c->state == C_BUSY && t > c->sent_ns && t - c->sent_ns > timeout_ns)
					request_failed(i, true);
				else if (c->state == C_DOWN && opt.close_mode) {
					c->state = C_IDLE;      /* a slot; it connects with its next request */
					idle_stack[nidle++] = i;
				} else if (c->state == C_DOWN && t >= c->retry_at_ns && t < sched_end)
					conn_open(i);
			}
		}
		if (next >= total && nbusy == 0)
			break;
		if (t >= hard_end) {
			for (int i = 0; i < opt.conns; i++)
				if (conns[i].state == C_BUSY)
					request_failed(i, true);
			break;
		}
		if (nidle == 0 || next >= total)
			wait = NS / 100;
		int n = wait_events(evs, 256, wait);
		for (int k = 0; k < n; k++)
			conn_event((int)evs[k].data.u32, evs[k].events);
	}
	print_report(opt.duration, (double)(now_ns() - start_ns) / 1e9);
	for (int i = 0; i < opt.conns; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	return 0;
}
