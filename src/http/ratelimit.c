#include "http/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/clock.h"

#define SLOTS 4096

struct slot {
	uint64_t key_hash;
	int64_t window;     /* minute number */
	int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a: fast and good enough to spread addresses over the slots. */
static uint64_t
hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

bool
ratelimit_allow(const char *key, int per_minute)
{
	uint64_t h = hash_text(key);
	int64_t window = clock_now_ms() / 60000;
	struct slot *s = &slots[h % SLOTS];
	bool ok;

	pthread_mutex_lock(&lock);
	if (s->key_hash != h || s->window != window) {
		s->key_hash = h;
		s->window = window;
		s->count = 0;
	}
	s->count++;
	ok = s->count <= per_minute;
	pthread_mutex_unlock(&lock);
	return ok;
}

void
ratelimit_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof slots);
	pthread_mutex_unlock(&lock);
}
