/*
 * The HTTP server on libmicrohttpd: internal thread pool with epoll,
 * connection limits and timeouts, the route table, static files from the
 * web directory, and a graceful stop that lets requests in flight finish.
 */
#ifndef PINGAN_HTTP_SERVER_H
#define PINGAN_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "http/router.h"

struct server;

/*
 * Starts listening on app->cfg->listen and serving routes (n of them) and
 * the files below web_dir. Returns 0 and the server in *out (stop it with
 * server_stop), or an error with a message in err.
 */
int server_start(struct app *app, const struct route *routes, size_t n, const char *web_dir,
    struct server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
uint16_t server_port(struct server *s);
/* Stops accepting, waits up to timeout_ms for requests in flight, then closes. */
void server_stop(struct server *s, int timeout_ms);

/* Sets (token != NULL) or clears the session cookie on the reply. */
void req_set_session_cookie(struct req *r, const char *token, int64_t max_age_s);
/* The route table the server runs (for /metrics). */
const struct route *server_routes(size_t *n);

#endif
