/* Administering categories and routing rules; loading them from data/ files. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/event/category.h"
#include "domain/event/event_internal.h"
#include "domain/txn.h"

static bool
code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 31)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_'))
			return false;
	return true;
}

static bool
kind_ok(const char *s)
{
	static const char *const kinds[] = { "general", "dispute", "petition", "death", "hazard" };

	for (int i = 0; i < 5; i++)
		if (strcmp(s, kinds[i]) == 0)
			return true;
	return false;
}

/* Columns after code/name/name_en/parent/kind: flags and deadlines, each a small integer. */
static int
read_numbers(const struct csv_record *rec, int64_t v[8])
{
	static const int64_t max[8] = { 1, 60, 365, 240, 2400, 240, 2400, 1 };

	for (int i = 0; i < 8; i++)
		if (rec->nfields <= 5 + i || parse_i64(rec->fields[5 + i], 0, max[i], &v[i]) != 0)
			return i;
	return -1;
}

static int
insert_category(struct db_conn *w, const struct csv_record *rec, const int64_t v[8],
    struct import_report *rep)
{
	const char *code = rec->fields[0], *parent = rec->fields[3];
	struct category pc;
	struct db_stmt *s;
	int64_t parent_id = 0;

	if (*parent) {
		if (category_load(w, parent, 0, &pc) != 0) {
			import_report_add(rep, rec->line, "parent_code", M_EV_CATEGORY_BAD);
			return 0;
		}
		parent_id = pc.id;
	}
	if ((s = db_stmt(w, STMT_CAT_INSERT)) == NULL)
		return db_stmt_error(w);
	db_bind_text(s, 1, code);
	db_bind_text(s, 2, rec->fields[1]);
	db_bind_text(s, 3, rec->fields[2]);
	if (parent_id)
		db_bind_int(s, 4, parent_id);
	db_bind_text(s, 5, rec->fields[4]);
	for (int i = 0; i < 8; i++)
		db_bind_int(s, 6 + i, v[i]);
	db_bind_int(s, 14, clock_now_ms());
	int rc = db_run(s);

	if (rc == ERR_CONFLICT) {
		import_report_add(rep, rec->line, "code", M_DIV_DUPLICATE_CODE);
		return 0;
	}
	return rc;
}

int
category_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f)
{
	struct csv csv;
	struct csv_record rec;
	struct db_conn *w;
	int rc, n = 0;

	csv_init(&csv, data, len);
	if (csv_next(&csv, &rec) != 1 || rec.nfields < 13 || strcmp(rec.fields[0], "code") != 0) {
		csv_release(&csv);
		import_report_add(rep, 1, "header", M_CSV_HEADER);
		return fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	}
	if ((rc = db_write_begin(db, &w)) != 0) {
		csv_release(&csv);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	while (rc == 0 && (rc = csv_next(&csv, &rec)) != 0) {
		int64_t v[8];
		int bad;

		if (rc < 0) {
			import_report_add(rep, rec.line, "", M_CSV_MALFORMED);
			rc = 0;
			break;
		}
		rc = 0;
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue;
		if (rec.nfields < 13) {
			import_report_add(rep, rec.line, "", M_CSV_COLUMNS);
			continue;
		}
		if (!code_ok(rec.fields[0]))
			import_report_add(rep, rec.line, "code", M_EV_CATEGORY_BAD);
		else if (!kind_ok(rec.fields[4]))
			import_report_add(rep, rec.line, "kind", M_EV_CATEGORY_BAD);
		else if ((bad = read_numbers(&rec, v)) >= 0)
			import_report_add(rep, rec.line, "deadlines", M_FIELD_TYPE);
		else
			rc = insert_category(w, &rec, v, rep);
		n++;
	}
	csv_release(&csv);
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	if (rc == 0) {
		rep->imported = n;
		rc = audit_write(w, who, "category.import", "category", "", NULL);
	}
	return txn_finish(db, rc, f);
}

int
category_list(struct db *db, bool include_retired, bool en, json_t **out)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	json_t *arr;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_CAT_LIST)) == NULL)
		return ERR_STORAGE;
	db_bind_int(s, 1, include_retired);
	arr = json_array();
	while ((rc = db_step(s)) == DB_ROW) {
		struct category cat;

		/* STMT_CAT_LIST has the CAT_COLS columns: reuse the loader's mapping. */
		if (category_load(c, db_col_text(s, 1), 0, &cat) == 0)
			json_array_append_new(arr, category_json(&cat, en));
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int
category_update(struct db *db, const struct actor *who, const char *code,
    const struct category_input *in, int64_t version, struct fail *f)
{
	struct category cat;
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if (in->name == NULL || utf8_length(in->name) < 1 || utf8_length(in->name) > 32)
		return fail(f, ERR_INVALID, M_DIV_NAME_BAD, "name");
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = category_load(w, code, 0, &cat);
	if (rc != 0) {
		rc = rc == ERR_NOT_FOUND ? fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL) : rc;
		goto out;
	}
	if (cat.version != version) {
		rc = fail(f, ERR_STALE, M_STALE_VERSION, "version");
		goto out;
	}
	if ((s = db_stmt(w, STMT_CAT_UPDATE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, cat.id);
	db_bind_text(s, 2, in->name);
	db_bind_text(s, 3, in->name_en ? in->name_en : cat.name_en);
	db_bind_int(s, 4, in->citizen_reportable);
	db_bind_int(s, 5, in->sign_days);
	db_bind_int(s, 6, in->finish_days);
	db_bind_int(s, 7, in->urgent_sign_hours);
	db_bind_int(s, 8, in->urgent_finish_hours);
	db_bind_int(s, 9, in->critical_sign_hours);
	db_bind_int(s, 10, in->critical_finish_hours);
	db_bind_int(s, 11, in->auto_escalate);
	db_bind_int(s, 12, clock_now_ms());
	db_bind_int(s, 13, version);
	if ((rc = db_run(s)) != 0)
		goto out;
	rc = audit_write(w, who, "category.update", "category", code, NULL);
out:
	return txn_finish(db, rc, f);
}

/* Resolves a rule's category, division and unit names into ids inside w. */
static int
rule_ids(struct db_conn *w, const char *cat_code, const char *div_code, int64_t unit_id,
    const char *unit_name, int64_t ids[3], const char **bad)
{
	struct category cat;
	struct db_stmt *s;

	*bad = "category_code";
	if (category_load(w, cat_code, 0, &cat) != 0)
		return ERR_NOT_FOUND;
	*bad = "division_code";
	ids[0] = cat.id;
	if ((s = db_stmt(w, STMT_DIV_ID_BY_CODE)) == NULL)
		return db_stmt_error(w);
	db_bind_text(s, 1, div_code);
	if (db_step(s) != DB_ROW)
		return ERR_NOT_FOUND;
	ids[1] = db_col_int(s, 0);
	db_reset(s);
	*bad = "unit_id";
	ids[2] = unit_id;
	if (unit_name) {
		if ((s = db_stmt(w, STMT_UNIT_ID_BY_NAME)) == NULL)
			return db_stmt_error(w);
		db_bind_text(s, 1, unit_name);
		if (db_step(s) != DB_ROW)
			return ERR_NOT_FOUND;
		ids[2] = db_col_int(s, 0);
		db_reset(s);
	}
	return 0;
}

static int
put_rule(struct db_conn *w, const int64_t ids[3])
{
	struct db_stmt *s = db_stmt(w, STMT_ROUTE_UPSERT);

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, ids[0]);
	db_bind_int(s, 2, ids[1]);
	db_bind_int(s, 3, ids[2]);
	db_bind_int(s, 4, clock_now_ms());
	return db_run(s);
}

int
routing_set(struct db *db, const struct actor *who, const char *cat_code, const char *div_code,
    int64_t unit_id, struct fail *f)
{
	static const struct { const char *field; enum msg_id msg; } why[] = {
		{ "category_code", M_EV_CATEGORY_BAD }, { "division_code", M_DIVISION_UNKNOWN },
		{ "unit_id", M_EV_UNIT_BAD },
	};
	const char *bad = NULL;
	struct db_conn *w;
	int64_t ids[3];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = rule_ids(w, cat_code ? cat_code : "", div_code ? div_code : "", unit_id, NULL, ids, &bad);
	if (rc == ERR_NOT_FOUND) {
		for (size_t i = 0; i < sizeof why / sizeof why[0]; i++)
			if (strcmp(why[i].field, bad) == 0)
				rc = fail(f, ERR_INVALID, why[i].msg, bad);
	} else if (rc == 0 && (rc = put_rule(w, ids)) == ERR_CONFLICT) {
		rc = fail(f, ERR_INVALID, M_EV_UNIT_BAD, "unit_id");
	}
	if (rc == 0)
		rc = audit_write(w, who, "routing.set", "category", cat_code, NULL);
	return txn_finish(db, rc, f);
}

int
routing_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f)
{
	struct csv csv;
	struct csv_record rec;
	struct db_conn *w;
	int rc;

	csv_init(&csv, data, len);
	if (csv_next(&csv, &rec) != 1 || rec.nfields < 3) {
		csv_release(&csv);
		return fail(f, ERR_INVALID, M_CSV_HEADER, NULL);
	}
	if ((rc = db_write_begin(db, &w)) != 0) {
		csv_release(&csv);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	while (rc == 0 && csv_next(&csv, &rec) == 1) {
		const char *bad = NULL;
		int64_t ids[3];

		if (rec.nfields < 3)
			continue;
		if (rule_ids(w, rec.fields[0], rec.fields[1], 0, rec.fields[2], ids, &bad) != 0)
			import_report_add(rep, rec.line, bad, M_EV_UNIT_BAD);
		else
			rc = put_rule(w, ids);
	}
	csv_release(&csv);
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	if (rc == 0)
		rc = audit_write(w, who, "routing.import", "category", "", NULL);
	return txn_finish(db, rc, f);
}

int
routing_list(struct db *db, json_t **out)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	json_t *arr;

	if (c == NULL || (s = db_stmt(c, STMT_ROUTE_LIST)) == NULL)
		return ERR_STORAGE;
	arr = json_array();
	while (db_step(s) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}",
		    "id", (json_int_t)db_col_int(s, 0), "category_code", db_col_text(s, 1),
		    "category_name", db_col_text(s, 2), "division_code", db_col_text(s, 3),
		    "division_name", db_col_text(s, 4), "unit_id", (json_int_t)db_col_int(s, 5),
		    "unit_name", db_col_text(s, 6)));
	*out = arr;
	return 0;
}

int
routing_delete(struct db *db, const struct actor *who, int64_t id, struct fail *f)
{
	struct db_conn *w;
	struct db_stmt *s;
	char idtext[24];
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((s = db_stmt(w, STMT_ROUTE_DELETE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, id);
	if ((rc = db_run(s)) != 0)
		goto out;
	if (db_changes(w) == 0) {
		rc = fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
		goto out;
	}
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = audit_write(w, who, "routing.delete", "routing_rule", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}

/* The parent of category id in *parent, 0 for a top-level category. */
static int
category_parent(struct db_conn *c, int64_t id, int64_t *parent)
{
	struct db_stmt *s = db_stmt(c, STMT_CAT_PARENT);
	int rc;

	*parent = 0;
	if (s == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : 0;
	*parent = db_col_int(s, 0);
	db_reset(s);
	return 0;
}

/*
 * The default unit for a category at a place: the rule of the most specific
 * division, else the same for the parent category, up to three levels up.
 * (One recursive statement instead would build a temporary table on every
 * call: slower than these small ones, and every answer about an open event
 * asks.)
 */
int
routing_suggest(struct db_conn *c, int64_t category_id, const char *path, int64_t *unit_id,
    char *name, size_t n)
{
	int64_t cid = category_id;

	for (int depth = 0; cid && depth < 4; depth++) {
		struct db_stmt *s = db_stmt(c, STMT_ROUTE_FIND);
		int rc;

		if (s == NULL)
			return db_stmt_error(c);
		db_bind_int(s, 1, cid);
		db_bind_text(s, 2, path);
		if ((rc = db_step(s)) < 0)
			return rc;
		if (rc == DB_ROW && !db_col_null(s, 0)) {
			*unit_id = db_col_int(s, 0);
			snprintf(name, n, "%s", db_col_text(s, 1));
			db_reset(s);
			return 0;
		}
		db_reset(s);
		if ((rc = category_parent(c, cid, &cid)) != 0)
			return rc;
	}
	return ERR_NOT_FOUND;
}

int64_t
category_count(struct db *db)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int64_t n = 0;

	if (c == NULL || (s = db_stmt(c, STMT_CAT_COUNT)) == NULL)
		return -1;
	if (db_step(s) == DB_ROW) {
		n = db_col_int(s, 0);
		db_reset(s);
	}
	return n;
}
