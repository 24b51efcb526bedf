/* Many writers at once: every answer is right and nothing is lost. */
#include "client.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define PER_THREAD 25

struct worker {
	struct fixture *s;
	const char *token;
	int index;
	const char *names[PER_THREAD];
	long status[PER_THREAD];
};

static void *
create_users(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		w->names[i] = tfmt("crowd%d_%d", w->index, i);
		w->status[i] = api_send(w->s, "POST", "/api/v1/users", w->token,
		    jfmt("{s:s, s:s, s:[s]}", "username", w->names[i], "password", TEST_PASSWORD,
			"roles", "grid_worker"))->status;
	}
	return NULL;
}

/* Every user the token can list, following next_cursor to the end. */
static json_t *
list_all_users(struct fixture *s, const char *token)
{
	json_t *all = json_array();
	long long cursor = 0;

	do {
		struct resp *r = api_get(s, token,
		    cursor ? tfmt("/api/v1/users?limit=200&cursor=%lld", cursor)
			   : "/api/v1/users?limit=200");

		if (r->status != 200)
			break;
		json_array_extend(all, jget(r->json, "items"));
		cursor = jint(r->json, "next_cursor", 0);
	} while (cursor);
	return all;
}

TEST(concurrency_parallel_user_creation_loses_nothing)
{
	struct fixture *s = fixture_shared();
	static struct worker workers[THREADS];
	pthread_t threads[THREADS];
	json_t *all;
	char *out;
	int created = 0, missing = 0;

	CHECK(s != NULL);
	for (int t = 0; t < THREADS; t++) {
		workers[t].s = s;
		workers[t].token = session_of(s, "admin");
		workers[t].index = t;
		CHECK_INT(pthread_create(&threads[t], NULL, create_users, &workers[t]), 0);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(threads[t], NULL);

	all = list_all_users(s, session_of(s, "admin"));
	for (int t = 0; t < THREADS; t++) {
		for (int i = 0; i < PER_THREAD; i++) {
			if (workers[t].status[i] == 201)
				created++;
			else
				test_failf(__FILE__, __LINE__, "%s answered %ld", workers[t].names[i],
				    workers[t].status[i]);
			if (!items_have(all, "username", workers[t].names[i]))
				missing++;
		}
	}
	json_decref(all);
	CHECK_INT(created, THREADS * PER_THREAD);
	CHECK_INT(missing, 0);
	/* The audit chain stayed one unbroken line under the load. */
	CHECK_INT(run_pingan(NULL, &out, "audit", "verify", "--data-dir", s->data_dir, (char *)NULL),
	    0);
}

/*
 * libmicrohttpd gives each HTTP thread its share of the connections. A
 * write that waits (for the group commit's fsync, or here for a database
 * lock another program holds) must not stall the others: with a single
 * HTTP thread, a read on another connection still answers at once.
 */
struct blocked_report {
	struct fixture *s;
	long status;
};

static void *
report_while_locked(void *arg)
{
	struct blocked_report *b = arg;

	b->status = report(b->s, "center", report_body(DEMO_GRID, "dispute.neighbour",
	    uniq("等锁的上报")))->status;
	return NULL;
}

struct lock_holder {
	const char *db, *script;
	int rc;
};

static void *
hold_write_lock(void *arg)
{
	struct lock_holder *h = arg;
	const char *argv[] = { "sqlite3", h->db, NULL };

	h->rc = run_program(argv, h->script, NULL);
	return NULL;
}

/* The value of an unlabelled counter in a /metrics text, or -1. */
static long long
counter(const char *metrics, const char *name)
{
	const char *p = metrics ? strstr(metrics, tfmt("\n%s ", name)) : NULL;

	return p ? atoll(p + strlen(name) + 2) : -1;
}

/* Waits up to ms for the file to appear. */
static bool
appears(const char *path, long ms)
{
	for (long waited = 0; waited < ms; waited += 20) {
		struct timespec ts = { 0, 20 * 1000000L };

		if (access(path, F_OK) == 0)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

static int
touch(const char *path)
{
	FILE *f = fopen(path, "w");

	return f && fclose(f) == 0 ? 0 : -1;
}

TEST(concurrency_a_write_kept_waiting_does_not_hold_up_other_connections)
{
	struct fixture *s = fixture_demo_start("threads = 1");
	static struct blocked_report b;
	static struct lock_holder h;
	const char *admin, *locked, *release;
	pthread_t holder, writer;
	long long busy0, busy = -1, slow = getenv("PINGAN_SLOW") ? 10 : 1;
	struct resp *me;
	struct timespec t0, t1;
	long long took_ms;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK(admin != NULL && session_of(s, "center") != NULL);
	busy0 = counter(api_get(s, admin, "/metrics")->body, "pingan_db_busy_waits_total");
	CHECK(busy0 >= 0);
	locked = tfmt("%s/locked", s->dir);
	release = tfmt("%s/release", s->dir);
	h.db = s->db_path;
	h.script = tfmt("BEGIN IMMEDIATE;\n.shell touch %s\n"
	    ".shell while [ ! -e %s ]; do sleep 0.02; done\nROLLBACK;\n", locked, release);
	CHECK_INT(pthread_create(&holder, NULL, hold_write_lock, &h), 0);
	CHECK(appears(locked, 10000 * slow));

	b.s = s;
	CHECK_INT(pthread_create(&writer, NULL, report_while_locked, &b), 0);
	/* The report is inside the writer once the server has waited for the lock. */
	for (int i = 0; i < 500 && busy <= busy0; i++) {
		struct timespec ts = { 0, 20 * 1000000L };

		nanosleep(&ts, NULL);
		busy = counter(api_get(s, admin, "/metrics")->body, "pingan_db_busy_waits_total");
	}
	CHECK(busy > busy0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	me = http(s, &(struct request){ .path = "/api/v1/me", .bearer = admin,
	    .timeout_ms = 3000 * slow });
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took_ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;

	CHECK_INT(touch(release), 0);
	pthread_join(holder, NULL);
	pthread_join(writer, NULL);
	CHECK_INT(me->status, 200);
	if (took_ms >= 1000 * slow)
		test_failf(__FILE__, __LINE__, "a read waited %lld ms behind a blocked write", took_ms);
	/* The report went through once the lock was given back. */
	CHECK_INT(h.rc, 0);
	CHECK_INT(b.status, 201);
	CHECK_INT(fixture_stop(s), 0);
}
