/*
 * A pool of threads that run jobs handed to them in arrival order.
 *
 * libmicrohttpd's thread pool gives each worker its own connections, and a
 * worker that blocks blocks all of them. A write blocks on the group commit
 * that makes it durable (an fsync), and a sign-in on argon2id: the server
 * suspends such a request's connection, hands the request to this pool, and
 * resumes the connection when the answer is ready.
 */
#ifndef PINGAN_HTTP_HANDOFF_H
#define PINGAN_HTTP_HANDOFF_H

/* Embedded in the caller's job record; the pool links jobs through it. */
struct handoff_job {
	struct handoff_job *next;
};

struct handoff;

/*
 * Starts `threads` threads that call run(job, ctx) for each job pushed.
 * Returns NULL when no thread could be started.
 */
struct handoff *handoff_start(unsigned threads, void (*run)(struct handoff_job *job, void *ctx),
    void *ctx);
/*
 * Queues a job; one of the threads runs it soon. Once the pool is stopping
 * the caller runs the job itself, so a job is never left behind.
 */
void handoff_push(struct handoff *h, struct handoff_job *job);
/* Runs every job already queued and stops the threads; handoff_push still works. */
void handoff_stop(struct handoff *h);
/* Stops the pool if it runs, and frees it. */
void handoff_free(struct handoff *h);

#endif
