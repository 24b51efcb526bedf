/* POST .../{id}/reveal for every kind of record that holds personal data. */
#include "api/api.h"

static const struct field_spec reveal_fields[] = {
	{ "reason", F_STRING, true, 200 },
	{ NULL, F_ANY, false, 0 },
};

void
api_reveal(struct req *r, reveal_fn reveal)
{
	struct fail f = { 0 };
	json_t *out;
	int64_t id;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || body_check_or_reply(r, reveal_fields) != 0)
		return;
	if ((rc = reveal(r->db, &r->who, id, body_str(r, "reason"), &out, &f)) != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, out);
}
