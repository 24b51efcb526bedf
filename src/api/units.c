/* Units: list, read, create, change, retire; grid workers' grids and duties. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "domain/org/grid.h"
#include "domain/org/unit.h"

void
api_units_list(struct req *r)
{
	struct unit_filter flt = { 0 };
	const char *retired = req_query(r, "include_retired");
	json_t *rows;
	int64_t next;

	if (paging_or_reply(r, &flt.limit, &flt.cursor) != 0)
		return;
	flt.q = req_query(r, "q");
	flt.division_code = req_query(r, "division");
	flt.kind = req_query(r, "kind");
	flt.include_retired = retired && strcmp(retired, "true") == 0;
	if (unit_list(r->db, &r->who, &flt, r->en, &rows, &next) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_list(r, rows, next);
}

/*
 * Answers with the record. After a committed write (written) a failed read
 * back still answers success with the id: the data is kept, and an error
 * would make the client submit it again.
 */
static void
reply_unit(struct req *r, int status, int64_t id, bool written)
{
	struct fail f = { 0 };
	json_t *u;
	int rc = unit_get(r->db, &r->who, id, r->en, &u, &f);

	if (rc != 0) {
		reply_read_back_failed(r, status, id, written, &f, rc);
		return;
	}
	reply_json(r, status, u);
}

void
api_units_get(struct req *r)
{
	int64_t id;

	if (path_id_or_reply(r, &id) == 0)
		reply_unit(r, 200, id, false);
}

static const struct field_spec unit_fields[] = {
	{ "name", F_STRING, true, 64 },
	{ "kind", F_STRING, true, 32 },
	{ "division_code", F_STRING, true, 15 },
	{ "phone", F_STRING, false, 20 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

static void
read_unit(struct req *r, struct unit_input *in)
{
	in->name = body_str(r, "name");
	in->kind = body_str(r, "kind");
	in->division_code = body_str(r, "division_code");
	in->phone = body_str(r, "phone");
}

void
api_units_create(struct req *r)
{
	struct unit_input in;
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (body_check_or_reply(r, unit_fields) != 0)
		return;
	read_unit(r, &in);
	if ((rc = unit_create(r->db, &r->who, &in, &id, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/units/%lld", (long long)id);
	reply_unit(r, 201, id, true);
}

void
api_units_update(struct req *r)
{
	struct unit_input in;
	struct fail f = { 0 };
	int64_t id, version;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, unit_fields) != 0 ||
	    version_or_reply(r, &version) != 0)
		return;
	read_unit(r, &in);
	if ((rc = unit_update(r->db, &r->who, id, &in, version, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_unit(r, 200, id, true);
}

static const struct field_spec version_fields[] = {
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_units_retire(struct req *r)
{
	struct fail f = { 0 };
	int64_t id, version;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, version_fields) != 0 ||
	    version_or_reply(r, &version) != 0)
		return;
	if ((rc = unit_retire(r->db, &r->who, id, version, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_unit(r, 200, id, true);
}

void
api_user_grids_get(struct req *r)
{
	struct fail f = { 0 };
	json_t *g;
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	if ((rc = grids_get(r->db, &r->who, id, r->en, &g, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, g);
}

static const struct field_spec grid_fields[] = {
	{ "grids", F_ARRAY, true, 0 },
	{ "duties", F_ARRAY, true, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_user_grids_set(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, grid_fields) != 0)
		return;
	rc = grids_set(r->db, &r->who, id, json_object_get(r->json, "grids"),
	    json_object_get(r->json, "duties"), &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	api_user_grids_get(r);
}

/* GET /api/v1/me/grids: a grid worker's own grids and duties (no user.read needed). */
void
api_me_grids(struct req *r)
{
	struct fail f = { 0 };
	json_t *g;
	int rc = grids_get(r->db, &r->who, r->who.user_id, r->en, &g, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, g);
}
