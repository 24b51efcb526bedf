#include "http/metrics.h"

#include <stdatomic.h>

static const int statuses[] = { 200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413,
	415, 422, 423, 429, 431, 500, 503 };
#define NSTATUS (sizeof statuses / sizeof statuses[0])
/* Upper bounds of the latency buckets, in microseconds. */
static const int64_t bounds_us[] = { 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000,
	500000, 1000000, 2500000 };
#define NBUCKET (sizeof bounds_us / sizeof bounds_us[0])

static _Atomic uint64_t requests[METRICS_MAX_ROUTES][NSTATUS + 1];
static _Atomic uint64_t buckets[NBUCKET + 1];
static _Atomic uint64_t latency_sum_us;
static _Atomic uint64_t latency_count;
static _Atomic int64_t open_connections;

static unsigned
status_slot(int status)
{
	for (unsigned i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS;
}

void
metrics_request(int route_index, int status, int64_t micros)
{
	unsigned b = 0;

	if (route_index < 0 || route_index >= METRICS_MAX_ROUTES)
		route_index = METRICS_ROUTE_NONE;
	atomic_fetch_add(&requests[route_index][status_slot(status)], 1);
	while (b < NBUCKET && micros > bounds_us[b])
		b++;
	atomic_fetch_add(&buckets[b], 1);
	atomic_fetch_add(&latency_sum_us, (uint64_t)(micros > 0 ? micros : 0));
	atomic_fetch_add(&latency_count, 1);
}

void
metrics_connection(int delta)
{
	atomic_fetch_add(&open_connections, delta);
}

int64_t
metrics_open_connections(void)
{
	return atomic_load(&open_connections);
}

static void
render_requests(struct buf *out, const struct route *routes, size_t nroutes)
{
	(void)buf_addstr(out, "# HELP pingan_http_requests_total HTTP requests by route and status.\n"
			      "# TYPE pingan_http_requests_total counter\n");
	for (int i = 0; i < METRICS_MAX_ROUTES; i++) {
		const char *method = "", *pattern;

		if ((size_t)i < nroutes) {
			method = routes[i].method;
			pattern = routes[i].pattern;
		} else if (i == METRICS_ROUTE_STATIC) {
			pattern = "static";
		} else if (i == METRICS_ROUTE_NONE) {
			pattern = "unmatched";
		} else {
			continue;
		}
		for (unsigned s = 0; s <= NSTATUS; s++) {
			uint64_t v = atomic_load(&requests[i][s]);

			if (v == 0)
				continue;
			(void)buf_addf(out, "pingan_http_requests_total{method=\"%s\",route=\"%s\","
			    "status=\"%d\"} %llu\n", method, pattern, s < NSTATUS ? statuses[s] : 0,
			    (unsigned long long)v);
		}
	}
}

static void
render_latency(struct buf *out)
{
	uint64_t cum = 0;

	(void)buf_addstr(out, "# HELP pingan_http_request_duration_seconds Time to answer a request.\n"
			      "# TYPE pingan_http_request_duration_seconds histogram\n");
	for (unsigned b = 0; b < NBUCKET; b++) {
		cum += atomic_load(&buckets[b]);
		(void)buf_addf(out, "pingan_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
		    (double)bounds_us[b] / 1e6, (unsigned long long)cum);
	}
	cum += atomic_load(&buckets[NBUCKET]);
	(void)buf_addf(out, "pingan_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
			    "pingan_http_request_duration_seconds_sum %.6f\n"
			    "pingan_http_request_duration_seconds_count %llu\n",
	    (unsigned long long)cum, (double)atomic_load(&latency_sum_us) / 1e6,
	    (unsigned long long)atomic_load(&latency_count));
}

int
metrics_render(struct buf *out, const struct route *routes, size_t nroutes, struct db *db)
{
	struct db_stats st;

	render_requests(out, routes, nroutes);
	render_latency(out);
	db_get_stats(db, &st);
	return buf_addf(out,
	    "# HELP pingan_http_open_connections Connections open now.\n"
	    "# TYPE pingan_http_open_connections gauge\n"
	    "pingan_http_open_connections %lld\n"
	    "# HELP pingan_db_busy_waits_total Times a database connection waited for a lock.\n"
	    "# TYPE pingan_db_busy_waits_total counter\n"
	    "pingan_db_busy_waits_total %llu\n"
	    "# HELP pingan_db_write_transactions_total Committed write transactions.\n"
	    "# TYPE pingan_db_write_transactions_total counter\n"
	    "pingan_db_write_transactions_total %llu\n"
	    "# HELP pingan_db_write_failures_total Write transactions that failed on storage.\n"
	    "# TYPE pingan_db_write_failures_total counter\n"
	    "pingan_db_write_failures_total %llu\n"
	    "# HELP pingan_db_writer_busy_seconds_total Time the single database writer was held "
	    "(writes, commits); near one second per second the writes are at capacity.\n"
	    "# TYPE pingan_db_writer_busy_seconds_total counter\n"
	    "pingan_db_writer_busy_seconds_total %.6f\n"
	    "# HELP pingan_db_checkpoints_total WAL checkpoints: by the thread beside the writer, "
	    "or by the writer itself when the WAL had grown long under steady writes.\n"
	    "# TYPE pingan_db_checkpoints_total counter\n"
	    "pingan_db_checkpoints_total{by=\"thread\"} %llu\n"
	    "pingan_db_checkpoints_total{by=\"writer\"} %llu\n"
	    "# HELP pingan_db_writes_stopped 1 after a sync of the WAL failed: writes are refused "
	    "until a restart.\n"
	    "# TYPE pingan_db_writes_stopped gauge\n"
	    "pingan_db_writes_stopped %d\n",
	    (long long)metrics_open_connections(), (unsigned long long)st.busy_waits,
	    (unsigned long long)st.write_txns, (unsigned long long)st.write_failures,
	    (double)st.writer_busy_us / 1e6, (unsigned long long)st.checkpoints_beside,
	    (unsigned long long)st.checkpoints_writer, st.writes_stopped ? 1 : 0);
}
