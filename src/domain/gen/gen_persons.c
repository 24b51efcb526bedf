/*
 * The registry's residents for benchmarks: every grid gets its share of
 * people, four in five registered there, the rest floating in from other
 * provinces or living here from Hong Kong and Macao; ages in a plausible
 * pyramid; valid ID numbers; most with a mobile number. Written through the
 * registry's own insert, so the data is encrypted and indexed exactly as a
 * real registration is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/actor.h"
#include "domain/audit/audit.h"
#include "domain/gen/gen_internal.h"
#include "domain/registry/person_internal.h"
#include "domain/txn.h"

#define PERSON_BATCH 10000

/* Where floating residents come from (real county codes of other provinces). */
static const char *const origins[] = { "360681", "362329", "340825", "341221", "511323",
	"522422", "430524", "421182", "410526", "452501", "350583", "320382" };

/* Hong Kong and Macao residents' residence permits (港澳居民居住证) start like this. */
static const char *const overseas_regions[] = { "810000", "820000" };

static const char *const roads[] = { "中山路", "解放路", "人民路", "新华街", "芹江路", "钱江源大道",
	"江滨路", "文化路" };

/* Years of age: a fifth children, three fifths of working age, a fifth old. */
static int
pick_age(void)
{
	int r = gen_rnd_below(100);

	return r < 20 ? gen_rnd_below(18) : r < 80 ? 18 + gen_rnd_below(42) : 60 + gen_rnd_below(36);
}

/* Draws one person of grid g into row; address holds its text. */
static void
make_person(const struct grid *g, int64_t today, struct person_row *row, char *address, size_t na)
{
	int kind = gen_rnd_below(100), y, m, d, seq = gen_rnd_below(1000);
	const char *region = kind < 80 ? NULL : kind < 98 ?
	    origins[gen_rnd_below((int)(sizeof origins / sizeof origins[0]))] :
	    overseas_regions[gen_rnd_below(2)];
	char seventeen[18];

	civil_from_days(today - (int64_t)pick_age() * 365 - gen_rnd_below(365), &y, &m, &d);
	snprintf(seventeen, sizeof seventeen, "%.6s%04u%02u%02u%03u", region ? region : g->code,
	    (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)seq % 1000u);
	snprintf(row->id_number, sizeof row->id_number, "%s%c", seventeen,
	    idnum_check_char(seventeen));
	pii_index(PII_ID_NUMBER, row->id_number, row->idx);
	snprintf(row->sex, sizeof row->sex, "%s", seq % 2 ? "M" : "F");
	snprintf(row->birth_date, sizeof row->birth_date, "%04u-%02u-%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u);
	gen_person_name(row->name, sizeof row->name);
	row->kind = kind < 80 ? "registered" : kind < 98 ? "floating" : "overseas";
	if (gen_rnd_below(100) < 85)
		snprintf(row->phone, sizeof row->phone, "1%c%09llu", "3456789"[gen_rnd_below(7)],
		    (unsigned long long)(gen_rnd() % 1000000000ull));
	else
		row->phone[0] = '\0';
	snprintf(address, na, "%s%d号", roads[gen_rnd_below((int)(sizeof roads / sizeof roads[0]))],
	    1 + gen_rnd_below(300));
	row->address = address;
	row->div.id = g->id;
	snprintf(row->div.path, sizeof row->div.path, "%s", g->path);
}

static const char *const person_tables[] = { "persons", NULL };

/* One batch of persons in one transaction; numbers drawn twice are drawn again. */
static int
person_batch(struct db_conn *w, const struct world *wd, int64_t n, int64_t today, int64_t now,
    int64_t *redrawn)
{
	for (int64_t k = 0; k < n;) {
		const struct grid *g = &wd->grids[gen_rnd_below(wd->ngrids)];
		struct person_row row = { 0 };
		char address[64];
		int64_t id;
		int rc;

		make_person(g, today, &row, address, sizeof address);
		if ((rc = person_insert_new(w, &row, now, &id)) != 0)
			return rc;
		if (id == 0) {
			(*redrawn)++;   /* the number was drawn before: nothing written */
			continue;
		}
		k++;
	}
	return 0;
}

int
gen_persons(struct db *db, const struct gen_plan *p, const struct world *wd,
    struct gen_report *r)
{
	int64_t now = clock_now_ms(), today, redrawn = 0;
	int y, m, d, rc;
	struct db_conn *w;
	struct actor sys;
	char *saved = NULL;

	actor_system(&sys, "gen");
	clock_local_date(now, &y, &m, &d);
	today = days_from_civil(y, m, d);
	if ((rc = db_write_begin_bulk(db, &w)) == 0)
		rc = txn_finish(db, db_bulk_defer(w, person_tables, &saved), NULL);
	for (int64_t done = 0; rc == 0 && done < p->persons;) {
		int64_t n = p->persons - done < PERSON_BATCH ? p->persons - done : PERSON_BATCH;
		char detail[64];

		if ((rc = db_write_begin_bulk(db, &w)) != 0)
			break;
		rc = person_batch(w, wd, n, today, now, &redrawn);
		snprintf(detail, sizeof detail, "{\"persons\":%lld}", (long long)n);
		if (rc == 0)
			rc = audit_write(w, &sys, "gen.persons", "person", "", detail);
		if ((rc = txn_finish(db, rc, NULL)) == 0)
			r->persons = done += n;
		if (done % 200000 == 0 || done == p->persons) {
			fprintf(stderr, "\r  persons %lld / %lld", (long long)done, (long long)p->persons);
			fflush(stderr);
		}
	}
	if (p->persons > 0)
		fprintf(stderr, " (%lld numbers drawn twice, drawn again)\n", (long long)redrawn);
	if (saved != NULL) {
		int rc2 = db_bulk_restore(db, saved);

		rc = rc ? rc : rc2;
	}
	free(saved);
	return rc;
}
