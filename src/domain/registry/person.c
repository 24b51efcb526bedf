/* Registering, changing, reading, listing and revealing persons. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "db/query.h"
#include "domain/audit/audit.h"
#include "domain/json_time.h"
#include "domain/page.h"
#include "domain/pii/pii_col.h"
#include "domain/pii/reveal.h"
#include "domain/registry/person_internal.h"
#include "domain/txn.h"

static const char *const kinds[][3] = { { "registered", "户籍人口", "Registered" },
	{ "floating", "流动人口", "Floating" }, { "overseas", "境外人员", "Overseas" } };

static const char *
kind_label(const char *kind, bool en)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return kinds[i][en ? 2 : 1];
	return kind;
}

/* The kind's own constant, which outlives any input it was read from; NULL when unknown. */
static const char *
kind_code_of(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return kinds[i][0];
	return NULL;
}

static bool
kind_known(const char *kind)
{
	return kind_code_of(kind) != NULL;
}

static bool
set(const char *s)
{
	return s && *s;
}

/* The division a person lives in: an active village or grid in scope. */
int
person_check_division(struct db_conn *c, const struct actor *who, const char *code,
    struct person_row *row, struct import_report *rep, int line)
{
	struct division *d = &row->div;
	int rc;

	if (d->id != 0 && strcmp(d->code, code) == 0)
		return 0;
	d->id = 0;
	rc = division_load(c, code, d);
	if (rc == ERR_NOT_FOUND || (rc == 0 && (d->retired_at || !actor_in_scope(who, d->path)))) {
		d->id = 0;
		import_report_add(rep, line, "division_code", M_DIVISION_UNKNOWN);
		return 0;
	}
	if (rc != 0) {
		d->id = 0;
		return rc;
	}
	if (d->level != DIV_LEVEL_VILLAGE && d->level != DIV_LEVEL_GRID) {
		import_report_add(rep, line, "division_code", M_PERSON_DIVISION_LEVEL);
		d->id = 0;  /* the next line with this code is reported too */
	}
	return 0;
}

void
person_check_fields(const struct person_input *in, bool with_id, struct person_row *row,
    struct import_report *rep, int line)
{
	size_t n;

	if (with_id) {
		struct idnum_info info;
		enum msg_id why = idnum_normalize(in->id_number ? in->id_number : "", row->id_number,
		    &info);

		if (why != MSG_NONE) {
			import_report_add(rep, line, "id_number", why);
		} else {
			pii_index(PII_ID_NUMBER, row->id_number, row->idx);
			snprintf(row->sex, sizeof row->sex, "%c", info.sex);
			snprintf(row->birth_date, sizeof row->birth_date, "%04u-%02u-%02u",
			    (unsigned)info.year % 10000u, (unsigned)info.month % 100u,
			    (unsigned)info.day % 100u);
		}
	}
	pii_trim_copy(in->name ? in->name : "", row->name, sizeof row->name);
	n = utf8_visible_length(row->name);
	if (n < 1 || utf8_length(row->name) > 32 || !utf8_is_clean_text(row->name, strlen(row->name)))
		import_report_add(rep, line, "name", M_PERSON_NAME_BAD);
	/* Never the input's own text: an import's reading thread reuses it for the next line. */
	row->kind = kind_code_of(in->kind);
	if (row->kind == NULL) {
		row->kind = "";
		import_report_add(rep, line, "kind", M_PERSON_KIND_BAD);
	}
	row->phone[0] = '\0';
	if (set(in->phone)) {
		enum msg_id why = mobile_check(in->phone, row->phone);

		if (why != MSG_NONE)
			import_report_add(rep, line, "phone", why);
	}
	row->address = in->address ? in->address : "";
	row->keep_phone = in->keep_phone;
	row->keep_address = in->keep_address;
	if (utf8_length(row->address) > 100 ||
	    !utf8_is_clean_text(row->address, strlen(row->address)))
		import_report_add(rep, line, "address", M_PERSON_ADDRESS_BAD);
}

bool
person_check(struct db_conn *c, const struct actor *who, const struct person_input *in,
    bool with_id, struct person_row *row, struct import_report *rep, int line, int *rc)
{
	int before = rep->nerrors;

	person_check_fields(in, with_id, row, rep, line);
	*rc = person_check_division(c, who, in->division_code ? in->division_code : "", row, rep,
	    line);
	return *rc == 0 && rep->nerrors == before;
}

int
person_seal(struct person_row *row)
{
	int rc;

	if (row->sealed)
		return 0;
	if ((rc = pii_seal(PII_ID_NUMBER, row->id_number, false, &row->id_ct)) == 0 &&
	    (rc = pii_seal(PII_NAME, row->name, true, &row->name_ct)) == 0 &&
	    (rc = pii_seal(PII_PHONE, row->phone, true, &row->phone_ct)) == 0)
		rc = pii_seal(PII_ADDRESS, row->address, false, &row->address_ct);
	row->sealed = true;   /* also on failure: person_row_release frees what was made */
	return rc;
}

void
person_row_release(struct person_row *row)
{
	pii_sealed_release(&row->id_ct);
	pii_sealed_release(&row->name_ct);
	pii_sealed_release(&row->phone_ct);
	pii_sealed_release(&row->address_ct);
	row->sealed = false;
}

int
person_find(struct db_conn *c, const uint8_t idx[PII_INDEX_BYTES], int64_t *id,
    char path[DIVISION_PATH_MAX])
{
	struct db_stmt *s = db_stmt(c, STMT_PERSON_FIND);
	int rc;

	*id = 0;
	path[0] = '\0';
	if (s == NULL)
		return db_stmt_error(c);
	db_bind_blob(s, 1, idx, PII_INDEX_BYTES);
	if ((rc = db_step(s)) == DB_ROW) {
		*id = db_col_int(s, 0);
		snprintf(path, DIVISION_PATH_MAX, "%s", db_col_text(s, 1));
	}
	db_reset(s);
	return rc < 0 ? rc : 0;
}

/*
 * Binds the personal fields at their positions in the statement (the ID
 * number only when id_at > 0: an overwrite keeps it), sealing the row first
 * unless an import already did. What it sealed itself it frees once bound
 * (binds copy), so that only a row sealed beforehand is its caller's to
 * release.
 */
static int
bind_sealed(struct db_stmt *s, struct person_row *row, int id_at, const int at[6])
{
	bool sealed_here = !row->sealed;
	int rc = person_seal(row);

	if (id_at > 0)
		pii_bind_sealed(s, id_at, &row->id_ct);
	pii_bind_sealed(s, at[0], &row->name_ct);
	pii_bind_sealed_index(s, at[1], &row->name_ct);
	pii_bind_sealed(s, at[2], &row->phone_ct);
	pii_bind_sealed_index(s, at[3], &row->phone_ct);
	pii_bind_sealed(s, at[4], &row->address_ct);
	db_bind_text(s, at[5], row->kind);
	if (sealed_here)
		person_row_release(row);
	return rc;
}

static int
insert_as(struct db_conn *w, enum stmt_id stmt, struct person_row *row, int64_t now,
    int64_t *id)
{
	static const int at[6] = { 3, 4, 5, 6, 7, 10 };
	struct db_stmt *s = db_stmt(w, stmt);
	int rc;

	*id = 0;
	if (s == NULL)
		return db_stmt_error(w);
	rc = bind_sealed(s, row, 1, at);
	db_bind_blob(s, 2, row->idx, PII_INDEX_BYTES);
	db_bind_text(s, 8, row->sex);
	db_bind_text(s, 9, row->birth_date);
	db_bind_int(s, 11, row->div.id);
	db_bind_text(s, 12, row->div.path);
	db_bind_int(s, 13, now);
	if (rc != 0) {
		db_reset(s);
		return rc;
	}
	if ((rc = db_run(s)) == 0 && db_changes(w) > 0)
		*id = db_last_id(w);
	return rc;
}

int
person_insert(struct db_conn *w, struct person_row *row, int64_t now, int64_t *id)
{
	return insert_as(w, STMT_PERSON_INSERT, row, now, id);
}

int
person_insert_new(struct db_conn *w, struct person_row *row, int64_t now, int64_t *id)
{
	return insert_as(w, STMT_PERSON_INSERT_NEW, row, now, id);
}

int
person_overwrite(struct db_conn *w, int64_t id, struct person_row *row, int64_t now)
{
	static const int at[6] = { 2, 3, 4, 5, 6, 7 };
	struct db_stmt *s = db_stmt(w, STMT_PERSON_UPDATE);
	int rc;

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, id);
	rc = bind_sealed(s, row, 0, at);
	db_bind_int(s, 8, row->div.id);
	db_bind_text(s, 9, row->div.path);
	db_bind_int(s, 10, now);
	db_bind_int(s, 11, row->keep_phone);
	db_bind_int(s, 12, row->keep_address);
	if (rc != 0) {
		db_reset(s);
		return rc;
	}
	return db_run(s);
}

/* The first problem of a check as the failure of a single request. */
static int
check_failed(struct import_report *rep, struct fail *f)
{
	const struct import_error *e = &rep->errors[0];
	int rc = fail(f, ERR_INVALID, e->msg, e->field);

	import_report_release(rep);
	return rc;
}

static void
audit_detail(char *out, size_t n, const struct person_row *row)
{
	snprintf(out, n, "{\"division\":\"%s\",\"kind\":\"%s\"}", row->div.code, row->kind);
}

int
person_create(struct db *db, const struct actor *who, const struct person_input *in,
    int64_t *id, struct fail *f)
{
	struct import_report rep = { 0 };
	struct person_row row = { 0 };
	char path[DIVISION_PATH_MAX], idtext[24], detail[96];
	struct db_conn *w;
	int64_t existing;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if (!person_check(w, who, in, true, &row, &rep, 0, &rc)) {
		if (rc == 0)
			rc = check_failed(&rep, f);
		goto out;
	}
	if ((rc = person_find(w, row.idx, &existing, path)) != 0)
		goto out;
	if (existing != 0) {
		rc = fail(f, ERR_CONFLICT, actor_in_scope(who, path) ? M_PERSON_EXISTS :
		    M_PERSON_ELSEWHERE, "id_number");
		goto out;
	}
	if ((rc = person_insert(w, &row, clock_now_ms(), id)) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	audit_detail(detail, sizeof detail, &row);
	rc = audit_write(w, who, "person.create", "person", idtext, detail);
out:
	import_report_release(&rep);
	return txn_finish(db, rc, f);
}

/*
 * Steps STMT_PERSON_GET to person id when it lies in the actor's scope:
 * 0 with *row on it (the caller resets it), else not found or a storage error.
 */
static int
step_visible(struct db_conn *c, const struct actor *who, int64_t id, struct db_stmt **row,
    struct fail *f)
{
	struct db_stmt *s = db_stmt(c, STMT_PERSON_GET);
	int rc;

	if (s == NULL)
		return fail(f, db_stmt_error(c), M_STORAGE_UNAVAILABLE, NULL);
	db_bind_int(s, 1, id);
	if ((rc = db_step(s)) == DB_ROW && actor_in_scope(who, db_col_text(s, 10))) {
		*row = s;
		return 0;
	}
	db_reset(s);
	if (rc < 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
}

int
person_update(struct db *db, const struct actor *who, int64_t id, const struct person_input *in,
    int64_t version, struct fail *f)
{
	struct import_report rep = { 0 };
	struct person_row row = { 0 };
	char idtext[24], detail[96];
	struct db_conn *w;
	struct db_stmt *s;
	int64_t current;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = step_visible(w, who, id, &s, f)) != 0)
		goto out;
	current = db_col_int(s, 13);
	db_reset(s);
	if (current != version) {
		rc = fail(f, ERR_STALE, M_STALE_VERSION, "version");
		goto out;
	}
	if (!person_check(w, who, in, false, &row, &rep, 0, &rc)) {
		if (rc == 0)
			rc = check_failed(&rep, f);
		goto out;
	}
	if ((rc = person_overwrite(w, id, &row, clock_now_ms())) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	audit_detail(detail, sizeof detail, &row);
	rc = audit_write(w, who, "person.update", "person", idtext, detail);
out:
	import_report_release(&rep);
	return txn_finish(db, rc, f);
}

/* Whole years since the birth date (YYYY-MM-DD), on today's date in China. */
static int
age_of(const char *birth)
{
	struct idnum_info info = { 0 };
	int y, m, d;

	if (sscanf(birth, "%4d-%2d-%2d", &info.year, &info.month, &info.day) != 3)
		return -1;
	clock_local_date(clock_now_ms(), &y, &m, &d);
	return idnum_age(&info, y, m, d);
}

/* One person as JSON from a PERSON_COLS row; personal data masked unless reveal. */
static json_t *
person_json(struct db_stmt *s, bool en, bool reveal)
{
	const char *kind = db_col_text(s, 7);

	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:s, s:s, s:i, s:s, s:s, s:{s:s, s:s}, "
			 "s:o, s:o, s:I}",
	    "id", (json_int_t)db_col_int(s, 0),
	    "id_number", pii_col_json(s, 1, PII_ID_NUMBER, reveal),
	    "name", pii_col_json(s, 2, PII_NAME, reveal),
	    "phone", pii_col_json(s, 3, PII_PHONE, reveal),
	    "address", pii_col_json(s, 4, PII_ADDRESS, reveal),
	    "sex", db_col_text(s, 5), "birth_date", db_col_text(s, 6), "age", age_of(db_col_text(s, 6)),
	    "kind", kind, "kind_label", kind_label(kind, en),
	    "division", "code", db_col_text(s, 8), "name", db_col_text(s, 9),
	    "created_at", json_time(db_col_int(s, 11)), "updated_at", json_time(db_col_int(s, 12)),
	    "version", (json_int_t)db_col_int(s, 13));
}

/* Reads person id in scope on c into *out (masked, or clear when reveal). */
static int
read_person(struct db_conn *c, const struct actor *who, int64_t id, bool en, bool reveal,
    json_t **out, struct fail *f)
{
	struct db_stmt *s;
	int rc = step_visible(c, who, id, &s, f);

	if (rc != 0)
		return rc;
	*out = person_json(s, en, reveal);
	db_reset(s);
	return *out ? 0 : fail(f, ERR_INTERNAL, M_INTERNAL, NULL);
}

int
person_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f)
{
	struct db_conn *c = db_reader(db);

	*out = NULL;
	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	return read_person(c, who, id, en, false, out, f);
}

int
person_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f)
{
	struct db_conn *w;
	json_t *full = NULL;
	int rc;

	if ((rc = reveal_allowed(who, reason, f)) != 0)
		return rc;
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = read_person(w, who, id, false, true, &full, f)) != 0)
		goto out;
	*out = json_pack("{s:O, s:O, s:O, s:O}", "id_number", json_object_get(full, "id_number"),
	    "name", json_object_get(full, "name"), "phone", json_object_get(full, "phone"),
	    "address", json_object_get(full, "address"));
	json_decref(full);
	if ((rc = reveal_audit(w, who, "person", id, reason)) != 0) {
		json_decref(*out);
		*out = NULL;
	}
out:
	return txn_finish(db, rc, f);
}

static json_t *
list_row(struct db_stmt *s, void *ctx)
{
	return person_json(s, *(bool *)ctx, false);
}

/* The statement for the filter: an exact index when given, else the division range or all. */
static enum stmt_id
list_shape(const struct person_filter *flt, const char *path)
{
	if (set(flt->name))
		return STMT_PERSON_BY_NAME;
	if (set(flt->phone))
		return STMT_PERSON_BY_PHONE;
	return *path ? STMT_PERSON_IN_DIVISION : STMT_PERSON_ALL;
}

int
person_list(struct db *db, const struct actor *who, const struct person_filter *flt, bool en,
    json_t **rows, int64_t *next, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	char path[DIVISION_PATH_MAX] = "", end[DIVISION_PATH_MAX] = "";
	struct db_stmt *s;

	*next = 0;
	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	if (set(flt->kind) && !kind_known(flt->kind))
		return fail(f, ERR_INVALID, M_PERSON_KIND_BAD, "kind");
	if (set(flt->id_number) && (set(flt->name) || set(flt->phone) || set(flt->division_code) ||
	    set(flt->kind) || flt->cursor))
		return fail(f, ERR_INVALID, M_PERSON_QUERY_BAD, "id_number");
	if (set(flt->name) && set(flt->phone))
		return fail(f, ERR_INVALID, M_PERSON_QUERY_ONE_KEY, "phone");
	if (set(flt->division_code)) {
		struct division d;

		/* Unknown and out of scope alike: nothing about other areas leaks. */
		if (division_load(c, flt->division_code, &d) != 0 || !actor_in_scope(who, d.path))
			return fail(f, ERR_INVALID, M_DIVISION_UNKNOWN, "division");
		snprintf(path, sizeof path, "%s", d.path);
		division_path_end(d.path, end, sizeof end);
	}
	scope_enter(who);
	if (set(flt->id_number)) {
		if ((s = db_stmt(c, STMT_PERSON_BY_IDNUM)) == NULL)
			return fail(f, db_stmt_error(c), M_STORAGE_UNAVAILABLE, NULL);
		pii_bind_index(s, 1, PII_ID_NUMBER, flt->id_number);
		return page_collect(s, 1, list_row, &en, rows, next) ?
		    fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL) : 0;
	}
	if ((s = db_stmt(c, list_shape(flt, path))) == NULL)
		return fail(f, db_stmt_error(c), M_STORAGE_UNAVAILABLE, NULL);
	if (set(flt->name))
		pii_bind_index(s, 1, PII_NAME, flt->name);
	else if (set(flt->phone))
		pii_bind_index(s, 1, PII_PHONE, flt->phone);
	db_bind_int(s, 2, flt->cursor > 0 ? flt->cursor : INT64_MAX);
	db_bind_text(s, 3, path);
	db_bind_text(s, 4, end);
	db_bind_text(s, 5, flt->kind ? flt->kind : "");
	db_bind_int(s, 6, flt->limit + 1);
	return page_collect(s, flt->limit, list_row, &en, rows, next) ?
	    fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL) : 0;
}
