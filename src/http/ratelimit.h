/*
 * A small fixed-window rate limiter keyed by text (a client address), kept
 * in memory. Collisions only make a limit stricter for the colliding keys.
 */
#ifndef PINGAN_HTTP_RATELIMIT_H
#define PINGAN_HTTP_RATELIMIT_H

#include <stdbool.h>

/* Counts one event for key; false when more than per_minute happened in this minute. */
bool ratelimit_allow(const char *key, int per_minute);
/* Forgets every count (tests). */
void ratelimit_reset(void);

#endif
