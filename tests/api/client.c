/*
 * The client side of the API tests: a libcurl request helper, a runner for
 * the pingan and sqlite3 command lines, and the server fixture that starts a
 * real `pingan serve` on a temporary data directory.
 */
#include "client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

#define MAX_SERVERS 32
#define MAX_TEMP_DIRS 32
#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 20000

/* --- memory the client owns until exit ------------------------------- */

struct owned {
	void *p;
	void (*release)(void *);
};

static pthread_mutex_t owned_lock = PTHREAD_MUTEX_INITIALIZER;
static struct owned *owned;
static size_t nowned, capowned;

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "api-tests: out of memory\n");
		abort();
	}
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL) {
		fprintf(stderr, "api-tests: out of memory\n");
		abort();
	}
	return q;
}

static void
json_release(void *p)
{
	json_decref(p);
}

/* Hands p to the client: released at exit. Returns p. */
static void *
own(void *p, void (*release)(void *))
{
	if (p == NULL)
		return NULL;
	pthread_mutex_lock(&owned_lock);
	if (nowned == capowned) {
		capowned = capowned ? capowned * 2 : 256;
		owned = xrealloc(owned, capowned * sizeof *owned);
	}
	owned[nowned].p = p;
	owned[nowned].release = release;
	nowned++;
	pthread_mutex_unlock(&owned_lock);
	return p;
}

static char *
own_str(char *s)
{
	return own(s, free);
}

static char *
xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static const char *
vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return own_str(xstrndup("", 0));
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return own_str(s);
}

const char *
tfmt(const char *fmt, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	return s;
}

const char *
jfmt(const char *fmt, ...)
{
	va_list ap;
	json_error_t e;
	json_t *v;
	char *text;

	va_start(ap, fmt);
	v = json_vpack_ex(&e, 0, fmt, ap);
	va_end(ap);
	if (v == NULL) {
		fprintf(stderr, "api-tests: json_pack(\"%s\"): %s\n", fmt, e.text);
		abort();
	}
	text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	return own_str(text);
}

const char *
url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), len = 0;
	char *out = xmalloc(3 * n + 1);

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '_' || *p == '~' || *p == '-') {
			out[len++] = (char)*p;
			continue;
		}
		out[len++] = '%';
		out[len++] = hex[*p >> 4];
		out[len++] = hex[*p & 15];
	}
	out[len] = '\0';
	return own_str(out);
}

const char *
uniq(const char *prefix)
{
	static _Atomic int counter;

	return tfmt("%s%d", prefix, atomic_fetch_add(&counter, 1) + 1);
}

/* --- start-up and exit ------------------------------------------------ */

static struct fixture *servers[MAX_SERVERS];
static size_t nservers;
static char *temp_dirs[MAX_TEMP_DIRS];
static size_t ntemp_dirs;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void remove_tree(const char *dir);

static void
client_exit(void)
{
	bool keep = getenv("PINGAN_KEEP_TMP") != NULL;

	for (size_t i = 0; i < nservers; i++) {
		if (servers[i]->pid > 0)
			(void)fixture_stop(servers[i]);
		if (keep)
			fprintf(stderr, "api-tests: kept %s\n", servers[i]->dir);
		else
			remove_tree(servers[i]->dir);
		free(servers[i]);
	}
	for (size_t i = 0; i < ntemp_dirs; i++) {
		if (!keep)
			remove_tree(temp_dirs[i]);
		free(temp_dirs[i]);
	}
	for (size_t i = 0; i < nowned; i++)
		owned[i].release(owned[i].p);
	free(owned);
	curl_global_cleanup();
}

static void
client_init_once(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_ALL) != 0) {
		fprintf(stderr, "api-tests: curl_global_init failed\n");
		abort();
	}
	atexit(client_exit);
}

static void
client_init(void)
{
	pthread_once(&init_once, client_init_once);
}

void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- processes -------------------------------------------------------- */

const char *
pingan_bin(void)
{
	const char *b = getenv("PINGAN_BIN");

	return b && *b ? b : "./pingan";
}

static void
set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags >= 0)
		(void)fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static int
exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Reads fd to its end into a string the client owns. */
static char *
read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return own_str(buf);
}

int
run_program(const char *const *argv, const char *input, char **output)
{
	int in[2], out[2], status;
	pid_t pid;
	char *text;

	client_init();
	if (output)
		*output = NULL;
	if (pipe(in) != 0)
		return -1;
	if (pipe(out) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	set_cloexec(in[1]);
	set_cloexec(out[0]);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		close(in[0]);
		close(out[1]);
		unsetenv("PINGAN_CONFIG");
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (input) {
		size_t off = 0, n = strlen(input);

		while (off < n) {
			ssize_t w = write(in[1], input + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	close(in[1]);
	text = read_all(out[0]);
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (output)
		*output = text;
	return exit_code(status);
}

int
run_pingan(const char *input, char **output, ...)
{
	const char *argv[32];
	size_t n = 0;
	va_list ap;
	const char *a;

	argv[n++] = pingan_bin();
	va_start(ap, output);
	while ((a = va_arg(ap, const char *)) != NULL && n < sizeof argv / sizeof argv[0] - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return run_program(argv, input, output);
}

int
run_sqlite(const char *db, const char *sql, char **output)
{
	/* Waits for the server's write lock instead of failing with SQLITE_BUSY. */
	const char *argv[] = { "sqlite3", "-cmd", ".timeout 5000", db, sql, NULL };

	return run_program(argv, NULL, output);
}

static void
remove_tree(const char *dir)
{
	const char *argv[] = { "rm", "-rf", dir, NULL };

	if (dir && dir[0] == '/' && strncmp(dir, "/tmp/", 5) == 0)
		(void)run_program(argv, NULL, NULL);
}

const char *
temp_dir(void)
{
	char tmpl[] = "/tmp/pingan-api-XXXXXX";

	client_init();
	if (ntemp_dirs == MAX_TEMP_DIRS || mkdtemp(tmpl) == NULL)
		return NULL;
	temp_dirs[ntemp_dirs] = xstrndup(tmpl, strlen(tmpl));
	return temp_dirs[ntemp_dirs++];
}

/* --- the server fixture ----------------------------------------------- */

/* A port nobody listens on now: bind to port 0, read it, close. */
static int
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static void
print_log(const struct fixture *s, const char *why)
{
	FILE *f = fopen(s->log, "r");
	char line[1024];

	printf("    fixture: %s; server log %s:\n", why, s->log);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f))
		printf("      %s", line);
	fclose(f);
	fflush(stdout);
}

static int
write_config(struct fixture *s, const char *extra)
{
	FILE *f = fopen(s->config, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "# written by the API tests: fast hashing, no sign-in rate limit\n"
		   "argon2_memlimit_kib = 19456\n"
		   "argon2_opslimit = 2\n"
		   "signin_rate_per_minute = 10000\n"
		   "log_level = info\n%s\n", extra ? extra : "");
	return fclose(f) == 0 ? 0 : -1;
}

static bool
healthz_ok(struct fixture *s)
{
	CURL *c = curl_easy_init();
	long status = 0;
	FILE *devnull = fopen("/dev/null", "w");

	if (c == NULL || devnull == NULL) {
		if (c)
			curl_easy_cleanup(c);
		if (devnull)
			fclose(devnull);
		return false;
	}
	curl_easy_setopt(c, CURLOPT_URL, tfmt("%s/healthz", s->base));
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1000L);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	fclose(devnull);
	return status == 200;
}

/* fork/exec `pingan serve` (or demo), stdout and stderr to the log file. */
static int
spawn_server(struct fixture *s)
{
	const char *listen = tfmt("127.0.0.1:%d", s->port);
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int log = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int devnull = open("/dev/null", O_RDONLY);

		if (log >= 0) {
			dup2(log, STDOUT_FILENO);
			dup2(log, STDERR_FILENO);
		}
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		unsetenv("PINGAN_CONFIG");
		execl(pingan_bin(), pingan_bin(), s->command, "--config", s->config, "--data-dir",
		    s->data_dir, "--listen", listen, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", pingan_bin(), strerror(errno));
		_exit(127);
	}
	s->pid = pid;
	return 0;
}

/*
 * Polls /healthz until it answers 200 (true) or the server dies or 10 s pass
 * (100 s under valgrind: PINGAN_SLOW, set by tests/valgrind/check.sh).
 */
static bool
wait_until_up(struct fixture *s)
{
	long long until = now_ms() + START_TIMEOUT_MS * (getenv("PINGAN_SLOW") ? 10 : 1);
	int status;

	while (now_ms() < until) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			s->exit_status = exit_code(status);
			return false;
		}
		if (healthz_ok(s))
			return true;
		sleep_ms(50);
	}
	return false;
}

static int
start_process(struct fixture *s)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		s->port = free_port();
		snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
		if (s->port == 0 || spawn_server(s) != 0)
			return -1;
		if (wait_until_up(s))
			return 0;
		if (s->pid > 0) {
			(void)fixture_stop(s);
			print_log(s, "the server did not answer /healthz in time");
			return -1;
		}
		/* Exited early: perhaps someone took the port in between; try another. */
	}
	print_log(s, "the server exited at start-up");
	return -1;
}

int
fixture_user_add(struct fixture *s, const char *name, const char *role, const char *password,
    bool temporary)
{
	char *out;
	const char *input = tfmt("%s\n", password);
	int rc;

	if (temporary)
		rc = run_pingan(input, &out, "user", "add", name, "--role", role, "--temporary",
		    "--data-dir", s->data_dir, (char *)NULL);
	else
		rc = run_pingan(input, &out, "user", "add", name, "--role", role, "--data-dir",
		    s->data_dir, (char *)NULL);
	if (rc != 0)
		printf("    fixture: user add %s (%s) exited %d: %s", name, role, rc, out ? out : "");
	return rc;
}

struct account {
	const char *name, *role;
};

static const struct account basic_accounts[] = {
	{ "center", "county_center" },
	{ "auditor", "auditor" },
};

static const struct account more_accounts[] = {
	{ "township", "township_center" },
	{ "dept", "department" },
	{ "grid", "grid_worker" },
	{ "leader", "leader" },
	{ "volunteer", "volunteer" },
	{ "security", "security_admin" },
};

static int
prepare_data_dir(struct fixture *s, const char *extra_config)
{
	char *out;
	int rc;

	rc = run_pingan(NULL, &out, "init", "--data-dir", s->data_dir, (char *)NULL);
	if (rc != 0) {
		printf("    fixture: pingan init exited %d: %s", rc, out ? out : "");
		return -1;
	}
	rc = run_pingan(TEST_PASSWORD "\n", &out, "user", "passwd", "admin", "--data-dir",
	    s->data_dir, (char *)NULL);
	if (rc != 0) {
		printf("    fixture: pingan user passwd admin exited %d: %s", rc, out ? out : "");
		return -1;
	}
	for (size_t i = 0; i < sizeof basic_accounts / sizeof basic_accounts[0]; i++)
		if (fixture_user_add(s, basic_accounts[i].name, basic_accounts[i].role,
			TEST_PASSWORD, false) != 0)
			return -1;
	return write_config(s, extra_config);
}

static struct fixture *
fixture_new(void)
{
	char tmpl[] = "/tmp/pingan-api-XXXXXX";
	struct fixture *s;

	client_init();
	if (nservers == MAX_SERVERS || mkdtemp(tmpl) == NULL)
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	snprintf(s->dir, sizeof s->dir, "%s", tmpl);
	snprintf(s->data_dir, sizeof s->data_dir, "%s/data", s->dir);
	snprintf(s->db_path, sizeof s->db_path, "%s/pingan.db", s->data_dir);
	snprintf(s->config, sizeof s->config, "%s/pingan.conf", s->dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	snprintf(s->command, sizeof s->command, "serve");
	servers[nservers++] = s;
	return s;
}

static struct fixture *
start_with(const char *extra_config, bool all_roles)
{
	struct fixture *s = fixture_new();

	if (s == NULL || prepare_data_dir(s, extra_config) != 0)
		return NULL;
	for (size_t i = 0; all_roles && i < sizeof more_accounts / sizeof more_accounts[0]; i++)
		if (fixture_user_add(s, more_accounts[i].name, more_accounts[i].role, TEST_PASSWORD,
			false) != 0)
			return NULL;
	return start_process(s) == 0 ? s : NULL;
}

struct fixture *
server_start_fixture(const char *extra_config)
{
	return start_with(extra_config, false);
}

struct fixture *
fixture_shared(void)
{
	static struct fixture *shared;
	static bool tried;

	if (!tried) {
		tried = true;
		shared = start_with(NULL, true);
	}
	return shared;
}

struct fixture *
fixture_demo_start(const char *extra_config)
{
	struct fixture *s = fixture_new();

	if (s == NULL)
		return NULL;
	snprintf(s->command, sizeof s->command, "demo");
	s->password = DEMO_PASSWORD;
	if (write_config(s, extra_config) != 0 || start_process(s) != 0)
		return NULL;
	return s;
}

struct fixture *
fixture_demo(void)
{
	static struct fixture *demo;
	static bool tried;

	if (!tried) {
		tried = true;
		demo = fixture_demo_start(NULL);
	}
	return demo;
}

const char *
fixture_password(const struct fixture *s)
{
	return s->password ? s->password : TEST_PASSWORD;
}

int
fixture_restart(struct fixture *s)
{
	if (s->pid > 0)
		return -1;
	memset(s->sessions, 0, sizeof s->sessions);
	return start_process(s);
}

int
fixture_stop(struct fixture *s)
{
	long long until = now_ms() + STOP_TIMEOUT_MS;
	int status;

	if (s->pid <= 0)
		return s->exit_status;
	kill(s->pid, SIGTERM);
	for (;;) {
		pid_t w = waitpid(s->pid, &status, WNOHANG);

		if (w == s->pid) {
			s->exit_status = exit_code(status);
			break;
		}
		if (w < 0 && errno != EINTR) {
			s->exit_status = -1;
			break;
		}
		if (now_ms() > until) {
			kill(s->pid, SIGKILL);
			(void)waitpid(s->pid, &status, 0);
			s->exit_status = exit_code(status);
			break;
		}
		sleep_ms(10);
	}
	s->pid = 0;
	return s->exit_status;
}

const char *
session_of(struct fixture *s, const char *user)
{
	size_t i;

	for (i = 0; i < MAX_CACHED_SESSIONS && s->sessions[i].token; i++)
		if (strcmp(s->sessions[i].user, user) == 0)
			return s->sessions[i].token;
	if (i == MAX_CACHED_SESSIONS)
		return signin(s, user, fixture_password(s));
	s->sessions[i].token = signin(s, user, fixture_password(s));
	snprintf(s->sessions[i].user, sizeof s->sessions[i].user, "%s", user);
	return s->sessions[i].token;
}

/* --- HTTP ------------------------------------------------------------- */

struct collect {
	struct resp *r;
	char *body;
	size_t len, cap;
	struct header *hdrs;
	size_t nhdrs, caphdrs;
};

static size_t
on_body(char *data, size_t size, size_t nmemb, void *cls)
{
	struct collect *c = cls;
	size_t n = size * nmemb;

	if (c->len + n + 1 > c->cap) {
		while (c->len + n + 1 > c->cap)
			c->cap = c->cap ? c->cap * 2 : 4096;
		c->body = xrealloc(c->body, c->cap);
	}
	memcpy(c->body + c->len, data, n);
	c->len += n;
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *cls)
{
	struct collect *c = cls;
	size_t n = size * nmemb, len = n;
	const char *colon;

	while (len && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* A new status line (after 100 Continue): forget earlier headers. */
		for (size_t i = 0; i < c->nhdrs; i++) {
			free(c->hdrs[i].name);
			free(c->hdrs[i].value);
		}
		c->nhdrs = 0;
		return n;
	}
	colon = memchr(data, ':', len);
	if (colon == NULL)
		return n;
	if (c->nhdrs == c->caphdrs) {
		c->caphdrs = c->caphdrs ? c->caphdrs * 2 : 16;
		c->hdrs = xrealloc(c->hdrs, c->caphdrs * sizeof *c->hdrs);
	}
	c->hdrs[c->nhdrs].name = xstrndup(data, (size_t)(colon - data));
	colon++;
	while (colon < data + len && (*colon == ' ' || *colon == '\t'))
		colon++;
	c->hdrs[c->nhdrs].value = xstrndup(colon, (size_t)(data + len - colon));
	c->nhdrs++;
	return n;
}

static struct curl_slist *
request_headers(const struct request *rq)
{
	struct curl_slist *h = NULL;

	if (rq->body) {
		if (rq->content_type == NULL)
			h = curl_slist_append(h, "Content-Type: application/json");
		else if (rq->content_type[0] == '\0')
			h = curl_slist_append(h, "Content-Type:");
		else
			h = curl_slist_append(h, tfmt("Content-Type: %s", rq->content_type));
	}
	if (rq->bearer)
		h = curl_slist_append(h, tfmt("Authorization: Bearer %s", rq->bearer));
	if (rq->csrf)
		h = curl_slist_append(h, "X-Requested-With: XMLHttpRequest");
	for (size_t i = 0; i < sizeof rq->headers / sizeof rq->headers[0] && rq->headers[i]; i++)
		h = curl_slist_append(h, rq->headers[i]);
	return h;
}

struct resp *
http(struct fixture *s, const struct request *rq)
{
	struct resp *r = own(calloc(1, sizeof *r), free);
	struct collect c = { r, NULL, 0, 0, NULL, 0, 0 };
	const char *method = rq->method ? rq->method : "GET";
	struct curl_slist *h;
	CURL *e;
	CURLcode rc;

	client_init();
	e = curl_easy_init();
	if (r == NULL || e == NULL)
		abort();
	h = request_headers(rq);
	curl_easy_setopt(e, CURLOPT_URL, tfmt("%s%s", s->base, rq->path));
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : 60000L);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &c);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (rq->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(rq->body_len ? rq->body_len : strlen(rq->body)));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body);
	}
	if (rq->cookie)
		curl_easy_setopt(e, CURLOPT_COOKIE, tfmt("pingan_session=%s", rq->cookie));
	rc = curl_easy_perform(e);
	if (rc == CURLE_OK || (rc == CURLE_OPERATION_TIMEDOUT && rq->timeout_ms > 0))
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	else
		printf("    http: %s %s: %s\n", method, rq->path, curl_easy_strerror(rc));
	curl_easy_cleanup(e);
	curl_slist_free_all(h);

	r->body = own_str(c.body ? c.body : xmalloc(1));
	r->body_len = c.len;
	r->body[c.len] = '\0';
	r->headers = own(c.hdrs, free);
	r->nheaders = c.nhdrs;
	for (size_t i = 0; i < c.nhdrs; i++) {
		own_str(c.hdrs[i].name);
		own_str(c.hdrs[i].value);
	}
	if (c.len > 0)
		r->json = own(json_loadb(r->body, c.len, 0, NULL), json_release);
	return r;
}

struct resp *
api_get(struct fixture *s, const char *token, const char *path)
{
	struct request rq = { .method = "GET", .path = path, .bearer = token };

	return http(s, &rq);
}

struct resp *
api_send(struct fixture *s, const char *method, const char *path, const char *token,
    const char *json)
{
	struct request rq = { .method = method, .path = path, .bearer = token, .body = json };

	return http(s, &rq);
}

const char *
resp_header(const struct resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

const char *
signin_body(const char *user, const char *password)
{
	return jfmt("{s:s, s:s}", "username", user, "password", password);
}

const char *
signin(struct fixture *s, const char *user, const char *password)
{
	struct resp *r = api_send(s, "POST", "/api/v1/session", NULL, signin_body(user, password));

	if (r->status != 201) {
		printf("    signin %s: status %ld %s\n", user, r->status, r->body);
		return NULL;
	}
	return jstr(r->json, "token");
}

/* --- JSON ------------------------------------------------------------- */

json_t *
jget(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;
	char key[128];

	while (cur && *p) {
		size_t n = strcspn(p, ".");

		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (json_is_array(cur)) {
			char *end;
			unsigned long i = strtoul(key, &end, 10);

			if (end == key || *end != '\0')
				return NULL;
			cur = json_array_get(cur, i);
		} else {
			cur = json_object_get(cur, key);
		}
		p += n;
		if (*p == '.')
			p++;
	}
	return cur;
}

const char *
jstr(json_t *root, const char *path)
{
	return json_string_value(jget(root, path));
}

long long
jint(json_t *root, const char *path, long long def)
{
	json_t *v = jget(root, path);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

bool
items_have(json_t *items, const char *key, const char *value)
{
	size_t i;
	json_t *v;

	json_array_foreach(items, i, v) {
		const char *s = json_string_value(json_object_get(v, key));

		if (s && strcmp(s, value) == 0)
			return true;
	}
	return false;
}

bool
user_exists(struct fixture *s, const char *token, const char *username)
{
	struct resp *r = api_get(s, token, tfmt("/api/v1/users?q=%s&limit=200", username));

	return r->status == 200 && items_have(jget(r->json, "items"), "username", username);
}

long long
api_user_create(struct fixture *s, const char *username, const char *role)
{
	struct resp *r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:[s]}", "username", username, "password", TEST_PASSWORD, "roles",
		role));

	if (r->status != 201) {
		printf("    create user %s: status %ld %s\n", username, r->status, r->body);
		return 0;
	}
	return jint(r->json, "id", 0);
}

/* --- the demo county and events --------------------------------------- */

long long
county_unit_add(struct fixture *s, const char *name, const char *division_code)
{
	struct resp *r = api_send(s, "POST", "/api/v1/units", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:s}", "name", name, "kind", "department", "division_code",
		division_code));

	if (r->status != 201) {
		printf("    create unit %s: status %ld %s\n", name, r->status, r->body);
		return 0;
	}
	return jint(r->json, "id", 0);
}

/* The first password of an account created through the API: it must be changed at once. */
#define FIRST_PASSWORD "First#Pass2026"

long long
county_user_add(struct fixture *s, const char *username, const char *role,
    const char *division_code, long long unit_id)
{
	json_t *body = json_pack("{s:s, s:s, s:[s], s:s}", "username", username, "password",
	    FIRST_PASSWORD, "roles", role, "division_code", division_code);
	const char *first;
	char *text;
	struct resp *r;
	long long id;

	if (unit_id > 0)
		json_object_set_new(body, "unit_id", json_integer(unit_id));
	text = own_str(json_dumps(body, JSON_COMPACT));
	json_decref(body);
	r = api_send(s, "POST", "/api/v1/users", session_of(s, "admin"), text);
	if (r->status != 201) {
		printf("    create user %s: status %ld %s\n", username, r->status, r->body);
		return 0;
	}
	id = jint(r->json, "id", 0);
	/* As its owner would: sign in and replace the first password with the fixture's. */
	first = signin(s, username, FIRST_PASSWORD);
	if (first == NULL)
		return 0;
	r = api_send(s, "POST", "/api/v1/me/password", first, jfmt("{s:s, s:s}", "old_password",
	    FIRST_PASSWORD, "new_password", fixture_password(s)));
	if (r->status != 204) {
		printf("    first password change of %s: status %ld %s\n", username, r->status,
		    r->body);
		return 0;
	}
	return id;
}

const char *
other_township(struct fixture *s)
{
	static const struct fixture *made_on;
	static const char *name;

	if (made_on != s) {
		made_on = s;
		name = county_user_add(s, "majin_room", "township_center", DEMO_OTHER_TOWN, 0) > 0
		    ? "majin_room" : NULL;
	}
	return name;
}

const char *
report_body(const char *division, const char *category, const char *title)
{
	return jfmt("{s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}", "channel", "grid",
	    "category_code", category, "title", title, "division_code", division,
	    "reporter_name", "张三", "reporter_phone", REPORTER_PHONE,
	    "parties", "name", "李四", "id_number", PARTY_ID_NUMBER);
}

struct resp *
report(struct fixture *s, const char *user, const char *body)
{
	return api_send(s, "POST", "/api/v1/events", session_of(s, user), body);
}

long long
report_event(struct fixture *s, const char *user, const char *division, const char *category,
    const char *title)
{
	struct resp *r = report(s, user, report_body(division, category, title));

	if (r->status != 201) {
		printf("    report %s as %s: status %ld %s\n", title, user, r->status, r->body);
		return 0;
	}
	return jint(r->json, "id", 0);
}

struct resp *
read_event(struct fixture *s, const char *user, long long id)
{
	return api_get(s, session_of(s, user), tfmt("/api/v1/events/%lld", id));
}

struct resp *
act_on(struct fixture *s, const char *user, long long id, const char *action, const char *json)
{
	return api_send(s, "POST", tfmt("/api/v1/events/%lld/%s", id, action), session_of(s, user),
	    json);
}

/* --- server-sent events ----------------------------------------------- */

struct sse {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t grew;
	char *data;             /* NUL-terminated */
	size_t len, cap;
	long status;
	bool done;              /* the transfer ended */
	bool joined;
	atomic_bool stop;
	char *url, *auth, *header;
	long max_ms;
};

static size_t
sse_on_body(char *data, size_t size, size_t nmemb, void *cls)
{
	struct sse *e = cls;
	size_t n = size * nmemb;

	if (atomic_load(&e->stop))
		return 0;
	pthread_mutex_lock(&e->lock);
	if (e->len + n + 1 > e->cap) {
		while (e->len + n + 1 > e->cap)
			e->cap *= 2;
		e->data = xrealloc(e->data, e->cap);
	}
	memcpy(e->data + e->len, data, n);
	e->len += n;
	e->data[e->len] = '\0';
	pthread_cond_broadcast(&e->grew);
	pthread_mutex_unlock(&e->lock);
	return n;
}

static size_t
sse_on_header(char *data, size_t size, size_t nmemb, void *cls)
{
	struct sse *e = cls;
	size_t n = size * nmemb;
	char line[64];
	long status;

	if (n >= 12 && n < sizeof line && strncmp(data, "HTTP/", 5) == 0) {
		memcpy(line, data, n);
		line[n] = '\0';
		if (sscanf(line, "HTTP/%*s %ld", &status) == 1) {
			pthread_mutex_lock(&e->lock);
			e->status = status;
			pthread_cond_broadcast(&e->grew);
			pthread_mutex_unlock(&e->lock);
		}
	}
	return n;
}

static int
sse_on_progress(void *cls, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct sse *e = cls;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&e->stop) ? 1 : 0;
}

static void *
sse_run(void *arg)
{
	struct sse *e = arg;
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();

	if (c == NULL)
		abort();
	h = curl_slist_append(h, e->auth);
	h = curl_slist_append(h, "Accept: text/event-stream");
	if (e->header)
		h = curl_slist_append(h, e->header);
	curl_easy_setopt(c, CURLOPT_URL, e->url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, e->max_ms);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sse_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, e);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sse_on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, e);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, sse_on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, e);
	(void)curl_easy_perform(c);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	pthread_mutex_lock(&e->lock);
	e->done = true;
	pthread_cond_broadcast(&e->grew);
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

static void
sse_release(void *p)
{
	struct sse *e = p;

	sse_close(e);
	pthread_mutex_destroy(&e->lock);
	pthread_cond_destroy(&e->grew);
	free(e->data);
	free(e->url);
	free(e->auth);
	free(e->header);
	free(e);
}

struct sse *
sse_open(struct fixture *s, const char *token, const char *path, const char *header,
    long max_ms)
{
	struct sse *e = calloc(1, sizeof *e);
	const char *url = tfmt("%s%s", s->base, path), *auth = tfmt("Authorization: Bearer %s",
	    token ? token : "");

	client_init();
	if (e == NULL)
		abort();
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->grew, NULL);
	e->cap = 4096;
	e->data = xmalloc(e->cap);
	e->data[0] = '\0';
	e->url = xstrndup(url, strlen(url));
	e->auth = xstrndup(auth, strlen(auth));
	e->header = header ? xstrndup(header, strlen(header)) : NULL;
	e->max_ms = max_ms;
	atomic_init(&e->stop, false);
	if (pthread_create(&e->thread, NULL, sse_run, e) != 0)
		abort();
	return own(e, sse_release);
}

bool
sse_wait_for(struct sse *e, const char *needle, long ms)
{
	struct timespec until = clock_deadline_in(ms);
	bool seen;

	pthread_mutex_lock(&e->lock);
	while (!(seen = strstr(e->data, needle) != NULL) && !e->done)
		if (pthread_cond_timedwait(&e->grew, &e->lock, &until) != 0)
			break;
	if (!seen)
		seen = strstr(e->data, needle) != NULL;
	pthread_mutex_unlock(&e->lock);
	return seen;
}

long
sse_status(struct sse *e)
{
	long status;

	pthread_mutex_lock(&e->lock);
	status = e->status;
	pthread_mutex_unlock(&e->lock);
	return status;
}

const char *
sse_text(struct sse *e)
{
	char *copy;

	pthread_mutex_lock(&e->lock);
	copy = xstrndup(e->data, e->len);
	pthread_mutex_unlock(&e->lock);
	return own_str(copy);
}

void
sse_close(struct sse *e)
{
	if (e->joined)
		return;
	atomic_store(&e->stop, true);
	pthread_join(e->thread, NULL);
	e->joined = true;
}

const char *
gb_id_number(const char *seventeen)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (seventeen[i] - '0') * weight[i];
	return tfmt("%s%c", seventeen, check[sum % 11]);
}

/* Does the file contain needle (false when it cannot be read)? */
bool
file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len = 0, cap = 1 << 20, got;
	char *buf;
	bool found = false;

	if (f == NULL)
		return false;
	buf = malloc(cap);
	if (buf == NULL) {
		fclose(f);
		return false;
	}
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			char *more = realloc(buf, cap * 2);

			if (more == NULL)
				break;
			buf = more;
			cap *= 2;
		}
	}
	fclose(f);
	for (size_t i = 0; i + n <= len && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}
