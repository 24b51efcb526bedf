#include "http/idempotent.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/idempotency.h"
#include "http/reply.h"
#include "http/router.h"

#define INFLIGHT 64

static struct {
	int64_t user_id;
	char key[65];
	bool used;
} inflight[INFLIGHT];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;

static int
slot_of(int64_t user, const char *key)
{
	for (int i = 0; i < INFLIGHT; i++)
		if (inflight[i].used && inflight[i].user_id == user && strcmp(inflight[i].key, key) == 0)
			return i;
	return -1;
}

/* Waits while the same key is being served, then claims it. False when no slot is free. */
static bool
claim(int64_t user, const char *key)
{
	struct timespec until = clock_deadline_in(30000);

	pthread_mutex_lock(&lock);
	while (slot_of(user, key) >= 0)
		if (pthread_cond_timedwait(&released, &lock, &until) != 0)
			break;
	for (int i = 0; i < INFLIGHT; i++) {
		if (!inflight[i].used) {
			inflight[i].used = true;
			inflight[i].user_id = user;
			snprintf(inflight[i].key, sizeof inflight[i].key, "%s", key);
			pthread_mutex_unlock(&lock);
			return true;
		}
	}
	pthread_mutex_unlock(&lock);
	return false;
}

static void
release(int64_t user, const char *key)
{
	pthread_mutex_lock(&lock);
	int i = slot_of(user, key);

	if (i >= 0)
		inflight[i].used = false;
	pthread_cond_broadcast(&released);
	pthread_mutex_unlock(&lock);
}

static bool
key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > 64)
		return false;
	for (; *k; k++)
		if (*k < 0x21 || *k > 0x7e)
			return false;
	return true;
}

static void
route_name(const struct req *r, char *out, size_t n)
{
	snprintf(out, n, "%s %s", r->route->method, r->route->pattern);
}

bool
idempotent_begin(struct req *r, bool *holding)
{
	const char *key = req_header(r, "Idempotency-Key");
	char route[160], stored[160], *body = NULL;
	int status, found;

	*holding = false;
	if (key == NULL || strcmp(r->method, "POST") != 0 || r->who.user_id == 0 ||
	    (r->route->flags & ROUTE_IDEMPOTENT_SELF))
		return false;
	if (!key_ok(key)) {
		reply_error(r, ERR_INVALID, M_FIELD_TOO_LONG, "Idempotency-Key");
		return true;
	}
	if (!claim(r->who.user_id, key)) {
		reply_error(r, ERR_RATE_LIMITED, M_RATE_LIMITED, "Idempotency-Key");
		return true;
	}
	*holding = true;
	/* claim() may have waited for a request with this key: read what it stored. */
	db_read_refresh(r->db);
	route_name(r, route, sizeof route);
	found = idempotency_lookup(r->db, r->who.user_id, key, stored, sizeof stored, &status, &body,
	    r->location, sizeof r->location);
	if (!(found == 1 && strcmp(stored, route) == 0))
		r->location[0] = '\0';
	if (found == 1 && strcmp(stored, route) == 0 && status == 0)
		reply_error(r, ERR_CONFLICT, M_IDEM_ANSWER_LOST, "Idempotency-Key");
	else if (found == 1 && strcmp(stored, route) == 0)
		reply_raw(r, status, "application/json; charset=utf-8", body, strlen(body));
	else if (found == 1)
		reply_error(r, ERR_CONFLICT, M_EV_IDEM_REUSED, "Idempotency-Key");
	else if (found < 0)
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	free(body);
	if (found != 0) {
		release(r->who.user_id, key);
		*holding = false;
		return true;
	}
	idempotency_bind(r->who.user_id, key, route);
	return false;
}

void
idempotent_end(struct req *r, bool holding)
{
	const char *key = req_header(r, "Idempotency-Key");
	char route[160];

	if (!holding || key == NULL)
		return;
	idempotency_unbind();
	if (r->status >= 200 && r->status < 300 && r->content_type &&
	    strncmp(r->content_type, "application/json", 16) == 0) {
		route_name(r, route, sizeof route);
		(void)idempotency_store(r->db, r->who.user_id, key, route, r->status, buf_str(&r->out),
		    r->location);
	}
	release(r->who.user_id, key);
}
