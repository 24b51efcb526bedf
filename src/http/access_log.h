/* One structured line per request. It names the route pattern, never the
 * raw path or query, so no personal data can reach the log. */
#ifndef PINGAN_HTTP_ACCESS_LOG_H
#define PINGAN_HTTP_ACCESS_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"

void access_log(const struct req *r, int64_t micros, bool aborted);

#endif
