/* Event categories, routing rules, attachments and notifications. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/err.h"
#include "domain/event/attachment.h"
#include "domain/event/category.h"
#include "domain/event/inbox.h"

void
api_categories_list(struct req *r)
{
	const char *retired = req_query(r, "include_retired");
	json_t *items;

	if (category_list(r->db, retired && strcmp(retired, "true") == 0, r->en, &items) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static const struct field_spec category_fields[] = {
	{ "name", F_STRING, true, 32 },
	{ "name_en", F_STRING, false, 64 },
	{ "citizen_reportable", F_BOOL, true, 0 },
	{ "sign_days", F_INT, true, 0 },
	{ "finish_days", F_INT, true, 0 },
	{ "urgent_sign_hours", F_INT, true, 0 },
	{ "urgent_finish_hours", F_INT, true, 0 },
	{ "critical_sign_hours", F_INT, true, 0 },
	{ "critical_finish_hours", F_INT, true, 0 },
	{ "auto_escalate", F_BOOL, true, 0 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

/* Each deadline must be positive and sensible (days up to a year, hours up to 100 days). */
static int
deadline_or_reply(struct req *r, const char *name, int max, int *out)
{
	int64_t v = body_int(r, name, 0);

	if (v < 1 || v > max) {
		reply_error(r, ERR_INVALID, M_FIELD_TYPE, name);
		return -1;
	}
	*out = (int)v;
	return 0;
}

void
api_categories_update(struct req *r)
{
	struct category_input in = { 0 };
	struct fail f = { 0 };
	int64_t version;
	int rc;

	if (body_check_or_reply(r, category_fields) != 0 || version_or_reply(r, &version) != 0 ||
	    deadline_or_reply(r, "sign_days", 60, &in.sign_days) != 0 ||
	    deadline_or_reply(r, "finish_days", 365, &in.finish_days) != 0 ||
	    deadline_or_reply(r, "urgent_sign_hours", 240, &in.urgent_sign_hours) != 0 ||
	    deadline_or_reply(r, "urgent_finish_hours", 2400, &in.urgent_finish_hours) != 0 ||
	    deadline_or_reply(r, "critical_sign_hours", 240, &in.critical_sign_hours) != 0 ||
	    deadline_or_reply(r, "critical_finish_hours", 2400, &in.critical_finish_hours) != 0)
		return;
	in.name = body_str(r, "name");
	in.name_en = body_str(r, "name_en");
	in.citizen_reportable = body_bool(r, "citizen_reportable", false);
	in.auto_escalate = body_bool(r, "auto_escalate", false);
	rc = category_update(r->db, &r->who, r->params[0], &in, version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	api_categories_list(r);
}

void
api_routing_list(struct req *r)
{
	json_t *items;

	if (routing_list(r->db, &items) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static const struct field_spec routing_fields[] = {
	{ "category_code", F_STRING, true, 32 },
	{ "division_code", F_STRING, true, 15 },
	{ "unit_id", F_INT, true, 0 },
	{ NULL, F_ANY, false, 0 },
};

void
api_routing_set(struct req *r)
{
	struct fail f = { 0 };
	int rc;

	if (body_check_or_reply(r, routing_fields) != 0)
		return;
	rc = routing_set(r->db, &r->who, body_str(r, "category_code"), body_str(r, "division_code"),
	    body_int(r, "unit_id", 0), &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	api_routing_list(r);
}

void
api_routing_delete(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	if ((rc = routing_delete(r->db, &r->who, id, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}

void
api_attachments_upload(struct req *r)
{
	struct fail f = { 0 };
	int64_t event_id, id;
	int rc;

	if (path_id_or_reply(r, &event_id) != 0)
		return;
	rc = attachment_add(r->db, &r->who, event_id, r->body.data ? r->body.data : "", r->body.len,
	    req_query(r, "name"), req_query(r, "purpose"), &id, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 201, json_pack("{s:I, s:I}", "id", (json_int_t)id, "event_id",
	    (json_int_t)event_id));
}

void
api_attachments_get(struct req *r)
{
	struct fail f = { 0 };
	char mime[64], *data;
	size_t len;
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	rc = attachment_read(r->db, &r->who, id, &data, &len, mime, sizeof mime, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	/* The type was checked by content at upload; one of three static strings. */
	reply_raw(r, 200, strcmp(mime, "image/png") == 0 ? "image/png"
	    : strcmp(mime, "image/jpeg") == 0 ? "image/jpeg" : "application/pdf", data, len);
	free(data);
}

void
api_notifications_list(struct req *r)
{
	const char *unread = req_query(r, "unread");
	int64_t cursor, next;
	json_t *rows;
	int limit;

	if (paging_or_reply(r, &limit, &cursor) != 0)
		return;
	if (notification_list(r->db, &r->who, unread && strcmp(unread, "true") == 0, cursor, limit,
	    &rows, &next) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_list(r, rows, next);
}

void
api_notifications_read(struct req *r)
{
	struct fail f = { 0 };
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0)
		return;
	if ((rc = notification_read(r->db, &r->who, id, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_empty(r);
}
