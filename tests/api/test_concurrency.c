/* Many writers at once: every answer is right and nothing is lost. */
#include "client.h"

#include <pthread.h>
#include <stdio.h>

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
