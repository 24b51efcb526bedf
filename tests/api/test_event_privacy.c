/*
 * Personal data (DESIGN.md section 4): encrypted at rest, masked in every
 * answer, never in logs, shown in clear only on an audited reveal.
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>

TEST(privacy_personal_data_is_not_stored_in_clear_nor_logged)
{
	struct fixture *s = fixture_demo();
	const char *seq = uniq("");
	const char *id = gb_id_number(tfmt("33082419850505%03d", atoi(seq) % 1000));
	const char *phone = tfmt("1391234%04d", atoi(seq) % 10000);
	const char *body, *wal;
	struct resp *r;
	long long ev;

	CHECK(s != NULL);
	body = jfmt("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}]}", "channel", "grid",
	    "category_code", "dispute.neighbour", "title", uniq("隐私保护"), "division_code",
	    DEMO_GRID, "reporter_name", "赵六", "reporter_phone", phone, "address",
	    "龙岭村18号", "parties", "name", "钱七", "id_number", id, "phone", phone);
	r = report(s, "grid", body);
	CHECK_INT(r->status, 201);
	ev = jint(r->json, "id", 0);
	CHECK(strstr(r->body, id) == NULL && strstr(r->body, phone) == NULL);
	CHECK(strstr(r->body, "龙岭村18号") == NULL);
	r = api_send(s, "POST", tfmt("/api/v1/events/%lld/reveal", ev), session_of(s, "center"),
	    "{\"reason\":\"联系当事人核实\"}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "parties.0.id_number"), id);
	CHECK_STR(jstr(r->json, "parties.0.phone"), phone);
	CHECK_STR(jstr(r->json, "address"), "龙岭村18号");
	/* A refused report with the same data goes nowhere either. */
	CHECK_INT(report(s, "grid", jfmt("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", "grid",
	    "category_code", "no.such", "title", "隐私", "division_code", DEMO_GRID,
	    "reporter_name", "赵六", "reporter_phone", phone))->status, 422);

	wal = tfmt("%s-wal", s->db_path);
	CHECK(!file_has(s->db_path, id) && !file_has(wal, id));
	CHECK(!file_has(s->db_path, phone) && !file_has(wal, phone));
	CHECK(!file_has(s->db_path, "龙岭村18号") && !file_has(wal, "龙岭村18号"));
	CHECK(!file_has(s->log, id));
	CHECK(!file_has(s->log, phone));
	/* The check itself works: the case number is in the database. */
	CHECK(file_has(s->db_path, jstr(read_event(s, "center", ev)->json, "case_no")) ||
	    file_has(wal, jstr(read_event(s, "center", ev)->json, "case_no")));
}

TEST(privacy_every_listing_masks_the_reporter)
{
	struct fixture *s = fixture_demo();
	const char *title = uniq("列表脱敏");
	struct resp *r;

	CHECK(s != NULL);
	CHECK(report_event(s, "grid", DEMO_GRID, "dispute.neighbour", title) > 0);
	r = api_get(s, session_of(s, "center"), tfmt("/api/v1/events?q=%s", url_encode(title)));
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	CHECK(strstr(r->body, REPORTER_PHONE) == NULL);
	CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
	r = api_send(s, "POST", "/api/v1/events/duplicates", session_of(s, "grid"),
	    report_body(DEMO_GRID, "dispute.neighbour", title));
	CHECK_INT(r->status, 200);
	CHECK(json_array_size(jget(r->json, "items")) >= 1);
	CHECK(strstr(r->body, REPORTER_PHONE) == NULL);
	CHECK(strstr(r->body, PARTY_ID_NUMBER) == NULL);
}
