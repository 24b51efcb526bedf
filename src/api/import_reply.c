/* The answer every CSV or GeoJSON import gives. */
#include "api/api.h"
#include "base/err.h"
#include "domain/org/division.h"

void
api_reply_import(struct req *r, int rc, const struct fail *f, const struct import_report *rep,
    json_t *ok)
{
	json_t *rows;

	if (rc == 0) {
		reply_json(r, 200, ok);
		return;
	}
	json_decref(ok);
	if (rc != ERR_INVALID) {
		reply_fail(r, f, rc);
		return;
	}
	rows = json_array();
	for (int i = 0; i < rep->listed; i++)
		json_array_append_new(rows, json_pack("{s:i, s:s, s:s}", "line", rep->errors[i].line,
		    "field", rep->errors[i].field ? rep->errors[i].field : "",
		    "reason", msg_text(rep->errors[i].msg, r->en)));
	reply_json(r, 422, json_pack("{s:{s:s, s:s}, s:o, s:i}", "error", "code", "validation_failed",
	    "message", msg_text(M_IMPORT_FAILED, r->en), "rows", rows, "error_count", rep->nerrors));
}
