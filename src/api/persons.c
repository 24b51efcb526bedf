/* Registry of persons: lookup and lists, register, change, import, reveal. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "domain/registry/person.h"

void
api_persons_list(struct req *r)
{
	struct person_filter flt = { 0 };
	struct fail f = { 0 };
	json_t *rows;
	int64_t next;
	int rc;

	if (paging_or_reply(r, &flt.limit, &flt.cursor) != 0)
		return;
	flt.id_number = req_query(r, "id_number");
	flt.name = req_query(r, "name");
	flt.phone = req_query(r, "phone");
	flt.division_code = req_query(r, "division");
	flt.kind = req_query(r, "kind");
	if ((rc = person_list(r->db, &r->who, &flt, r->en, &rows, &next, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_list(r, rows, next);
}

/* Answers with the person; after a committed write a failed read back still says success. */
static void
reply_person(struct req *r, int status, int64_t id, bool written)
{
	struct fail f = { 0 };
	json_t *p;
	int rc = person_get(r->db, &r->who, id, r->en, &p, &f);

	if (rc != 0) {
		reply_read_back_failed(r, status, id, written, &f, rc);
		return;
	}
	reply_json(r, status, p);
}

static const struct field_spec person_fields[] = {
	{ "id_number", F_STRING, false, 18 },
	{ "name", F_STRING, true, 128 },
	{ "kind", F_STRING, true, 16 },
	{ "division_code", F_STRING, true, 15 },
	{ "phone", F_STRING, false, 20 },
	{ "address", F_STRING, false, 400 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

static void
read_person(struct req *r, struct person_input *in)
{
	in->id_number = body_str(r, "id_number");
	in->name = body_str(r, "name");
	in->kind = body_str(r, "kind");
	in->division_code = body_str(r, "division_code");
	in->phone = body_str(r, "phone");
	in->address = body_str(r, "address");
	/* Left out: unchanged (the editor only ever saw it masked); null or "": cleared. */
	in->keep_phone = json_object_get(r->json, "phone") == NULL;
	in->keep_address = json_object_get(r->json, "address") == NULL;
}

void
api_persons_create(struct req *r)
{
	struct person_input in;
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (body_check_or_reply(r, person_fields) != 0)
		return;
	read_person(r, &in);
	if ((rc = person_create(r->db, &r->who, &in, &id, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/persons/%lld", (long long)id);
	reply_person(r, 201, id, true);
}

void
api_persons_get(struct req *r)
{
	int64_t id;

	if (path_id_or_reply(r, &id) == 0)
		reply_person(r, 200, id, false);
}

void
api_persons_update(struct req *r)
{
	struct person_input in;
	struct fail f = { 0 };
	int64_t id, version;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, person_fields) != 0 ||
	    version_or_reply(r, &version) != 0)
		return;
	read_person(r, &in);
	if ((rc = person_update(r->db, &r->who, id, &in, version, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_person(r, 200, id, true);
}

void
api_persons_import(struct req *r)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	int64_t created, updated;
	int rc = person_import_csv(r->db, &r->who, r->body.data ? r->body.data : "", r->body.len,
	    &rep, &created, &updated, &f);

	api_reply_import(r, rc, &f, &rep, rc ? NULL : json_pack("{s:i, s:I, s:I}", "imported",
	    rep.imported, "created", (json_int_t)created, "updated", (json_int_t)updated));
	import_report_release(&rep);
}

void
api_persons_reveal(struct req *r)
{
	api_reveal(r, person_reveal);
}
