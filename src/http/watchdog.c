#include "http/watchdog.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "base/alloc.h"
#include "base/clock.h"

enum phase { PHASE_HEADERS, PHASE_BODY, PHASE_ANSWERING };

struct watch {
	int fd;
	enum phase phase;
	int64_t since;
	struct watch *prev, *next;
};

/*
 * The list is changed under one lock, and libmicrohttpd tells us of a
 * closed connection (watchdog_closed) before it closes the socket, so a
 * socket found on the list is still the connection's: never a reused fd.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *head;

struct watch *
watchdog_opened(int fd)
{
	struct watch *w = xcalloc(1, sizeof *w);

	w->fd = fd;
	w->phase = PHASE_HEADERS;
	w->since = clock_mono_ms();
	pthread_mutex_lock(&lock);
	w->next = head;
	if (head)
		head->prev = w;
	head = w;
	pthread_mutex_unlock(&lock);
	return w;
}

void
watchdog_closed(struct watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&lock);
	free(w);
}

static void
set_phase(struct watch *w, enum phase p)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&lock);
	w->phase = p;
	w->since = clock_mono_ms();
	pthread_mutex_unlock(&lock);
}

void
watchdog_body(struct watch *w)
{
	set_phase(w, PHASE_BODY);
}

void
watchdog_answering(struct watch *w)
{
	set_phase(w, PHASE_ANSWERING);
}

void
watchdog_idle(struct watch *w)
{
	set_phase(w, PHASE_HEADERS);
}

int
watchdog_sweep(int64_t now_ms, int64_t header_ms, int64_t body_ms)
{
	int n = 0;

	pthread_mutex_lock(&lock);
	for (struct watch *w = head; w; w = w->next) {
		int64_t age = now_ms - w->since;

		if ((w->phase == PHASE_HEADERS && age > header_ms) ||
		    (w->phase == PHASE_BODY && age > body_ms)) {
			shutdown(w->fd, SHUT_RDWR);
			w->since = now_ms;   /* once is enough; libmicrohttpd closes it */
			n++;
		}
	}
	pthread_mutex_unlock(&lock);
	return n;
}
