/*
 * Bulk division data: CSV import (all or nothing, every bad row reported),
 * CSV export, GeoJSON outlines. A real county loads its own files the same
 * way the demo county is loaded from data/demo/.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/org/division.h"
#include "domain/txn.h"

void
import_report_add(struct import_report *rep, int line, const char *field, enum msg_id msg)
{
	rep->nerrors++;
	if (rep->listed >= IMPORT_MAX_LISTED)
		return;
	if (rep->listed == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 16;
		rep->errors = xrealloc(rep->errors, (size_t)rep->cap * sizeof *rep->errors);
	}
	rep->errors[rep->listed++] = (struct import_error){ line, field, msg };
}

void
import_report_release(struct import_report *rep)
{
	free(rep->errors);
	memset(rep, 0, sizeof *rep);
}

enum col { COL_CODE, COL_NAME, COL_LEVEL, COL_PARENT, COL_LAT, COL_LNG, COL_DEMO, NCOLS };
static const char *const col_names[NCOLS] = { "code", "name", "level", "parent_code", "lat",
	"lng", "demo" };

struct import_row {
	int line;
	char code[DIVCODE_MAX];
	char name[132];           /* 32 characters of up to 4 bytes */
	char parent[DIVCODE_MAX];
	enum division_level level;
	bool has_point;
	double lat, lng;
	bool demo;
};

/* Maps header names to column positions; code, name and parent_code are required. */
static int
read_header(struct csv_record *h, int pos[NCOLS])
{
	for (int c = 0; c < NCOLS; c++) {
		pos[c] = -1;
		for (int i = 0; i < h->nfields; i++)
			if (strcmp(h->fields[i], col_names[c]) == 0)
				pos[c] = i;
	}
	return pos[COL_CODE] < 0 || pos[COL_NAME] < 0 || pos[COL_PARENT] < 0 ? ERR_INVALID : 0;
}

static const char *
field(const struct csv_record *rec, const int pos[NCOLS], enum col c)
{
	return pos[c] >= 0 && pos[c] < rec->nfields ? rec->fields[pos[c]] : "";
}

/* Checks what one row says on its own; problems go to rep. */
static void
check_row(const struct csv_record *rec, const int pos[NCOLS], struct import_row *row,
    struct import_report *rep)
{
	const char *code = field(rec, pos, COL_CODE), *name = field(rec, pos, COL_NAME);
	const char *level = field(rec, pos, COL_LEVEL), *parent = field(rec, pos, COL_PARENT);
	const char *lat = field(rec, pos, COL_LAT), *lng = field(rec, pos, COL_LNG);
	enum msg_id why = MSG_NONE;
	char expect[DIVCODE_MAX];
	size_t n = utf8_length(name);

	memset(row, 0, sizeof *row);
	row->line = rec->line;
	row->level = divcode_level(code, &why);
	snprintf(row->code, sizeof row->code, "%.15s", code);
	utf8_copy(row->name, sizeof row->name, name);
	snprintf(row->parent, sizeof row->parent, "%.15s", parent);
	if (row->level == DIV_LEVEL_NONE)
		import_report_add(rep, rec->line, "code", why);
	if (n < 1 || n > 32 || !utf8_is_clean_text(name, strlen(name)))
		import_report_add(rep, rec->line, "name", M_DIV_NAME_BAD);
	if (*level && row->level != DIV_LEVEL_NONE && division_level_from_name(level) != row->level)
		import_report_add(rep, rec->line, "level", M_DIV_LEVEL_MISMATCH);
	if (row->level > DIV_LEVEL_COUNTY && *parent == '\0')
		import_report_add(rep, rec->line, "parent_code", M_DIV_PARENT_REQUIRED);
	else if (row->level > DIV_LEVEL_COUNTY &&
	    (!divcode_parent(code, expect) || strcmp(expect, parent) != 0))
		import_report_add(rep, rec->line, "code", M_DIV_NOT_CHILD_CODE);
	row->demo = strcmp(field(rec, pos, COL_DEMO), "1") == 0;
	if (*lat || *lng) {
		row->has_point = parse_double(lat, &row->lat) == 0 && parse_double(lng, &row->lng) == 0 &&
		    fabs(row->lat) <= 90 && fabs(row->lng) <= 180;
		if (!row->has_point)
			import_report_add(rep, rec->line, "lat", M_COORD_BAD);
	}
}

static int
cmp_by_code(const void *a, const void *b)
{
	const struct import_row *x = a, *y = b;
	size_t lx = strlen(x->code), ly = strlen(y->code);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* Parses and checks every row; rows sorted parents first into *rows. */
static int
parse_rows(const char *data, size_t len, struct import_row **rows, int *nrows,
    struct import_report *rep)
{
	struct csv csv;
	struct csv_record rec;
	int pos[NCOLS], rc, cap = 0;

	*rows = NULL;
	*nrows = 0;
	csv_init(&csv, data, len);
	if (csv_next(&csv, &rec) != 1 || read_header(&rec, pos) != 0) {
		import_report_add(rep, 1, "header", M_CSV_HEADER);
		csv_release(&csv);
		return ERR_INVALID;
	}
	while ((rc = csv_next(&csv, &rec)) != 0) {
		if (rc < 0) {
			import_report_add(rep, rec.line, "", M_CSV_MALFORMED);
			break;
		}
		if (rec.nfields == 1 && rec.fields[0][0] == '\0')
			continue;
		if (*nrows == cap) {
			cap = cap ? cap * 2 : 256;
			*rows = xrealloc(*rows, (size_t)cap * sizeof **rows);
		}
		check_row(&rec, pos, &(*rows)[(*nrows)++], rep);
	}
	csv_release(&csv);
	if (*nrows == 0 && rep->nerrors == 0)
		import_report_add(rep, 2, "", M_CSV_EMPTY);
	if (*nrows > 1)
		qsort(*rows, (size_t)*nrows, sizeof **rows, cmp_by_code);
	for (int i = 1; i < *nrows; i++)
		if (strcmp((*rows)[i].code, (*rows)[i - 1].code) == 0)
			import_report_add(rep, (*rows)[i].line, "code", M_DIV_DUPLICATE_CODE);
	return rep->nerrors ? ERR_INVALID : 0;
}

static int
cmp_code_key(const void *key, const void *elem)
{
	struct import_row probe;

	snprintf(probe.code, sizeof probe.code, "%s", (const char *)key);
	return cmp_by_code(&probe, elem);
}

/*
 * Reports rows whose parent is neither in the file nor already stored, so
 * that one pass shows every problem, not only the first kind found.
 */
static void
check_parents(struct db *db, const struct import_row *rows, int nrows, struct import_report *rep)
{
	struct db_conn *c = db_reader(db);
	struct division d;

	for (int i = 0; c && i < nrows; i++) {
		if (rows[i].level <= DIV_LEVEL_COUNTY || rows[i].parent[0] == '\0')
			continue;
		if (bsearch(rows[i].parent, rows, (size_t)nrows, sizeof *rows, cmp_code_key) != NULL)
			continue;
		if (division_load(c, rows[i].parent, &d) != 0)
			import_report_add(rep, rows[i].line, "parent_code", M_DIV_PARENT_UNKNOWN);
	}
}

/* Creates or updates one checked row inside w; parents were written first. */
static int
apply_row(struct db_conn *w, const struct actor *who, const struct import_row *row, bool demo,
    struct import_report *rep)
{
	char path[DIVISION_PATH_MAX + DIVCODE_MAX + 2];
	struct division existing, parent;
	struct division_input in = { .code = row->code, .name = row->name, .has_point = row->has_point,
		.lat = row->lat, .lng = row->lng, .demo = demo || row->demo };
	int64_t parent_id = 0, id;
	struct db_stmt *s;
	int rc;

	if (division_load(w, row->code, &existing) == 0) {
		if (!actor_in_scope(who, existing.path)) {
			import_report_add(rep, row->line, "code", M_DIVISION_OUT_OF_SCOPE);
			return 0;
		}
		if ((s = db_stmt(w, STMT_DIV_UPSERT_IMPORT)) == NULL)
			return db_stmt_error(w);
		db_bind_int(s, 1, existing.id);
		db_bind_text(s, 2, row->name);
		if (row->has_point) {
			db_bind_double(s, 3, row->lat);
			db_bind_double(s, 4, row->lng);
		}
		db_bind_int(s, 5, clock_now_ms());
		return db_run(s);
	}
	if (row->level == DIV_LEVEL_COUNTY) {
		if (!who->scope_all) {
			import_report_add(rep, row->line, "code", M_DIVISION_OUT_OF_SCOPE);
			return 0;
		}
		snprintf(path, sizeof path, "/%s/", row->code);
	} else {
		rc = division_load(w, row->parent, &parent);
		if (rc == ERR_NOT_FOUND || (rc == 0 && !actor_in_scope(who, parent.path))) {
			import_report_add(rep, row->line, "parent_code", M_DIV_PARENT_UNKNOWN);
			return 0;
		}
		if (rc != 0)
			return rc;
		parent_id = parent.id;
		snprintf(path, sizeof path, "%s%s/", parent.path, row->code);
	}
	return division_insert(w, &in, row->level, path, parent_id, &id);
}

int
division_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    bool demo, struct import_report *rep, struct fail *f)
{
	struct import_row *rows;
	struct db_conn *w;
	char detail[64];
	int nrows, rc;

	rc = parse_rows(data, len, &rows, &nrows, rep);
	check_parents(db, rows, nrows, rep);
	if (rc != 0 || rep->nerrors) {
		free(rows);
		return fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	}
	if ((rc = db_write_begin(db, &w)) != 0) {
		free(rows);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	for (int i = 0; i < nrows && rc == 0; i++)
		rc = apply_row(w, who, &rows[i], demo, rep);
	free(rows);
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	if (rc == 0) {
		rep->imported = nrows;
		snprintf(detail, sizeof detail, "{\"rows\":%d}", nrows);
		rc = audit_write(w, who, "division.import", "division", "", detail);
	}
	return txn_finish(db, rc, f);
}

/* Appends a coordinate as text, or nothing when the column is NULL. */
static void
add_coord(struct buf *out, struct db_stmt *s, int col)
{
	if (!db_col_null(s, col))
		(void)buf_addf(out, "%.6f", db_col_double(s, col));
}

int
division_export_csv(struct db *db, const struct actor *who, struct buf *out)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_DIV_EXPORT)) == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	(void)buf_addstr(out, "code,name,level,parent_code,lat,lng\r\n");
	while ((rc = db_step(s)) == DB_ROW) {
		for (int i = 0; i < 4; i++) {
			(void)csv_write_field(out, db_col_text(s, i));
			(void)buf_addch(out, ',');
		}
		add_coord(out, s, 4);
		(void)buf_addch(out, ',');
		add_coord(out, s, 5);
		if (buf_addstr(out, "\r\n") != 0) {
			db_reset(s);
			return ERR_TOO_LARGE;
		}
	}
	return rc < 0 ? rc : 0;
}

/* A position is [lng, lat] (an altitude may follow). */
static bool
position_ok(json_t *p, double *lng, double *lat)
{
	json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);

	if (!json_is_array(p) || json_array_size(p) < 2 || json_array_size(p) > 3 ||
	    !json_is_number(x) || !json_is_number(y))
		return false;
	*lng = json_number_value(x);
	*lat = json_number_value(y);
	return isfinite(*lng) && isfinite(*lat) && fabs(*lng) <= 180 && fabs(*lat) <= 90;
}

struct bbox {
	double minx, miny, maxx, maxy;
	size_t positions;
};

/* A linear ring: at least four positions, first equal to last. */
static bool
ring_ok(json_t *ring, struct bbox *bb)
{
	double x0 = 0, y0 = 0, x = 0, y = 0;
	size_t i, n = json_array_size(ring);
	json_t *p;

	if (!json_is_array(ring) || n < 4)
		return false;
	json_array_foreach(ring, i, p) {
		if (!position_ok(p, &x, &y))
			return false;
		if (i == 0) {
			x0 = x;
			y0 = y;
		}
		bb->minx = fmin(bb->minx, x);
		bb->maxx = fmax(bb->maxx, x);
		bb->miny = fmin(bb->miny, y);
		bb->maxy = fmax(bb->maxy, y);
	}
	bb->positions += n;
	return x == x0 && y == y0 && bb->positions <= 200000;
}

static bool
polygon_ok(json_t *rings, struct bbox *bb)
{
	size_t i;
	json_t *ring;

	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return false;
	json_array_foreach(rings, i, ring)
		if (!ring_ok(ring, bb))
			return false;
	return true;
}

enum msg_id
geojson_check_geometry(json_t *g, double *lat, double *lng)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates"), *poly;
	struct bbox bb = { INFINITY, INFINITY, -INFINITY, -INFINITY, 0 };
	size_t i;

	if (!json_is_object(g) || type == NULL || !json_is_array(coords))
		return M_GEOJSON_BAD;
	if (strcmp(type, "Polygon") == 0) {
		if (!polygon_ok(coords, &bb))
			return M_GEOJSON_BAD;
	} else if (strcmp(type, "MultiPolygon") == 0 && json_array_size(coords) > 0) {
		json_array_foreach(coords, i, poly)
			if (!polygon_ok(poly, &bb))
				return M_GEOJSON_BAD;
	} else {
		return M_GEOJSON_BAD;
	}
	*lat = (bb.miny + bb.maxy) / 2;
	*lng = (bb.minx + bb.maxx) / 2;
	return MSG_NONE;
}

/* Validates one feature and stores its outline inside w. */
static int
apply_feature(struct db_conn *w, const struct actor *who, json_t *ft, int line,
    struct import_report *rep)
{
	const char *code = json_string_value(json_object_get(json_object_get(ft, "properties"),
	    "code"));
	json_t *g = json_object_get(ft, "geometry");
	struct db_stmt *s;
	struct division d;
	double lat, lng;
	char *text;
	int rc;

	if (code == NULL) {
		import_report_add(rep, line, "properties.code", M_GEOJSON_NO_CODE);
		return 0;
	}
	if (geojson_check_geometry(g, &lat, &lng) != MSG_NONE) {
		import_report_add(rep, line, "geometry", M_GEOJSON_BAD);
		return 0;
	}
	rc = division_load(w, code, &d);
	if (rc == ERR_NOT_FOUND || (rc == 0 && !actor_in_scope(who, d.path))) {
		import_report_add(rep, line, "properties.code", M_DIVISION_UNKNOWN);
		return 0;
	}
	if (rc != 0 || (s = db_stmt(w, STMT_DIV_SET_OUTLINE)) == NULL)
		return rc ? rc : db_stmt_error(w);
	text = json_dumps(g, JSON_COMPACT);
	db_bind_int(s, 1, d.id);
	db_bind_text(s, 2, text);
	db_bind_double(s, 3, lat);
	db_bind_double(s, 4, lng);
	db_bind_int(s, 5, clock_now_ms());
	free(text);
	return db_run(s);
}

int
division_import_outlines(struct db *db, const struct actor *who, json_t *fc,
    struct import_report *rep, struct fail *f)
{
	json_t *features = json_object_get(fc, "features"), *ft;
	struct db_conn *w;
	char detail[64];
	size_t i;
	int rc;

	if (!json_is_object(fc) || !json_is_array(features) ||
	    strcmp(json_string_value(json_object_get(fc, "type")) ?
		   json_string_value(json_object_get(fc, "type")) : "", "FeatureCollection") != 0)
		return fail(f, ERR_INVALID, M_GEOJSON_NOT_FC, "type");
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	json_array_foreach(features, i, ft) {
		if ((rc = apply_feature(w, who, ft, (int)i + 1, rep)) != 0)
			break;
	}
	if (rc == 0 && rep->nerrors)
		rc = fail(f, ERR_INVALID, M_IMPORT_FAILED, NULL);
	if (rc == 0) {
		rep->imported = (int)json_array_size(features);
		snprintf(detail, sizeof detail, "{\"features\":%d}", rep->imported);
		rc = audit_write(w, who, "division.outlines", "division", "", detail);
	}
	return txn_finish(db, rc, f);
}
