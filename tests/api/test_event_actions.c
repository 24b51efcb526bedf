/*
 * The actions around the main loop: co-units, dispatch deadlines, escalation,
 * a leader's supervision, extensions, on-the-spot resolutions and their
 * sampling, merging duplicates. Each failure must leave the event as it was.
 */
#include "client.h"

#include <stdio.h>

struct unit {
	long long id;
	const char *name, *user;
};

/* A unit of its own in 华埠镇 with one handler account. */
static bool
unit_new(struct fixture *s, struct unit *u)
{
	u->name = uniq("协同承办所");
	u->id = county_unit_add(s, u->name, DEMO_TOWN);
	u->user = uniq("worker");
	return u->id > 0 && county_user_add(s, u->user, "department", DEMO_TOWN, u->id) > 0;
}

static bool
step_ok(const struct resp *r, const char *state, const char *what)
{
	if (r->status == 200 && jstr(r->json, "state") && strcmp(jstr(r->json, "state"), state) == 0)
		return true;
	printf("    %s: %ld %s\n", what, r->status, r->body);
	return false;
}

/* A new event of 华埠镇 accepted by the township room; its id or 0. */
static long long
accepted_event(struct fixture *s, const char *category, const char *title)
{
	long long id = report_event(s, "grid", DEMO_GRID, category, title);

	return id && step_ok(act_on(s, "township", id, "accept", "{}"), "accepted", "accept") ? id
													     : 0;
}

/* Did the failed request leave the event exactly as before (version and timeline)? */
static bool
unchanged(struct fixture *s, long long id, const struct resp *before)
{
	struct resp *now = read_event(s, "center", id);

	return jint(now->json, "version", 0) == jint(before->json, "version", -1) &&
	    json_array_size(jget(now->json, "timeline")) ==
	    json_array_size(jget(before->json, "timeline")) &&
	    json_array_size(jget(now->json, "dispatches")) ==
	    json_array_size(jget(before->json, "dispatches")) &&
	    strcmp(jstr(now->json, "state"), jstr(before->json, "state")) == 0;
}

TEST(actions_co_units_sign_and_report_but_only_the_lead_moves_the_event)
{
	struct fixture *s = fixture_demo();
	struct unit lead, co;
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &lead));
	CHECK(unit_new(s, &co));
	id = accepted_event(s, "dispute.neighbour", uniq("多部门协同"));
	CHECK(id > 0);
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I, s:[I]}", "lead_unit_id",
	    (json_int_t)lead.id, "co_unit_ids", (json_int_t)co.id));
	CHECK(step_ok(r, "dispatched", "dispatch"));
	CHECK_INT(json_array_size(jget(r->json, "dispatches")), 2);
	CHECK_INT(read_event(s, co.user, id)->status, 200);

	CHECK(step_ok(act_on(s, co.user, id, "sign", "{}"), "dispatched", "co-unit signs"));
	r = act_on(s, co.user, id, "return", "{\"note\":\"协办单位不能退回\"}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "只有主办单位可以执行该操作");
	CHECK(step_ok(act_on(s, lead.user, id, "sign", "{}"), "handling", "lead signs"));
	CHECK(step_ok(act_on(s, co.user, id, "feedback", "{\"note\":\"协办意见已提交\"}"), "handling",
	    "co-unit feedback"));
	CHECK(step_ok(act_on(s, lead.user, id, "feedback", "{\"note\":\"主办办结\"}"), "handled",
	    "lead feedback"));
}

TEST(actions_feedback_before_signing_is_409_and_records_nothing)
{
	struct fixture *s = fixture_demo();
	struct resp *before, *r;
	struct unit u;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	id = accepted_event(s, "dispute.neighbour", uniq("未签先办"));
	CHECK(id > 0);
	CHECK(step_ok(act_on(s, "township", id, "dispatch", jfmt("{s:I}", "lead_unit_id",
	    (json_int_t)u.id)), "dispatched", "dispatch"));
	before = read_event(s, "center", id);
	r = act_on(s, u.user, id, "feedback", "{\"note\":\"还没签收就反馈\"}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK(unchanged(s, id, before));
	r = read_event(s, "center", id);
	CHECK(json_is_null(jget(r->json, "dispatches.0.feedback_at")));
	CHECK_STR(jstr(r->json, "dispatches.0.feedback"), "");
}

TEST(actions_dispatch_to_a_bad_co_unit_names_it_and_changes_nothing)
{
	struct fixture *s = fixture_demo();
	struct resp *before, *r;
	struct unit u;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	id = accepted_event(s, "dispute.neighbour", uniq("协办单位不存在"));
	CHECK(id > 0);
	before = read_event(s, "center", id);
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I, s:[I]}", "lead_unit_id",
	    (json_int_t)u.id, "co_unit_ids", (json_int_t)999999));
	CHECK_ERROR(r, 422, "validation_failed");
	/* Nothing of the half-done dispatch stays behind. */
	CHECK(unchanged(s, id, before));
	CHECK_ERROR(read_event(s, u.user, id), 404, "not_found");
	/* The error names the field that is wrong. */
	CHECK_STR(jstr(r->json, "error.field"), "co_unit_ids");
}

TEST(actions_dispatch_needs_a_unit_in_scope_and_a_reasoned_future_deadline)
{
	struct fixture *s = fixture_demo();
	struct resp *before, *r;
	struct unit u;
	long long id, county_unit;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	id = accepted_event(s, "dispute.neighbour", uniq("派遣校验"));
	CHECK(id > 0);
	before = read_event(s, "center", id);
	CHECK_FIELD_ERROR(act_on(s, "township", id, "dispatch", "{}"), 422, "validation_failed",
	    "lead_unit_id");
	/* A county bureau is outside a township room's reach. */
	county_unit = county_unit_add(s, uniq("县级部门"), "330824");
	CHECK(county_unit > 0);
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I}", "lead_unit_id",
	    (json_int_t)county_unit));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "lead_unit_id");
	CHECK_STR(jstr(r->json, "error.message"), "单位不存在、已撤销或不在您的管辖范围内");
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I, s:s, s:s}", "lead_unit_id",
	    (json_int_t)u.id, "deadline", "2020-01-01T00:00:00+08:00", "deadline_reason", "加急"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "deadline");
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I, s:s}", "lead_unit_id",
	    (json_int_t)u.id, "deadline", "2099-01-01T00:00:00+08:00"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "deadline_reason");
	CHECK(unchanged(s, id, before));
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I, s:s, s:s}", "lead_unit_id",
	    (json_int_t)u.id, "deadline", "2099-01-01T17:00:00+08:00", "deadline_reason",
	    "需协调多个村"));
	CHECK(step_ok(r, "dispatched", "dispatch with an own deadline"));
	CHECK_STR(jstr(r->json, "dispatches.0.finish_deadline"), "2099-01-01T17:00:00.000+08:00");
	CHECK_STR(jstr(r->json, "dispatches.0.deadline_reason"), "需协调多个村");
}

TEST(actions_escalation_hands_the_event_up_one_level_at_a_time)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.land", uniq("山林权属争议"));
	CHECK(id > 0);
	r = act_on(s, "grid", id, "escalate", "{\"note\":\"村里调解不了\"}");
	CHECK(step_ok(r, "reported", "grid escalates"));
	CHECK_STR(jstr(r->json, "level"), "township");
	r = act_on(s, "grid", id, "escalate", "{}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "该事件当前不在您这一级处理");
	r = act_on(s, "township", id, "escalate", "{\"note\":\"涉及跨镇山林\"}");
	CHECK(step_ok(r, "reported", "township escalates"));
	CHECK_STR(jstr(r->json, "level"), "county");
	CHECK_ERROR(act_on(s, "township", id, "accept", "{}"), 409, "conflict");
	r = act_on(s, "township", id, "escalate", "{}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "已是县级，不能再上报");
	r = act_on(s, "center", id, "accept", "{}");
	CHECK(step_ok(r, "accepted", "county accepts"));
	CHECK_STR(jstr(r->json, "level"), "county");
}

TEST(actions_leader_supervises_with_a_note_and_a_future_due_date)
{
	struct fixture *s = fixture_demo();
	struct resp *before, *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.labour", uniq("农民工讨薪"));
	CHECK(id > 0);
	before = read_event(s, "center", id);
	CHECK_FIELD_ERROR(act_on(s, "leader", id, "supervise", "{}"), 422, "validation_failed",
	    "note");
	CHECK_FIELD_ERROR(act_on(s, "leader", id, "supervise",
	    "{\"note\":\"限期解决\",\"due\":\"2020-01-01T00:00:00+08:00\"}"), 422, "validation_failed",
	    "due");
	CHECK(unchanged(s, id, before));
	r = act_on(s, "leader", id, "supervise",
	    "{\"note\":\"春节前务必解决\",\"due\":\"2099-01-20T18:00:00+08:00\"}");
	CHECK(step_ok(r, "reported", "supervise"));
	CHECK(json_is_true(jget(r->json, "supervised")));
	CHECK_STR(jstr(r->json, "supervise_note"), "春节前务必解决");
	CHECK(json_array_size(jget(api_get(s, session_of(s, "center"),
	    tfmt("/api/v1/events?supervised=true&q=%s", url_encode("农民工讨薪")))->json,
	    "items")) >= 1);
}

TEST(actions_extension_asked_by_the_lead_and_granted_moves_the_deadlines)
{
	struct fixture *s = fixture_demo();
	const char *deadline, *finish;
	struct resp *r;
	struct unit u;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	id = accepted_event(s, "petition", uniq("信访延期"));
	CHECK(id > 0);
	CHECK(step_ok(act_on(s, "township", id, "dispatch", jfmt("{s:I}", "lead_unit_id",
	    (json_int_t)u.id)), "dispatched", "dispatch"));
	CHECK(step_ok(act_on(s, u.user, id, "sign", "{}"), "handling", "sign"));
	r = read_event(s, "center", id);
	deadline = jstr(r->json, "deadline_at");
	finish = jstr(r->json, "dispatches.0.finish_deadline");
	CHECK(deadline != NULL && finish != NULL);

	CHECK_ERROR(act_on(s, "township", id, "extend_decide", "{\"ok\":true}"), 409, "conflict");
	CHECK_FIELD_ERROR(act_on(s, u.user, id, "extend_request", "{\"days\":0,\"note\":\"需要时间\"}"),
	    422, "validation_failed", "days");
	CHECK_FIELD_ERROR(act_on(s, u.user, id, "extend_request", "{\"days\":31,\"note\":\"需要时间\"}"),
	    422, "validation_failed", "days");
	CHECK_FIELD_ERROR(act_on(s, u.user, id, "extend_request", "{\"days\":5}"), 422,
	    "validation_failed", "note");
	r = act_on(s, u.user, id, "extend_request", "{\"days\":5,\"note\":\"需要调取档案\"}");
	CHECK(step_ok(r, "handling", "extend_request"));
	CHECK_ERROR(act_on(s, u.user, id, "extend_request", "{\"days\":3,\"note\":\"再要几天\"}"), 409,
	    "conflict");
	r = act_on(s, "township", id, "extend_decide", "{\"ok\":true,\"note\":\"同意\"}");
	CHECK(step_ok(r, "handling", "extend_decide"));
	CHECK_INT(jint(r->json, "extension_used", -1), 1);
	CHECK_STR(jstr(r->json, "extensions.0.decision"), "granted");
	CHECK(strcmp(jstr(r->json, "deadline_at"), deadline) > 0);
	CHECK(strcmp(jstr(r->json, "dispatches.0.finish_deadline"), finish) > 0);
	/* A petition is extended once. */
	r = act_on(s, u.user, id, "extend_request", "{\"days\":5,\"note\":\"还需要时间\"}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "延期次数已用完（信访事项只能延期一次）");
}

TEST(actions_on_the_spot_resolution_is_closed_at_once_and_sampled_once)
{
	struct fixture *s = fixture_demo();
	const char *body = report_body(DEMO_GRID, "dispute.neighbour", uniq("就地化解"));
	json_t *o = json_loads(body, 0, NULL);
	const char *spot;
	struct resp *r;
	long long id;

	CHECK(s != NULL && o != NULL);
	json_object_set_new(o, "on_the_spot", json_true());
	spot = jfmt("O", o);
	json_object_set_new(o, "result", json_string("当场调解，双方握手言和"));
	body = jfmt("O", o);
	json_decref(o);

	CHECK_FIELD_ERROR(report(s, "grid", spot), 422, "validation_failed", "result");
	CHECK_FIELD_ERROR(report(s, "township", body), 403, "forbidden", "on_the_spot");
	r = report(s, "grid", body);
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	CHECK_STR(jstr(r->json, "state"), "closed");
	CHECK(json_is_true(jget(r->json, "on_the_spot")));
	CHECK_STR(jstr(r->json, "timeline.0.action"), "resolve_on_the_spot");
	CHECK(json_array_size(jget(api_get(s, session_of(s, "center"),
	    "/api/v1/events?inbox=to_sample&limit=200")->json, "items")) >= 1);

	r = act_on(s, "center", id, "sample", "{\"ok\":true}");
	CHECK(step_ok(r, "closed", "sample"));
	CHECK(json_is_true(jget(r->json, "sampled")));
	r = act_on(s, "center", id, "sample", "{\"ok\":true}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "该事件已被抽查");
	/* An ordinary closed event is not sampled. */
	CHECK_ERROR(act_on(s, "center", report_event(s, "grid", DEMO_GRID, "dispute.neighbour",
	    uniq("普通事件")), "sample", "{\"ok\":true}"), 409, "conflict");
}

TEST(actions_duplicates_and_merging_keep_one_case)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("河道倾倒垃圾"), *again = tfmt("%s（第二次反映）", title);
	long long first, second;
	struct resp *r;

	CHECK(s != NULL);
	first = report_event(s, "grid", DEMO_GRID, "environment", title);
	CHECK(first > 0);
	r = api_send(s, "POST", "/api/v1/events/duplicates", session_of(s, "grid"),
	    report_body(DEMO_GRID, "environment", again));
	CHECK_INT(r->status, 200);
	CHECK(items_have(jget(r->json, "items"), "title", title));
	/* Another place is not a duplicate. */
	r = api_send(s, "POST", "/api/v1/events/duplicates", session_of(s, "township"),
	    report_body(DEMO_OTHER_GRID, "environment", again));
	CHECK_INT(r->status, 200);
	CHECK(!items_have(jget(r->json, "items"), "title", title));

	second = report_event(s, "grid", DEMO_GRID, "environment", again);
	CHECK(second > 0);
	CHECK_FIELD_ERROR(act_on(s, "township", second, "merge", jfmt("{s:I}", "into",
	    (json_int_t)second)), 422, "validation_failed", "into");
	r = act_on(s, "township", second, "merge", jfmt("{s:I}", "into", (json_int_t)first));
	CHECK(step_ok(r, "merged", "merge"));
	CHECK_INT(jint(r->json, "merged_into", 0), first);
	r = read_event(s, "township", first);
	CHECK_STR(jstr(r->json, "state"), "reported");
	CHECK(items_have(jget(r->json, "timeline"), "action", "merged_in"));
	/* Merging into a merged event is refused. */
	CHECK_FIELD_ERROR(act_on(s, "township", report_event(s, "grid", DEMO_GRID, "environment",
	    uniq("第三次")), "merge", jfmt("{s:I}", "into", (json_int_t)second)), 422,
	    "validation_failed", "into");
}

TEST(actions_unsatisfied_visit_reopens_once)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	struct unit u;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	id = accepted_event(s, "dispute.neighbour", uniq("回访不满意"));
	CHECK(id > 0);
	CHECK(step_ok(act_on(s, "township", id, "dispatch", jfmt("{s:I}", "lead_unit_id",
	    (json_int_t)u.id)), "dispatched", "dispatch"));
	CHECK(step_ok(act_on(s, u.user, id, "sign", "{}"), "handling", "sign"));
	CHECK(step_ok(act_on(s, u.user, id, "feedback", "{\"note\":\"已处理\"}"), "handled",
	    "feedback"));
	CHECK(step_ok(act_on(s, "township", id, "verify", "{\"ok\":true}"), "closed", "verify"));
	CHECK_FIELD_ERROR(act_on(s, "township", id, "visit", "{\"satisfaction\":\"so-so\"}"), 422,
	    "validation_failed", "satisfaction");
	r = act_on(s, "township", id, "visit", "{\"satisfaction\":\"unsatisfied\",\"reopen\":true}");
	CHECK(step_ok(r, "handling", "reopen"));
	CHECK_INT(jint(r->json, "reopen_count", -1), 1);
	CHECK(step_ok(act_on(s, u.user, id, "feedback", "{\"note\":\"重新处理\"}"), "handled",
	    "feedback again"));
	CHECK(step_ok(act_on(s, "township", id, "verify", "{\"ok\":true}"), "closed",
	    "verify again"));
	r = act_on(s, "township", id, "visit", "{\"satisfaction\":\"unsatisfied\",\"reopen\":true}");
	CHECK_ERROR(r, 409, "conflict");
	CHECK_STR(jstr(r->json, "error.message"), "该事件已重办过一次，不能再次重办");
}

/* --- deadlines ------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2026-11-28T10:00:00.000+08:00" as epoch milliseconds, or -1. */
static long long
iso_ms(const char *t)
{
	int y, mo, d, h, mi, sec, ms, oh, om;
	char sign;

	if (t == NULL || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%2d:%2d", &y, &mo, &d, &h, &mi,
		&sec, &ms, &sign, &oh, &om) != 10 || (sign != '+' && sign != '-'))
		return -1;
	return ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    (sign == '+' ? 1 : -1) * (oh * 3600 + om * 60)) * 1000 + ms;
}

#define HOUR_MS 3600000LL

TEST(actions_urgent_and_critical_cases_count_in_hours)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("紧急事件");
	struct resp *r;
	struct unit u;
	long long id;

	CHECK(s != NULL);
	CHECK(unit_new(s, &u));
	r = report(s, "grid", jfmt("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", "grid",
	    "category_code", "dispute.neighbour", "title", title, "division_code", DEMO_GRID,
	    "reporter_name", "张三", "urgency", "urgent"));
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	/* Accept within the category's 2 urgent hours. */
	CHECK_INT(iso_ms(jstr(r->json, "accept_deadline")) - iso_ms(jstr(r->json, "reported_at")),
	    2 * HOUR_MS);
	r = act_on(s, "township", id, "accept", "{}");
	CHECK(step_ok(r, "accepted", "accept"));
	/* Finish within 24 urgent hours of acceptance. */
	CHECK_INT(iso_ms(jstr(r->json, "deadline_at")) - iso_ms(jstr(r->json, "accepted_at")),
	    24 * HOUR_MS);
	r = act_on(s, "township", id, "dispatch", jfmt("{s:I}", "lead_unit_id", (json_int_t)u.id));
	CHECK(step_ok(r, "dispatched", "dispatch"));
	CHECK_INT(iso_ms(jstr(r->json, "dispatches.0.sign_deadline")) -
	    iso_ms(jstr(r->json, "dispatches.0.dispatched_at")), 2 * HOUR_MS);

	r = report(s, "grid", jfmt("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", "grid",
	    "category_code", "hazard.gas", "title", uniq("燃气泄漏"), "division_code", DEMO_GRID,
	    "reporter_name", "张三", "urgency", "critical"));
	CHECK_INT(r->status, 201);
	CHECK_INT(iso_ms(jstr(r->json, "accept_deadline")) - iso_ms(jstr(r->json, "reported_at")),
	    1 * HOUR_MS);
}

TEST(actions_death_cases_are_dealt_with_at_once_and_petitions_in_calendar_days)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "township", DEMO_GRID, "death", uniq("非正常死亡"));
	CHECK(id > 0);
	r = read_event(s, "township", id);
	CHECK_INT(iso_ms(jstr(r->json, "accept_deadline")) - iso_ms(jstr(r->json, "reported_at")),
	    1 * HOUR_MS);
	r = act_on(s, "township", id, "accept", "{}");
	CHECK(step_ok(r, "accepted", "accept"));
	CHECK_INT(iso_ms(jstr(r->json, "deadline_at")) - iso_ms(jstr(r->json, "accepted_at")),
	    24 * HOUR_MS);

	/* A petition: accepted or not within 15 days, to the end of that day. */
	id = report_event(s, "township", DEMO_GRID, "petition", uniq("来信反映"));
	CHECK(id > 0);
	r = read_event(s, "township", id);
	CHECK(jstr(r->json, "accept_deadline") != NULL);
	CHECK(strstr(jstr(r->json, "accept_deadline"), "T23:59:59.999+08:00") != NULL);
	/*
	 * The deadline's day is the 15th after the report's, in calendar days of China
	 * Standard Time (UTC+8; UTC day numbers were off by one from 16:00 to 24:00 UTC).
	 */
	CHECK_INT((iso_ms(jstr(r->json, "accept_deadline")) + 8 * HOUR_MS) / 86400000 -
	    (iso_ms(jstr(r->json, "reported_at")) + 8 * HOUR_MS) / 86400000, 15);
	CHECK_STR(jstr(r->json, "petition_level"), "county");
}
