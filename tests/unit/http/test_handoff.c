#include "../../harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "http/handoff.h"

struct counted {
	struct handoff_job job;
	pthread_t ran_on;
	_Atomic int runs;
};

static void
count_run(struct handoff_job *job, void *ctx)
{
	struct counted *c = (struct counted *)((char *)job - offsetof(struct counted, job));

	(void)ctx;
	c->ran_on = pthread_self();
	atomic_fetch_add(&c->runs, 1);
}

TEST(handoff_runs_every_job_queued_before_the_stop)
{
	static struct counted jobs[500];
	struct handoff *h = handoff_start(4, count_run, NULL);
	int once = 0;

	CHECK(h != NULL);
	for (int i = 0; i < 500; i++)
		handoff_push(h, &jobs[i].job);
	handoff_stop(h);
	for (int i = 0; i < 500; i++)
		once += atomic_load(&jobs[i].runs) == 1 && !pthread_equal(jobs[i].ran_on, pthread_self());
	handoff_free(h);
	CHECK_INT(once, 500);
}

/*
 * At server stop a write can still arrive on a kept-alive connection after
 * the pool's threads are gone; its connection is suspended already, so the
 * job must run (on the caller) rather than wait for a thread forever.
 */
TEST(handoff_runs_a_job_pushed_after_the_stop_on_the_caller)
{
	static struct counted late;
	struct handoff *h = handoff_start(2, count_run, NULL);

	CHECK(h != NULL);
	handoff_stop(h);
	handoff_push(h, &late.job);
	handoff_free(h);
	CHECK_INT(atomic_load(&late.runs), 1);
	CHECK(pthread_equal(late.ran_on, pthread_self()));
}
