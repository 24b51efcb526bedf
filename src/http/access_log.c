#include "http/access_log.h"

#include <stdio.h>

#include "base/log.h"
#include "http/metrics.h"
#include "http/router.h"

void
access_log(const struct req *r, int64_t micros, bool aborted)
{
	char line[512];
	const char *route = r->route ? r->route->pattern
	    : r->route_index == METRICS_ROUTE_STATIC ? "static" : "unmatched";

	/* At log_level = warn no request line is written: do not build one for every request. */
	if (!log_enabled(LOG_INFO))
		return;
	snprintf(line, sizeof line,
	    "\"msg\":\"request\",\"rid\":\"%s\",\"method\":\"%.8s\",\"route\":\"%s\","
	    "\"status\":%d,\"us\":%lld,\"user\":%lld,\"bytes\":%zu%s",
	    r->request_id, r->route ? r->route->method : "-", route, r->status,
	    (long long)micros, (long long)r->who.user_id, r->sent_bytes,
	    aborted ? ",\"aborted\":true" : "");
	log_fields(LOG_INFO, line);
}

