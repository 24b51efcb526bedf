/*
 * The closed loop (reported -> accepted -> dispatched -> handling ->
 * handled -> closed) driven through the API by each role in turn, the
 * refusals that keep it honest, who sees what, the statistics it feeds and
 * the notices it sends.
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A department unit of its own in 华埠镇 (a township room dispatches within
 * its town) with one handler account: nothing else is dispatched there.
 */
struct handler {
	long long unit;
	const char *unit_name;
	const char *user;
};

static bool
handler_new(struct fixture *s, struct handler *h)
{
	h->unit_name = uniq("测试承办局");
	h->unit = county_unit_add(s, h->unit_name, DEMO_TOWN);
	h->user = uniq("handler");
	return h->unit > 0 && county_user_add(s, h->user, "department", DEMO_TOWN, h->unit) > 0;
}

static const char *
dispatch_to(long long unit)
{
	return jfmt("{s:I}", "lead_unit_id", (json_int_t)unit);
}

/* Did the action answer 200 with the event now in state? Says what came when not. */
static bool
step_ok(const struct resp *r, const char *state, const char *what)
{
	if (r->status == 200 && jstr(r->json, "state") && strcmp(jstr(r->json, "state"), state) == 0)
		return true;
	printf("    %s: %ld %s\n", what, r->status, r->body);
	return false;
}

/* The id of the unit named name, or 0. */
static long long
unit_named(struct fixture *s, const char *name)
{
	struct resp *r = api_get(s, session_of(s, "admin"),
	    tfmt("/api/v1/units?limit=200&q=%s", url_encode(name)));
	size_t i;
	json_t *u;

	json_array_foreach(jget(r->json, "items"), i, u)
		if (jstr(u, "name") && strcmp(jstr(u, "name"), name) == 0)
			return jint(u, "id", 0);
	return 0;
}

/* The notification of kind about event id in the user's list, or NULL. */
static json_t *
notice_of(struct fixture *s, const char *user, const char *query, long long id, const char *kind)
{
	struct resp *r = api_get(s, session_of(s, user), tfmt("/api/v1/notifications?limit=200%s",
	    query));
	size_t i;
	json_t *n;

	json_array_foreach(jget(r->json, "items"), i, n)
		if (jint(n, "event_id", 0) == id && jstr(n, "kind") && strcmp(jstr(n, "kind"), kind) == 0)
			return n;
	return NULL;
}

/* How many audit rows about event id carry action. */
static int
audit_count(json_t *rows, const char *action)
{
	size_t i;
	json_t *row;
	int n = 0;

	json_array_foreach(rows, i, row)
		if (jstr(row, "action") && strcmp(jstr(row, "action"), action) == 0)
			n++;
	return n;
}

/* Is the event in the user's list for query (filters and a search)? */
static bool
listed(struct fixture *s, const char *user, const char *query, long long id)
{
	struct resp *r = api_get(s, session_of(s, user), tfmt("/api/v1/events?limit=200&%s", query));
	size_t i;
	json_t *e;

	json_array_foreach(jget(r->json, "items"), i, e)
		if (jint(e, "id", 0) == id)
			return true;
	return false;
}

/*
 * The whole loop with one return on the way, as the township room and the
 * handler: accept, dispatch, sign, return, dispatch, sign, feedback,
 * verify, visit (satisfied).
 */
static bool
loop_with_one_return(struct fixture *s, const struct handler *h, long long id)
{
	return step_ok(act_on(s, "township", id, "accept", "{}"), "accepted", "accept") &&
	    step_ok(act_on(s, "township", id, "dispatch", dispatch_to(h->unit)), "dispatched",
		"dispatch") &&
	    step_ok(act_on(s, h->user, id, "sign", "{}"), "handling", "sign") &&
	    step_ok(act_on(s, h->user, id, "return", "{\"note\":\"不属于本单位职责\"}"), "accepted",
		"return") &&
	    step_ok(act_on(s, "township", id, "dispatch", dispatch_to(h->unit)), "dispatched",
		"dispatch again") &&
	    step_ok(act_on(s, h->user, id, "sign", "{}"), "handling", "sign again") &&
	    step_ok(act_on(s, h->user, id, "feedback", "{\"note\":\"双方已签订调解协议\"}"), "handled",
		"feedback") &&
	    step_ok(act_on(s, "township", id, "verify", "{\"ok\":true}"), "closed", "verify") &&
	    step_ok(act_on(s, "township", id, "visit", "{\"satisfaction\":\"satisfied\"}"), "closed",
		"visit");
}

/* --- the closed loop ------------------------------------------------------ */

TEST(workflow_closed_loop_through_every_role)
{
	static const struct { const char *action, *from, *to; } want[] = {
		{ "report", "", "reported" }, { "accept", "reported", "accepted" },
		{ "dispatch", "accepted", "dispatched" }, { "sign", "dispatched", "handling" },
		{ "return", "handling", "accepted" }, { "dispatch", "accepted", "dispatched" },
		{ "sign", "dispatched", "handling" }, { "feedback", "handling", "handled" },
		{ "verify", "handled", "closed" }, { "visit", "closed", "closed" },
	};
	struct fixture *s = fixture_demo();
	const char *deadline;
	struct handler h;
	struct resp *r;
	json_t *timeline, *rows;
	long long id;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("闭环调解纠纷"));
	CHECK(id > 0);
	/* The handler's unit sees nothing until the event is dispatched to it. */
	CHECK_ERROR(read_event(s, h.user, id), 404, "not_found");

	r = act_on(s, "township", id, "accept", "{}");
	CHECK(step_ok(r, "accepted", "accept"));
	CHECK_STR(jstr(r->json, "level"), "township");
	deadline = jstr(r->json, "deadline_at");
	CHECK(deadline != NULL);

	r = act_on(s, "township", id, "dispatch", dispatch_to(h.unit));
	CHECK(step_ok(r, "dispatched", "dispatch"));
	CHECK_INT(jint(r->json, "lead_unit_id", 0), h.unit);
	CHECK_STR(jstr(r->json, "lead_unit"), h.unit_name);
	CHECK_INT(read_event(s, h.user, id)->status, 200);

	CHECK(step_ok(act_on(s, h.user, id, "sign", "{}"), "handling", "sign"));

	/* A return goes back to the dispatcher, counts against the unit, keeps the case's deadline. */
	r = act_on(s, h.user, id, "return", "{\"note\":\"不属于本单位职责\"}");
	CHECK(step_ok(r, "accepted", "return"));
	CHECK_INT(jint(r->json, "return_count", -1), 1);
	CHECK_STR(jstr(r->json, "deadline_at"), deadline);
	CHECK(json_is_null(jget(r->json, "lead_unit_id")));
	CHECK_STR(jstr(r->json, "dispatches.0.return_reason"), "不属于本单位职责");
	CHECK(json_is_false(jget(r->json, "dispatches.0.active")));
	CHECK(notice_of(s, "township", "", id, "returned") != NULL);

	r = act_on(s, "township", id, "dispatch", dispatch_to(h.unit));
	CHECK(step_ok(r, "dispatched", "dispatch again"));
	CHECK_STR(jstr(r->json, "deadline_at"), deadline);
	CHECK_INT(json_array_size(jget(r->json, "dispatches")), 2);
	CHECK(step_ok(act_on(s, h.user, id, "sign", "{}"), "handling", "sign again"));

	r = act_on(s, h.user, id, "feedback", "{\"note\":\"双方已签订调解协议\"}");
	CHECK(step_ok(r, "handled", "feedback"));
	CHECK_STR(jstr(r->json, "result"), "双方已签订调解协议");

	r = act_on(s, "township", id, "verify", "{\"ok\":true}");
	CHECK(step_ok(r, "closed", "verify"));
	CHECK(json_is_true(jget(r->json, "closed_on_time")));
	CHECK(jstr(r->json, "closed_at") != NULL);

	r = act_on(s, "township", id, "visit", "{\"satisfaction\":\"satisfied\",\"note\":\"群众满意\"}");
	CHECK(step_ok(r, "closed", "visit"));
	CHECK_STR(jstr(r->json, "satisfaction"), "satisfied");
	CHECK_STR(jstr(r->json, "visits.0.satisfaction"), "satisfied");

	/* The timeline tells the whole story, from and to. */
	timeline = jget(read_event(s, "center", id)->json, "timeline");
	CHECK_INT(json_array_size(timeline), sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		json_t *t = json_array_get(timeline, i);

		CHECK_STR(jstr(t, "action"), want[i].action);
		CHECK_STR(jstr(t, "from"), want[i].from);
		CHECK_STR(jstr(t, "to"), want[i].to);
		CHECK(jstr(t, "actor") != NULL && jstr(t, "actor")[0] != '\0');
		CHECK(jstr(t, "at") != NULL);
	}

	/* And so does the audit trail, one row per change. */
	r = api_get(s, session_of(s, "auditor"),
	    tfmt("/api/v1/audit?limit=200&entity=event&entity_id=%lld", id));
	CHECK_INT(r->status, 200);
	rows = jget(r->json, "items");
	CHECK_INT(audit_count(rows, "event.create"), 1);
	CHECK_INT(audit_count(rows, "event.accept"), 1);
	CHECK_INT(audit_count(rows, "event.dispatch"), 2);
	CHECK_INT(audit_count(rows, "event.sign"), 2);
	CHECK_INT(audit_count(rows, "event.return"), 1);
	CHECK_INT(audit_count(rows, "event.feedback"), 1);
	CHECK_INT(audit_count(rows, "event.verify"), 1);
	CHECK_INT(audit_count(rows, "event.visit"), 1);
}

TEST(workflow_county_centre_takes_a_hotline_call_to_the_police_and_back)
{
	struct fixture *s = fixture_demo();
	const char *body;
	long long id, police;
	struct resp *r;

	CHECK(s != NULL);
	police = unit_named(s, "县公安局");
	CHECK(police > 0);
	body = jfmt("{s:s, s:s, s:s, s:s, s:b}", "channel", "hotline", "category_code", "security",
	    "title", uniq("夜间噪音扰民"), "division_code", DEMO_TOWN, "anonymous", 1);
	r = report(s, "center", body);
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	CHECK_STR(jstr(r->json, "level"), "county");
	CHECK(json_is_null(jget(r->json, "reporter_phone")));

	/* The county holds it: the township room sees it but may not take it over. */
	CHECK_INT(read_event(s, "township", id)->status, 200);
	r = act_on(s, "township", id, "accept", "{}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "该事件当前不在您这一级处理");

	CHECK(step_ok(act_on(s, "center", id, "accept", "{}"), "accepted", "accept"));
	CHECK(step_ok(act_on(s, "center", id, "dispatch", dispatch_to(police)), "dispatched",
	    "dispatch"));
	CHECK(step_ok(act_on(s, "dept", id, "sign", "{}"), "handling", "sign"));
	CHECK_ERROR(act_on(s, "dept", id, "sign", "{}"), 409, "conflict");
	CHECK(step_ok(act_on(s, "dept", id, "feedback", "{\"note\":\"已上门劝导\"}"), "handled",
	    "feedback"));
	/* Not good enough: back to the police with a reason, which is required. */
	CHECK_FIELD_ERROR(act_on(s, "center", id, "verify", "{\"ok\":false}"), 422,
	    "validation_failed", "note");
	CHECK(step_ok(act_on(s, "center", id, "verify", "{\"ok\":false,\"note\":\"噪音仍在\"}"),
	    "handling", "verify not ok"));
	CHECK(step_ok(act_on(s, "dept", id, "feedback", "{\"note\":\"已依法处罚\"}"), "handled",
	    "feedback again"));
	CHECK(step_ok(act_on(s, "center", id, "verify", "{\"ok\":true}"), "closed", "verify"));
}

/* --- refusals ------------------------------------------------------------- */

/* An event accepted by the township and dispatched to h. */
static long long
dispatched_event(struct fixture *s, const struct handler *h, const char *title)
{
	long long id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", title);

	if (id == 0 || !step_ok(act_on(s, "township", id, "accept", "{}"), "accepted", "accept") ||
	    !step_ok(act_on(s, "township", id, "dispatch", dispatch_to(h->unit)), "dispatched",
		"dispatch"))
		return 0;
	return id;
}

TEST(workflow_sign_by_a_unit_not_dispatched_is_refused_and_changes_nothing)
{
	struct fixture *s = fixture_demo();
	struct handler mine, other;
	struct resp *before, *r;
	long long id;

	CHECK(s != NULL);
	CHECK(handler_new(s, &mine));
	CHECK(handler_new(s, &other));
	id = dispatched_event(s, &mine, uniq("错单位签收"));
	CHECK(id > 0);
	before = read_event(s, "center", id);
	/* Another unit's handler cannot even see it. */
	CHECK_ERROR(act_on(s, other.user, id, "sign", "{}"), 404, "not_found");
	CHECK_ERROR(act_on(s, "dept", id, "sign", "{}"), 404, "not_found");
	/* The township room may handle, but this dispatch is not its unit's. */
	r = act_on(s, "township", id, "sign", "{}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "该事件未派给您的单位");

	r = read_event(s, "center", id);
	CHECK_STR(jstr(r->json, "state"), "dispatched");
	CHECK_INT(jint(r->json, "version", 0), jint(before->json, "version", -1));
	CHECK(json_is_null(jget(r->json, "dispatches.0.signed_at")));
	CHECK_INT(json_array_size(jget(r->json, "timeline")),
	    json_array_size(jget(before->json, "timeline")));
	/* The right unit still can. */
	CHECK(step_ok(act_on(s, mine.user, id, "sign", "{}"), "handling", "sign"));
}

TEST(workflow_verify_before_handled_is_409_with_a_message)
{
	struct fixture *s = fixture_demo();
	struct handler h;
	struct resp *r;
	long long id, version;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = dispatched_event(s, &h, uniq("提前核查"));
	CHECK(id > 0);
	version = jint(read_event(s, "center", id)->json, "version", 0);
	r = act_on(s, "township", id, "verify", "{\"ok\":true}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "当前状态下不能执行该操作");
	CHECK_ERROR(act_on(s, "center", id, "visit", "{\"satisfaction\":\"satisfied\"}"), 409,
	    "conflict");
	CHECK_ERROR(act_on(s, "township", id, "accept", "{}"), 409, "conflict");
	r = read_event(s, "center", id);
	CHECK_STR(jstr(r->json, "state"), "dispatched");
	CHECK_INT(jint(r->json, "version", 0), version);
}

static struct resp *
act_if_match(struct fixture *s, const char *user, long long id, const char *action,
    const char *json, long long version)
{
	struct request rq = { .method = "POST", .path = tfmt("/api/v1/events/%lld/%s", id, action),
		.body = json, .bearer = session_of(s, user),
		.headers = { tfmt("If-Match: \"%lld\"", version) } };

	return http(s, &rq);
}

TEST(workflow_stale_if_match_is_412_and_changes_nothing)
{
	struct fixture *s = fixture_demo();
	struct handler h;
	struct resp *r;
	long long id, v1, v2;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("两个调度员"));
	CHECK(id > 0);
	v1 = jint(read_event(s, "township", id)->json, "version", 0);
	r = act_if_match(s, "township", id, "accept", "{}", v1);
	CHECK(step_ok(r, "accepted", "accept with the current version"));
	v2 = jint(r->json, "version", 0);
	CHECK(v2 > v1);
	/* A second dispatcher still looking at the old version. */
	r = act_if_match(s, "center", id, "dispatch", dispatch_to(h.unit), v1);
	CHECK_ERROR(r, 412, "precondition_failed");
	CHECK_STR(jstr(r->json, "error.message"), "记录已被他人修改，请刷新后重试");
	r = act_on(s, "center", id, "dispatch",
	    jfmt("{s:I, s:I}", "lead_unit_id", (json_int_t)h.unit, "version", (json_int_t)v1));
	CHECK_ERROR(r, 412, "precondition_failed");
	r = read_event(s, "center", id);
	CHECK_STR(jstr(r->json, "state"), "accepted");
	CHECK_INT(jint(r->json, "version", 0), v2);
	CHECK_INT(json_array_size(jget(r->json, "dispatches")), 0);
	CHECK(step_ok(act_if_match(s, "center", id, "dispatch", dispatch_to(h.unit), v2),
	    "dispatched", "dispatch with the current version"));
}

TEST(workflow_reject_without_a_note_is_422_on_note)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("不予受理"));
	CHECK(id > 0);
	r = act_on(s, "township", id, "reject", "{}");
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "note");
	CHECK_STR(jstr(r->json, "error.message"), "请填写原因");
	CHECK_FIELD_ERROR(act_on(s, "township", id, "reject", "{\"note\":\"\"}"), 422,
	    "validation_failed", "note");
	CHECK_STR(jstr(read_event(s, "center", id)->json, "state"), "reported");
	r = act_on(s, "township", id, "reject", "{\"note\":\"属于民事诉讼范围\"}");
	CHECK(step_ok(r, "rejected", "reject"));
	CHECK_STR(jstr(r->json, "reject_reason"), "属于民事诉讼范围");
	CHECK_ERROR(act_on(s, "township", id, "accept", "{}"), 409, "conflict");
}

/* A reason of blanks is no reason: the refusal must say why. */
TEST(workflow_reject_with_a_note_of_blanks_is_422)
{
	struct fixture *s = fixture_demo();
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("空白理由"));
	CHECK(id > 0);
	CHECK_FIELD_ERROR(act_on(s, "township", id, "reject", "{\"note\":\"   \"}"), 422,
	    "validation_failed", "note");
	CHECK_STR(jstr(read_event(s, "center", id)->json, "state"), "reported");
}

TEST(workflow_department_cannot_see_an_event_not_dispatched_to_its_unit)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("公安看不到");
	struct handler h;
	long long id;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", title);
	CHECK(id > 0);
	CHECK_ERROR(read_event(s, "dept", id), 404, "not_found");
	CHECK(!listed(s, "dept", tfmt("q=%s", url_encode(title)), id));
	CHECK(step_ok(act_on(s, "township", id, "accept", "{}"), "accepted", "accept"));
	CHECK(step_ok(act_on(s, "township", id, "dispatch", dispatch_to(h.unit)), "dispatched",
	    "dispatch"));
	/* Dispatched to another unit: still nothing for the police. */
	CHECK_ERROR(read_event(s, "dept", id), 404, "not_found");
	CHECK(!listed(s, "dept", tfmt("q=%s", url_encode(title)), id));
	CHECK_INT(read_event(s, h.user, id)->status, 200);
	CHECK(listed(s, h.user, tfmt("q=%s", url_encode(title)), id));
}

TEST(workflow_township_cannot_see_another_townships_event)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("华埠镇的事"), *majin;
	long long here, there;

	CHECK(s != NULL);
	majin = other_township(s);
	CHECK(majin != NULL);
	here = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", title);
	there = report_event(s, "center", DEMO_OTHER_TOWN_GRID, "dispute.neighbour", title);
	CHECK(here > 0 && there > 0);
	CHECK_ERROR(read_event(s, majin, here), 404, "not_found");
	CHECK_ERROR(act_on(s, majin, here, "accept", "{}"), 404, "not_found");
	CHECK_ERROR(api_send(s, "POST", tfmt("/api/v1/events/%lld/reveal", here),
	    session_of(s, majin), "{\"reason\":\"核实身份\"}"), 404, "not_found");
	CHECK(!listed(s, majin, tfmt("q=%s", url_encode(title)), here));
	CHECK_STR(jstr(read_event(s, "center", here)->json, "state"), "reported");
	/* Its own town's event it sees. */
	CHECK_INT(read_event(s, majin, there)->status, 200);
	CHECK(listed(s, majin, tfmt("q=%s", url_encode(title)), there));
	/* And the 华埠镇 room sees its own but not 马金镇's. */
	CHECK_INT(read_event(s, "township", here)->status, 200);
	CHECK_ERROR(read_event(s, "township", there), 404, "not_found");
}

/* --- statistics ------------------------------------------------------------- */

/* The row of unit in GET /api/v1/stats/events?by=unit as user, or NULL. */
static json_t *
unit_row(struct fixture *s, const char *user, long long unit)
{
	struct resp *r = api_get(s, session_of(s, user), "/api/v1/stats/events?by=unit");
	size_t i;
	json_t *row;

	if (r->status != 200 || !jstr(r->json, "by") || strcmp(jstr(r->json, "by"), "unit") != 0)
		return NULL;
	json_array_foreach(jget(r->json, "items"), i, row)
		if (jint(row, "unit_id", 0) == unit)
			return row;
	return NULL;
}

TEST(workflow_stats_by_unit_count_returns_and_on_time_closures)
{
	struct fixture *s = fixture_demo();
	struct handler h;
	json_t *row;
	long long id;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("统计用纠纷"));
	CHECK(id > 0);
	CHECK(loop_with_one_return(s, &h, id));
	row = unit_row(s, "center", h.unit);
	CHECK(row != NULL);
	CHECK_STR(jstr(row, "name"), h.unit_name);
	CHECK_INT(jint(row, "received", -1), 1);
	CHECK_INT(jint(row, "closed", -1), 1);
	CHECK_INT(jint(row, "returns", -1), 1);
	CHECK(json_is_number(jget(row, "on_time_rate")));
	CHECK(json_number_value(jget(row, "on_time_rate")) == 1.0);
	CHECK(json_number_value(jget(row, "closure_rate")) == 1.0);
	CHECK(json_number_value(jget(row, "satisfaction_rate")) == 1.0);
	CHECK_INT(jint(row, "overdue_open", -1), 0);
	/* The leader reads the same figures. */
	row = unit_row(s, "leader", h.unit);
	CHECK(row != NULL);
	CHECK_INT(jint(row, "returns", -1), 1);
}

/* The row of code in a by-division answer, or NULL. */
static json_t *
division_row(const struct resp *r, const char *code)
{
	size_t i;
	json_t *row;

	json_array_foreach(jget(r->json, "items"), i, row)
		if (jstr(row, "code") && strcmp(jstr(row, "code"), code) == 0)
			return row;
	return NULL;
}

TEST(workflow_stats_by_division_lists_the_townships)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	json_t *row;
	long long before;
	size_t i;

	CHECK(s != NULL);
	r = api_get(s, session_of(s, "center"), "/api/v1/stats/events?division=330824");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "by"), "division");
	CHECK_INT(json_array_size(jget(r->json, "items")), 15);
	json_array_foreach(jget(r->json, "items"), i, row) {
		CHECK(jstr(row, "code") != NULL);
		CHECK_INT(strlen(jstr(row, "code")), 9);
		CHECK(strncmp(jstr(row, "code"), "330824", 6) == 0);
	}
	row = division_row(r, DEMO_TOWN);
	CHECK(row != NULL);
	CHECK_STR(jstr(row, "name"), "华埠镇");
	before = jint(row, "received", -1);
	CHECK(before >= 0);
	CHECK(report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("统计新增")) > 0);
	r = api_get(s, session_of(s, "center"), "/api/v1/stats/events?division=330824");
	CHECK_INT(jint(division_row(r, DEMO_TOWN), "received", -1), before + 1);

	/* The township room reads its villages, and nothing above its town. */
	r = api_get(s, session_of(s, "township"), "/api/v1/stats/events?division=" DEMO_TOWN);
	CHECK_INT(r->status, 200);
	CHECK(json_array_size(jget(r->json, "items")) > 0);
	json_array_foreach(jget(r->json, "items"), i, row)
		CHECK(strncmp(jstr(row, "code"), DEMO_TOWN, 9) == 0 && strlen(jstr(row, "code")) == 12);
	CHECK_ERROR(api_get(s, session_of(s, "township"), "/api/v1/stats/events?division=330824"),
	    404, "not_found");
	CHECK_FIELD_ERROR(api_get(s, session_of(s, "center"), "/api/v1/stats/events?by=month"),
	    422, "validation_failed", "by");
}

TEST(workflow_backlog_counts_open_petitions_and_death_cases)
{
	struct fixture *s = fixture_demo();
	long long petitions, deaths, id;
	struct resp *r;

	CHECK(s != NULL);
	r = api_get(s, session_of(s, "center"), "/api/v1/stats/backlog");
	CHECK_INT(r->status, 200);
	CHECK(jint(r->json, "backlog.total", -1) >= 0);
	CHECK(jint(r->json, "backlog.open", -1) >= 0);
	CHECK(jint(r->json, "backlog.cleared", -1) >= 0);
	CHECK(jget(r->json, "backlog.zeroing_progress") != NULL);
	CHECK(jint(r->json, "petitions.national_open", -1) >= 0);
	petitions = jint(r->json, "petitions.open", -1);
	deaths = jint(r->json, "death_cases.open", -1);
	CHECK(petitions >= 0 && deaths >= 0);

	CHECK(report_event(s, "township", DEMO_GRID, "petition", uniq("集体上访")) > 0);
	id = report_event(s, "township", DEMO_GRID, "death", uniq("溺水死亡"));
	CHECK(id > 0);
	r = api_get(s, session_of(s, "leader"), "/api/v1/stats/backlog");
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "petitions.open", -1), petitions + 1);
	CHECK_INT(jint(r->json, "death_cases.open", -1), deaths + 1);
	/* A rejected case is no longer open. */
	CHECK(step_ok(act_on(s, "township", id, "reject", "{\"note\":\"重复上报\"}"), "rejected",
	    "reject"));
	r = api_get(s, session_of(s, "center"), "/api/v1/stats/backlog");
	CHECK_INT(jint(r->json, "death_cases.open", -1), deaths);
}

/* --- notifications ------------------------------------------------------------ */

TEST(workflow_dispatch_notifies_the_unit_which_marks_it_read)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("通知测试");
	struct handler h;
	long long id, nid;
	struct resp *r;
	json_t *n;

	CHECK(s != NULL);
	CHECK(handler_new(s, &h));
	id = dispatched_event(s, &h, title);
	CHECK(id > 0);
	n = notice_of(s, h.user, "&unread=true", id, "dispatched");
	CHECK(n != NULL);
	nid = jint(n, "id", 0);
	CHECK(nid > 0);
	CHECK(json_is_false(jget(n, "read")));
	CHECK_STR(jstr(n, "message"), title);
	CHECK_STR(jstr(n, "case_no"), jstr(read_event(s, "center", id)->json, "case_no"));
	/* Nobody else's to mark. */
	CHECK_ERROR(api_send(s, "POST", tfmt("/api/v1/notifications/%lld/read", nid),
	    session_of(s, "dept"), NULL), 404, "not_found");
	CHECK(notice_of(s, "dept", "", id, "dispatched") == NULL);

	r = api_send(s, "POST", tfmt("/api/v1/notifications/%lld/read", nid), session_of(s, h.user),
	    NULL);
	CHECK_INT(r->status, 204);
	CHECK_INT(r->body_len, 0);
	CHECK(notice_of(s, h.user, "&unread=true", id, "dispatched") == NULL);
	n = notice_of(s, h.user, "", id, "dispatched");
	CHECK(n != NULL);
	CHECK(json_is_true(jget(n, "read")));
}

/* The count of /metrics series (a whole line's name and labels), or -1. */
static long long
cache_reads(struct fixture *s, const char *series)
{
	const char *body = api_get(s, session_of(s, "admin"), "/metrics")->body;
	const char *p = body ? strstr(body, series) : NULL;

	return p ? strtoll(p + strlen(series), NULL, 10) : -1;
}

TEST(event_reads_are_kept_until_the_event_changes)
{
	struct fixture *s = fixture_demo();
	const char *hit = "pingan_event_cache_reads_total{result=\"hit\"} ";
	const char *miss = "pingan_event_cache_reads_total{result=\"miss\"} ";
	long long id, hits, misses;
	struct resp *r;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("读取缓存"));
	CHECK(id > 0);
	CHECK_INT(read_event(s, "township", id)->status, 200);
	hits = cache_reads(s, hit);
	misses = cache_reads(s, miss);
	CHECK(hits >= 0 && misses >= 0);
	/* Read again, by someone else: from the kept answer, with their own actions. */
	r = read_event(s, "leader", id);
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "state"), "reported");
	CHECK(!strstr(r->body, "\"accept\""));
	CHECK_INT(cache_reads(s, hit), hits + 1);
	r = read_event(s, "township", id);
	CHECK(strstr(r->body, "\"allowed_actions\":[\"accept\""));
	CHECK_INT(cache_reads(s, hit), hits + 2);
	/* A change is seen by the very next read, never the kept answer. */
	CHECK(step_ok(act_on(s, "township", id, "accept", "{}"), "accepted", "accept"));
	r = read_event(s, "leader", id);
	CHECK_STR(jstr(r->json, "state"), "accepted");
	CHECK_STR(jstr(r->json, "timeline.1.action"), "accept");
	CHECK(cache_reads(s, miss) > misses);
}
