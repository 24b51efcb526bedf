/* Liveness, readiness and the Prometheus metrics. */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>

TEST(health_healthz_and_readyz_answer_200)
{
	struct fixture *s = fixture_shared();
	struct resp *r;

	CHECK(s != NULL);
	r = api_get(s, NULL, "/healthz");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "status"), "ok");
	r = api_get(s, NULL, "/readyz");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "status"), "ready");
	CHECK(jint(r->json, "schema_version", 0) >= 1);
}

/* The value text of one exact metric line ("name{labels}"), or NULL when absent. */
static const char *
metric_value(const char *text, const char *series)
{
	const char *p = text;
	size_t n = strlen(series);

	while ((p = strstr(p, series)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return p + n + 1;
		p += n;
	}
	return NULL;
}

/* The value of a counting metric line, or -1 when absent. */
static long long
metric(const char *text, const char *series)
{
	const char *v = metric_value(text, series);

	return v ? strtoll(v, NULL, 10) : -1;
}

/*
 * A request is counted when the server has finished sending it, which can be
 * just after the client has the answer. This reads the series until it stops
 * moving, and until it reaches at_least, so a count still in flight is never
 * read half-way. Gives up after about two seconds and returns the last value.
 */
static long long
metric_settled(struct fixture *s, const char *session, const char *series, long long at_least)
{
	long long last = -2, v = -1;

	for (int tries = 0; tries < 200; tries++) {
		v = metric(api_get(s, session, "/metrics")->body, series);
		if (v >= at_least && v == last)
			return v;
		last = v;
		sleep_ms(10);
	}
	return v;
}

/* The value of a metric line in seconds (a real number), or -1 when absent. */
static double
metric_real(const char *text, const char *series)
{
	const char *v = metric_value(text, series);

	return v ? strtod(v, NULL) : -1;
}

TEST(health_metrics_needs_metrics_read)
{
	struct fixture *s = fixture_shared();

	CHECK(s != NULL);
	CHECK_ERROR(api_get(s, NULL, "/metrics"), 401, "unauthorized");
	CHECK_ERROR(api_get(s, session_of(s, "auditor"), "/metrics"), 403, "forbidden");
}

TEST(health_metrics_counts_requests_with_a_latency_histogram)
{
	struct fixture *s = fixture_shared();
	const char *admin, *series = "pingan_http_requests_total{method=\"GET\",route=\"/readyz\","
				     "status=\"200\"}";
	struct resp *r;
	long long before, after;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	CHECK_INT(api_get(s, NULL, "/readyz")->status, 200);
	r = api_get(s, admin, "/metrics");
	CHECK_INT(r->status, 200);
	CHECK(strncmp(resp_header(r, "Content-Type"), "text/plain", 10) == 0);
	CHECK(strstr(r->body, "# TYPE pingan_http_requests_total counter") != NULL);
	CHECK(strstr(r->body, "# TYPE pingan_http_request_duration_seconds histogram") != NULL);
	CHECK(strstr(r->body, "pingan_http_request_duration_seconds_bucket{le=\"+Inf\"}") != NULL);
	CHECK(metric(r->body, "pingan_http_request_duration_seconds_count") > 0);
	before = metric_settled(s, admin, series, 1);
	CHECK(before >= 1);
	CHECK_INT(api_get(s, NULL, "/readyz")->status, 200);
	CHECK_INT(api_get(s, NULL, "/readyz")->status, 200);
	after = metric_settled(s, admin, series, before + 2);
	CHECK_INT(after, before + 2);
}

TEST(health_metrics_count_errors_by_status)
{
	struct fixture *s = fixture_shared();
	const char *admin, *series = "pingan_http_requests_total{method=\"GET\",route=\"/api/v1/me\","
				     "status=\"401\"}";
	long long before, after;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	before = metric_settled(s, admin, series, -1);
	CHECK_INT(api_get(s, NULL, "/api/v1/me")->status, 401);
	after = metric_settled(s, admin, series, (before < 0 ? 0 : before) + 1);
	CHECK_INT(after, (before < 0 ? 0 : before) + 1);
}

TEST(health_metrics_count_the_time_the_writer_is_held)
{
	struct fixture *s = fixture_shared();
	const char *admin, *body;
	double before, after;
	long long txns;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	body = api_get(s, admin, "/metrics")->body;
	CHECK(strstr(body, "# TYPE pingan_db_writer_busy_seconds_total counter") != NULL);
	CHECK(strstr(body, "# TYPE pingan_db_checkpoints_total counter") != NULL);
	CHECK(metric(body, "pingan_db_checkpoints_total{by=\"thread\"}") >= 0);
	CHECK_INT(metric(body, "pingan_db_writes_stopped"), 0);
	before = metric_real(body, "pingan_db_writer_busy_seconds_total");
	txns = metric(body, "pingan_db_write_transactions_total");
	CHECK(before >= 0);
	/* A sign-in writes its session: the writer is held for the insert and the commit. */
	CHECK(signin(s, "admin", fixture_password(s)) != NULL);
	body = api_get(s, admin, "/metrics")->body;
	after = metric_real(body, "pingan_db_writer_busy_seconds_total");
	CHECK(metric(body, "pingan_db_write_transactions_total") > txns);
	CHECK(after > before);
}
