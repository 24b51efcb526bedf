/*
 * A few dozen demo events so that a new user sees a living county: reports
 * waiting to be accepted, cases being handled, some returned, most closed
 * and visited. Created through the same domain calls the API uses, as the
 * demo users, so timelines and audit rows are real.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/auth/auth.h"
#include "domain/event/event.h"

struct demo_case {
	const char *category, *grid, *title, *reporter, *phone, *party, *party_id;
	int stage;   /* 0 reported, 1 accepted, 2 dispatched, 3 handling, 4 handled, 5 closed, 6 visited */
	bool returned;
};

static const struct demo_case cases[] = {
	{ "dispute.neighbour", "330824115205001", "龙岭村两户因排水沟堵塞发生争吵", "王小明", "13812345678", "李四", "34052419800101001X", 6, false },
	{ "dispute.land", "330824115205002", "山林界址不清引发纠纷", "陈国平", "13900001111", "陈建华", "11010519491231002X", 3, true },
	{ "hazard.fire", "330824115205003", "民房楼道堆放柴草存在火灾隐患", "周敏", "13712345670", NULL, NULL, 2, false },
	{ "dispute.labour", "330824115205001", "工地拖欠农民工工资三个月", "刘强", "13612345671", "某建筑公司负责人", NULL, 1, false },
	{ "city.sanitation", "330824115205002", "村口垃圾集中点长期未清运", "杨丽", "13512345672", NULL, NULL, 0, false },
	{ "hazard.geology", "330824115205003", "后山出现裂缝，雨后有滑坡风险", "黄勇", "13412345673", NULL, NULL, 4, false },
	{ "dispute.family", "330824115205001", "婆媳矛盾请求调解", "吴芳", "13312345674", "吴秀英", NULL, 6, false },
	{ "help", "330824115205002", "独居老人请求代办医保报销", "徐桂英", "13212345675", NULL, NULL, 5, false },
	{ "dispute.property", "330824115205003", "小区物业费收取争议", "孙磊", "13112345676", NULL, NULL, 0, false },
	{ "security", "330824115205001", "夜间有人在河边电鱼", "朱杰", "13012345677", NULL, NULL, 6, false },
};

/* Moves one demo event along the loop up to its stage. */
static void
advance(struct db *db, int64_t id, const struct demo_case *c, const struct actor *center,
    const struct actor *dept, int64_t unit)
{
	struct action_input in = { 0 };
	struct fail f = { 0 };

	if (c->stage < 1 || event_act(db, center, id, ACT_ACCEPT, &in, 0, &f))
		return;
	in.lead_unit = unit;
	if (c->stage < 2 || event_act(db, center, id, ACT_DISPATCH, &in, 0, &f))
		return;
	if (c->returned) {
		(void)event_act(db, dept, id, ACT_SIGN, &in, 0, &f);
		in.note = "涉及林权确认，应由自然资源部门主办";
		(void)event_act(db, dept, id, ACT_RETURN, &in, 0, &f);
		in.note = NULL;
		(void)event_act(db, center, id, ACT_DISPATCH, &in, 0, &f);
	}
	if (c->stage < 3 || event_act(db, dept, id, ACT_SIGN, &in, 0, &f))
		return;
	in.note = "已到现场处置，双方达成一致";
	if (c->stage < 4 || event_act(db, dept, id, ACT_FEEDBACK, &in, 0, &f))
		return;
	in.ok = true;
	in.note = NULL;
	if (c->stage < 5 || event_act(db, center, id, ACT_VERIFY, &in, 0, &f))
		return;
	in.satisfaction = "satisfied";
	in.note = "群众表示满意";
	if (c->stage >= 6)
		(void)event_act(db, center, id, ACT_VISIT, &in, 0, &f);
}

/* Signs the demo users in as actors without sessions. */
static int
demo_actor(struct db *db, const char *name, struct actor *a)
{
	struct db_conn *c = db_reader(db);
	struct user u;

	memset(a, 0, sizeof *a);
	if (c == NULL || user_load_by_name(c, name, &u) != 0)
		return -1;
	actor_from_user(a, &u);
	snprintf(a->client_addr, sizeof a->client_addr, "demo");
	return actor_load_grids(c, a) == 0 ? 0 : -1;
}

int
demo_events(struct db *db)
{
	struct actor grid, center, dept;

	if (demo_actor(db, "grid", &grid) || demo_actor(db, "center", &center) ||
	    demo_actor(db, "dept", &dept))
		return EXIT_FAIL;
	db_reader_done(db);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct demo_case *c = &cases[i];
		struct event_input in = { 0 };
		struct fail f = { 0 };
		bool replayed;
		int64_t id;

		in.channel = "grid";
		in.category_code = c->category;
		in.title = c->title;
		in.description = "网格员巡查时发现并现场核实。";
		in.division_code = c->grid;
		in.reporter_name = c->reporter;
		in.reporter_phone = c->phone;
		if (c->party) {
			in.nparties = 1;
			in.parties[0].name = c->party;
			in.parties[0].id_number = c->party_id;
		}
		if (event_create(db, &grid, &in, &id, &replayed, &f) != 0) {
			fprintf(stderr, "pingan: demo event %zu: %s\n", i, msg_text(f.msg, true));
			return EXIT_FAIL;
		}
		advance(db, id, c, &center, &dept, dept.unit_id);
	}
	return 0;
}
