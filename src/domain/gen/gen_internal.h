/* What the parts of the generator share: the random stream, names, the loaded world. */
#ifndef PINGAN_DOMAIN_GEN_INTERNAL_H
#define PINGAN_DOMAIN_GEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/gen/gen.h"

/* The next number of the seeded stream (xorshift64*). */
uint64_t gen_rnd(void);
/* Uniform in 0..n-1. */
int gen_rnd_below(int n);
/* The n-th 3-byte UTF-8 character of a string of Chinese characters. */
void gen_han(const char *s, int n, char out[4]);
/* A plausible Chinese name: a common surname and one or two given characters. */
void gen_person_name(char *out, size_t n);

struct grid {
	int64_t id;
	char path[64];
	char code[16];
	double lat, lng;
	int unit_first, unit_count;   /* its county's units in world.units */
};

struct world {
	struct grid *grids;
	int ngrids;
	int64_t units[128 * 90];      /* county-level unit ids, in order */
	char unit_county[128 * 90][12];   /* each one's county path, "/330824/" */
	int nunits;
	struct { int64_t id; char code[32]; char kind[16]; char name[64]; } cats[64];
	int ncats;
};

/* Loads the grids, units and categories gen_run() just wrote. */
int gen_load_world(struct db *db, struct world *w);

/* Writes p->persons persons into the registry, spread over the grids. */
int gen_persons(struct db *db, const struct gen_plan *p, const struct world *w,
    struct gen_report *r);

#endif
