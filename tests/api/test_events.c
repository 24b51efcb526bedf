/*
 * The event hub as a reporter and a county room use it: intake with its
 * validation, retries with an Idempotency-Key, personal data masked unless
 * revealed with a reason, and attachments checked by content.
 */
#include "client.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* A valid 1x1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
static const unsigned char tiny_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
	0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
	0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
	0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
	0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* body with key set to the JSON text value (parsed), as new text. */
static const char *
body_with(const char *body, const char *key, const char *value)
{
	json_t *o = json_loads(body, 0, NULL), *v = json_loads(value, JSON_DECODE_ANY, NULL);
	const char *text;

	if (o == NULL || v == NULL)
		abort();
	json_object_set_new(o, key, v);
	text = jfmt("O", o);
	json_decref(o);
	return text;
}

/* How many events the user can list whose title is exactly title. */
static int
count_titled(struct fixture *s, const char *user, const char *title)
{
	struct resp *r = api_get(s, session_of(s, user),
	    tfmt("/api/v1/events?limit=200&q=%s", url_encode(title)));
	size_t i;
	json_t *e;
	int n = 0;

	if (r->status != 200)
		return -1;
	json_array_foreach(jget(r->json, "items"), i, e)
		if (jstr(e, "title") && strcmp(jstr(e, "title"), title) == 0)
			n++;
	return n;
}

/* "330824-YYYYMMDD-NNNN" with the date of reported_at ("YYYY-MM-DDT..."). */
static bool
case_no_ok(const char *case_no, const char *reported_at)
{
	char day[9];

	if (case_no == NULL || reported_at == NULL || strlen(case_no) != 20 ||
	    strncmp(case_no, "330824-", 7) != 0 || case_no[15] != '-')
		return false;
	for (int i = 7; i < 20; i++)
		if (i != 15 && !isdigit((unsigned char)case_no[i]))
			return false;
	snprintf(day, sizeof day, "%.4s%.2s%.2s", reported_at, reported_at + 5, reported_at + 8);
	return strncmp(case_no + 7, day, 8) == 0;
}

/* The audit rows about one event with one action, as the auditor reads them. */
static json_t *
audit_rows(struct fixture *s, long long id, const char *action)
{
	struct resp *r = api_get(s, session_of(s, "auditor"),
	    tfmt("/api/v1/audit?limit=200&entity=event&entity_id=%lld&action=%s", id, action));

	return r->status == 200 ? jget(r->json, "items") : NULL;
}

/* --- intake ------------------------------------------------------------ */

TEST(events_case_numbers_carry_the_county_of_the_event)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	const char *no, *user;
	long long id;

	CHECK(s != NULL);
	/* A neighbouring county on the same server (a city or province deployment). */
	r = api_send(s, "POST", "/api/v1/divisions", session_of(s, "admin"),
	    jfmt("{s:s, s:s}", "code", "330881", "name", "江山市"));
	CHECK(r->status == 201 || r->status == 409);
	user = uniq("jiangshan");
	CHECK(county_user_add(s, user, "county_center", "330881", 0) > 0);
	id = report_event(s, user, "330881", "dispute.neighbour", uniq("跨县事件编号"));
	CHECK(id > 0);
	no = jstr(read_event(s, user, id)->json, "case_no");
	if (no == NULL || strncmp(no, "330881-", 7) != 0 || strlen(no) != 20)
		printf("    case number %s\n", no ? no : "(none)");
	CHECK(no != NULL && strncmp(no, "330881-", 7) == 0 && strlen(no) == 20);
	/* Each county numbers its own day: the demo county's numbers go on as before. */
	r = report(s, "grid", report_body(DEMO_GRID, "dispute.neighbour", uniq("本县事件编号")));
	CHECK_INT(r->status, 201);
	CHECK(case_no_ok(jstr(r->json, "case_no"), jstr(r->json, "reported_at")));
}

TEST(events_grid_worker_reports_in_its_grid_with_personal_data_masked)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("邻里宅基地纠纷");
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	r = report(s, "grid", report_body(DEMO_GRID, "dispute.neighbour", title));
	CHECK_INT(r->status, 201);
	id = jint(r->json, "id", 0);
	CHECK(id > 0);
	CHECK_STR(resp_header(r, "Location"), tfmt("/api/v1/events/%lld", id));
	CHECK(case_no_ok(jstr(r->json, "case_no"), jstr(r->json, "reported_at")));
	CHECK_STR(jstr(r->json, "state"), "reported");
	CHECK_STR(jstr(r->json, "title"), title);
	CHECK_STR(jstr(r->json, "division.code"), DEMO_GRID);
	CHECK_STR(jstr(r->json, "category.code"), "dispute.neighbour");
	CHECK_STR(jstr(r->json, "level"), "grid");
	CHECK_STR(jstr(r->json, "reporter_phone"), "138****5678");
	CHECK_STR(jstr(r->json, "parties.0.id_number"), "340524********001X");
	CHECK(strstr(r->body, REPORTER_PHONE) == NULL);
	CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
	CHECK_STR(jstr(r->json, "timeline.0.action"), "report");
	CHECK_STR(jstr(r->json, "timeline.0.to"), "reported");

	/* The township room reads it the same way: masked. */
	r = read_event(s, "township", id);
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "reporter_phone"), "138****5678");
	CHECK_STR(jstr(r->json, "parties.0.id_number"), "340524********001X");
	CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
}

TEST(events_case_numbers_count_up_within_the_day)
{
	struct fixture *s = fixture_demo();
	struct resp *a, *b;
	const char *ca, *cb;

	CHECK(s != NULL);
	a = report(s, "grid", report_body(DEMO_GRID, "dispute.neighbour", uniq("编号甲")));
	b = report(s, "grid", report_body(DEMO_GRID, "dispute.neighbour", uniq("编号乙")));
	CHECK_INT(a->status, 201);
	CHECK_INT(b->status, 201);
	ca = jstr(a->json, "case_no");
	cb = jstr(b->json, "case_no");
	CHECK(ca != NULL && cb != NULL);
	CHECK(strncmp(ca, cb, 16) == 0);
	CHECK_INT(atoi(cb + 16), atoi(ca + 16) + 1);
}

TEST(events_report_outside_own_grids_is_422_on_division_code)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("网格外上报");
	struct resp *r;

	CHECK(s != NULL);
	/* Same town, a grid somebody else looks after. */
	r = report(s, "grid", report_body(DEMO_OTHER_GRID, "dispute.neighbour", title));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "division_code");
	/* Another town altogether. */
	r = report(s, "grid", report_body(DEMO_OTHER_TOWN_GRID, "dispute.neighbour", title));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "division_code");
	/* A division that does not exist. */
	r = report(s, "grid", report_body("330824999999999", "dispute.neighbour", title));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "division_code");
	CHECK_INT(count_titled(s, "center", title), 0);
}

TEST(events_bad_id_number_is_422_naming_the_party_id_number)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("身份证号错误");
	const char *body = body_with(report_body(DEMO_GRID, "dispute.neighbour", title), "parties",
	    "[{\"name\":\"李四\",\"id_number\":\"340524198001010010\"}]");
	struct resp *r;

	CHECK(s != NULL);
	r = report(s, "grid", body);
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.id_number");
	CHECK_STR(jstr(r->json, "error.message"), "身份证号校验位错误");
	body = body_with(body, "parties", "[{\"name\":\"李四\",\"id_number\":\"3405241980\"}]");
	r = report(s, "grid", body);
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.id_number");
	CHECK_STR(jstr(r->json, "error.message"), "身份证号应为18位");
	CHECK_INT(count_titled(s, "center", title), 0);
}

TEST(events_unknown_category_bad_urgency_or_future_time_is_422)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("字段校验");
	const char *good = report_body(DEMO_GRID, "dispute.neighbour", title);
	struct resp *r;

	CHECK(s != NULL);
	r = report(s, "grid", report_body(DEMO_GRID, "no.such.category", title));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "category_code");
	CHECK_STR(jstr(r->json, "error.message"), "事件类别不存在或已停用");
	r = report(s, "grid", body_with(good, "urgency", "\"asap\""));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "urgency");
	r = report(s, "grid", body_with(good, "occurred_at", "\"2099-01-01T08:00:00+08:00\""));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "occurred_at");
	CHECK_STR(jstr(r->json, "error.message"), "发生时间不能晚于现在");
	r = report(s, "grid", body_with(good, "occurred_at", "\"yesterday\""));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "occurred_at");
	r = report(s, "grid", body_with(good, "channel", "\"pigeon\""));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "channel");
	CHECK_INT(count_titled(s, "center", title), 0);
	/* The same form with the mistakes put right is accepted. */
	r = report(s, "grid", body_with(good, "urgency", "\"urgent\""));
	CHECK_INT(r->status, 201);
	CHECK_STR(jstr(r->json, "urgency"), "urgent");
	CHECK_INT(count_titled(s, "center", title), 1);
}

TEST(events_party_phone_party_count_and_coordinates_are_checked)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("当事人校验");
	const char *good = report_body(DEMO_GRID, "dispute.neighbour", title);
	json_t *many = json_array();
	const char *eleven;
	struct resp *r;

	CHECK(s != NULL);
	for (int i = 0; i < 11; i++)
		json_array_append_new(many, json_pack("{s:s}", "name", "当事人"));
	eleven = jfmt("O", many);
	json_decref(many);
	r = report(s, "grid", body_with(good, "parties",
	    "[{\"name\":\"李四\",\"phone\":\"12345\"}]"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.phone");
	r = report(s, "grid", body_with(good, "parties", eleven));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties");
	r = report(s, "grid", body_with(good, "reporter_phone", "\"0570-123\""));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "reporter_phone");
	r = report(s, "grid", body_with(body_with(good, "lat", "129.1"), "lng", "118.4"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "lat");
	CHECK_INT(count_titled(s, "center", title), 0);
	r = report(s, "grid", body_with(body_with(good, "lat", "29.29"), "lng", "118.36"));
	CHECK_INT(r->status, 201);
	CHECK(json_number_value(jget(r->json, "lat")) > 29.28);
}

/* A party's fields are named as parties.<field>, as parties.id_number is: "name" alone is ambiguous. */
TEST(events_party_without_a_name_names_parties_name)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("当事人无名");
	const char *good = report_body(DEMO_GRID, "dispute.neighbour", title);
	struct resp *r;

	CHECK(s != NULL);
	r = report(s, "grid", body_with(good, "parties", "[{\"name\":\"\"}]"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.name");
	r = report(s, "grid", body_with(good, "parties", "[{\"id_number\":\"" PARTY_ID_NUMBER "\"}]"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.name");
	r = report(s, "grid", body_with(good, "parties", "[{\"name\":\"李四\",\"age\":3}]"));
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "parties.age");
	CHECK_INT(count_titled(s, "center", title), 0);
}

#define REPORTERS 8
#define EACH 4

struct reporter {
	struct fixture *s;
	const char *token, *title;
	const char *case_no[EACH];
};

static void *
report_some(void *arg)
{
	struct reporter *w = arg;

	for (int i = 0; i < EACH; i++) {
		struct request rq = { .method = "POST", .path = "/api/v1/events", .bearer = w->token,
			.body = report_body(DEMO_GRID, "dispute.neighbour", w->title) };
		struct resp *r = http(w->s, &rq);

		w->case_no[i] = r->status == 201 ? jstr(r->json, "case_no") : NULL;
	}
	return NULL;
}

TEST(events_case_numbers_stay_unique_when_many_report_at_once)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("同时上报");
	struct reporter w[REPORTERS];
	pthread_t t[REPORTERS];

	CHECK(s != NULL);
	for (int i = 0; i < REPORTERS; i++)
		w[i] = (struct reporter){ .s = s, .token = session_of(s, i % 2 ? "grid" : "township"),
			.title = title };
	for (int i = 0; i < REPORTERS; i++)
		CHECK_INT(pthread_create(&t[i], NULL, report_some, &w[i]), 0);
	for (int i = 0; i < REPORTERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < REPORTERS * EACH; i++) {
		const char *a = w[i / EACH].case_no[i % EACH];

		CHECK(a != NULL);
		for (int k = 0; k < i; k++)
			CHECK(strcmp(a, w[k / EACH].case_no[k % EACH]) != 0);
	}
	CHECK_INT(count_titled(s, "center", title), REPORTERS * EACH);
}

/* --- Idempotency-Key ----------------------------------------------------- */

static struct resp *
report_with_key(struct fixture *s, const char *token, const char *body, const char *key)
{
	struct request rq = { .method = "POST", .path = "/api/v1/events", .body = body,
		.bearer = token, .headers = { tfmt("Idempotency-Key: %s", key) } };

	return http(s, &rq);
}

TEST(events_same_idempotency_key_twice_creates_one_event)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("手机重试"), *key = uniq("retry-key-");
	const char *body = report_body(DEMO_GRID, "dispute.neighbour", title);
	struct resp *a, *b;

	CHECK(s != NULL);
	a = report_with_key(s, session_of(s, "grid"), body, key);
	CHECK_INT(a->status, 201);
	b = report_with_key(s, session_of(s, "grid"), body, key);
	CHECK_INT(b->status, 200);
	CHECK(jint(a->json, "id", 0) > 0);
	CHECK_INT(jint(b->json, "id", 0), jint(a->json, "id", 0));
	CHECK_STR(jstr(b->json, "case_no"), jstr(a->json, "case_no"));
	CHECK_INT(count_titled(s, "center", title), 1);
	/* Another key is another report. */
	CHECK_INT(report_with_key(s, session_of(s, "grid"), body, uniq("retry-key-"))->status, 201);
	CHECK_INT(count_titled(s, "center", title), 2);
}

#define RACERS 8

struct racer {
	struct fixture *s;
	const char *token, *body, *key;
	long status;
	long long id;
};

static void *
race_report(void *arg)
{
	struct racer *w = arg;
	struct resp *r = report_with_key(w->s, w->token, w->body, w->key);

	w->status = r->status;
	w->id = jint(r->json, "id", 0);
	return NULL;
}

TEST(events_eight_phones_posting_one_idempotency_key_at_once_create_one_event)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("并发重试"), *key = uniq("race-key-");
	struct racer w[RACERS];
	pthread_t t[RACERS];
	int created = 0;

	CHECK(s != NULL);
	for (int i = 0; i < RACERS; i++) {
		w[i] = (struct racer){ s, session_of(s, "grid"),
			report_body(DEMO_GRID, "dispute.neighbour", title), key, 0, 0 };
	}
	for (int i = 0; i < RACERS; i++)
		CHECK_INT(pthread_create(&t[i], NULL, race_report, &w[i]), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RACERS; i++) {
		if (w[i].status == 201)
			created++;
		else if (w[i].status != 200)
			test_failf(__FILE__, __LINE__, "racer %d answered %ld", i, w[i].status);
		CHECK_INT(w[i].id, w[0].id);
	}
	CHECK_INT(created, 1);
	CHECK_INT(count_titled(s, "center", title), 1);
}

/* --- reveal -------------------------------------------------------------- */

TEST(events_reveal_with_a_reason_shows_clear_data_and_is_audited)
{
	struct fixture *s = fixture_demo();
	long long id;
	struct resp *r;
	json_t *rows;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("核实身份事件"));
	CHECK(id > 0);
	CHECK_INT(json_array_size(audit_rows(s, id, "event.reveal")), 0);
	r = api_send(s, "POST", tfmt("/api/v1/events/%lld/reveal", id), session_of(s, "center"),
	    "{\"reason\":\"核实身份\"}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "parties.0.id_number"), PARTY_ID_NUMBER);
	CHECK_STR(jstr(r->json, "parties.0.name"), "李四");
	CHECK_STR(jstr(r->json, "reporter_phone"), REPORTER_PHONE);
	CHECK_STR(jstr(r->json, "reporter_name"), "张三");
	rows = audit_rows(s, id, "event.reveal");
	CHECK_INT(json_array_size(rows), 1);
	CHECK_STR(jstr(rows, "0.detail.reason"), "核实身份");
	CHECK_STR(jstr(rows, "0.entity_id"), tfmt("%lld", id));
	/* The reason is in the trail, the revealed data is not. */
	CHECK(strstr(jfmt("O", rows), PARTY_ID_NUMBER) == NULL);
	/* Reading the event afterwards is masked again. */
	r = read_event(s, "center", id);
	CHECK_STR(jstr(r->json, "parties.0.id_number"), "340524********001X");
	/* The township room holds the reveal right too. */
	r = api_send(s, "POST", tfmt("/api/v1/events/%lld/reveal", id), session_of(s, "township"),
	    "{\"reason\":\"调解需要联系当事人\"}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "parties.0.id_number"), PARTY_ID_NUMBER);
	CHECK_INT(json_array_size(audit_rows(s, id, "event.reveal")), 2);
}

TEST(events_reveal_without_a_reason_is_422_and_not_audited)
{
	struct fixture *s = fixture_demo();
	const char *path, *center;
	long long id;
	struct resp *r;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("无事由查看"));
	CHECK(id > 0);
	path = tfmt("/api/v1/events/%lld/reveal", id);
	center = session_of(s, "center");
	CHECK_FIELD_ERROR(api_send(s, "POST", path, center, "{}"), 422, "validation_failed",
	    "reason");
	r = api_send(s, "POST", path, center, "{\"reason\":\"看看\"}");
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "reason");
	CHECK_STR(jstr(r->json, "error.message"), "查看个人信息必须填写事由（至少 4 个字）");
	CHECK(strstr(api_send(s, "POST", path, center, "{}")->body, PARTY_ID_NUMBER) == NULL);
	CHECK_INT(json_array_size(audit_rows(s, id, "event.reveal")), 0);
}

/* "At least 4 characters" of reason: four spaces say nothing and must not open the data. */
TEST(events_reveal_reason_of_blanks_is_422)
{
	struct fixture *s = fixture_demo();
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("空白事由"));
	CHECK(id > 0);
	r = api_send(s, "POST", tfmt("/api/v1/events/%lld/reveal", id), session_of(s, "center"),
	    "{\"reason\":\"    \"}");
	CHECK_FIELD_ERROR(r, 422, "validation_failed", "reason");
	CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
	CHECK_INT(json_array_size(audit_rows(s, id, "event.reveal")), 0);
}

TEST(events_reveal_needs_the_reveal_right)
{
	struct fixture *s = fixture_demo();
	const char *path;
	long long id;
	static const char *const without[] = { "grid", "dept", "leader", "auditor", "volunteer",
		"admin" };
	struct resp *r;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("越权查看"));
	CHECK(id > 0);
	path = tfmt("/api/v1/events/%lld/reveal", id);
	for (size_t i = 0; i < sizeof without / sizeof without[0]; i++) {
		r = api_send(s, "POST", path, session_of(s, without[i]), "{\"reason\":\"核实身份\"}");
		CHECK_ERROR(r, 403, "forbidden");
		CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
	}
	CHECK_INT(json_array_size(audit_rows(s, id, "event.reveal")), 0);
}

/* --- attachments ----------------------------------------------------------- */

static struct resp *
upload(struct fixture *s, const char *user, long long id, const void *data, size_t len,
    const char *type, const char *query)
{
	struct request rq = { .method = "POST",
		.path = tfmt("/api/v1/events/%lld/attachments%s", id, query ? query : ""),
		.body = data, .body_len = len, .content_type = type, .bearer = session_of(s, user),
		.headers = { "Expect:" } };

	return http(s, &rq);
}

TEST(events_png_attachment_round_trips_with_its_type)
{
	struct fixture *s = fixture_demo();
	long long id;
	long long aid;
	struct resp *r;
	json_t *att;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "hazard.fire", uniq("楼道堆放杂物"));
	CHECK(id > 0);
	r = upload(s, "grid", id, tiny_png, sizeof tiny_png, "image/png", "?name=photo.png");
	CHECK_INT(r->status, 201);
	aid = jint(r->json, "id", 0);
	CHECK(aid > 0);
	CHECK_INT(jint(r->json, "event_id", 0), id);

	r = read_event(s, "township", id);
	CHECK_INT(r->status, 200);
	att = jget(r->json, "attachments");
	CHECK_INT(json_array_size(att), 1);
	CHECK_INT(jint(att, "0.id", 0), aid);
	CHECK_STR(jstr(att, "0.mime"), "image/png");
	CHECK_INT(jint(att, "0.size", 0), sizeof tiny_png);
	CHECK_STR(jstr(att, "0.name"), "photo.png");

	r = api_get(s, session_of(s, "township"), tfmt("/api/v1/attachments/%lld", aid));
	CHECK_INT(r->status, 200);
	CHECK(resp_header(r, "Content-Type") != NULL);
	CHECK_STR(resp_header(r, "Content-Type"), "image/png");
	CHECK_INT(r->body_len, sizeof tiny_png);
	CHECK(memcmp(r->body, tiny_png, sizeof tiny_png) == 0);
	CHECK_ERROR(api_get(s, session_of(s, "township"), "/api/v1/attachments/999999"), 404,
	    "not_found");
	/* Evidence stays with the event: out of scope, it does not exist. */
	CHECK(other_township(s) != NULL);
	CHECK_ERROR(api_get(s, session_of(s, other_township(s)), tfmt("/api/v1/attachments/%lld",
	    aid)), 404, "not_found");
	CHECK_ERROR(api_get(s, session_of(s, "dept"), tfmt("/api/v1/attachments/%lld", aid)), 404,
	    "not_found");
	CHECK_ERROR(upload(s, other_township(s), id, tiny_png, sizeof tiny_png, "image/png", NULL),
	    404, "not_found");
}

TEST(events_text_declared_as_png_is_415_and_not_attached)
{
	struct fixture *s = fixture_demo();
	long long id;
	static const char text[] = "this is a text file, not a picture\n";
	struct resp *r;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "hazard.fire", uniq("冒充图片"));
	CHECK(id > 0);
	r = upload(s, "grid", id, text, sizeof text - 1, "image/png", "?name=photo.png");
	CHECK_ERROR(r, 415, "unsupported_media_type");
	/* A PNG signature inside the file does not count: the content starts with it or not. */
	r = upload(s, "grid", id, "xx\x89PNG\r\n\x1a\n", 10, "image/png", NULL);
	CHECK_ERROR(r, 415, "unsupported_media_type");
	r = read_event(s, "township", id);
	CHECK_INT(json_array_size(jget(r->json, "attachments")), 0);
}

TEST(events_attachment_over_10_mib_is_413)
{
	struct fixture *s = fixture_demo();
	size_t n = 10u * 1024 * 1024 + 1;
	unsigned char *big;
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "hazard.fire", uniq("超大附件"));
	CHECK(id > 0);
	big = calloc(1, n);
	CHECK(big != NULL);
	memcpy(big, tiny_png, sizeof tiny_png);
	r = upload(s, "grid", id, big, n, "image/png", NULL);
	free(big);
	CHECK_ERROR(r, 413, "payload_too_large");
	r = read_event(s, "township", id);
	CHECK_INT(json_array_size(jget(r->json, "attachments")), 0);
}
