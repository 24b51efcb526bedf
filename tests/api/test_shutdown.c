/*
 * Graceful stop: a request in flight when SIGTERM arrives still gets its
 * answer, and the server exits 0. The request is held open on purpose: its
 * body is sent in two halves, and the signal goes out between them, so the
 * test does not depend on how fast the machine is.
 */
#include "client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

struct slow_post {
	struct fixture *s;
	const char *body;
	size_t len, sent;
	int stage;                  /* 0: first half not sent, 1: waiting, 2: released */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long status;
	char answer[2048];
	size_t answer_len;
};

/* Sends the first half, then blocks until the test releases the rest. */
static size_t
slow_read(char *buf, size_t size, size_t nmemb, void *cls)
{
	struct slow_post *p = cls;
	size_t room = size * nmemb, n;

	pthread_mutex_lock(&p->lock);
	if (p->stage == 0 && p->sent >= p->len / 2) {
		p->stage = 1;
		pthread_cond_broadcast(&p->cond);
	}
	while (p->stage == 1)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	n = (p->stage == 0 ? p->len / 2 : p->len) - p->sent;
	if (n > room)
		n = room;
	memcpy(buf, p->body + p->sent, n);
	p->sent += n;
	return n;
}

static size_t
slow_write(char *data, size_t size, size_t nmemb, void *cls)
{
	struct slow_post *p = cls;
	size_t n = size * nmemb, room = sizeof p->answer - 1 - p->answer_len;

	memcpy(p->answer + p->answer_len, data, n < room ? n : room);
	p->answer_len += n < room ? n : room;
	p->answer[p->answer_len] = '\0';
	return n;
}

static void *
slow_signin(void *arg)
{
	struct slow_post *p = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;

	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, tfmt("%s/api/v1/session", p->s->base));
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)p->len);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, slow_read);
	curl_easy_setopt(c, CURLOPT_READDATA, p);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, slow_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, p);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &p->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	/* Never leave the test waiting if curl gave up before the second half. */
	pthread_mutex_lock(&p->lock);
	if (p->stage < 2)
		p->stage = 2;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Sleeps ms, ten times longer under valgrind (PINGAN_SLOW, set by tests/valgrind/check.sh). */
static void
pause_ms(long ms)
{
	struct timespec ts;

	if (getenv("PINGAN_SLOW"))
		ms *= 10;
	ts = (struct timespec){ ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Starts the sign-in and returns once its first half is on the wire. */
static int
slow_begin(struct slow_post *p, struct fixture *s, pthread_t *t)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->s = s;
	p->body = signin_body("center", TEST_PASSWORD);
	p->len = strlen(p->body);
	if (pthread_create(t, NULL, slow_signin, p) != 0)
		return -1;
	pthread_mutex_lock(&p->lock);
	while (p->stage == 0)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* Sends the second half and waits for the answer. */
static void
slow_finish(struct slow_post *p, pthread_t t)
{
	pthread_mutex_lock(&p->lock);
	p->stage = 2;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(t, NULL);
}

static bool
answer_has_token(const struct slow_post *p)
{
	json_t *answer = json_loads(p->answer, 0, NULL);
	bool has = jstr(answer, "token") != NULL;

	json_decref(answer);
	return has;
}

TEST(shutdown_answers_the_request_in_flight_then_exits_0)
{
	struct fixture *s = server_start_fixture(NULL);
	static struct slow_post p;
	pthread_t t;
	int killed;

	CHECK(s != NULL);
	CHECK_INT(slow_begin(&p, s, &t), 0);
	/* Half the body is on the wire: the server holds a request. Stop it now. */
	pause_ms(200);
	killed = kill(s->pid, SIGTERM);
	pause_ms(300);
	slow_finish(&p, t);
	CHECK_INT(killed, 0);
	CHECK_INT(p.status, 201);
	CHECK(answer_has_token(&p));
	CHECK_INT(fixture_stop(s), 0);
}

/* GET /healthz with a 3 s limit: the status (0: none) and how long it took. */
static long
quick_get(struct fixture *s, long long *elapsed_ms)
{
	CURL *c = curl_easy_init();
	struct timespec a, b;
	long status = 0;
	FILE *devnull = fopen("/dev/null", "w");

	clock_gettime(CLOCK_MONOTONIC, &a);
	curl_easy_setopt(c, CURLOPT_URL, tfmt("%s/healthz", s->base));
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	clock_gettime(CLOCK_MONOTONIC, &b);
	curl_easy_cleanup(c);
	if (devnull)
		fclose(devnull);
	*elapsed_ms = (long long)(b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	return status;
}

TEST(shutdown_turns_new_requests_away_at_once_while_finishing)
{
	struct fixture *s = server_start_fixture(NULL);
	static struct slow_post p;
	pthread_t t;
	long long waited;
	long status;

	CHECK(s != NULL);
	CHECK_INT(slow_begin(&p, s, &t), 0);
	pause_ms(200);
	kill(s->pid, SIGTERM);
	pause_ms(300);
	/* A newcomer must learn at once that this server is going (refused, or 503), not hang. */
	status = quick_get(s, &waited);
	slow_finish(&p, t);
	CHECK_INT(p.status, 201);
	if (waited >= 1000) {
		test_failf(__FILE__, __LINE__, "a new request during the stop waited %lld ms (status %ld)",
		    waited, status);
		return;
	}
	CHECK(status == 0 || status == 503);
	(void)fixture_stop(s);
}

TEST(shutdown_idle_server_exits_0_on_sigterm)
{
	struct fixture *s = server_start_fixture(NULL);

	CHECK(s != NULL);
	CHECK(signin(s, "center", TEST_PASSWORD) != NULL);
	CHECK_INT(fixture_stop(s), 0);
}

/*
 * Error answers must not leave anything behind: under the sanitizer build
 * (make test SAN=1) a leak makes the server's exit status non-zero.
 */
TEST(shutdown_after_error_answers_exits_0)
{
	struct fixture *s = server_start_fixture(NULL);

	CHECK(s != NULL);
	CHECK_INT(api_get(s, NULL, "/api/v1/me")->status, 401);
	CHECK_INT(api_get(s, NULL, "/api/v1/nothing")->status, 404);
	CHECK_INT(api_send(s, "POST", "/api/v1/session", NULL, "{\"x\":1}")->status, 422);
	CHECK_INT(api_send(s, "POST", "/api/v1/session", NULL,
	    signin_body("center", "Wrong#Pass2026"))->status, 401);
	CHECK_INT(fixture_stop(s), 0);
}
