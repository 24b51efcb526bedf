/*
 * Slow clients. libmicrohttpd's timeout counts silence only, so a client
 * that sends its headers a byte at a time (slowloris) or dribbles a body
 * keeps its connection for ever and, many times over, starves everyone.
 * The watchdog gives each connection a deadline for the phase it is in —
 * headers (also between requests on a kept-alive connection) and body —
 * and shuts the socket down when it passes; libmicrohttpd then sees the
 * end of the stream and closes the connection itself. Answers being sent
 * (and event streams) are not limited.
 */
#ifndef PINGAN_HTTP_WATCHDOG_H
#define PINGAN_HTTP_WATCHDOG_H

#include <stdint.h>

struct watch;

/* A new connection on socket fd: returns its watch (freed by watchdog_closed). */
struct watch *watchdog_opened(int fd);
void watchdog_closed(struct watch *w);
/* The request's headers are in: the body phase starts. */
void watchdog_body(struct watch *w);
/* The handler runs and answers: no limit while the answer is sent. */
void watchdog_answering(struct watch *w);
/* The answer is done: waiting for the next request's headers. */
void watchdog_idle(struct watch *w);
/* Shuts down connections over their deadline; returns how many. */
int watchdog_sweep(int64_t now_ms, int64_t header_ms, int64_t body_ms);

#endif
