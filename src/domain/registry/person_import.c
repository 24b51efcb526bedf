/*
 * Bulk registration from CSV, the way a township loads its household
 * registers: every row checked against the national rules, all or nothing,
 * known ID numbers updated in place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/registry/person_internal.h"
#include "domain/txn.h"

enum col { COL_ID, COL_NAME, COL_KIND, COL_DIVISION, COL_PHONE, COL_ADDRESS, NCOLS };

/* Each column by its English name or the Chinese heading of the paper register. */
static const char *const col_names[NCOLS][2] = { { "id_number", "身份证号" }, { "name", "姓名" },
	{ "kind", "人口类别" }, { "division_code", "区划代码" }, { "phone", "手机号码" },
	{ "address", "住址" } };

/* The Chinese words a register uses for each kind. */
static const char *const kind_words[][2] = { { "户籍", "registered" }, { "户籍人口", "registered" },
	{ "流动", "floating" }, { "流动人口", "floating" }, { "境外", "overseas" },
	{ "境外人员", "overseas" } };

static int
read_header(const struct csv_record *h, int pos[NCOLS])
{
	for (int c = 0; c < NCOLS; c++) {
		pos[c] = -1;
		for (int i = 0; i < h->nfields; i++)
			if (strcmp(h->fields[i], col_names[c][0]) == 0 ||
			    strcmp(h->fields[i], col_names[c][1]) == 0)
				pos[c] = i;
	}
	return pos[COL_ID] < 0 || pos[COL_NAME] < 0 || pos[COL_KIND] < 0 || pos[COL_DIVISION] < 0 ?
	    ERR_INVALID : 0;
}

static const char *
field(const struct csv_record *rec, const int pos[NCOLS], enum col c)
{
	return pos[c] >= 0 && pos[c] < rec->nfields ? rec->fields[pos[c]] : "";
}

static const char *
kind_code(const char *kind)
{
	for (size_t i = 0; i < sizeof kind_words / sizeof kind_words[0]; i++)
		if (strcmp(kind, kind_words[i][0]) == 0)
			return kind_words[i][1];
	return kind;
}

/* The blind index and line of every row, to find an ID number listed twice. */
struct seen {
	uint8_t idx[PII_INDEX_BYTES];
	int line;
};

static int
cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = memcmp(x->idx, y->idx, PII_INDEX_BYTES);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void
report_duplicates(struct seen *seen, int n, struct import_report *rep)
{
	if (n < 2)
		return;     /* nothing to compare, and seen may be NULL */
	qsort(seen, (size_t)n, sizeof *seen, cmp_seen);
	for (int i = 1; i < n; i++)
		if (memcmp(seen[i].idx, seen[i - 1].idx, PII_INDEX_BYTES) == 0)
			import_report_add(rep, seen[i].line, "id_number", M_PERSON_DUPLICATE_ROW);
}

/*
 * Divisions seen lately, by code, one per slot. A county's register names
 * about 950 villages and grids: in 512 slots most shared a slot with another,
 * and about half the rows looked their division up again. 4096 slots take
 * 1.6 MiB for the length of one import.
 */
#define DIVISION_SLOTS 4096

struct import_state {
	struct division *divisions;    /* DIVISION_SLOTS, owned */
	struct db_conn *w;
	const struct actor *who;
	struct person_row row;
	struct seen *seen;
	int nseen, cap;
	int64_t now, created, updated;
	struct import_report *rep;
};

static unsigned
slot_of(const char *code)
{
	unsigned h = 2166136261u;

	for (; *code; code++)
		h = (h ^ (unsigned char)*code) * 16777619u;
	return h % DIVISION_SLOTS;
}

/* Checks one record and, while the file is still clean, writes it. */
static int
import_record(struct import_state *st, const struct csv_record *rec, const int pos[NCOLS])
{
	struct person_input in = { .id_number = field(rec, pos, COL_ID),
		.name = field(rec, pos, COL_NAME), .kind = kind_code(field(rec, pos, COL_KIND)),
		.division_code = field(rec, pos, COL_DIVISION), .phone = field(rec, pos, COL_PHONE),
		.address = field(rec, pos, COL_ADDRESS), .keep_phone = pos[COL_PHONE] < 0,
		.keep_address = pos[COL_ADDRESS] < 0 };
	struct division *cached = &st->divisions[slot_of(in.division_code)];
	char path[DIVISION_PATH_MAX];
	int64_t existing, id;
	int rc;

	if (cached->id != 0 && strcmp(cached->code, in.division_code) == 0)
		st->row.div = *cached;   /* person_check then needs no lookup */
	if (!person_check(st->w, st->who, &in, true, &st->row, st->rep, rec->line, &rc))
		return rc;
	*cached = st->row.div;
	if (st->nseen == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 1024;
		st->seen = xrealloc(st->seen, (size_t)st->cap * sizeof *st->seen);
	}
	memcpy(st->seen[st->nseen].idx, st->row.idx, PII_INDEX_BYTES);
	st->seen[st->nseen++].line = rec->line;
	if (st->rep->nerrors == 0) {
		/* Most rows of a register are new: try the insert first. */
		if ((rc = person_insert_new(st->w, &st->row, st->now, &id)) != 0)
			return rc;
		if (id != 0) {
			st->created++;
			return 0;
		}
	}
	if ((rc = person_find(st->w, st->row.idx, &existing, path)) != 0)
		return rc;
	if (existing != 0 && !actor_in_scope(st->who, path)) {
		import_report_add(st->rep, rec->line, "id_number", M_PERSON_ELSEWHERE);
		return 0;
	}
	if (st->rep->nerrors || existing == 0)
		return 0;     /* nothing will be kept: only look for more problems */
	st->updated++;
	return person_overwrite(st->w, existing, &st->row, st->now);
}

int
person_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, int64_t *created, int64_t *updated, struct fail *f)
{
	struct import_state st = { .who = who, .now = clock_now_ms(), .rep = rep };
	struct csv csv;
	struct csv_record rec;
	char detail[96];
	int pos[NCOLS], rc, rows = 0;

	*created = *updated = 0;
	csv_init(&csv, data, len);
	if (csv_next(&csv, &rec) != 1 || read_header(&rec, pos) != 0) {
		csv_release(&csv);
		import_report_add(rep, 1, "header", M_PERSON_CSV_HEADER);
		return fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	}
	if ((rc = db_write_begin_alone(db, &st.w)) != 0) {
		csv_release(&csv);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	st.divisions = xcalloc(DIVISION_SLOTS, sizeof *st.divisions);
	while (rc == 0 && (rc = csv_next(&csv, &rec)) != 0) {
		if (rc < 0) {
			import_report_add(rep, rec.line, "", M_CSV_MALFORMED);
			rc = 0;
			break;
		}
		rc = 0;
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue;     /* a blank line */
		rows++;
		rc = import_record(&st, &rec, pos);
	}
	csv_release(&csv);
	if (rc == 0 && rows == 0 && rep->nerrors == 0)
		import_report_add(rep, 2, "", M_CSV_EMPTY);
	if (rc == 0)
		report_duplicates(st.seen, st.nseen, rep);
	free(st.seen);
	free(st.divisions);
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	if (rc == 0) {
		rep->imported = rows;
		*created = st.created;
		*updated = st.updated;
		snprintf(detail, sizeof detail, "{\"created\":%lld,\"updated\":%lld}",
		    (long long)st.created, (long long)st.updated);
		rc = audit_write(st.w, who, "person.import", "person", "", detail);
	}
	return txn_finish(db, rc, f);
}
