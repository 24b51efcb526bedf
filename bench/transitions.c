/*
 * transitions: the closed-loop workflow under concurrency, and the check
 * that no update was lost.
 *
 *   transitions create --port P --token T --n N --division CODE --category CODE
 *                      --out FILE [-w WORKERS]
 *       report N events (county-centre walk-ins); their ids go to FILE.
 *   transitions race --port P --center T --dept T --unit ID --ids FILE
 *                    [-w WORKERS] [--window K] [--max-seconds S]
 *       W workers pick events at random from a small window of unfinished
 *       ones, so several work on the same event at the same moment. Each
 *       reads the event (GET), works out the next step from its state
 *       (accept -> dispatch -> sign -> feedback -> verify) and posts it;
 *       even workers send If-Match with the version they read, odd workers
 *       send none (the state check alone must refuse the loser). Answers
 *       are counted: 200, 409 (state conflict), 412 (stale version), other.
 *       Then every event is read back (see check).
 *   transitions check --port P --token T --ids FILE
 *       every event's timeline must be a clean prefix of report, accept,
 *       dispatch, sign, feedback, verify, its version the number of entries;
 *       prints how many events hold each step (to compare with the 200s).
 *
 * A lost update is a 200 whose change is not in the timeline, or a change
 * applied twice: lost = sum over steps of |200s - events whose timeline holds
 * the step| + events whose timeline is not a clean prefix of the chain.
 * Latencies here are closed-loop (each worker waits for its answer) and
 * only describe this mix; fixed-rate latencies come from loadgen.
 * Loopback only: the target is always 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 256
#define MAX_EVENTS 1000000
#define STEPS 5

static const char *const expected_timeline[] = {
	"report", "accept", "dispatch", "sign", "feedback", "verify",
};

/* ------------------------------------------------------------ HTTP client */

struct hc {
	int fd;
	uint16_t port;
	char *buf;
	size_t cap;
};

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int
hc_connect(struct hc *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	struct timeval tv = { .tv_sec = 30 };
	int one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * One request on the keep-alive connection (reopened once if it was
 * closed). Returns the status, or -1; *body points into c->buf, NUL-ended.
 */
static int
hc_do(struct hc *c, const char *method, const char *path, const char *token,
    const char *extra_header, const char *body, char **out)
{
	char head[1024];
	size_t blen = body ? strlen(body) : 0, len = 0, hlen = 0, clen = 0;
	int n, status;

	n = snprintf(head, sizeof head,
	    "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nAuthorization: Bearer %s\r\n%s%s"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    method, path, c->port, token, extra_header ? extra_header : "",
	    extra_header ? "\r\n" : "", blen);
	if (n < 0 || (size_t)n >= sizeof head)
		return -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (c->fd < 0 && hc_connect(c) != 0)
			return -1;
		if (send_all(c->fd, head, (size_t)n) == 0 && (blen == 0 || send_all(c->fd, body, blen) == 0))
			break;
		close(c->fd);
		c->fd = -1;
		if (attempt == 1)
			return -1;
	}
	for (;;) {
		char *end;
		if (len + 4096 > c->cap) {
			c->cap = c->cap ? c->cap * 2 : 65536;
			if (c->cap > 64u * 1024 * 1024)
				return -1;
			c->buf = realloc(c->buf, c->cap + 1);
			if (c->buf == NULL)
				abort();
		}
		ssize_t k = recv(c->fd, c->buf + len, c->cap - len, 0);
		if (k <= 0) {
			close(c->fd);
			c->fd = -1;
			return -1;
		}
		len += (size_t)k;
		c->buf[len] = '\0';
		if (hlen == 0 && (end = strstr(c->buf, "\r\n\r\n")) != NULL) {
			char *cl = strcasestr(c->buf, "\r\nContent-Length:");
			hlen = (size_t)(end - c->buf) + 4;
			if (cl == NULL || cl > end) {
				close(c->fd);     /* this client needs Content-Length */
				c->fd = -1;
				return -1;
			}
			clen = strtoul(cl + 17, NULL, 10);
		}
		if (hlen && len >= hlen + clen)
			break;
	}
	status = atoi(c->buf + 9);
	c->buf[hlen + clen] = '\0';
	*out = c->buf + hlen;
	if (strcasestr(c->buf, "\r\nConnection: close") != NULL) {
		close(c->fd);
		c->fd = -1;
	}
	return status;
}

/* ------------------------------------------------------------- options */

struct options {
	const char *mode, *token, *center, *dept, *division, *category, *out, *ids;
	uint16_t port;
	long n, unit, workers, window, max_seconds;
};

static struct options opt = { .workers = 16, .window = 0, .max_seconds = 120 };
static int64_t *ids;
static long nids;

static void
usage(void)
{
	fprintf(stderr, "usage: transitions create|race|check --port P ... (see the comment in "
			"bench/transitions.c)\n");
	exit(2);
}

static long
num(const char *s, long lo, long hi)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 10);
	if (errno || *e || v < lo || v > hi)
		usage();
	return v;
}

static void
parse_args(int argc, char **argv)
{
	if (argc < 2)
		usage();
	opt.mode = argv[1];
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];
		if (strcmp(a, "--port") == 0)
			opt.port = (uint16_t)num(v, 1, 65535);
		else if (strcmp(a, "--token") == 0)
			opt.token = v;
		else if (strcmp(a, "--center") == 0)
			opt.center = v;
		else if (strcmp(a, "--dept") == 0)
			opt.dept = v;
		else if (strcmp(a, "--division") == 0)
			opt.division = v;
		else if (strcmp(a, "--category") == 0)
			opt.category = v;
		else if (strcmp(a, "--out") == 0)
			opt.out = v;
		else if (strcmp(a, "--ids") == 0)
			opt.ids = v;
		else if (strcmp(a, "--n") == 0)
			opt.n = num(v, 1, MAX_EVENTS);
		else if (strcmp(a, "--unit") == 0)
			opt.unit = num(v, 1, 1L << 40);
		else if (strcmp(a, "-w") == 0)
			opt.workers = num(v, 1, MAX_WORKERS);
		else if (strcmp(a, "--window") == 0)
			opt.window = num(v, 1, MAX_EVENTS);
		else if (strcmp(a, "--max-seconds") == 0)
			opt.max_seconds = num(v, 1, 3600);
		else
			usage();
	}
	if (opt.port == 0)
		usage();
}

static void
load_ids(void)
{
	FILE *f = fopen(opt.ids, "r");
	long long v;

	if (f == NULL) {
		fprintf(stderr, "transitions: cannot open %s\n", opt.ids);
		exit(1);
	}
	ids = calloc(MAX_EVENTS, sizeof *ids);
	while (nids < MAX_EVENTS && fscanf(f, "%lld", &v) == 1)
		ids[nids++] = v;
	fclose(f);
	if (nids == 0) {
		fprintf(stderr, "transitions: no ids in %s\n", opt.ids);
		exit(1);
	}
}

/* ------------------------------------------------------ latency summary */

struct lat {
	uint64_t *v;
	size_t n, cap;
	pthread_mutex_t mu;
};

static void
lat_add(struct lat *l, uint64_t us)
{
	pthread_mutex_lock(&l->mu);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL)
			abort();
	}
	l->v[l->n++] = us;
	pthread_mutex_unlock(&l->mu);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
lat_pct(struct lat *l, double p)
{
	size_t k;

	if (l->n == 0)
		return 0;
	k = (size_t)(p / 100.0 * (double)l->n);
	if (k >= l->n)
		k = l->n - 1;
	return (double)l->v[k] / 1000.0;
}

/* ---------------------------------------------------------------- create */

static atomic_long create_next, create_fail;

static void *
create_worker(void *arg)
{
	struct hc c = { .fd = -1, .port = opt.port };
	char body[1024], *resp;
	long i;

	(void)arg;
	while ((i = atomic_fetch_add(&create_next, 1)) < opt.n) {
		snprintf(body, sizeof body,
		    "{\"channel\":\"walk_in\",\"category_code\":\"%s\",\"division_code\":\"%s\","
		    "\"title\":\"并发流转测试 %ld 邻里纠纷\",\"reporter_name\":\"李四\","
		    "\"reporter_phone\":\"13900139000\",\"description\":\"基准测试：受理、交办、签收、"
		    "反馈、核查的并发流转。\",\"urgency\":\"normal\"}", opt.category, opt.division, i);
		int st = hc_do(&c, "POST", "/api/v1/events", opt.token, NULL, body, &resp);
		json_t *j = st == 201 ? json_loads(resp, 0, NULL) : NULL;
		if (j == NULL) {
			if (atomic_fetch_add(&create_fail, 1) < 5 && st != 201)
				fprintf(stderr, "transitions: create answered %d: %.200s\n", st,
				    st > 0 ? resp : "");
			continue;
		}
		ids[i] = json_integer_value(json_object_get(j, "id"));
		json_decref(j);
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
	return NULL;
}

static int
run_create(void)
{
	pthread_t th[MAX_WORKERS];
	FILE *f;

	if (!opt.token || !opt.division || !opt.category || !opt.out || opt.n <= 0)
		usage();
	ids = calloc((size_t)opt.n, sizeof *ids);
	for (long w = 0; w < opt.workers; w++)
		pthread_create(&th[w], NULL, create_worker, NULL);
	for (long w = 0; w < opt.workers; w++)
		pthread_join(th[w], NULL);
	if ((f = fopen(opt.out, "w")) == NULL)
		return 1;
	for (long i = 0; i < opt.n; i++)
		if (ids[i] > 0)
			fprintf(f, "%" PRId64 "\n", ids[i]);
	fclose(f);
	printf("created %ld events, %ld failed\n", opt.n - create_fail, (long)create_fail);
	return create_fail > 0;
}

/* ----------------------------------------------------------------- check */

struct check_result {
	long closed, exact, anomalies;
	long steps_done[STEPS];     /* events whose timeline holds step k */
};

/*
 * Reads every event back. An event is sound when its timeline is a prefix of
 * report, accept, dispatch, sign, feedback, verify with no entry twice, and
 * its version counts those entries (1 at report, +1 per step). Anything else
 * is an anomaly: a change applied twice, or one that left no trace.
 */
static void
check_all(const char *token, struct check_result *r)
{
	struct hc c = { .fd = -1, .port = opt.port };
	char path[64], *resp;
	int shown = 0;

	memset(r, 0, sizeof *r);
	for (long i = 0; i < nids; i++) {
		snprintf(path, sizeof path, "/api/v1/events/%" PRId64, ids[i]);
		int st = hc_do(&c, "GET", path, token, NULL, NULL, &resp);
		json_t *j = st == 200 ? json_loads(resp, 0, NULL) : NULL, *tl, *e;
		bool sound;
		size_t k, len;

		if (j == NULL) {
			r->anomalies++;
			continue;
		}
		tl = json_object_get(j, "timeline");
		len = json_array_size(tl);
		sound = len >= 1 && len <= 6 &&
		    json_integer_value(json_object_get(j, "version")) == (json_int_t)len;
		json_array_foreach(tl, k, e) {
			const char *a = json_string_value(json_object_get(e, "action"));
			if (k >= 6 || a == NULL || strcmp(a, expected_timeline[k]) != 0)
				sound = false;
		}
		const char *state = json_string_value(json_object_get(j, "state"));
		bool closed = state && strcmp(state, "closed") == 0;
		if (closed)
			r->closed++;
		if (sound) {
			for (size_t s = 0; s + 1 < len; s++)
				r->steps_done[s]++;
			if (closed && len == 6)
				r->exact++;
		} else {
			r->anomalies++;
			if (shown++ < 5) {
				fprintf(stderr, "transitions: event %" PRId64 " state %s version %lld "
				    "timeline:", ids[i], state ? state : "?",
				    (long long)json_integer_value(json_object_get(j, "version")));
				json_array_foreach(tl, k, e)
					fprintf(stderr, " %s", json_string_value(json_object_get(e,
					    "action")));
				fprintf(stderr, "\n");
			}
		}
		json_decref(j);
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
}

static void
print_check_json(const struct check_result *r)
{
	printf("\"closed\":%ld,\"exact\":%ld,\"anomalies\":%ld,\"steps_done\":[%ld,%ld,%ld,%ld,%ld]",
	    r->closed, r->exact, r->anomalies, r->steps_done[0], r->steps_done[1], r->steps_done[2],
	    r->steps_done[3], r->steps_done[4]);
}

static int
run_check(void)
{
	struct check_result r;

	if (!opt.token || !opt.ids)
		usage();
	load_ids();
	check_all(opt.token, &r);
	printf("checked %ld events: %ld closed, %ld with the whole expected timeline, %ld anomalies; "
	       "steps recorded: accept %ld dispatch %ld sign %ld feedback %ld verify %ld\n", nids,
	    r.closed, r.exact, r.anomalies, r.steps_done[0], r.steps_done[1], r.steps_done[2],
	    r.steps_done[3], r.steps_done[4]);
	printf("{\"events\":%ld,", nids);
	print_check_json(&r);
	printf("}\n");
	return r.anomalies != 0;
}

/* ------------------------------------------------------------------ race */

static atomic_bool *done;
static atomic_long lo, remaining;
static atomic_long n200, n409, n412, nother, nget, nerr;
static atomic_long step200[STEPS];
static struct lat lat_post = { .mu = PTHREAD_MUTEX_INITIALIZER };
static uint64_t deadline_us;

static const struct step {
	const char *state, *action;
	bool dept;
} steps[STEPS] = {
	{ "reported", "accept", false },
	{ "accepted", "dispatch", false },
	{ "dispatched", "sign", true },
	{ "handling", "feedback", true },
	{ "handled", "verify", false },
};

static long
pick(unsigned *seed)
{
	long base = atomic_load(&lo);

	while (base < nids && atomic_load(&done[base])) {
		atomic_compare_exchange_weak(&lo, &base, base + 1);
		base = atomic_load(&lo);
	}
	for (int tries = 0; tries < 64 && base < nids; tries++) {
		long i = base + (long)((unsigned)rand_r(seed) % (unsigned)opt.window);
		if (i < nids && !atomic_load(&done[i]))
			return i;
	}
	return base < nids ? base : -1;
}

/* Does the next step of event i as the state read says; counts the answer. */
static void
race_one(struct hc *c, long i, bool send_version)
{
	char path[96], body[256], ifm[64], *resp;
	const struct step *s = NULL;
	int st, k;
	json_t *j;
	int64_t version;
	const char *state;

	snprintf(path, sizeof path, "/api/v1/events/%" PRId64, ids[i]);
	st = hc_do(c, "GET", path, opt.center, NULL, NULL, &resp);
	atomic_fetch_add(&nget, 1);
	if (st != 200 || (j = json_loads(resp, 0, NULL)) == NULL) {
		atomic_fetch_add(&nerr, 1);
		return;
	}
	state = json_string_value(json_object_get(j, "state"));
	version = json_integer_value(json_object_get(j, "version"));
	for (k = 0; k < STEPS && state; k++)
		if (strcmp(state, steps[k].state) == 0) {
			s = &steps[k];
			break;
		}
	if (s == NULL) {
		if (state && strcmp(state, "closed") == 0 && !atomic_exchange(&done[i], true))
			atomic_fetch_sub(&remaining, 1);
		json_decref(j);
		return;
	}
	json_decref(j);
	if (k == 1)
		snprintf(body, sizeof body, "{\"lead_unit_id\":%ld}", opt.unit);
	else if (k == 3)
		snprintf(body, sizeof body, "{\"note\":\"已办理并反馈（并发基准）\"}");
	else if (k == 4)
		snprintf(body, sizeof body, "{\"ok\":true}");
	else
		snprintf(body, sizeof body, "{}");
	snprintf(path, sizeof path, "/api/v1/events/%" PRId64 "/%s", ids[i], s->action);
	snprintf(ifm, sizeof ifm, "If-Match: %" PRId64, version);
	uint64_t t = now_us();
	st = hc_do(c, "POST", path, s->dept ? opt.dept : opt.center, send_version ? ifm : NULL, body,
	    &resp);
	lat_add(&lat_post, now_us() - t);
	if (st == 200) {
		atomic_fetch_add(&n200, 1);
		atomic_fetch_add(&step200[k], 1);
	} else if (st == 409)
		atomic_fetch_add(&n409, 1);
	else if (st == 412)
		atomic_fetch_add(&n412, 1);
	else {
		atomic_fetch_add(&nother, 1);
		if (atomic_load(&nother) <= 5)
			fprintf(stderr, "transitions: %s answered %d: %.200s\n", path, st,
			    st > 0 ? resp : "");
	}
}

static void *
race_worker(void *arg)
{
	long w = (long)(intptr_t)arg;
	struct hc c = { .fd = -1, .port = opt.port };
	unsigned seed = (unsigned)(w * 7919 + 17);

	while (atomic_load(&remaining) > 0 && now_us() < deadline_us) {
		long i = pick(&seed);
		if (i < 0)
			break;
		race_one(&c, i, w % 2 == 0);
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
	return NULL;
}

static int
run_race(void)
{
	pthread_t th[MAX_WORKERS];
	struct check_result r;
	uint64_t t0;
	double secs;
	long lost;

	if (!opt.center || !opt.dept || !opt.unit || !opt.ids)
		usage();
	load_ids();
	if (opt.window == 0)
		opt.window = opt.workers / 2 > 1 ? opt.workers / 2 : 1;
	done = calloc((size_t)nids, sizeof *done);
	atomic_store(&remaining, nids);
	t0 = now_us();
	deadline_us = t0 + (uint64_t)opt.max_seconds * 1000000u;
	for (long w = 0; w < opt.workers; w++)
		pthread_create(&th[w], NULL, race_worker, (void *)(intptr_t)w);
	for (long w = 0; w < opt.workers; w++)
		pthread_join(th[w], NULL);
	secs = (double)(now_us() - t0) / 1e6;
	qsort(lat_post.v, lat_post.n, sizeof *lat_post.v, cmp_u64);
	check_all(opt.center, &r);
	/* Every 200 must have left exactly one timeline entry, and no entry may be doubled. */
	lost = r.anomalies;
	for (int k = 0; k < STEPS; k++)
		lost += labs(step200[k] - r.steps_done[k]);
	printf("race: %ld events, %ld workers (window %ld, even workers send If-Match), %.1f s\n",
	    nids, opt.workers, opt.window, secs);
	printf("  answers: 200 %ld (expected %ld)  409 %ld  412 %ld  other %ld  (reads %ld, read "
	       "errors %ld)\n", (long)n200, STEPS * nids, (long)n409, (long)n412, (long)nother,
	    (long)nget, (long)nerr);
	printf("  per step 200s: accept %ld dispatch %ld sign %ld feedback %ld verify %ld\n",
	    (long)step200[0], (long)step200[1], (long)step200[2], (long)step200[3], (long)step200[4]);
	printf("  transitions/s %.1f  closed-loop POST latency ms p50 %.2f p99 %.2f p99.9 %.2f\n",
	    (double)n200 / secs, lat_pct(&lat_post, 50), lat_pct(&lat_post, 99),
	    lat_pct(&lat_post, 99.9));
	printf("  read back: %ld closed, %ld exact timelines, %ld anomalies\n", r.closed, r.exact,
	    r.anomalies);
	printf("  lost updates: %ld\n", lost);
	printf("{\"events\":%ld,\"workers\":%ld,\"seconds\":%.2f,\"ok\":%ld,\"expected_ok\":%ld,"
	       "\"conflict_409\":%ld,\"stale_412\":%ld,\"other\":%ld,\"rate\":%.1f,\"p50_ms\":%.3f,"
	       "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"lost_updates\":%ld,",
	    nids, opt.workers, secs, (long)n200, STEPS * nids, (long)n409, (long)n412,
	    (long)nother, (double)n200 / secs, lat_pct(&lat_post, 50), lat_pct(&lat_post, 99),
	    lat_pct(&lat_post, 99.9), lost);
	print_check_json(&r);
	printf("}\n");
	return lost != 0;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);
	if (strcmp(opt.mode, "create") == 0)
		return run_create();
	if (strcmp(opt.mode, "race") == 0)
		return run_race();
	if (strcmp(opt.mode, "check") == 0)
		return run_check();
	usage();
	return 2;
}
