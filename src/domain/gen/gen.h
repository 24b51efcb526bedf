/*
 * Synthetic data for benchmarks (`pingan gen`): a realistic county, city or
 * province — divisions, units, users and a year of event history with
 * plausible categories, states, returns and visits, and the registry's
 * residents: Chinese names, valid ID numbers (encrypted like real ones).
 * Deterministic per seed.
 */
#ifndef PINGAN_DOMAIN_GEN_H
#define PINGAN_DOMAIN_GEN_H

#include <stdint.h>

#include "db/db.h"

struct gen_plan {
	int counties;              /* 1 county, 10 city, 90 province */
	int64_t events;            /* history to generate */
	int64_t persons;           /* residents in the registry */
	uint64_t seed;
};

struct gen_report {
	int64_t divisions, units, users, events, timeline_rows, persons;
	double seconds_org, seconds_events, seconds_rebuild, seconds_persons;
};

/* The plan for a scale name ("county", "city", "province"); ERR_INVALID when unknown. */
int gen_plan_for(const char *scale, struct gen_plan *p);
/* Writes everything into the (initialised, empty of divisions) database. */
int gen_run(struct db *db, const struct gen_plan *p, const char *password, struct gen_report *r);

#endif
