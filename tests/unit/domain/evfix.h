/* A small county for event tests: divisions, units, categories, users as actors. */
#ifndef PINGAN_TESTS_EVFIX_H
#define PINGAN_TESTS_EVFIX_H

#include "domain/actor.h"
#include "domain/event/event.h"
#include "testdb.h"

struct evfix {
	struct testdb t;
	struct calendar *cal;
	struct actor sys, center, township, grid, dept, other_dept, leader;
	int64_t unit_police, unit_justice, unit_town;
};

int evfix_open(struct evfix *x);
void evfix_close(struct evfix *x);
/* Reports a neighbour dispute in grid 330824115205001 as the grid worker; returns its id. */
int64_t evfix_report(struct evfix *x, const char *category);
/* Reports in as who, filling what in leaves unset as evfix_report does; returns the id or 0. */
int64_t evfix_report_as(struct evfix *x, const struct actor *who, struct event_input *in);
/* The event's state name ("" when unreadable). */
const char *evfix_state(struct evfix *x, int64_t id, char *buf, size_t n);

#endif
