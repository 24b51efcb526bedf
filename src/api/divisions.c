/* Divisions: tree, search, read, create, rename, move, retire, import, export, outlines. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "domain/org/division.h"

void
api_divisions_list(struct req *r)
{
	const char *q = req_query(r, "q"), *parent = req_query(r, "parent");
	const char *retired = req_query(r, "include_retired");
	struct fail f = { 0 };
	json_t *items;
	int rc;

	if (q && *q) {
		if (division_search(r->db, &r->who, q, &items) != 0) {
			reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
			return;
		}
	} else {
		rc = division_children(r->db, &r->who, parent && *parent ? parent : NULL,
		    retired && strcmp(retired, "true") == 0, &items, &f);
		if (rc != 0) {
			reply_fail(r, &f, rc);
			return;
		}
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void
api_divisions_get(struct req *r)
{
	struct fail f = { 0 };
	json_t *d;
	int rc = division_get(r->db, &r->who, r->params[0], &d, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, d);
}

/* Reads the optional point and outline of a division body. */
static void
read_geo(struct req *r, struct division_input *in)
{
	json_t *lat = json_object_get(r->json, "lat"), *lng = json_object_get(r->json, "lng");

	in->has_point = json_is_number(lat) && json_is_number(lng);
	in->lat = json_number_value(lat);
	in->lng = json_number_value(lng);
	in->outline = json_object_get(r->json, "outline");
	if (json_is_null(in->outline))
		in->outline = NULL;
}

static const struct field_spec create_fields[] = {
	{ "code", F_STRING, true, 15 },
	{ "name", F_STRING, true, 32 },
	{ "parent_code", F_STRING, false, 15 },
	{ "lat", F_NUMBER, false, 0 },
	{ "lng", F_NUMBER, false, 0 },
	{ "outline", F_OBJECT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

static void
reply_division(struct req *r, int status, const char *code)
{
	struct fail f = { 0 };
	json_t *d;
	int rc = division_get(r->db, &r->who, code, &d, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, status, d);
}

void
api_divisions_create(struct req *r)
{
	struct division_input in = { 0 };
	struct fail f = { 0 };
	int rc;

	if (body_check_or_reply(r, create_fields) != 0)
		return;
	in.code = body_str(r, "code");
	in.name = body_str(r, "name");
	in.parent_code = body_str(r, "parent_code");
	read_geo(r, &in);
	if ((rc = division_create(r->db, &r->who, &in, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/divisions/%s", in.code);
	reply_division(r, 201, in.code);
}

static const struct field_spec update_fields[] = {
	{ "name", F_STRING, false, 32 },
	{ "lat", F_NUMBER, false, 0 },
	{ "lng", F_NUMBER, false, 0 },
	{ "outline", F_OBJECT, false, 0 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_divisions_update(struct req *r)
{
	struct division_input in = { 0 };
	struct fail f = { 0 };
	int64_t version;
	int rc;

	if (body_check_or_reply(r, update_fields) != 0 || version_or_reply(r, &version) != 0)
		return;
	in.name = body_str(r, "name");
	read_geo(r, &in);
	rc = division_update(r->db, &r->who, r->params[0], &in, version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_division(r, 200, r->params[0]);
}

static const struct field_spec move_fields[] = {
	{ "parent_code", F_STRING, true, 15 },
	{ "new_code", F_STRING, true, 15 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_divisions_move(struct req *r)
{
	struct fail f = { 0 };
	int64_t version;
	int rc;

	if (body_check_or_reply(r, move_fields) != 0 || version_or_reply(r, &version) != 0)
		return;
	rc = division_move(r->db, &r->who, r->params[0], body_str(r, "parent_code"),
	    body_str(r, "new_code"), version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_division(r, 200, body_str(r, "new_code"));
}

static const struct field_spec version_fields[] = {
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_divisions_retire(struct req *r)
{
	struct fail f = { 0 };
	int64_t version;
	int rc;

	if (body_check_or_reply(r, version_fields) != 0 || version_or_reply(r, &version) != 0)
		return;
	rc = division_retire(r->db, &r->who, r->params[0], version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_division(r, 200, r->params[0]);
}

void
api_divisions_import(struct req *r)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	int rc = division_import_csv(r->db, &r->who, r->body.data ? r->body.data : "", r->body.len,
	    false, &rep, &f);

	api_reply_import(r, rc, &f, &rep, json_pack("{s:i}", "imported", rep.imported));
	import_report_release(&rep);
}

void
api_divisions_export(struct req *r)
{
	struct buf out;

	buf_init(&out, 64u * 1024 * 1024);
	if (division_export_csv(r->db, &r->who, &out) != 0) {
		buf_release(&out);
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_raw(r, 200, "text/csv; charset=utf-8", buf_str(&out), out.len);
	buf_release(&out);
}

void
api_divisions_outlines(struct req *r)
{
	struct fail f = { 0 };
	json_t *fc;
	int rc = division_outlines(r->db, &r->who, r->params[0], &fc, &f);

	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, fc);
}

void
api_divisions_import_outlines(struct req *r)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	int rc = division_import_outlines(r->db, &r->who, r->json, &rep, &f);

	api_reply_import(r, rc, &f, &rep, json_pack("{s:i}", "imported", rep.imported));
	import_report_release(&rep);
}
