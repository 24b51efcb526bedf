/* The request pipeline after routing and sign-in; see pipeline.h. */
#include "http/pipeline.h"

#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/log.h"
#include "base/parse.h"
#include "http/idempotent.h"
#include "http/reply.h"
#include "http/router.h"

int
permission_or_reply(struct req *r)
{
	const struct route *rt = r->route;

	if (rt->perm == PERM_PUBLIC)
		return 0;
	if (r->who.must_change_password && !(rt->flags & ROUTE_ALLOW_MUST_CHANGE)) {
		reply_error(r, ERR_FORBIDDEN, M_MUST_CHANGE_PASSWORD, NULL);
		return -1;
	}
	if (r->who.must_enroll_totp && !(rt->flags & ROUTE_ALLOW_MUST_CHANGE)) {
		reply_error(r, ERR_FORBIDDEN, M_TOTP_MUST_ENROLL, NULL);
		return -1;
	}
	if (!(r->who.perms & PERM_BIT(rt->perm))) {
		reply_error(r, ERR_FORBIDDEN, M_FORBIDDEN, NULL);
		return -1;
	}
	return 0;
}

static bool
content_type_is_json(const char *ct)
{
	if (ct == NULL)
		return false;
	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

/* Parses the body as one JSON object; empty means {} on JSON routes. */
int
json_body_or_reply(struct req *r)
{
	json_error_t e;

	if (r->body.len == 0) {
		if (r->route->flags & ROUTE_JSON_BODY)
			r->json = json_object();
		return 0;
	}
	if (r->route->flags & ROUTE_RAW_BODY)
		return 0;
	if (r->route->flags & ROUTE_CSV_BODY) {
		const char *ct = req_header(r, "Content-Type");

		if (ct == NULL || strncasecmp(ct, "text/csv", 8) != 0) {
			reply_error(r, ERR_MEDIA_TYPE, M_BODY_WRONG_TYPE_CSV, NULL);
			return -1;
		}
		if (!utf8_is_clean_text(r->body.data, r->body.len)) {
			reply_error(r, ERR_MALFORMED, M_BODY_BAD_UTF8, NULL);
			return -1;
		}
		return 0;
	}
	if (!(r->route->flags & ROUTE_JSON_BODY) ||
	    !content_type_is_json(req_header(r, "Content-Type"))) {
		reply_error(r, ERR_MEDIA_TYPE, M_BODY_WRONG_TYPE, NULL);
		return -1;
	}
	if (!utf8_is_clean_text(r->body.data, r->body.len)) {
		reply_error(r, ERR_MALFORMED, M_BODY_BAD_UTF8, NULL);
		return -1;
	}
	r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (r->json == NULL) {
		reply_error(r, ERR_MALFORMED, M_MALFORMED_JSON, NULL);
		return -1;
	}
	if (!json_is_object(r->json)) {
		reply_error(r, ERR_MALFORMED, M_BODY_NOT_OBJECT, NULL);
		return -1;
	}
	return 0;
}

int
pipeline_run(struct req *r)
{
	bool holding;

	if (permission_or_reply(r) != 0 || json_body_or_reply(r) != 0)
		return 0;
	if (idempotent_begin(r, &holding))
		return 0;
	r->route->handler(r);
	idempotent_end(r, holding);
	if (!r->replied) {
		log_error("handler for %s %s gave no reply", r->route->method, r->route->pattern);
		reply_error(r, ERR_INTERNAL, M_INTERNAL, NULL);
		return -1;
	}
	return 0;
}
