/*
 * GET /api/v1/events/stream: server-sent events for the command-room board.
 * The callback never waits: with nothing to send it returns 0 and the HTTP
 * layer suspends the connection until the event bus changes (or its
 * one-second ticker). A stream ends after a while; the browser's
 * EventSource reconnects with Last-Event-ID and misses nothing kept in the ring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/parse.h"
#include "domain/event/bus.h"
#include "domain/event/event.h"

/* A suspended stream holds no thread, so it may live long; keepalives keep proxies open. */
#define STREAM_LIFETIME_MS 300000
#define KEEPALIVE_MS 15000

struct sse {
	struct actor who;
	struct db *db;
	uint64_t last;
	int64_t until;
	int64_t last_write;
	bool hello_sent;
};

/* Formats the items in scope as SSE frames into buf; returns bytes written. */
static long
frames(struct sse *c, const struct bus_item *items, int n, char *buf, size_t max)
{
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		int w;

		if (len + 256 > max)
			break;
		c->last = items[i].seq;
		if (!actor_in_scope(&c->who, items[i].path) ||
		    !event_visible_id(c->db, &c->who, items[i].event_id))
			continue;
		w = snprintf(buf + len, max - len, "id: %llu\nevent: change\ndata: {\"type\":\"%s\","
		    "\"event_id\":%lld}\n\n", (unsigned long long)items[i].seq, items[i].type,
		    (long long)items[i].event_id);
		if (w > 0)
			len += (size_t)w;
	}
	return (long)len;
}

static long
sse_next(void *ctx, char *buf, size_t max)
{
	struct sse *c = ctx;
	struct bus_item items[16];
	int n;

	int64_t now = clock_mono_ms();
	long len;

	if (!c->hello_sent) {
		c->hello_sent = true;
		c->last_write = now;
		return snprintf(buf, max, "retry: 1000\n: pingan live feed\n\n");
	}
	if (now >= c->until)
		return -1;
	n = event_bus_wait(c->last, 0, items, 16);
	len = n > 0 ? frames(c, items, n, buf, max) : 0;
	if (len == 0 && now - c->last_write >= KEEPALIVE_MS)
		len = snprintf(buf, max, ": keepalive\n\n");
	if (len > 0)
		c->last_write = now;
	return len;
}

void
api_events_stream(struct req *r)
{
	struct sse *c = xcalloc(1, sizeof *c);
	const char *last = req_header(r, "Last-Event-ID");
	int64_t seq;

	c->who = r->who;
	c->db = r->db;
	c->until = clock_mono_ms() + STREAM_LIFETIME_MS;
	c->last_write = clock_mono_ms();
	c->last = last && parse_i64(last, 0, INT64_MAX, &seq) == 0 ? (uint64_t)seq
	    : event_bus_head();
	reply_stream(r, sse_next, c, free);
}
