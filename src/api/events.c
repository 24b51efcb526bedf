/* The event hub: intake, the closed-loop actions, reading, lists, reveal. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/event/event.h"

static const struct field_spec event_fields[] = {
	{ "channel", F_STRING, true, 16 },
	{ "category_code", F_STRING, true, 32 },
	{ "title", F_STRING, true, 100 },
	{ "description", F_STRING, false, 5000 },
	{ "division_code", F_STRING, true, 15 },
	{ "address", F_STRING, false, 200 },
	{ "lat", F_NUMBER, false, 0 },
	{ "lng", F_NUMBER, false, 0 },
	{ "occurred_at", F_STRING, false, 40 },
	{ "reporter_name", F_STRING, false, 32 },
	{ "reporter_phone", F_STRING, false, 20 },
	{ "anonymous", F_BOOL, false, 0 },
	{ "urgency", F_STRING, false, 10 },
	{ "tags", F_STRING, false, 200 },
	{ "parties", F_ARRAY, false, 0 },
	{ "petition_level", F_STRING, false, 10 },
	{ "leader_in_charge", F_STRING, false, 32 },
	{ "repeat_count", F_INT, false, 0 },
	{ "on_the_spot", F_BOOL, false, 0 },
	{ "result", F_STRING, false, 2000 },
	{ NULL, F_ANY, false, 0 },
};

static const struct field_spec party_fields[] = {
	{ "name", F_STRING, true, 32 },
	{ "id_number", F_STRING, false, 18 },
	{ "phone", F_STRING, false, 20 },
	{ "role", F_STRING, false, 16 },
	{ NULL, F_ANY, false, 0 },
};

/* Checks each party object against party_fields (the body check saw only an array). */
static int
parties_or_reply(struct req *r, struct event_input *in)
{
	json_t *arr = json_object_get(r->json, "parties"), *p;
	size_t i;

	if (json_array_size(arr) > EVENT_MAX_PARTIES) {
		reply_error(r, ERR_INVALID, M_EV_PARTIES_TOO_MANY, "parties");
		return -1;
	}
	json_array_foreach(arr, i, p) {
		if (!json_is_object(p)) {
			reply_error(r, ERR_INVALID, M_FIELD_TYPE, "parties");
			return -1;
		}
		if (object_check_or_reply(r, p, party_fields, "parties.") != 0)
			return -1;
		in->parties[i].name = json_string_value(json_object_get(p, "name"));
		in->parties[i].id_number = json_string_value(json_object_get(p, "id_number"));
		in->parties[i].phone = json_string_value(json_object_get(p, "phone"));
		in->parties[i].role = json_string_value(json_object_get(p, "role"));
	}
	in->nparties = (int)json_array_size(arr);
	return 0;
}

/* Reads the body of an intake form into in; replies 4xx itself on bad input. */
static int
event_input_or_reply(struct req *r, struct event_input *in)
{
	json_t *lat = json_object_get(r->json, "lat"), *lng = json_object_get(r->json, "lng");
	const char *occurred;

	memset(in, 0, sizeof *in);
	if (body_check_or_reply(r, event_fields) != 0 || parties_or_reply(r, in) != 0)
		return -1;
	in->channel = body_str(r, "channel");
	in->category_code = body_str(r, "category_code");
	in->title = body_str(r, "title");
	in->description = body_str(r, "description");
	in->division_code = body_str(r, "division_code");
	in->address = body_str(r, "address");
	in->has_point = json_is_number(lat) && json_is_number(lng);
	in->lat = json_number_value(lat);
	in->lng = json_number_value(lng);
	occurred = body_str(r, "occurred_at");
	if (occurred && clock_parse_iso(occurred, &in->occurred_at) != 0) {
		reply_error(r, ERR_INVALID, M_TIME_BAD, "occurred_at");
		return -1;
	}
	in->reporter_name = body_str(r, "reporter_name");
	in->reporter_phone = body_str(r, "reporter_phone");
	in->anonymous = body_bool(r, "anonymous", false);
	in->urgency = body_str(r, "urgency");
	in->tags = body_str(r, "tags");
	in->petition_level = body_str(r, "petition_level");
	in->leader_in_charge = body_str(r, "leader_in_charge");
	in->repeat_count = (int)body_int(r, "repeat_count", 0);
	in->on_the_spot = body_bool(r, "on_the_spot", false);
	in->result = body_str(r, "result");
	return 0;
}

/*
 * Answers with the record. After a committed write (written) a failed read
 * back still answers success with the id: the data is kept, and an error
 * would make the client submit it again.
 */
static void
reply_event(struct req *r, int status, int64_t id, bool written)
{
	struct fail f = { 0 };
	int rc = event_render(r->db, &r->who, id, r->en, reply_body(r), &f);

	if (rc != 0) {
		reply_read_back_failed(r, status, id, written, &f, rc);
		return;
	}
	reply_json_written(r, status);
}

void
api_events_create(struct req *r)
{
	struct event_input in;
	struct fail f = { 0 };
	bool replayed;
	int64_t id;
	int rc;

	if (event_input_or_reply(r, &in) != 0)
		return;
	in.idempotency_key = req_header(r, "Idempotency-Key");
	if (in.idempotency_key && (strlen(in.idempotency_key) == 0 || strlen(in.idempotency_key) > 64)) {
		reply_error(r, ERR_INVALID, M_FIELD_TOO_LONG, "Idempotency-Key");
		return;
	}
	rc = event_create(r->db, &r->who, &in, &id, &replayed, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/v1/events/%lld", (long long)id);
	reply_event(r, replayed ? 200 : 201, id, true);
}

void
api_events_duplicates(struct req *r)
{
	struct event_input in;
	json_t *rows;

	if (event_input_or_reply(r, &in) != 0)
		return;
	if (event_duplicates(r->db, &r->who, &in, &rows) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "items", rows));
}

void
api_events_get(struct req *r)
{
	int64_t id;

	if (path_id_or_reply(r, &id) == 0)
		reply_event(r, 200, id, false);
}

/* Reads one optional integer-or-flag filter: absent -1, "true" 1, "false" 0. */
static int
flag_or_reply(struct req *r, const char *name, int *out)
{
	const char *v = req_query(r, name);

	*out = -1;
	if (v == NULL)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = 0;
	else {
		reply_error(r, ERR_INVALID, M_QUERY_BAD, name);
		return -1;
	}
	return 0;
}

void
api_events_list(struct req *r)
{
	struct event_filter flt = { 0 };
	const char *total = req_query(r, "total");

	if (paging_or_reply(r, &flt.limit, &flt.cursor) != 0 ||
	    query_int_or_reply(r, "unit_id", 1, INT64_MAX, 0, &flt.unit_id) != 0 ||
	    query_time_or_reply(r, "from", 0, &flt.from_ms) != 0 ||
	    query_time_or_reply(r, "to", 0, &flt.to_ms) != 0 ||
	    flag_or_reply(r, "supervised", &flt.supervised) != 0 ||
	    flag_or_reply(r, "backlog", &flt.backlog) != 0)
		return;
	flt.state = req_query(r, "state");
	if (flt.state && event_state_by_name(flt.state) == ST_COUNT_) {
		reply_error(r, ERR_INVALID, M_EV_STATE_BAD, "state");
		return;
	}
	flt.category_code = req_query(r, "category");
	flt.channel = req_query(r, "channel");
	flt.division_code = req_query(r, "division");
	flt.urgency = req_query(r, "urgency");
	flt.color = req_query(r, "color");
	flt.kind = req_query(r, "kind");
	flt.q = req_query(r, "q");
	flt.inbox = req_query(r, "inbox");
	if (flt.inbox && !event_inbox_known(flt.inbox)) {
		reply_error(r, ERR_INVALID, M_EV_INBOX_BAD, "inbox");
		return;
	}
	flt.with_total = total && strcmp(total, "true") == 0;
	flt.open_only = req_query(r, "open") && strcmp(req_query(r, "open"), "true") == 0;
	if (event_list_render(r->db, &r->who, &flt, r->en, reply_body(r)) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json_written(r, 200);
}

static const struct field_spec action_fields[] = {
	{ "note", F_STRING, false, 2000 },
	{ "into", F_INT, false, 0 },
	{ "lead_unit_id", F_INT, false, 0 },
	{ "co_unit_ids", F_ARRAY, false, 0 },
	{ "deadline", F_STRING, false, 40 },
	{ "deadline_reason", F_STRING, false, 500 },
	{ "ok", F_BOOL, false, 0 },
	{ "satisfaction", F_STRING, false, 16 },
	{ "reopen", F_BOOL, false, 0 },
	{ "days", F_INT, false, 0 },
	{ "due", F_STRING, false, 40 },
	{ "version", F_INT, false, 0 },
	{ NULL, F_ANY, false, 0 },
};

/* Reads the action arguments; times are ISO 8601. */
static int
action_input_or_reply(struct req *r, struct action_input *in)
{
	json_t *co = json_object_get(r->json, "co_unit_ids"), *v;
	const char *deadline, *due;
	size_t i;

	memset(in, 0, sizeof *in);
	if (body_check_or_reply(r, action_fields) != 0)
		return -1;
	in->note = body_str(r, "note");
	in->into = body_int(r, "into", 0);
	in->lead_unit = body_int(r, "lead_unit_id", 0);
	json_array_foreach(co, i, v) {
		if (!json_is_integer(v) || i >= 8) {
			reply_error(r, ERR_INVALID, M_FIELD_TYPE, "co_unit_ids");
			return -1;
		}
		in->co_units[in->nco_units++] = (int64_t)json_integer_value(v);
	}
	deadline = body_str(r, "deadline");
	due = body_str(r, "due");
	if ((deadline && clock_parse_iso(deadline, &in->deadline) != 0) ||
	    (due && clock_parse_iso(due, &in->supervise_due) != 0)) {
		reply_error(r, ERR_INVALID, M_TIME_BAD, deadline ? "deadline" : "due");
		return -1;
	}
	in->deadline_reason = body_str(r, "deadline_reason");
	in->ok = body_bool(r, "ok", false);
	in->satisfaction = body_str(r, "satisfaction");
	in->reopen = body_bool(r, "reopen", false);
	in->days = (int)body_int(r, "days", 0);
	return 0;
}

/* POST /api/v1/events/{id}/{action}: the action is the route's last path segment. */
void
api_events_act(struct req *r)
{
	const char *slash = strrchr(r->route->pattern, '/');
	enum event_action action = event_action_by_name(slash ? slash + 1 : "");
	struct action_input in;
	struct fail f = { 0 };
	const char *if_match = req_header(r, "If-Match");
	int64_t id, version = 0;
	int rc;

	if (path_id_or_reply(r, &id) != 0 || action_input_or_reply(r, &in) != 0)
		return;
	if ((if_match || json_object_get(r->json, "version")) && version_or_reply(r, &version) != 0)
		return;
	rc = event_act(r->db, &r->who, id, action, &in, version, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_event(r, 200, id, true);
}

void
api_events_reveal(struct req *r)
{
	api_reveal(r, event_reveal);
}

void
api_stats_events(struct req *r)
{
	struct fail f = { 0 };
	int64_t from, to;
	json_t *out;
	int rc;

	if (query_time_or_reply(r, "from", 0, &from) != 0 ||
	    query_time_or_reply(r, "to", 0, &to) != 0)
		return;
	rc = event_stats(r->db, &r->who, req_query(r, "by"), req_query(r, "division"), from, to,
	    &out, &f);
	if (rc != 0) {
		reply_fail(r, &f, rc);
		return;
	}
	reply_json(r, 200, out);
}

void
api_stats_backlog(struct req *r)
{
	json_t *out;

	if (event_backlog(r->db, &r->who, &out) != 0) {
		reply_error(r, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		return;
	}
	reply_json(r, 200, out);
}
