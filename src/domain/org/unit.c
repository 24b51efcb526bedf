/* Units: create, change, retire, list, import. */
#include "domain/org/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/page.h"
#include "domain/txn.h"

static const struct {
	const char *name, *zh, *en;
} kinds[UNIT_KIND_COUNT_] = {
#define X(id, name, zh, en) [id] = { name, zh, en },
	UNIT_KIND_LIST(X)
#undef X
};

static int
kind_index(const char *name)
{
	for (int i = 0; name && i < UNIT_KIND_COUNT_; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

static json_t *
unit_json(struct db_stmt *s, bool en)
{
	int k = kind_index(db_col_text(s, 2));

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I}",
	    "id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
	    "kind", db_col_text(s, 2), "kind_label", k < 0 ? "" : en ? kinds[k].en : kinds[k].zh,
	    "division_code", db_col_text(s, 3), "division_name", db_col_text(s, 4),
	    "level", db_col_text(s, 8), "phone", db_col_text(s, 5),
	    "retired", !db_col_null(s, 6), "version", (json_int_t)db_col_int(s, 7));
}

/* Phone numbers of offices: digits with an optional area-code hyphen, 5-20 characters. */
static bool
phone_ok(const char *p)
{
	size_t n = strlen(p);

	if (n == 0)
		return true;
	if (n < 5 || n > 20)
		return false;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

/* Checks the fields and resolves the division (in scope) into *division_id. */
static int
check_input(struct db_conn *w, const struct actor *who, const struct unit_input *in,
    int64_t *division_id, struct fail *f)
{
	size_t n = in->name ? utf8_length(in->name) : 0;
	struct division d;
	int rc;

	if (n < 1 || n > 64 || !utf8_is_clean_text(in->name, strlen(in->name)))
		return fail(f, ERR_INVALID, M_UNIT_NAME_BAD, "name");
	if (kind_index(in->kind) < 0)
		return fail(f, ERR_INVALID, M_UNIT_KIND_BAD, "kind");
	if (in->phone && !phone_ok(in->phone))
		return fail(f, ERR_INVALID, M_PHONE_BAD, "phone");
	rc = division_load(w, in->division_code ? in->division_code : "", &d);
	if (rc == ERR_NOT_FOUND || (rc == 0 && (d.retired_at || !actor_in_scope(who, d.path))))
		return fail(f, ERR_INVALID, M_DIVISION_UNKNOWN, "division_code");
	if (rc != 0)
		return rc;
	*division_id = d.id;
	return 0;
}

/* Inserts a unit inside w after checking it. */
static int
insert_unit(struct db_conn *w, const struct actor *who, const struct unit_input *in, int64_t *id,
    struct fail *f)
{
	int64_t division_id;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = check_input(w, who, in, &division_id, f)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_UNIT_INSERT)) == NULL)
		return db_stmt_error(w);
	db_bind_text(s, 1, in->name);
	db_bind_text(s, 2, in->kind);
	db_bind_int(s, 3, division_id);
	db_bind_text(s, 4, in->phone ? in->phone : "");
	db_bind_int(s, 5, clock_now_ms());
	rc = db_run(s);
	if (rc == ERR_CONFLICT)
		return fail(f, ERR_CONFLICT, M_UNIT_NAME_TAKEN, "name");
	if (rc != 0)
		return rc;
	*id = db_last_id(w);
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	return audit_write(w, who, "unit.create", "unit", idtext, NULL);
}

int
unit_create(struct db *db, const struct actor *who, const struct unit_input *in, int64_t *id,
    struct fail *f)
{
	struct db_conn *w;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = insert_unit(w, who, in, id, f);
	return txn_finish(db, rc, f);
}

/* Checks the unit exists in scope with the given version (inside w). */
static int
load_for_change(struct db_conn *w, const struct actor *who, int64_t id, int64_t version,
    struct fail *f)
{
	struct db_stmt *s = db_stmt(w, STMT_UNIT_BY_ID);
	int rc;

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	if (!actor_in_scope(who, db_col_text(s, 9)))
		rc = fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	else if (db_col_int(s, 7) != version)
		rc = fail(f, ERR_STALE, M_STALE_VERSION, "version");
	else
		rc = 0;
	db_reset(s);
	return rc;
}

int
unit_update(struct db *db, const struct actor *who, int64_t id, const struct unit_input *in,
    int64_t version, struct fail *f)
{
	int64_t division_id;
	struct db_conn *w;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_for_change(w, who, id, version, f)) != 0 ||
	    (rc = check_input(w, who, in, &division_id, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_UNIT_UPDATE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, in->name);
	db_bind_text(s, 3, in->kind);
	db_bind_int(s, 4, division_id);
	db_bind_text(s, 5, in->phone ? in->phone : "");
	db_bind_int(s, 6, clock_now_ms());
	db_bind_int(s, 7, version);
	rc = db_run(s);
	if (rc == ERR_CONFLICT) {
		rc = fail(f, ERR_CONFLICT, M_UNIT_NAME_TAKEN, "name");
		goto out;
	}
	if (rc != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, "unit.update", "unit", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}

int
unit_retire(struct db *db, const struct actor *who, int64_t id, int64_t version, struct fail *f)
{
	struct db_conn *w;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_for_change(w, who, id, version, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_UNIT_RETIRE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, clock_now_ms());
	db_bind_int(s, 3, version);
	if ((rc = db_run(s)) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, "unit.retire", "unit", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}

int
unit_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_UNIT_BY_ID)) == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL)
			      : fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	if (!actor_in_scope(who, db_col_text(s, 9))) {
		db_reset(s);
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	}
	*out = unit_json(s, en);
	db_reset(s);
	return 0;
}

static json_t *
unit_row(struct db_stmt *s, void *ctx)
{
	return unit_json(s, *(bool *)ctx);
}

int
unit_list(struct db *db, const struct actor *who, const struct unit_filter *flt, bool en,
    json_t **rows, int64_t *next)
{
	struct db_conn *c = db_reader(db);
	char path[DIVISION_PATH_MAX] = "";
	struct db_stmt *s;

	if (c == NULL)
		return ERR_STORAGE;
	if (flt->division_code && *flt->division_code) {
		struct division d;

		if (division_load(c, flt->division_code, &d) != 0)
			snprintf(path, sizeof path, "/none/");
		else
			snprintf(path, sizeof path, "%s", d.path);
	}
	if ((s = db_stmt(c, STMT_UNIT_LIST)) == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	db_bind_int(s, 1, flt->cursor);
	db_bind_text(s, 2, flt->q ? flt->q : "");
	db_bind_text(s, 3, path);
	db_bind_int(s, 4, flt->include_retired);
	db_bind_text(s, 5, flt->kind ? flt->kind : "");
	db_bind_int(s, 6, flt->limit + 1);
	return page_collect(s, flt->limit, unit_row, &en, rows, next);
}

int
unit_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f)
{
	struct csv csv;
	struct csv_record rec;
	struct db_conn *w;
	int rc, n = 0;

	csv_init(&csv, data, len);
	if (csv_next(&csv, &rec) != 1 || rec.nfields < 3 || strcmp(rec.fields[0], "name") != 0 ||
	    strcmp(rec.fields[1], "kind") != 0 || strcmp(rec.fields[2], "division_code") != 0) {
		csv_release(&csv);
		import_report_add(rep, 1, "header", M_CSV_HEADER);
		return fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	}
	if ((rc = db_write_begin(db, &w)) != 0) {
		csv_release(&csv);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	while (rc == 0 && (rc = csv_next(&csv, &rec)) != 0) {
		struct unit_input in;
		struct fail rf = { 0 };
		int64_t id;

		if (rc < 0) {
			import_report_add(rep, rec.line, "", M_CSV_MALFORMED);
			rc = 0;
			break;
		}
		rc = 0;
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue;
		in.name = rec.fields[0];
		in.kind = rec.nfields > 1 ? rec.fields[1] : "";
		in.division_code = rec.nfields > 2 ? rec.fields[2] : "";
		in.phone = rec.nfields > 3 ? rec.fields[3] : "";
		rc = insert_unit(w, who, &in, &id, &rf);
		if (rc != 0 && rf.msg != MSG_NONE) {
			import_report_add(rep, rec.line, rf.field, rf.msg);
			rc = 0;
		}
		n++;
	}
	csv_release(&csv);
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	rep->imported = rc == 0 ? n : 0;
	return txn_finish(db, rc, f);
}
