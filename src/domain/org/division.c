/* Division records: reading the tree, creating, renaming, moving, retiring. */
#include "domain/org/division.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/txn.h"

static void
division_from_stmt(struct db_stmt *s, struct division *d)
{
	memset(d, 0, sizeof *d);
	d->id = db_col_int(s, 0);
	snprintf(d->code, sizeof d->code, "%s", db_col_text(s, 1));
	utf8_copy(d->name, sizeof d->name, db_col_text(s, 2));
	d->level = division_level_from_name(db_col_text(s, 3));
	d->parent_id = db_col_int(s, 4);
	snprintf(d->parent_code, sizeof d->parent_code, "%s", db_col_text(s, 5));
	snprintf(d->path, sizeof d->path, "%s", db_col_text(s, 6));
	d->has_outline = db_col_int(s, 7) != 0;
	d->has_point = !db_col_null(s, 8) && !db_col_null(s, 9);
	d->lat = db_col_double(s, 8);
	d->lng = db_col_double(s, 9);
	d->demo = db_col_int(s, 10) != 0;
	d->retired_at = db_col_null(s, 11) ? 0 : db_col_int(s, 11);
	d->version = db_col_int(s, 12);
	d->child_count = db_col_int(s, 13);
}

/* Runs a single-row division query bound to one text key. */
static int
division_load_by(struct db_conn *c, enum stmt_id id, const char *key, struct division *d)
{
	struct db_stmt *s = db_stmt(c, id);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	db_bind_text(s, 1, key);
	rc = db_step(s);
	if (rc == DB_ROW) {
		division_from_stmt(s, d);
		db_reset(s);
		return 0;
	}
	return rc == DB_DONE ? ERR_NOT_FOUND : rc;
}

int
division_load(struct db_conn *c, const char *code, struct division *d)
{
	return division_load_by(c, STMT_DIV_BY_CODE, code, d);
}

json_t *
division_json(const struct division *d)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:o, s:o, s:b, s:b, s:I}",
	    "id", (json_int_t)d->id, "code", d->code, "name", d->name,
	    "level", division_level_name(d->level), "parent_code", d->parent_code,
	    "path", d->path, "child_count", (json_int_t)d->child_count,
	    "retired", d->retired_at != 0,
	    "lat", d->has_point ? json_real(d->lat) : json_null(),
	    "lng", d->has_point ? json_real(d->lng) : json_null(),
	    "has_outline", d->has_outline, "demo", d->demo, "version", (json_int_t)d->version);
}

bool
division_path_county(const char *path, char out[7])
{
	if (strlen(path) < 8 || path[0] != '/' || path[7] != '/')
		return false;
	memcpy(out, path + 1, 6);
	out[6] = '\0';
	return true;
}

void
division_path_end(const char *path, char *out, size_t n)
{
	size_t len = strlen(path);

	snprintf(out, n, "%s", path);
	if (len > 0 && len < n)
		out[len - 1] = (char)(out[len - 1] + 1);
}

/* Loads a division the actor may see; anything else reads as not found. */
static int
load_visible(struct db_conn *c, const struct actor *who, const char *code, struct division *d,
    struct fail *f)
{
	int rc = division_load(c, code, d);

	if (rc == ERR_NOT_FOUND || (rc == 0 && !actor_in_scope(who, d->path)))
		return fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	if (rc != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	return 0;
}

/* The chain from the county down to d's parent, as [{code,name,level}]. */
static json_t *
ancestors_json(struct db_conn *c, const struct division *d)
{
	json_t *arr = json_array();
	char code[DIVCODE_MAX];
	const char *p = d->path + 1;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		struct division a;

		if (n == 0 || n >= sizeof code || slash == NULL)
			break;
		memcpy(code, p, n);
		code[n] = '\0';
		p = slash + 1;
		if (strcmp(code, d->code) == 0)
			break;
		if (division_load(c, code, &a) == 0)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "code", a.code,
			    "name", a.name, "level", division_level_name(a.level)));
	}
	return arr;
}

static json_t *
outline_json(struct db_conn *c, int64_t id)
{
	struct db_stmt *s = db_stmt(c, STMT_DIV_OUTLINE);
	json_t *g = NULL;

	if (s == NULL)
		return json_null();
	db_bind_int(s, 1, id);
	if (db_step(s) == DB_ROW) {
		if (!db_col_null(s, 0))
			g = json_loads(db_col_text(s, 0), 0, NULL);
		db_reset(s);
	}
	return g ? g : json_null();
}

int
division_get(struct db *db, const struct actor *who, const char *code, json_t **out,
    struct fail *f)
{
	struct db_conn *c = db_reader(db);
	struct division d;
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_visible(c, who, code, &d, f)) != 0)
		return rc;
	*out = division_json(&d);
	json_object_set_new(*out, "outline", outline_json(c, d.id));
	json_object_set_new(*out, "ancestors", ancestors_json(c, &d));
	return 0;
}

/* Appends every row of a division query to arr; only rows in scope. */
static int
collect(struct db_stmt *s, const struct actor *who, json_t *arr)
{
	int rc;

	while ((rc = db_step(s)) == DB_ROW) {
		struct division d;

		division_from_stmt(s, &d);
		if (actor_in_scope(who, d.path))
			json_array_append_new(arr, division_json(&d));
	}
	return rc < 0 ? rc : 0;
}

/* The top of the actor's scope: the roots for county-wide actors, else each scope root. */
static int
scope_tops(struct db_conn *c, const struct actor *who, bool retired, json_t *arr)
{
	struct db_stmt *s;

	if (who->scope_all) {
		if ((s = db_stmt(c, STMT_DIV_ROOTS)) == NULL)
			return db_stmt_error(c);
		db_bind_int(s, 1, retired);
		return collect(s, who, arr);
	}
	for (int i = 0; i < who->nscopes; i++) {
		struct division d;

		if (division_load_by(c, STMT_DIV_BY_PATH, who->scopes[i], &d) == 0)
			json_array_append_new(arr, division_json(&d));
	}
	return 0;
}

int
division_children(struct db *db, const struct actor *who, const char *parent_code,
    bool include_retired, json_t **items, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	struct division parent;
	struct db_stmt *s;
	json_t *arr;
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	arr = json_array();
	if (parent_code == NULL) {
		rc = scope_tops(c, who, include_retired, arr);
	} else if ((rc = division_load(c, parent_code, &parent)) == 0) {
		/* A parent above the scope is fine: its children are filtered to the scope. */
		if ((s = db_stmt(c, STMT_DIV_CHILDREN)) == NULL) {
			rc = db_stmt_error(c);
		} else {
			db_bind_int(s, 1, parent.id);
			db_bind_int(s, 2, include_retired);
			rc = collect(s, who, arr);
		}
	}
	if (rc != 0) {
		json_decref(arr);
		return rc == ERR_NOT_FOUND ? fail(f, rc, M_NOT_FOUND, NULL) : fail(f, rc,
		    M_STORAGE_UNAVAILABLE, NULL);
	}
	*items = arr;
	return 0;
}

int
division_search(struct db *db, const struct actor *who, const char *q, json_t **items)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	json_t *arr;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_DIV_SEARCH)) == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	db_bind_text(s, 1, q);
	arr = json_array();
	if ((rc = collect(s, who, arr)) != 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

static bool
name_ok(const char *name)
{
	size_t n = name ? utf8_length(name) : 0;

	return n >= 1 && n <= 32 && utf8_is_clean_text(name, strlen(name)) && !strchr(name, '\n');
}

static bool
point_ok(const struct division_input *in)
{
	return !in->has_point || (isfinite(in->lat) && isfinite(in->lng) && fabs(in->lat) <= 90 &&
	    fabs(in->lng) <= 180);
}

static void
audit_detail_code(char *out, size_t n, const char *key, const char *code)
{
	snprintf(out, n, "{\"%s\":\"%s\"}", key, code);
}

/* Checks a new division's code against its parent; fills level and path. */
static int
check_new(struct db_conn *w, const struct actor *who, const struct division_input *in,
    enum division_level *level, char *path, size_t pathlen, int64_t *parent_id, struct fail *f)
{
	enum msg_id why = MSG_NONE;
	struct division parent;
	char expect[DIVCODE_MAX];
	int rc;

	*level = divcode_level(in->code ? in->code : "", &why);
	if (*level == DIV_LEVEL_NONE)
		return fail(f, ERR_INVALID, why, "code");
	if (!name_ok(in->name))
		return fail(f, ERR_INVALID, M_DIV_NAME_BAD, "name");
	if (!point_ok(in))
		return fail(f, ERR_INVALID, M_COORD_BAD, "lat");
	*parent_id = 0;
	if (*level == DIV_LEVEL_COUNTY) {
		if (!who->scope_all)
			return fail(f, ERR_FORBIDDEN, M_DIVISION_OUT_OF_SCOPE, "code");
		snprintf(path, pathlen, "/%s/", in->code);
		return 0;
	}
	if (in->parent_code == NULL || *in->parent_code == '\0')
		return fail(f, ERR_INVALID, M_DIV_PARENT_REQUIRED, "parent_code");
	rc = division_load(w, in->parent_code, &parent);
	if (rc == ERR_NOT_FOUND || (rc == 0 && !actor_in_scope(who, parent.path)))
		return fail(f, ERR_INVALID, M_DIV_PARENT_UNKNOWN, "parent_code");
	if (rc != 0)
		return rc;
	if (parent.retired_at)
		return fail(f, ERR_INVALID, M_DIV_RETIRED, "parent_code");
	if (!divcode_parent(in->code, expect) || strcmp(expect, parent.code) != 0)
		return fail(f, ERR_INVALID, M_DIV_NOT_CHILD_CODE, "code");
	*parent_id = parent.id;
	snprintf(path, pathlen, "%s%s/", parent.path, in->code);
	return 0;
}

int
division_insert(struct db_conn *w, const struct division_input *in, enum division_level level,
    const char *path, int64_t parent_id, int64_t *id)
{
	struct db_stmt *s = db_stmt(w, STMT_DIV_INSERT);
	int rc;

	if (s == NULL)
		return db_stmt_error(w);
	db_bind_text(s, 1, in->code);
	db_bind_text(s, 2, in->name);
	db_bind_text(s, 3, division_level_name(level));
	if (parent_id)
		db_bind_int(s, 4, parent_id);
	db_bind_text(s, 5, path);
	if (in->has_point) {
		db_bind_double(s, 6, in->lat);
		db_bind_double(s, 7, in->lng);
	}
	db_bind_int(s, 8, in->demo);
	db_bind_int(s, 9, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		return rc;
	*id = db_last_id(w);
	return 0;
}

/* Stores a validated outline (compact JSON) and fills a missing point from its centre. */
static int
store_outline(struct db_conn *w, int64_t id, json_t *outline, struct fail *f)
{
	double lat, lng;
	enum msg_id m = geojson_check_geometry(outline, &lat, &lng);
	struct db_stmt *s;
	char *text;
	int rc;

	if (m != MSG_NONE)
		return fail(f, ERR_INVALID, m, "outline");
	if ((s = db_stmt(w, STMT_DIV_SET_OUTLINE)) == NULL)
		return db_stmt_error(w);
	text = json_dumps(outline, JSON_COMPACT);
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, text);
	db_bind_double(s, 3, lat);
	db_bind_double(s, 4, lng);
	db_bind_int(s, 5, clock_now_ms());
	free(text);
	rc = db_run(s);
	return rc;
}

int
division_create(struct db *db, const struct actor *who, const struct division_input *in,
    struct fail *f)
{
	char path[DIVISION_PATH_MAX + DIVCODE_MAX + 2], detail[80];
	enum division_level level;
	int64_t parent_id, id = 0;
	struct db_conn *w;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	rc = check_new(w, who, in, &level, path, sizeof path, &parent_id, f);
	if (rc == 0) {
		rc = division_insert(w, in, level, path, parent_id, &id);
		if (rc == ERR_CONFLICT)
			rc = fail(f, ERR_CONFLICT, M_DIV_CODE_TAKEN, "code");
	}
	if (rc == 0 && in->outline)
		rc = store_outline(w, id, in->outline, f);
	if (rc == 0) {
		audit_detail_code(detail, sizeof detail, "parent", in->parent_code ? in->parent_code : "");
		rc = audit_write(w, who, "division.create", "division", in->code, detail);
	}
	return txn_finish(db, rc, f);
}

/* Loads the target of a change inside w and checks scope and version. */
static int
load_for_change(struct db_conn *w, const struct actor *who, const char *code, int64_t version,
    struct division *d, struct fail *f)
{
	int rc = load_visible(w, who, code, d, f);

	if (rc != 0)
		return rc;
	if (d->version != version)
		return fail(f, ERR_STALE, M_STALE_VERSION, "version");
	return 0;
}

int
division_update(struct db *db, const struct actor *who, const char *code,
    const struct division_input *in, int64_t version, struct fail *f)
{
	struct division d;
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if (in->name && !name_ok(in->name))
		return fail(f, ERR_INVALID, M_DIV_NAME_BAD, "name");
	if (!point_ok(in))
		return fail(f, ERR_INVALID, M_COORD_BAD, "lat");
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_for_change(w, who, code, version, &d, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_DIV_UPDATE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, d.id);
	db_bind_text(s, 2, in->name ? in->name : d.name);
	if (in->has_point || d.has_point) {
		db_bind_double(s, 3, in->has_point ? in->lat : d.lat);
		db_bind_double(s, 4, in->has_point ? in->lng : d.lng);
	}
	db_bind_int(s, 5, clock_now_ms());
	db_bind_int(s, 6, version);
	if ((rc = db_run(s)) != 0)
		goto out;
	if (in->outline && (rc = store_outline(w, d.id, in->outline, f)) != 0)
		goto out;
	rc = audit_write(w, who, "division.update", "division", d.code, NULL);
out:
	return txn_finish(db, rc, f);
}

/* Checks a move: the new parent exists, is in scope, is one level up, and is not below d. */
static int
check_move(struct db_conn *w, const struct actor *who, const struct division *d,
    const char *new_parent, const char *new_code, struct division *parent, struct fail *f)
{
	char expect[DIVCODE_MAX];
	struct division clash;
	enum msg_id why;
	int rc;

	if (divcode_level(new_code, &why) != d->level)
		return fail(f, ERR_INVALID, why != MSG_NONE ? why : M_DIV_LEVEL_MISMATCH, "new_code");
	rc = division_load(w, new_parent, parent);
	if (rc == ERR_NOT_FOUND || (rc == 0 && !actor_in_scope(who, parent->path)))
		return fail(f, ERR_INVALID, M_DIV_PARENT_UNKNOWN, "parent_code");
	if (rc != 0)
		return rc;
	if (strncmp(parent->path, d->path, strlen(d->path)) == 0)
		return fail(f, ERR_CONFLICT, M_DIV_MOVE_CYCLE, "parent_code");
	if (parent->retired_at)
		return fail(f, ERR_INVALID, M_DIV_RETIRED, "parent_code");
	if (!divcode_parent(new_code, expect) || strcmp(expect, parent->code) != 0)
		return fail(f, ERR_INVALID, M_DIV_NOT_CHILD_CODE, "new_code");
	if (strcmp(new_code, d->code) != 0 && division_load(w, new_code, &clash) == 0)
		return fail(f, ERR_CONFLICT, M_DIV_CODE_TAKEN, "new_code");
	return 0;
}

/* Events and residents of d's subtree take the new codes of their paths. */
static int
move_placed_rows(struct db_conn *w, const struct division *d, const char *new_code,
    const char *new_path)
{
	static const enum stmt_id placed[] = { STMT_DIV_MOVE_EVENTS, STMT_DIV_MOVE_PERSONS };
	char end[DIVISION_PATH_MAX];
	int rc = 0;

	division_path_end(d->path, end, sizeof end);
	for (size_t i = 0; rc == 0 && i < sizeof placed / sizeof placed[0]; i++) {
		struct db_stmt *s = db_stmt(w, placed[i]);

		if (s == NULL)
			return db_stmt_error(w);
		db_bind_text(s, 1, d->code);
		db_bind_text(s, 2, new_code);
		db_bind_text(s, 3, d->path);
		db_bind_text(s, 4, new_path);
		db_bind_text(s, 5, end);
		rc = db_run(s);
	}
	return rc;
}

int
division_move(struct db *db, const struct actor *who, const char *code, const char *new_parent,
    const char *new_code, int64_t version, struct fail *f)
{
	char path[DIVISION_PATH_MAX + DIVCODE_MAX + 2], detail[128];
	struct division d, parent;
	struct db_conn *w;
	struct db_stmt *s;
	int64_t now = clock_now_ms();
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_for_change(w, who, code, version, &d, f)) != 0 ||
	    (rc = check_move(w, who, &d, new_parent, new_code, &parent, f)) != 0)
		goto out;
	snprintf(path, sizeof path, "%s%s/", parent.path, new_code);
	if ((s = db_stmt(w, STMT_DIV_MOVE_DESCENDANTS)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_text(s, 1, d.code);
	db_bind_text(s, 2, new_code);
	db_bind_text(s, 3, d.path);
	db_bind_text(s, 4, path);
	db_bind_int(s, 5, now);
	if ((rc = db_run(s)) != 0)
		goto out;
	if ((rc = move_placed_rows(w, &d, new_code, path)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_DIV_MOVE_SELF)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, d.id);
	db_bind_text(s, 2, new_code);
	db_bind_int(s, 3, parent.id);
	db_bind_text(s, 4, path);
	db_bind_int(s, 5, now);
	if ((rc = db_run(s)) != 0)
		goto out;
	snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"parent\":\"%s\"}", d.code,
	    new_code, parent.code);
	rc = audit_write(w, who, "division.move", "division", new_code, detail);
out:
	return txn_finish(db, rc, f);
}

int
division_retire(struct db *db, const struct actor *who, const char *code, int64_t version,
    struct fail *f)
{
	struct division d;
	struct db_conn *w;
	struct db_stmt *s;
	int rc;

	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_for_change(w, who, code, version, &d, f)) != 0)
		goto out;
	if (d.retired_at) {
		rc = fail(f, ERR_CONFLICT, M_DIV_RETIRED, NULL);
		goto out;
	}
	if (d.child_count > 0) {
		rc = fail(f, ERR_CONFLICT, M_DIV_HAS_CHILDREN, NULL);
		goto out;
	}
	if ((s = db_stmt(w, STMT_DIV_RETIRE)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, d.id);
	db_bind_int(s, 2, clock_now_ms());
	db_bind_int(s, 3, version);
	if ((rc = db_run(s)) != 0)
		goto out;
	rc = audit_write(w, who, "division.retire", "division", d.code, NULL);
out:
	return txn_finish(db, rc, f);
}

int
division_outlines(struct db *db, const struct actor *who, const char *code, json_t **fc,
    struct fail *f)
{
	struct db_conn *c = db_reader(db);
	struct division d;
	struct db_stmt *s;
	json_t *features;
	int rc;

	if (c == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = load_visible(c, who, code, &d, f)) != 0)
		return rc;
	if ((s = db_stmt(c, STMT_DIV_OUTLINES)) == NULL)
		return fail(f, db_stmt_error(c), M_INTERNAL, NULL);
	db_bind_int(s, 1, d.id);
	features = json_array();
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *g = json_loads(db_col_text(s, 3), 0, NULL);

		if (g == NULL)
			continue;
		json_array_append_new(features, json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}",
		    "type", "Feature", "geometry", g, "properties", "code", db_col_text(s, 0),
		    "name", db_col_text(s, 1), "level", db_col_text(s, 2)));
	}
	if (rc < 0) {
		json_decref(features);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	*fc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	return 0;
}
