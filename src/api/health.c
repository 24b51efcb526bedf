/* Liveness, readiness and metrics. */
#include "api/api.h"
#include "base/err.h"
#include "db/db.h"
#include "domain/event/event.h"
#include "http/metrics.h"
#include "http/server.h"

void
api_healthz(struct req *r)
{
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* Ready when this thread's read connection can run a query. */
void
api_readyz(struct req *r)
{
	struct db_conn *c = db_reader(r->db);
	struct db_stmt *s = c ? db_stmt(c, STMT_USER_COUNT) : NULL;

	if (s == NULL || db_step(s) != DB_ROW) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	db_reset(s);
	reply_json(r, 200, json_pack("{s:s, s:i}", "status", "ready",
	    "schema_version", db_schema_latest()));
}

void
api_metrics(struct req *r)
{
	struct event_cache_stats cache;
	struct buf text;
	size_t n;
	const struct route *routes = server_routes(&n);

	buf_init(&text, 4u * 1024 * 1024);
	metrics_render(&text, routes, n, r->db);
	event_cache_stats(r->db, &cache);
	(void)buf_addf(&text,
	    "# HELP pingan_event_cache_reads_total Reads of one event, by whether the kept answer served.\n"
	    "# TYPE pingan_event_cache_reads_total counter\n"
	    "pingan_event_cache_reads_total{result=\"hit\"} %llu\n"
	    "pingan_event_cache_reads_total{result=\"miss\"} %llu\n"
	    "# HELP pingan_event_cache_bytes Size of the event answers kept now (event_cache_mb).\n"
	    "# TYPE pingan_event_cache_bytes gauge\n"
	    "pingan_event_cache_bytes %llu\n",
	    (unsigned long long)cache.hits, (unsigned long long)cache.misses,
	    (unsigned long long)cache.bytes);
	reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf_str(&text), text.len);
	buf_release(&text);
}

/* What the console needs to know about this installation (nothing secret). */
void
api_config(struct req *r)
{
	const struct config *cfg = r->app->cfg;

	reply_json(r, 200, json_pack("{s:s, s:s, s:b, s:i}", "county_code", cfg->county_code,
	    "tile_url", cfg->tile_url, "demo", cfg->demo, "schema_version", db_schema_latest()));
}
