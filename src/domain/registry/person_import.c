/*
 * Bulk registration from CSV, the way a township loads its household
 * registers: every row checked against the national rules, all or nothing,
 * known ID numbers updated in place.
 */
#include <pthread.h>
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

/*
 * The import runs as two stages. A thread of its own reads the CSV and does
 * what needs no database for each line: the checks of the ID number, name,
 * kind, phone and address, the blind indexes and the encryption (a fifth of
 * a row's cost on the writer before). The request's thread, which holds the
 * writer, takes the lines in order and does the rest: the division, the
 * insert or update. A bounded queue keeps the memory the same whatever the
 * size of the file.
 */
#define QUEUE_LINES 256

/* One CSV line, checked and sealed by the reading thread. */
struct prepared {
	int line;
	struct person_row row;
	char *address, *division_code;   /* owned copies: the CSV record is reused */
	struct import_report rep;        /* this line's problems so far */
	int seal_rc;
};

/*
 * Each side sleeps until the other has done a batch: the writer is woken
 * when a batch of lines is ready, the reader when half the queue is free.
 * Woken for every line, the two threads spent more on waking each other
 * than the reading thread saved the writer.
 */
#define WAKE_BATCH 32

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	bool writer_waits, reader_waits;
	struct prepared lines[QUEUE_LINES];
	size_t produced, consumed;       /* counts: lines [consumed, produced) are ready */
	bool done;                       /* the reader reached the end of the file */
	bool stop;                       /* the writer gave up: the reader stops */
	int malformed_line;              /* > 0: the CSV broke there */
	int rows;
	struct csv *csv;
	const int *pos;
};

static char *
copy_of(const char *s)
{
	return xstrdup(s ? s : "");
}

static void
prepare(struct prepared *p, const struct csv_record *rec, const int pos[NCOLS])
{
	struct person_input in = { .id_number = field(rec, pos, COL_ID),
		.name = field(rec, pos, COL_NAME), .kind = kind_code(field(rec, pos, COL_KIND)),
		.phone = field(rec, pos, COL_PHONE), .keep_phone = pos[COL_PHONE] < 0,
		.keep_address = pos[COL_ADDRESS] < 0 };

	memset(p, 0, sizeof *p);
	p->line = rec->line;
	p->address = copy_of(field(rec, pos, COL_ADDRESS));
	p->division_code = copy_of(field(rec, pos, COL_DIVISION));
	in.address = p->address;
	in.division_code = p->division_code;
	person_check_fields(&in, true, &p->row, &p->rep, p->line);
	/* A line with a problem is never written: nothing to seal. */
	if (p->rep.nerrors == 0)
		p->seal_rc = person_seal(&p->row);
}

static void
prepared_release(struct prepared *p)
{
	person_row_release(&p->row);
	import_report_release(&p->rep);
	free(p->address);
	free(p->division_code);
}

/* The reading thread: CSV lines to the queue, in order, until the end or a stop. */
static void *
read_lines(void *arg)
{
	struct queue *q = arg;
	struct csv_record rec;
	int rc;

	while ((rc = csv_next(q->csv, &rec)) != 0) {
		struct prepared *p;

		if (rc < 0) {
			q->malformed_line = rec.line;   /* read by the writer after done */
			break;
		}
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue;     /* a blank line */
		pthread_mutex_lock(&q->lock);
		while (q->produced - q->consumed == QUEUE_LINES && !q->stop) {
			q->reader_waits = true;
			pthread_cond_wait(&q->room, &q->lock);
		}
		q->reader_waits = false;
		if (q->stop) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		p = &q->lines[q->produced % QUEUE_LINES];
		pthread_mutex_unlock(&q->lock);
		/* Only this thread touches a slot between produced and its publication. */
		prepare(p, &rec, q->pos);
		pthread_mutex_lock(&q->lock);
		q->rows++;
		q->produced++;
		if (q->writer_waits && q->produced - q->consumed >= WAKE_BATCH)
			pthread_cond_signal(&q->more);
		pthread_mutex_unlock(&q->lock);
	}
	pthread_mutex_lock(&q->lock);
	q->done = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* The next prepared line, or NULL when the reader is done and all are taken. */
static struct prepared *
next_line(struct queue *q)
{
	struct prepared *p = NULL;

	pthread_mutex_lock(&q->lock);
	while (q->consumed == q->produced && !q->done) {
		q->writer_waits = true;
		pthread_cond_wait(&q->more, &q->lock);
	}
	q->writer_waits = false;
	if (q->consumed < q->produced)
		p = &q->lines[q->consumed % QUEUE_LINES];
	pthread_mutex_unlock(&q->lock);
	return p;
}

static void
line_done(struct queue *q, struct prepared *p)
{
	prepared_release(p);
	pthread_mutex_lock(&q->lock);
	q->consumed++;
	if (q->reader_waits && q->produced - q->consumed <= QUEUE_LINES / 2)
		pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->lock);
}

/* Stops the reader early (a storage error), waits for it and frees what it left. */
static void
queue_finish(struct queue *q, pthread_t reader, bool stop)
{
	pthread_mutex_lock(&q->lock);
	q->stop = stop;
	pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->lock);
	pthread_join(reader, NULL);
	for (; q->consumed < q->produced; q->consumed++)
		prepared_release(&q->lines[q->consumed % QUEUE_LINES]);
}

struct import_state {
	struct division *divisions;    /* DIVISION_SLOTS, owned */
	struct db_conn *w;
	const struct actor *who;
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

/* Finishes checking one prepared line and, while the file is still clean, writes it. */
static int
import_line(struct import_state *st, struct prepared *p)
{
	struct division *cached = &st->divisions[slot_of(p->division_code)];
	struct person_row *row = &p->row;
	char path[DIVISION_PATH_MAX];
	int64_t existing, id;
	int before = st->rep->nerrors, rc;

	/* The line's problems join the report in line order, before its division's. */
	for (int i = 0; i < p->rep.listed; i++)
		import_report_add(st->rep, p->line, p->rep.errors[i].field, p->rep.errors[i].msg);
	if (cached->id != 0 && strcmp(cached->code, p->division_code) == 0)
		row->div = *cached;   /* the division check then needs no lookup */
	if ((rc = person_check_division(st->w, st->who, p->division_code, row, st->rep, p->line)) != 0)
		return rc;
	if (st->rep->nerrors != before)
		return 0;
	if (p->seal_rc != 0)
		return p->seal_rc;
	*cached = row->div;
	if (st->nseen == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 1024;
		st->seen = xrealloc(st->seen, (size_t)st->cap * sizeof *st->seen);
	}
	memcpy(st->seen[st->nseen].idx, row->idx, PII_INDEX_BYTES);
	st->seen[st->nseen++].line = p->line;
	if (st->rep->nerrors == 0) {
		/* Most rows of a register are new: try the insert first. */
		if ((rc = person_insert_new(st->w, row, st->now, &id)) != 0)
			return rc;
		if (id != 0) {
			st->created++;
			return 0;
		}
	}
	if ((rc = person_find(st->w, row->idx, &existing, path)) != 0)
		return rc;
	if (existing != 0 && !actor_in_scope(st->who, path)) {
		import_report_add(st->rep, p->line, "id_number", M_PERSON_ELSEWHERE);
		return 0;
	}
	if (st->rep->nerrors || existing == 0)
		return 0;     /* nothing will be kept: only look for more problems */
	st->updated++;
	return person_overwrite(st->w, existing, row, st->now);
}

int
person_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, int64_t *created, int64_t *updated, struct fail *f)
{
	struct import_state st = { .who = who, .now = clock_now_ms(), .rep = rep };
	struct queue *q;
	struct prepared *p;
	struct csv csv;
	struct csv_record rec;
	pthread_t reader;
	char detail[96];
	int pos[NCOLS], rc = 0, rows;

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
	q = xcalloc(1, sizeof *q);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	q->csv = &csv;
	q->pos = pos;
	st.divisions = xcalloc(DIVISION_SLOTS, sizeof *st.divisions);
	if (pthread_create(&reader, NULL, read_lines, q) != 0) {
		rc = ERR_INTERNAL;
	} else {
		while (rc == 0 && (p = next_line(q)) != NULL) {
			rc = import_line(&st, p);
			line_done(q, p);
		}
		queue_finish(q, reader, rc != 0);
	}
	rows = q->rows;
	if (rc == 0 && q->malformed_line > 0)
		import_report_add(rep, q->malformed_line, "", M_CSV_MALFORMED);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->lock);
	free(q);
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
