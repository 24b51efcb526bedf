/* Assigning grids and duties to grid workers. */
#include "domain/org/grid.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/org/division.h"
#include "domain/txn.h"

static const struct {
	const char *name, *zh, *en;
} duties[] = {
#define X(id, name, zh, en) { name, zh, en },
	DUTY_LIST(X)
#undef X
};
#define NDUTIES (sizeof duties / sizeof duties[0])

static int
duty_index(const char *name)
{
	for (unsigned i = 0; name && i < NDUTIES; i++)
		if (strcmp(duties[i].name, name) == 0)
			return (int)i;
	return -1;
}

static json_t *
duties_json(const char *csv, bool en)
{
	json_t *arr = json_array();

	char padded[128];

	snprintf(padded, sizeof padded, ",%s,", csv);
	for (unsigned i = 0; i < NDUTIES; i++) {
		char key[24];

		snprintf(key, sizeof key, ",%s,", duties[i].name);
		if (strstr(padded, key))
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", duties[i].name,
			    "label", en ? duties[i].en : duties[i].zh));
	}
	return arr;
}

int
grids_get(struct db *db, const struct actor *who, int64_t user_id, bool en, json_t **out,
    struct fail *f)
{
	struct db_conn *c;
	struct db_stmt *s;
	struct user u;
	json_t *grids;
	int rc;

	if ((rc = user_get(db, who, user_id, &u, f)) != 0)
		return rc;
	c = db_reader(db);
	if (c == NULL || (s = db_stmt(c, STMT_USER_GRIDS)) == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	db_bind_int(s, 1, user_id);
	grids = json_array();
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(grids, json_pack("{s:s, s:s}", "code", db_col_text(s, 0),
		    "name", db_col_text(s, 1)));
	if (rc < 0) {
		json_decref(grids);
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	}
	if ((s = db_stmt(c, STMT_USER_DUTIES)) == NULL) {
		json_decref(grids);
		return fail(f, db_stmt_error(c), M_INTERNAL, NULL);
	}
	db_bind_int(s, 1, user_id);
	rc = db_step(s);
	*out = json_pack("{s:o, s:o}", "grids", grids, "duties",
	    duties_json(rc == DB_ROW ? db_col_text(s, 0) : "", en));
	db_reset(s);
	return 0;
}

/* Validates duty names into "a,b" (canonical order). */
static int
duties_csv(json_t *arr, char *out, size_t n, struct fail *f)
{
	bool want[NDUTIES] = { false };
	size_t i, len = 0;
	json_t *v;

	json_array_foreach(arr, i, v) {
		int d = duty_index(json_string_value(v));

		if (d < 0)
			return fail(f, ERR_INVALID, M_DUTY_UNKNOWN, "duties");
		want[d] = true;
	}
	out[0] = '\0';
	for (unsigned d = 0; d < NDUTIES; d++)
		if (want[d])
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "",
			    duties[d].name);
	return 0;
}

/* Replaces the grid rows of user_id inside w; every code must be a grid in scope. */
static int
replace_grids(struct db_conn *w, const struct actor *who, int64_t user_id, json_t *codes,
    struct fail *f)
{
	struct db_stmt *s;
	json_t *v;
	size_t i;
	int rc;

	if (json_array_size(codes) > ACTOR_MAX_SCOPES)
		return fail(f, ERR_INVALID, M_GRID_TOO_MANY, "grids");
	if ((s = db_stmt(w, STMT_USER_GRIDS_CLEAR)) == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, user_id);
	if ((rc = db_run(s)) != 0)
		return rc;
	json_array_foreach(codes, i, v) {
		struct division d;
		const char *code = json_string_value(v);

		rc = division_load(w, code ? code : "", &d);
		if (rc == ERR_NOT_FOUND || (rc == 0 && (d.retired_at || !actor_in_scope(who, d.path))))
			return fail(f, ERR_INVALID, M_DIVISION_UNKNOWN, "grids");
		if (rc != 0)
			return rc;
		if (d.level != DIV_LEVEL_GRID)
			return fail(f, ERR_INVALID, M_GRID_NOT_GRID, "grids");
		if ((s = db_stmt(w, STMT_USER_GRID_ADD)) == NULL)
			return db_stmt_error(w);
		db_bind_int(s, 1, user_id);
		db_bind_int(s, 2, d.id);
		rc = db_run(s);
		if (rc != 0 && rc != ERR_CONFLICT)   /* a code listed twice is harmless */
			return rc;
	}
	return 0;
}

int
grids_set(struct db *db, const struct actor *who, int64_t user_id, json_t *codes, json_t *dlist,
    struct fail *f)
{
	char csv[128], idtext[24];
	struct db_conn *w;
	struct db_stmt *s;
	struct user u;
	int rc;

	if ((rc = duties_csv(dlist, csv, sizeof csv, f)) != 0)
		return rc;
	if ((rc = user_get(db, who, user_id, &u, f)) != 0)
		return rc;
	if (!(u.roles & (1u << ROLE_GRID_WORKER)) && json_array_size(codes) > 0)
		return fail(f, ERR_INVALID, M_GRID_USER_NOT_WORKER, "grids");
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = replace_grids(w, who, user_id, codes, f)) != 0)
		goto out;
	if ((s = db_stmt(w, STMT_USER_SET_DUTIES)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, user_id);
	db_bind_text(s, 2, csv);
	db_bind_int(s, 3, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)user_id);
	rc = audit_write(w, who, "user.grids", "user", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}
