#include "http/handoff.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/log.h"

struct handoff {
	pthread_mutex_t lock;
	pthread_cond_t more;            /* a job was queued, or the pool is stopping */
	struct handoff_job *head, *tail;
	bool stopping;
	void (*run)(struct handoff_job *job, void *ctx);
	void *ctx;
	unsigned nthreads;
	pthread_t threads[];
};

static void *
worker_main(void *arg)
{
	struct handoff *h = arg;

	for (;;) {
		struct handoff_job *job;

		pthread_mutex_lock(&h->lock);
		while (h->head == NULL && !h->stopping)
			pthread_cond_wait(&h->more, &h->lock);
		job = h->head;
		if (job == NULL) {
			/* Stopping, and nothing left to run. */
			pthread_mutex_unlock(&h->lock);
			return NULL;
		}
		h->head = job->next;
		if (h->head == NULL)
			h->tail = NULL;
		pthread_mutex_unlock(&h->lock);
		job->next = NULL;
		h->run(job, h->ctx);
	}
}

struct handoff *
handoff_start(unsigned threads, void (*run)(struct handoff_job *job, void *ctx), void *ctx)
{
	struct handoff *h = xcalloc(1, sizeof *h + threads * sizeof h->threads[0]);

	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->more, NULL);
	h->run = run;
	h->ctx = ctx;
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&h->threads[i], NULL, worker_main, h) != 0)
			break;
		h->nthreads++;
	}
	if (h->nthreads > 0 && h->nthreads < threads)
		log_warn("started %u of %u write threads", h->nthreads, threads);
	if (h->nthreads == 0) {
		pthread_cond_destroy(&h->more);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

void
handoff_push(struct handoff *h, struct handoff_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&h->lock);
	if (h->stopping) {
		/* The threads are gone or going: nobody would run it, so the caller does. */
		pthread_mutex_unlock(&h->lock);
		h->run(job, h->ctx);
		return;
	}
	if (h->tail)
		h->tail->next = job;
	else
		h->head = job;
	h->tail = job;
	pthread_cond_signal(&h->more);
	pthread_mutex_unlock(&h->lock);
}

void
handoff_stop(struct handoff *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	pthread_cond_broadcast(&h->more);
	pthread_mutex_unlock(&h->lock);
	for (unsigned i = 0; i < h->nthreads; i++)
		pthread_join(h->threads[i], NULL);
	h->nthreads = 0;
}

void
handoff_free(struct handoff *h)
{
	if (h == NULL)
		return;
	handoff_stop(h);
	pthread_cond_destroy(&h->more);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
