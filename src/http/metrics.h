/*
 * Prometheus counters kept in memory with atomics: requests by route and
 * status, a latency histogram, open connections, and the database's
 * busy/retry counts read at scrape time.
 */
#ifndef PINGAN_HTTP_METRICS_H
#define PINGAN_HTTP_METRICS_H

#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "http/router.h"

/* Route slots: the route table's indexes, then these two. */
#define METRICS_MAX_ROUTES 256
#define METRICS_ROUTE_STATIC (METRICS_MAX_ROUTES - 2)
#define METRICS_ROUTE_NONE (METRICS_MAX_ROUTES - 1)

void metrics_request(int route_index, int status, int64_t micros);
void metrics_connection(int delta);
int64_t metrics_open_connections(void);
/* Appends the text exposition format for all metrics. */
int metrics_render(struct buf *out, const struct route *routes, size_t nroutes, struct db *db);

#endif
