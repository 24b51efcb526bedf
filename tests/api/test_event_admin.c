/*
 * What the administrator sets up for the event hub: categories with their
 * deadline rules and the routing rules that suggest a responsible unit.
 */
#include "client.h"

#include <stdio.h>

/* The category with code in GET /api/v1/categories as user, or NULL. */
static json_t *
category(struct fixture *s, const char *user, const char *code, bool en)
{
	struct request rq = { .path = "/api/v1/categories", .bearer = session_of(s, user),
		.headers = { en ? "Accept-Language: en" : "Accept-Language: zh-CN" } };
	struct resp *r = http(s, &rq);
	size_t i;
	json_t *c;

	json_array_foreach(jget(r->json, "items"), i, c)
		if (jstr(c, "code") && strcmp(jstr(c, "code"), code) == 0)
			return c;
	return NULL;
}

static const char *
category_body(const char *name, int finish_days, long long version)
{
	return jfmt("{s:s, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:I}", "name", name,
	    "citizen_reportable", 1, "sign_days", 1, "finish_days", finish_days,
	    "urgent_sign_hours", 2, "urgent_finish_hours", 24, "critical_sign_hours", 1,
	    "critical_finish_hours", 12, "auto_escalate", 0, "version", (json_int_t)version);
}

TEST(admin_categories_list_names_and_deadlines_for_everyone)
{
	struct fixture *s = fixture_demo();
	json_t *c;

	CHECK(s != NULL);
	c = category(s, "grid", "dispute.neighbour", false);
	CHECK(c != NULL);
	CHECK_STR(jstr(c, "name"), "邻里纠纷");
	CHECK_STR(jstr(c, "parent_code"), "dispute");
	CHECK_STR(jstr(c, "kind"), "dispute");
	CHECK_INT(jint(c, "deadlines.sign_days", -1), 1);
	CHECK_INT(jint(c, "deadlines.finish_days", -1), 15);
	CHECK_INT(jint(c, "deadlines.urgent_sign_hours", -1), 2);
	c = category(s, "volunteer", "dispute.neighbour", true);
	CHECK(c != NULL);
	CHECK_STR(jstr(c, "name"), "Neighbours");
	c = category(s, "center", "petition", false);
	CHECK(c != NULL);
	CHECK(json_is_false(jget(c, "citizen_reportable")));
}

TEST(admin_category_change_needs_the_current_version)
{
	struct fixture *s = fixture_demo();
	const char *admin, *path = "/api/v1/categories/city.sanitation";
	long long version;
	struct resp *r;
	json_t *c;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	c = category(s, "admin", "city.sanitation", false);
	CHECK(c != NULL);
	version = jint(c, "version", 0);
	CHECK(version > 0);
	r = api_send(s, "PATCH", path, admin, category_body("环境卫生（含垃圾分类）", 4, version));
	CHECK_INT(r->status, 200);
	c = category(s, "grid", "city.sanitation", false);
	CHECK_STR(jstr(c, "name"), "环境卫生（含垃圾分类）");
	CHECK_INT(jint(c, "deadlines.finish_days", -1), 4);
	CHECK_INT(jint(c, "version", 0), version + 1);
	/* Somebody still holding the old version. */
	r = api_send(s, "PATCH", path, admin, category_body("环境卫生", 9, version));
	CHECK_ERROR(r, 412, "precondition_failed");
	CHECK_INT(jint(category(s, "grid", "city.sanitation", false), "deadlines.finish_days", -1),
	    4);
	CHECK_FIELD_ERROR(api_send(s, "PATCH", path, admin, category_body("环境卫生", 0,
	    version + 1)), 422, "validation_failed", "finish_days");
	CHECK_ERROR(api_send(s, "PATCH", "/api/v1/categories/no.such", admin,
	    category_body("无此类别", 3, 1)), 404, "not_found");
	CHECK_ERROR(api_send(s, "PATCH", path, session_of(s, "center"),
	    category_body("环境卫生", 3, version + 1)), 403, "forbidden");
	/* Put back what other tests may expect. */
	CHECK_INT(api_send(s, "PATCH", path, admin, category_body("环境卫生", 3, version + 1))->status,
	    200);
}

/* The id of the routing rule for category at division in the list, or 0. */
static long long
rule_id(struct fixture *s, const char *cat, const char *division, long long unit)
{
	struct resp *r = api_get(s, session_of(s, "township"), "/api/v1/routing-rules");
	size_t i;
	json_t *rule;

	json_array_foreach(jget(r->json, "items"), i, rule)
		if (jstr(rule, "category_code") && strcmp(jstr(rule, "category_code"), cat) == 0 &&
		    jstr(rule, "division_code") && strcmp(jstr(rule, "division_code"), division) == 0 &&
		    jint(rule, "unit_id", 0) == unit)
			return jint(rule, "id", 0);
	return 0;
}

TEST(admin_routing_rule_suggests_the_most_specific_unit)
{
	struct fixture *s = fixture_demo();
	const char *name = uniq("华埠镇便民服务中心"), *admin;
	long long unit, rule, id;
	struct resp *r;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	unit = county_unit_add(s, name, DEMO_TOWN);
	CHECK(unit > 0);
	id = report_event(s, "grid", DEMO_GRID, "help", uniq("独居老人求助"));
	CHECK(id > 0);
	/* The county-wide rule of the demo data. */
	CHECK_STR(jstr(read_event(s, "township", id)->json, "suggested_unit.name"), "县民政局");

	r = api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "help", "division_code", DEMO_TOWN, "unit_id", (json_int_t)unit));
	CHECK_INT(r->status, 200);
	rule = rule_id(s, "help", DEMO_TOWN, unit);
	CHECK(rule > 0);
	r = read_event(s, "township", id);
	CHECK_INT(jint(r->json, "suggested_unit.id", 0), unit);
	CHECK_STR(jstr(r->json, "suggested_unit.name"), name);
	/* Elsewhere in the county the county rule still holds. */
	CHECK_STR(jstr(read_event(s, "center", report_event(s, "center", DEMO_OTHER_TOWN_GRID,
	    "help", uniq("马金求助")))->json, "suggested_unit.name"), "县民政局");

	CHECK_INT(api_send(s, "DELETE", tfmt("/api/v1/routing-rules/%lld", rule), admin, NULL)->status,
	    204);
	CHECK_INT(rule_id(s, "help", DEMO_TOWN, unit), 0);
	CHECK_STR(jstr(read_event(s, "township", id)->json, "suggested_unit.name"), "县民政局");
	CHECK_ERROR(api_send(s, "DELETE", tfmt("/api/v1/routing-rules/%lld", rule), admin, NULL),
	    404, "not_found");
}

TEST(admin_routing_falls_back_to_the_parent_category_nearest_category_first)
{
	struct fixture *s = fixture_demo();
	const char *town_name = uniq("华埠镇人民调解委员会"), *county_name = uniq("县邻里调解中心");
	const char *admin;
	long long town_unit, county_unit, town_rule, county_rule, id;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	town_unit = county_unit_add(s, town_name, DEMO_TOWN);
	county_unit = county_unit_add(s, county_name, "330824");
	CHECK(town_unit > 0 && county_unit > 0);
	/* dispute.neighbour has no rule of its own: the county rule of its parent, dispute. */
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("宅基地界址争议"));
	CHECK(id > 0);
	CHECK_STR(jstr(read_event(s, "township", id)->json, "suggested_unit.name"), "县司法局");

	/* The parent's rule for the township is more specific than its county rule. */
	CHECK_INT(api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "dispute", "division_code", DEMO_TOWN, "unit_id",
	    (json_int_t)town_unit))->status, 200);
	town_rule = rule_id(s, "dispute", DEMO_TOWN, town_unit);
	CHECK(town_rule > 0);
	CHECK_STR(jstr(read_event(s, "township", id)->json, "suggested_unit.name"), town_name);

	/* A rule of the category itself wins over its parent's, even for a larger division. */
	CHECK_INT(api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "dispute.neighbour", "division_code", "330824", "unit_id",
	    (json_int_t)county_unit))->status, 200);
	county_rule = rule_id(s, "dispute.neighbour", "330824", county_unit);
	CHECK(county_rule > 0);
	CHECK_INT(jint(read_event(s, "township", id)->json, "suggested_unit.id", 0), county_unit);

	CHECK_INT(api_send(s, "DELETE", tfmt("/api/v1/routing-rules/%lld", county_rule), admin,
	    NULL)->status, 204);
	CHECK_INT(api_send(s, "DELETE", tfmt("/api/v1/routing-rules/%lld", town_rule), admin,
	    NULL)->status, 204);
	CHECK_STR(jstr(read_event(s, "township", id)->json, "suggested_unit.name"), "县司法局");
}

TEST(admin_routing_rule_errors_name_the_wrong_field)
{
	struct fixture *s = fixture_demo();
	long long unit;
	const char *admin;

	CHECK(s != NULL);
	admin = session_of(s, "admin");
	unit = county_unit_add(s, uniq("规则校验所"), DEMO_TOWN);
	CHECK(unit > 0);
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "no.such", "division_code", DEMO_TOWN, "unit_id", (json_int_t)unit)),
	    422, "validation_failed", "category_code");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "help", "division_code", "330824115", "unit_id", (json_int_t)999999)),
	    422, "validation_failed", "unit_id");
	CHECK_FIELD_ERROR(api_send(s, "POST", "/api/v1/routing-rules", admin, jfmt("{s:s, s:s, s:I}",
	    "category_code", "help", "division_code", "330824999", "unit_id", (json_int_t)unit)),
	    422, "validation_failed", "division_code");
}
