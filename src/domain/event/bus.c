/*
 * The live feed behind the command-room board: a ring of the latest
 * changes (what, which event, where). Writers publish after commit;
 * readers (the SSE stream) wait for a sequence number beyond the one they
 * saw, and see only the changes inside their scope.
 */
#include "domain/event/bus.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/event/event_internal.h"

#define RING 1024

static struct bus_item ring[RING];
static uint64_t next_seq = 1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static void (*listener)(void);

void
event_bus_set_listener(void (*fn)(void))
{
	listener = fn;
}

void
event_bus_publish(const char *type, int64_t event_id, const char *path)
{
	struct bus_item *it;

	pthread_mutex_lock(&lock);
	it = &ring[next_seq % RING];
	it->seq = next_seq++;
	it->event_id = event_id;
	it->at = clock_now_ms();
	snprintf(it->type, sizeof it->type, "%s", type);
	snprintf(it->path, sizeof it->path, "%s", path ? path : "");
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	if (listener)
		listener();
}

uint64_t
event_bus_head(void)
{
	uint64_t seq;

	pthread_mutex_lock(&lock);
	seq = next_seq - 1;
	pthread_mutex_unlock(&lock);
	return seq;
}

int
event_bus_wait(uint64_t after, int timeout_ms, struct bus_item *out, int max)
{
	struct timespec until = clock_deadline_in(timeout_ms);
	int n = 0;

	pthread_mutex_lock(&lock);
	while (next_seq - 1 <= after) {
		if (pthread_cond_timedwait(&changed, &lock, &until) != 0)
			break;
	}
	/* Items older than the ring are gone: start from the oldest kept. */
	if (next_seq > RING && after < next_seq - RING)
		after = next_seq - RING;
	for (uint64_t s = after + 1; s < next_seq && n < max; s++)
		out[n++] = ring[s % RING];
	pthread_mutex_unlock(&lock);
	return n;
}
