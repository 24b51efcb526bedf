/*
 * Finding events: filters as query parameters, the inbox of each role,
 * full-text search in Chinese, totals only when asked and keyset paging.
 */
#include "client.h"

#include <stdio.h>

/* GET /api/v1/events?<query> as user; NULL unless 200 with an items array. */
static json_t *
list_items(struct fixture *s, const char *user, const char *query)
{
	struct resp *r = api_get(s, session_of(s, user), tfmt("/api/v1/events?%s", query));

	if (r->status != 200 || !json_is_array(jget(r->json, "items"))) {
		printf("    list %s as %s: %ld %s\n", query, user, r->status, r->body);
		return NULL;
	}
	return jget(r->json, "items");
}

static bool
has_id(json_t *items, long long id)
{
	size_t i;
	json_t *e;

	json_array_foreach(items, i, e)
		if (jint(e, "id", 0) == id)
			return true;
	return false;
}

/* Does every item have the string value at path (a prefix of it when prefix is set)? */
static bool
all_have(json_t *items, const char *path, const char *value, bool prefix)
{
	size_t i;
	json_t *e;

	json_array_foreach(items, i, e) {
		const char *v = jstr(e, path);

		if (v == NULL || (prefix ? strncmp(v, value, strlen(value)) : strcmp(v, value)) != 0)
			return false;
	}
	return true;
}

static const char *
dispatch_to(long long unit)
{
	return jfmt("{s:I}", "lead_unit_id", (json_int_t)unit);
}

TEST(lists_filter_by_state_category_and_division)
{
	struct fixture *s = fixture_demo();
	const char *tag = uniq("筛选标记"), *q = tfmt("q=%s", url_encode(tag));
	long long neighbour, petition, elsewhere;
	json_t *items;

	CHECK(s != NULL);
	neighbour = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", tfmt("%s 邻里", tag));
	petition = report_event(s, "township", DEMO_GRID, "petition", tfmt("%s 信访", tag));
	elsewhere = report_event(s, "center", DEMO_OTHER_TOWN_GRID, "dispute.neighbour",
	    tfmt("%s 马金", tag));
	CHECK(neighbour > 0 && petition > 0 && elsewhere > 0);
	CHECK_INT(act_on(s, "township", neighbour, "accept", "{}")->status, 200);

	items = list_items(s, "center", tfmt("%s&state=accepted", q));
	CHECK(items != NULL);
	CHECK_INT(json_array_size(items), 1);
	CHECK(has_id(items, neighbour));
	items = list_items(s, "center", tfmt("%s&state=reported", q));
	CHECK_INT(json_array_size(items), 2);
	CHECK(has_id(items, petition) && has_id(items, elsewhere));
	items = list_items(s, "center", "state=reported&limit=200");
	CHECK(items != NULL && json_array_size(items) > 0);
	CHECK(all_have(items, "state", "reported", false));

	items = list_items(s, "center", tfmt("%s&category=petition", q));
	CHECK_INT(json_array_size(items), 1);
	CHECK(has_id(items, petition));
	CHECK_STR(jstr(items, "0.kind"), "petition");
	items = list_items(s, "center", "category=petition&limit=200");
	CHECK(items != NULL && all_have(items, "category.code", "petition", false));

	items = list_items(s, "center", tfmt("%s&division=%s", q, DEMO_OTHER_TOWN));
	CHECK_INT(json_array_size(items), 1);
	CHECK(has_id(items, elsewhere));
	items = list_items(s, "center", "division=" DEMO_TOWN "&limit=200");
	CHECK(items != NULL && json_array_size(items) > 0);
	CHECK(all_have(items, "division.code", DEMO_TOWN, true));
	items = list_items(s, "center", tfmt("%s&division=%s", q, DEMO_GRID));
	CHECK_INT(json_array_size(items), 2);
	/* An unknown division holds nothing. */
	items = list_items(s, "center", "division=330824999&limit=200");
	CHECK(items != NULL);
	CHECK_INT(json_array_size(items), 0);
}

TEST(lists_inboxes_show_what_waits_for_each_role)
{
	struct fixture *s = fixture_demo();
	const char *tag = uniq("待办标记"), *q = tfmt("q=%s", url_encode(tag));
	const char *unit_name = uniq("待办承办所"), *handler = uniq("inboxer");
	long long id, unit;

	CHECK(s != NULL);
	unit = county_unit_add(s, unit_name, DEMO_TOWN);
	CHECK(unit > 0);
	CHECK(county_user_add(s, handler, "department", DEMO_TOWN, unit) > 0);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", tfmt("%s 事件", tag));
	CHECK(id > 0);

	CHECK(has_id(list_items(s, "township", tfmt("%s&inbox=to_accept", q)), id));
	CHECK(has_id(list_items(s, "center", tfmt("%s&inbox=to_accept", q)), id));
	CHECK(!has_id(list_items(s, "township", tfmt("%s&inbox=to_dispatch", q)), id));

	CHECK_INT(act_on(s, "township", id, "accept", "{}")->status, 200);
	CHECK(!has_id(list_items(s, "township", tfmt("%s&inbox=to_accept", q)), id));
	CHECK(has_id(list_items(s, "township", tfmt("%s&inbox=to_dispatch", q)), id));

	CHECK_INT(act_on(s, "township", id, "dispatch", dispatch_to(unit))->status, 200);
	CHECK(!has_id(list_items(s, "township", tfmt("%s&inbox=to_dispatch", q)), id));
	CHECK(has_id(list_items(s, handler, tfmt("%s&inbox=to_sign", q)), id));
	CHECK(has_id(list_items(s, handler, "inbox=to_sign&limit=200"), id));
	/* Not in another unit's inbox. */
	CHECK(!has_id(list_items(s, "dept", "inbox=to_sign&limit=200"), id));

	CHECK_INT(act_on(s, handler, id, "sign", "{}")->status, 200);
	CHECK(!has_id(list_items(s, handler, "inbox=to_sign&limit=200"), id));
	CHECK(has_id(list_items(s, handler, "inbox=handling&limit=200"), id));

	CHECK_INT(act_on(s, handler, id, "feedback", "{\"note\":\"已处理完毕\"}")->status, 200);
	CHECK(!has_id(list_items(s, handler, "inbox=handling&limit=200"), id));
	CHECK(has_id(list_items(s, "township", tfmt("%s&inbox=to_verify", q)), id));

	CHECK_INT(act_on(s, "township", id, "verify", "{\"ok\":true}")->status, 200);
	CHECK(!has_id(list_items(s, "township", tfmt("%s&inbox=to_verify", q)), id));
	CHECK(has_id(list_items(s, "township", tfmt("%s&inbox=to_visit", q)), id));
	CHECK_INT(act_on(s, "township", id, "visit", "{\"satisfaction\":\"basically\"}")->status,
	    200);
	CHECK(!has_id(list_items(s, "township", tfmt("%s&inbox=to_visit", q)), id));
}

TEST(lists_search_finds_chinese_phrases_of_three_and_of_two_characters)
{
	struct fixture *s = fixture_demo();
	const char *body;
	long long id, by_description;
	json_t *items;

	CHECK(s != NULL);
	id = report_event(s, "grid", DEMO_GRID, "hazard", uniq("村口古樟树枝断裂压坏围墙"));
	CHECK(id > 0);
	body = jfmt("{s:s, s:s, s:s, s:s, s:s, s:s}", "channel", "grid", "category_code", "hazard",
	    "title", uniq("路灯损坏"), "description", "夜间照明不足，老人摔伤于石拱桥头",
	    "division_code", DEMO_GRID, "reporter_name", "王五");
	by_description = jint(report(s, "grid", body)->json, "id", 0);
	CHECK(by_description > 0);

	/* Three characters and more: the full-text index. */
	items = list_items(s, "center", tfmt("q=%s", url_encode("古樟树")));
	CHECK(items != NULL);
	CHECK_INT(json_array_size(items), 1);
	CHECK(has_id(items, id));
	CHECK(has_id(list_items(s, "center", tfmt("q=%s", url_encode("树枝断裂压坏"))), id));
	CHECK(has_id(list_items(s, "township", tfmt("q=%s", url_encode("石拱桥"))), by_description));
	/* Two characters still find it. */
	items = list_items(s, "center", tfmt("q=%s", url_encode("古樟")));
	CHECK(items != NULL);
	CHECK_INT(json_array_size(items), 1);
	CHECK(has_id(items, id));
	CHECK(has_id(list_items(s, "center", tfmt("q=%s", url_encode("拱桥"))), by_description));
	/* No match, and query syntax is only text. */
	CHECK_INT(json_array_size(list_items(s, "center", tfmt("q=%s", url_encode("并无此事")))),
	    0);
	CHECK_INT(json_array_size(list_items(s, "center",
	    tfmt("q=%s", url_encode("古樟\" OR \"路灯")))), 0);
	/* Search stays inside the scope: 马金镇 does not find 华埠镇's tree. */
	CHECK(other_township(s) != NULL);
	CHECK_INT(json_array_size(list_items(s, other_township(s),
	    tfmt("q=%s", url_encode("古樟树")))), 0);
}

TEST(lists_total_only_when_asked)
{
	struct fixture *s = fixture_demo();
	const char *tag = uniq("合计标记"), *q = tfmt("q=%s", url_encode(tag));
	struct resp *r;

	CHECK(s != NULL);
	for (int i = 0; i < 3; i++)
		CHECK(report_event(s, "grid", DEMO_GRID, "dispute.neighbour",
		    tfmt("%s 第%d件", tag, i)) > 0);
	r = api_get(s, session_of(s, "center"), tfmt("/api/v1/events?%s", q));
	CHECK_INT(r->status, 200);
	CHECK(jget(r->json, "total") == NULL);
	r = api_get(s, session_of(s, "center"), tfmt("/api/v1/events?%s&total=true&limit=1", q));
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "total", -1), 3);
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	r = api_get(s, session_of(s, "center"), "/api/v1/events?total=true&limit=1");
	CHECK(jint(r->json, "total", -1) >= 3);
}

TEST(lists_page_with_limit_and_next_cursor)
{
	struct fixture *s = fixture_demo();
	const char *tag = uniq("翻页标记"), *q = tfmt("q=%s", url_encode(tag));
	long long ids[3], cursor = 0, last = 0;
	int seen[3] = { 0, 0, 0 }, pages = 0;

	CHECK(s != NULL);
	for (int i = 0; i < 3; i++) {
		ids[i] = report_event(s, "grid", DEMO_GRID, "dispute.neighbour",
		    tfmt("%s 第%d件", tag, i));
		CHECK(ids[i] > 0);
	}
	do {
		struct resp *r = api_get(s, session_of(s, "township"), cursor
		    ? tfmt("/api/v1/events?%s&limit=1&cursor=%lld", q, cursor)
		    : tfmt("/api/v1/events?%s&limit=1", q));
		long long id;

		CHECK_INT(r->status, 200);
		CHECK_INT(json_array_size(jget(r->json, "items")), 1);
		id = jint(r->json, "items.0.id", 0);
		/* Newest first. */
		CHECK(last == 0 || id < last);
		last = id;
		for (int i = 0; i < 3; i++)
			seen[i] += ids[i] == id;
		cursor = jint(r->json, "next_cursor", 0);
		CHECK(cursor != 0 || json_is_null(jget(r->json, "next_cursor")));
		pages++;
	} while (cursor && pages < 5);
	CHECK_INT(pages, 3);
	for (int i = 0; i < 3; i++)
		CHECK_INT(seen[i], 1);
	CHECK_FIELD_ERROR(api_get(s, session_of(s, "center"), "/api/v1/events?limit=0"), 422,
	    "validation_failed", "limit");
	CHECK_FIELD_ERROR(api_get(s, session_of(s, "center"), "/api/v1/events?limit=201"), 422,
	    "validation_failed", "limit");
}

TEST(lists_grid_worker_lists_only_its_grids)
{
	struct fixture *s = fixture_demo();
	const char *tag = uniq("网格范围"), *q = tfmt("q=%s", url_encode(tag));
	long long mine, other;
	json_t *items;

	CHECK(s != NULL);
	mine = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", tfmt("%s 本网格", tag));
	other = report_event(s, "township", DEMO_OTHER_GRID, "dispute.neighbour",
	    tfmt("%s 别的网格", tag));
	CHECK(mine > 0 && other > 0);
	items = list_items(s, "grid", q);
	CHECK(items != NULL);
	CHECK(has_id(items, mine));
	CHECK(!has_id(items, other));
	CHECK_ERROR(read_event(s, "grid", other), 404, "not_found");
	items = list_items(s, "grid", "limit=200");
	CHECK(items != NULL && all_have(items, "division.code", "330824115205", true));
}
