/* The in-memory feed of event changes for live boards (see bus.c). */
#ifndef PINGAN_DOMAIN_EVENT_BUS_H
#define PINGAN_DOMAIN_EVENT_BUS_H

#include <stdint.h>

struct bus_item {
	uint64_t seq;
	int64_t event_id;
	int64_t at;
	char type[24];
	char path[160];
};

/* Called after every publish (outside the bus lock): the HTTP layer wakes its streams. */
void event_bus_set_listener(void (*fn)(void));
/* The newest sequence number published (0 before any). */
uint64_t event_bus_head(void);
/* Waits up to timeout_ms for items after seq `after`; copies up to max into out. Returns how many. */
int event_bus_wait(uint64_t after, int timeout_ms, struct bus_item *out, int max);

#endif
