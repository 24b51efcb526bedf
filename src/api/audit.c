/* The audit trail, for auditors: filter by actor, action, entity and time. */
#include "api/api.h"
#include "base/err.h"
#include "domain/audit/audit.h"

/* The filters shared by the list and the export. */
static int
audit_filter_or_reply(struct req *r, struct audit_filter *f)
{
	if (query_int_or_reply(r, "actor_id", 1, INT64_MAX, 0, &f->actor_id) != 0 ||
	    query_time_or_reply(r, "from", 0, &f->from_ms) != 0 ||
	    query_time_or_reply(r, "to", 0, &f->to_ms) != 0)
		return -1;
	f->action = req_query(r, "action");
	f->entity = req_query(r, "entity");
	f->entity_id = req_query(r, "entity_id");
	return 0;
}

void
api_audit_list(struct req *r)
{
	struct audit_filter f = { 0 };
	json_t *rows;
	int64_t next;

	if (paging_or_reply(r, &f.limit, &f.cursor) != 0 || audit_filter_or_reply(r, &f) != 0)
		return;
	if (audit_list(r->db, &f, &rows, &next) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_list(r, rows, next);
}

/* The same filters as the list, every matching row, as CSV (newest first). */
void
api_audit_export(struct req *r)
{
	struct audit_filter f = { 0 };
	struct buf out;

	if (audit_filter_or_reply(r, &f) != 0)
		return;
	buf_init(&out, 512u * 1024 * 1024);
	if (audit_export_csv(r->db, &r->who, &f, &out) != 0) {
		buf_release(&out);
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_raw(r, 200, "text/csv; charset=utf-8", buf_str(&out), out.len);
	buf_release(&out);
}
