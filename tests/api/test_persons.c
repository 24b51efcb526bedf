/*
 * The registry of persons (实有人口): registering, looking up by ID number,
 * name and phone, scope, import all or nothing, change with a version, and
 * personal data masked, encrypted and revealed only with an audited reason.
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>

/* A fresh valid ID number born 1985-05-05 in 开化 (330824), unique per call. */
static const char *
fresh_id(void)
{
	return gb_id_number(tfmt("33082419850505%03d", atoi(uniq("")) % 1000));
}

static const char *
person_body(const char *id, const char *name, const char *kind, const char *division,
    const char *phone)
{
	return jfmt("{s:s, s:s, s:s, s:s, s:s, s:s}", "id_number", id, "name", name, "kind", kind,
	    "division_code", division, "phone", phone, "address", "华埠镇龙岭村8号");
}

static struct resp *
register_person(struct fixture *s, const char *user, const char *body)
{
	return api_send(s, "POST", "/api/v1/persons", session_of(s, user), body);
}

static struct resp *
lookup(struct fixture *s, const char *user, const char *query)
{
	return api_get(s, session_of(s, user), tfmt("/api/v1/persons?%s", query));
}

static struct resp *
import_csv(struct fixture *s, const char *user, const char *csv)
{
	struct request rq = { .method = "POST", .path = "/api/v1/persons/import", .body = csv,
		.content_type = "text/csv; charset=utf-8", .bearer = session_of(s, user) };

	return http(s, &rq);
}

TEST(persons_register_masks_encrypts_and_reveals_with_audit)
{
	struct fixture *s = fixture_demo();
	const char *id = fresh_id(), *phone = tfmt("1390000%04d", atoi(uniq("")) % 10000);
	const char *wal;
	struct resp *r;
	long long pid;

	CHECK(s != NULL);
	/* Spaces around a name (ASCII or ideographic) are not part of it. */
	r = register_person(s, "grid", person_body(id, " 欧阳明月\u3000", "floating", DEMO_GRID, phone));
	CHECK_INT(r->status, 201);
	pid = jint(r->json, "id", 0);
	CHECK(pid > 0);
	CHECK(resp_header(r, "Location") != NULL);
	CHECK_STR(jstr(r->json, "id_number"), tfmt("330824********%s", id + 14));
	CHECK_STR(jstr(r->json, "name"), "欧***");
	CHECK_STR(jstr(r->json, "phone"), tfmt("139****%s", phone + 7));
	CHECK_STR(jstr(r->json, "sex"), (id[16] - '0') % 2 ? "M" : "F");
	CHECK_STR(jstr(r->json, "birth_date"), "1985-05-05");
	CHECK_STR(jstr(r->json, "kind_label"), "流动人口");
	CHECK_STR(jstr(r->json, "division.code"), DEMO_GRID);
	CHECK(strstr(r->body, id) == NULL && strstr(r->body, phone) == NULL);
	CHECK(strstr(r->body, "龙岭村8号") == NULL);

	/* Found by ID number (either case of X), and by whole name and phone. */
	r = lookup(s, "township", tfmt("id_number=%s", id));
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	CHECK_INT(jint(r->json, "items.0.id", 0), pid);
	CHECK_INT(json_array_size(jget(lookup(s, "center", tfmt("name=%s",
	    url_encode("欧阳明月")))->json, "items")), 1);
	CHECK_INT(json_array_size(jget(lookup(s, "center", tfmt("phone=%s", phone))->json,
	    "items")), 1);
	/* A fragment of a name finds nothing: names are only matched whole. */
	CHECK_INT(json_array_size(jget(lookup(s, "center", tfmt("name=%s",
	    url_encode("欧阳")))->json, "items")), 0);

	/* The same ID number again is refused, and nothing is added. */
	r = register_person(s, "township", person_body(id, "欧阳明月", "registered", DEMO_GRID,
	    phone));
	CHECK_INT(r->status, 409);
	CHECK_STR(jstr(r->json, "error.field"), "id_number");

	/* Reveal needs the right and a reason; it is audited. */
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/persons/%lld/reveal", pid),
	    session_of(s, "grid"), "{\"reason\":\"核实身份信息\"}")->status, 403);
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/persons/%lld/reveal", pid),
	    session_of(s, "center"), "{\"reason\":\"看\"}")->status, 422);
	r = api_send(s, "POST", tfmt("/api/v1/persons/%lld/reveal", pid), session_of(s, "center"),
	    "{\"reason\":\"核实流动人口身份\"}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "id_number"), id);
	CHECK_STR(jstr(r->json, "name"), "欧阳明月");
	CHECK_STR(jstr(r->json, "phone"), phone);
	CHECK_STR(jstr(r->json, "address"), "华埠镇龙岭村8号");
	r = api_get(s, session_of(s, "auditor"),
	    tfmt("/api/v1/audit?action=person.reveal&entity_id=%lld", pid));
	CHECK_INT(r->status, 200);
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);

	wal = tfmt("%s-wal", s->db_path);
	CHECK(!file_has(s->db_path, id) && !file_has(wal, id));
	CHECK(!file_has(s->db_path, phone) && !file_has(wal, phone));
	CHECK(!file_has(s->db_path, "欧阳明月") && !file_has(wal, "欧阳明月"));
	CHECK(!file_has(s->log, id) && !file_has(s->log, phone));
}

TEST(persons_bad_input_names_the_field_and_adds_nothing)
{
	struct fixture *s = fixture_demo();
	const char *id = fresh_id();
	char bad[19];
	struct resp *r;

	CHECK(s != NULL);
	snprintf(bad, sizeof bad, "%s", id);
	bad[17] = bad[17] == '0' ? '1' : '0';
	r = register_person(s, "grid", person_body(bad, "张三", "registered", DEMO_GRID,
	    "13800001111"));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "id_number");
	CHECK_STR(jstr(r->json, "error.message"), "身份证号校验位错误");
	r = register_person(s, "grid", person_body(id, "张三", "tourist", DEMO_GRID, "13800001111"));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "kind");
	r = register_person(s, "grid", person_body(id, "张三", "registered", DEMO_GRID, "12345"));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "phone");
	/* A township is too coarse; a grid outside the worker's own is unknown to them. */
	r = register_person(s, "township", person_body(id, "张三", "registered", DEMO_TOWN,
	    "13800001111"));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "division_code");
	r = register_person(s, "grid", person_body(id, "张三", "registered", DEMO_OTHER_GRID,
	    "13800001111"));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "division_code");
	CHECK_INT(json_array_size(jget(lookup(s, "center", tfmt("id_number=%s", id))->json,
	    "items")), 0);
	/* An ID number with other conditions is a question the API does not answer. */
	CHECK_INT(lookup(s, "center", tfmt("id_number=%s&kind=floating", id))->status, 422);
	CHECK_INT(lookup(s, "center", "kind=tourist")->status, 422);
	CHECK_INT(lookup(s, "center", "name=%E5%BC%A0%E4%B8%89&phone=13800001111")->status, 422);
	r = lookup(s, "township", tfmt("division=%s", DEMO_OTHER_TOWN));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.field"), "division");
	CHECK_INT(lookup(s, "township", "division=330824999")->status, 422);
}

TEST(persons_outside_the_scope_read_as_not_found)
{
	struct fixture *s = fixture_demo();
	const char *id = fresh_id();
	struct resp *r;
	long long pid;

	CHECK(s != NULL);
	r = register_person(s, "center", person_body(id, "李四", "registered",
	    DEMO_OTHER_TOWN_GRID, "13800002222"));
	CHECK_INT(r->status, 201);
	pid = jint(r->json, "id", 0);
	/* 华埠镇's command room and grid worker do not see a resident of 马金镇. */
	CHECK_INT(json_array_size(jget(lookup(s, "township", tfmt("id_number=%s", id))->json,
	    "items")), 0);
	CHECK_INT(api_get(s, session_of(s, "township"), tfmt("/api/v1/persons/%lld", pid))->status,
	    404);
	CHECK_INT(api_send(s, "POST", tfmt("/api/v1/persons/%lld/reveal", pid),
	    session_of(s, "township"), "{\"reason\":\"核实身份信息\"}")->status, 404);
	/* Registering them again here is refused: they must move out there first. */
	r = register_person(s, "grid", person_body(id, "李四", "floating", DEMO_GRID,
	    "13800002222"));
	CHECK_INT(r->status, 409);
	CHECK_STR(jstr(r->json, "error.message"),
	    "该人员已在您管辖范围以外登记，请由原登记地办理迁出后再登记");
	CHECK_INT(api_get(s, session_of(s, "center"), tfmt("/api/v1/persons/%lld", pid))->status,
	    200);
}

TEST(persons_change_needs_the_current_version)
{
	struct fixture *s = fixture_demo();
	const char *id = fresh_id();
	const char *path;
	struct resp *r;
	long long pid;

	CHECK(s != NULL);
	r = register_person(s, "township", person_body(id, "王五", "registered", DEMO_GRID,
	    "13800003333"));
	CHECK_INT(r->status, 201);
	pid = jint(r->json, "id", 0);
	path = tfmt("/api/v1/persons/%lld", pid);
	r = api_send(s, "PATCH", path, session_of(s, "township"), jfmt("{s:s, s:s, s:s, s:i}",
	    "name", "王五", "kind", "floating", "division_code", "330824115205002", "version", 1));
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "version", 0), 2);
	CHECK_STR(jstr(r->json, "division.code"), "330824115205002");
	/* Phone and address left out stay as they were: the editor only saw them masked. */
	CHECK_STR(jstr(r->json, "phone"), "138****3333");
	CHECK(jstr(r->json, "address") != NULL);
	/* null clears one. */
	r = api_send(s, "PATCH", path, session_of(s, "township"), jfmt("{s:s, s:s, s:s, s:n, s:i}",
	    "name", "王五", "kind", "floating", "division_code", "330824115205002", "phone",
	    "version", 2));
	CHECK_INT(r->status, 200);
	CHECK(jget(r->json, "phone") != NULL && json_is_null(jget(r->json, "phone")));
	CHECK(jstr(r->json, "address") != NULL);
	r = api_send(s, "PATCH", path, session_of(s, "township"), jfmt("{s:s, s:s, s:s, s:i}",
	    "name", "王五五", "kind", "floating", "division_code", DEMO_GRID, "version", 2));
	CHECK_INT(r->status, 412);
	CHECK_STR(jstr(api_get(s, session_of(s, "township"), path)->json, "name"), "王*");
	CHECK_INT(api_send(s, "PATCH", path, session_of(s, "township"), jfmt("{s:s, s:s, s:s}",
	    "name", "王五", "kind", "floating", "division_code", DEMO_GRID))->status, 412);
}

TEST(persons_import_is_all_or_nothing_and_updates_known_numbers)
{
	struct fixture *s = fixture_demo();
	const char *a = fresh_id(), *b = fresh_id(), *c = fresh_id(), *csv;
	struct resp *r;

	CHECK(s != NULL);
	/* The Chinese headings of a paper register work as well as the English names. */
	csv = tfmt("身份证号,姓名,人口类别,区划代码,手机号码,住址\r\n"
		   "%s,赵一,户籍,%s,13800004444,龙岭村1号\r\n"
		   "%s,钱二,floating,%s,,\r\n"
		   "%s,\"孙,三\",境外,330824115205002,13800005555,\"龙岭村\"\"3\"\"号\"\r\n",
	    a, DEMO_GRID, b, DEMO_GRID, c);
	r = import_csv(s, "township", csv);
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "imported", 0), 3);
	CHECK_INT(jint(r->json, "created", 0), 3);
	CHECK_STR(jstr(lookup(s, "township", tfmt("id_number=%s", b))->json, "items.0.kind"),
	    "floating");
	CHECK_STR(jstr(lookup(s, "township", tfmt("id_number=%s", c))->json, "items.0.kind"),
	    "overseas");

	/* Again with changes: the same people are updated, not doubled. */
	csv = tfmt("id_number,name,kind,division_code\n%s,赵一,floating,%s\n", a, DEMO_GRID);
	r = import_csv(s, "township", csv);
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "updated", 0), 1);
	CHECK_INT(jint(r->json, "created", 0), 0);
	CHECK_STR(jstr(lookup(s, "township", tfmt("id_number=%s", a))->json, "items.0.kind"),
	    "floating");
	/* A file without the phone column leaves the phone as it was. */
	CHECK_STR(jstr(lookup(s, "township", tfmt("id_number=%s", a))->json, "items.0.phone"),
	    "138****4444");

	/* Every bad row is listed by line and field; nothing of the file is kept. */
	csv = tfmt("id_number,name,kind,division_code\n"
		   "%s,周六,registered,%s\n"
		   "330824198505050011,吴七,registered,%s\n"
		   "%s,郑八,registered,330824999999999\n"
		   "%s,周六,registered,%s\n"
		   "%s,,alien,%s\n",
	    b, DEMO_GRID, DEMO_GRID, fresh_id(), b, DEMO_GRID, fresh_id(), DEMO_GRID);
	r = import_csv(s, "township", csv);
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "error.code"), "validation_failed");
	CHECK_INT(jint(r->json, "error_count", 0), 5);
	CHECK_INT(jint(r->json, "rows.0.line", 0), 3);
	CHECK_STR(jstr(r->json, "rows.0.field"), "id_number");
	CHECK_INT(jint(r->json, "rows.1.line", 0), 4);
	CHECK_STR(jstr(r->json, "rows.1.field"), "division_code");
	CHECK_INT(jint(r->json, "rows.2.line", 0), 6);
	CHECK_STR(jstr(r->json, "rows.2.field"), "name");
	CHECK_STR(jstr(r->json, "rows.3.field"), "kind");
	CHECK_INT(jint(r->json, "rows.4.line", 0), 5);
	CHECK_STR(jstr(r->json, "rows.4.reason"), "文件中该身份证号重复出现");
	/* Line 2 was valid but the file failed: 钱二 keeps the name and kind. */
	CHECK_STR(jstr(lookup(s, "township", tfmt("id_number=%s", b))->json, "items.0.name"),
	    "钱*");

	/* A blank line in the middle is skipped, not the end of the file (found by fuzzing). */
	r = import_csv(s, "township", tfmt("id_number,name,kind,division_code\n%s,赵一,floating,%s\n\n"
	    "%s,钱二,floating,%s\n", a, DEMO_GRID, b, DEMO_GRID));
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "imported", 0), 2);
	/* A file whose only row is bad fails with the row's problem. */
	r = import_csv(s, "township", "id_number,name,kind,division_code\n1,2,3,4\n");
	CHECK_INT(r->status, 422);
	CHECK_INT(jint(r->json, "error_count", 0), 3);     /* ID number, kind, division */

	/* A header without the required columns. */
	r = import_csv(s, "township", "code,name\n1,2\n");
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "rows.0.field"), "header");
	/* A person outside the importer's area cannot be taken over by a file. */
	CHECK_INT(register_person(s, "center", person_body(c = fresh_id(), "冯九", "registered",
	    DEMO_OTHER_TOWN_GRID, "13800006666"))->status, 201);
	r = import_csv(s, "township", tfmt("id_number,name,kind,division_code\n%s,冯九,floating,%s\n",
	    c, DEMO_GRID));
	CHECK_INT(r->status, 422);
	CHECK_STR(jstr(r->json, "rows.0.reason"),
	    "该人员已在您管辖范围以外登记，请由原登记地办理迁出后再登记");
}

/* A register of n rows born on 1977-03-DD, kinds in turn; lines from bad_line (> 0) lack a division. */
static char *
big_register(int day, int n, int bad_line, bool broken_end)
{
	static const char *const kinds[] = { "registered", "floating", "overseas" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fprintf(f, "id_number,name,kind,division_code\n");
	for (int i = 0; i < n; i++)
		/* Quoted: a quoted field is unescaped into the reader's buffer, reused by the next line. */
		fprintf(f, "%s,钱%d,\"%s\",%s\n", gb_id_number(tfmt("330824197703%02d%03d", day, i)), i,
		    kinds[i % 3], bad_line > 0 && i + 2 >= bad_line ? "" : DEMO_GRID);
	if (broken_end)
		fprintf(f, "\"unclosed,quote\n");
	fclose(f);
	return text;
}

/*
 * An import reads and checks its lines on a thread of its own while the
 * writer writes them, through a queue of 256 lines: files longer than the
 * queue keep every row, its kind and the order of the problems reported.
 */
TEST(persons_import_longer_than_its_queue_keeps_every_row_and_reports_in_order)
{
	struct fixture *s = fixture_demo();
	char *csv;
	struct resp *r;

	CHECK(s != NULL);
	csv = big_register(11, 700, 0, false);
	r = import_csv(s, "township", csv);
	free(csv);
	CHECK_INT(r->status, 200);
	CHECK_INT(jint(r->json, "created", 0), 700);
	for (int i = 0; i < 700; i += 233) {
		r = lookup(s, "township", tfmt("id_number=%s",
		    gb_id_number(tfmt("33082419770311%03d", i))));
		CHECK_STR(jstr(r->json, "items.0.kind"),
		    i % 3 == 0 ? "registered" : i % 3 == 1 ? "floating" : "overseas");
	}
	/* Bad rows from line 650 and a broken last line: all listed in order, nothing kept. */
	csv = big_register(12, 700, 650, true);
	r = import_csv(s, "township", csv);
	free(csv);
	CHECK_INT(r->status, 422);
	CHECK_INT(jint(r->json, "error_count", 0), 53);
	CHECK_INT(jint(r->json, "rows.0.line", 0), 650);
	CHECK_STR(jstr(r->json, "rows.0.field"), "division_code");
	CHECK_INT(jint(r->json, "rows.50.line", 0), 700);
	CHECK_INT(jint(r->json, "rows.51.line", 0), 701);
	CHECK_INT(jint(r->json, "rows.52.line", 0), 702);
	CHECK_STR(jstr(r->json, "rows.52.reason"), "CSV 格式错误（引号未闭合或字段过多）");
	CHECK_INT(json_array_size(jget(lookup(s, "township", tfmt("id_number=%s",
	    gb_id_number("33082419770312000")))->json, "items")), 0);
}

TEST(persons_lists_by_name_division_and_kind_page_by_cursor)
{
	struct fixture *s = fixture_demo();
	const char *name = tfmt("重名%s", uniq(""));
	const char *grid2 = "330824115205002";
	json_t *items;
	struct resp *r;
	long long next;

	CHECK(s != NULL);
	for (int i = 0; i < 3; i++)
		CHECK_INT(register_person(s, "township", person_body(fresh_id(), name, "registered",
		    i ? grid2 : DEMO_GRID, "13800007777"))->status, 201);
	CHECK_INT(register_person(s, "center", person_body(fresh_id(), name, "floating",
	    DEMO_OTHER_TOWN_GRID, "13800007777"))->status, 201);
	r = lookup(s, "center", tfmt("name=%s", url_encode(name)));
	CHECK_INT(json_array_size(jget(r->json, "items")), 4);
	/* The township sees its three, newest first, two per page. */
	r = lookup(s, "township", tfmt("name=%s&limit=2", url_encode(name)));
	items = jget(r->json, "items");
	CHECK_INT(json_array_size(items), 2);
	CHECK(jint(r->json, "items.0.id", 0) > jint(r->json, "items.1.id", 0));
	next = jint(r->json, "next_cursor", 0);
	CHECK(next > 0);
	r = lookup(s, "township", tfmt("name=%s&limit=2&cursor=%lld", url_encode(name), next));
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	CHECK_INT(json_array_size(jget(lookup(s, "township", tfmt("name=%s&division=%s",
	    url_encode(name), grid2))->json, "items")), 2);
	CHECK_INT(json_array_size(jget(lookup(s, "center", tfmt("name=%s&kind=floating",
	    url_encode(name)))->json, "items")), 1);
	/* The grid worker lists the people of the grid. */
	r = lookup(s, "grid", tfmt("division=%s&limit=200", DEMO_GRID));
	CHECK_INT(r->status, 200);
	CHECK(json_array_size(jget(r->json, "items")) >= 1);
	CHECK_INT(lookup(s, "grid", tfmt("division=%s", DEMO_OTHER_TOWN_GRID))->status, 422);
}

/* A village moved to another township takes its residents and events along. */
TEST(persons_and_events_follow_their_village_when_it_moves)
{
	struct fixture *s = fixture_demo_start(NULL);
	const char *id = fresh_id();
	struct resp *r;
	long long pid, ev;

	CHECK(s != NULL);
	r = register_person(s, "center", person_body(id, "迁移人", "registered", DEMO_GRID,
	    "13800008888"));
	CHECK_INT(r->status, 201);
	pid = jint(r->json, "id", 0);
	ev = report_event(s, "center", DEMO_GRID, "dispute.neighbour", "随村迁移的事件");
	CHECK(ev > 0);
	r = api_get(s, session_of(s, "admin"), "/api/v1/divisions/330824115205");
	CHECK_INT(r->status, 200);
	r = api_send(s, "POST", "/api/v1/divisions/330824115205/move", session_of(s, "admin"),
	    jfmt("{s:s, s:s, s:I}", "parent_code", DEMO_OTHER_TOWN, "new_code", "330824116230",
	    "version", (json_int_t)jint(r->json, "version", 0)));
	CHECK_INT(r->status, 200);
	r = api_get(s, session_of(s, "center"), tfmt("/api/v1/persons/%lld", pid));
	CHECK_STR(jstr(r->json, "division.code"), "330824116230001");
	/* 马金镇 sees them now, 华埠镇 no longer. */
	CHECK_INT(api_get(s, session_of(s, other_township(s)), tfmt("/api/v1/persons/%lld", pid))->status, 200);
	CHECK_INT(api_get(s, session_of(s, "township"), tfmt("/api/v1/persons/%lld", pid))->status,
	    404);
	r = api_get(s, session_of(s, other_township(s)), tfmt("/api/v1/events/%lld", ev));
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "division.code"), "330824116230001");
	CHECK_INT(read_event(s, "township", ev)->status, 404);
	CHECK_INT(json_array_size(jget(lookup(s, "center", "division=330824116230")->json,
	    "items")), 1);
}
