/* Instants in answers: ISO 8601 with the China offset (DESIGN.md section 4). */
#ifndef PINGAN_DOMAIN_JSON_TIME_H
#define PINGAN_DOMAIN_JSON_TIME_H

#include <jansson.h>
#include <stdint.h>

#include "base/json_write.h"

/* An instant (epoch ms) as ISO 8601 JSON, null for 0. New reference. */
json_t *json_time(int64_t ms);
/* The same, written under key (NULL in an array). */
void jw_time(struct jw *w, const char *key, int64_t ms);

#endif
