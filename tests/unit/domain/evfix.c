#include "evfix.h"

#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/err.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/event/category.h"
#include "domain/org/division.h"
#include "domain/org/unit.h"
#include "domain/pii/pii.h"

static const char divisions[] =
    "code,name,level,parent_code\n"
    "330824,开化县,county,\n"
    "330824115,华埠镇,township,330824\n"
    "330824116,马金镇,township,330824\n"
    "330824115205,龙岭村,village,330824115\n"
    "330824115205001,龙岭村第1网格,grid,330824115205\n"
    "330824116201,马金村,village,330824116\n";

static const char categories[] =
    "code,name,name_en,parent_code,kind,citizen_reportable,sign_days,finish_days,"
    "urgent_sign_hours,urgent_finish_hours,critical_sign_hours,critical_finish_hours,auto_escalate\n"
    "dispute,矛盾纠纷,Disputes,,dispute,1,1,15,2,24,1,12,0\n"
    "dispute.neighbour,邻里纠纷,Neighbours,dispute,dispute,1,1,15,2,24,1,12,0\n"
    "hazard,安全隐患,Hazards,,hazard,1,1,5,2,24,1,12,1\n"
    "petition,信访,Petitions,,petition,0,1,60,2,24,1,12,0\n"
    "death,非正常死亡,Deaths,,death,0,1,1,1,24,1,24,1\n";

/* An actor backed by a real user row (events refer to their users). */
static void
actor_as(struct evfix *x, struct actor *a, const char *name, enum role role, const char *scope,
    int64_t unit)
{
	struct user_input in = { .username = name, .roles = role_name(role),
		.password = "Fixture-Pass-2026" };
	struct fail f = { 0 };
	int64_t id = 0;

	(void)user_create(x->t.db, &x->sys, &in, &id, &f);
	memset(a, 0, sizeof *a);
	a->user_id = id;
	snprintf(a->username, sizeof a->username, "%s", name);
	a->roles = 1u << role;
	a->perms = roles_perms(a->roles) | PERM_BIT(PERM_SIGNED_IN);
	a->unit_id = unit;
	actor_scope_single(a, scope);
}

static int64_t
make_unit(struct evfix *x, const char *name, const char *div)
{
	struct unit_input in = { .name = name, .kind = "department", .division_code = div };
	struct fail f = { 0 };
	int64_t id = 0;

	return unit_create(x->t.db, &x->sys, &in, &id, &f) == 0 ? id : 0;
}

int
evfix_open(struct evfix *x)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	uint8_t k1[32], k2[32];
	char err[256];

	memset(x, 0, sizeof *x);
	if (testdb_open(&x->t) != 0)
		return -1;
	memset(k1, 1, sizeof k1);
	memset(k2, 2, sizeof k2);
	pii_set_keys(k1, k2);
	if (calendar_load_dir("data/calendar", &x->cal, err, sizeof err) != 0)
		return -1;
	event_set_calendar(x->cal);
	actor_system(&x->sys, "test");
	if (division_import_csv(x->t.db, &x->sys, divisions, strlen(divisions), false, &rep, &f) ||
	    category_import_csv(x->t.db, &x->sys, categories, strlen(categories), &rep, &f))
		return -1;
	import_report_release(&rep);
	x->unit_police = make_unit(x, "县公安局", "330824");
	x->unit_justice = make_unit(x, "县司法局", "330824");
	x->unit_town = make_unit(x, "华埠镇综治办", "330824115");
	actor_as(x, &x->center, "center", ROLE_COUNTY_CENTER, "/330824/", 0);
	actor_as(x, &x->township, "town", ROLE_TOWNSHIP_CENTER, "/330824/330824115/", x->unit_town);
	actor_as(x, &x->grid, "grid", ROLE_GRID_WORKER, "/330824/330824115/330824115205/330824115205001/", 0);
	actor_as(x, &x->dept, "police", ROLE_DEPARTMENT, "/330824/", x->unit_police);
	actor_as(x, &x->other_dept, "justice", ROLE_DEPARTMENT, "/330824/", x->unit_justice);
	actor_as(x, &x->leader, "leader", ROLE_LEADER, "/330824/", 0);
	return x->unit_police && x->unit_justice && x->unit_town ? 0 : -1;
}

void
evfix_close(struct evfix *x)
{
	calendar_free(x->cal);
	testdb_close(&x->t);
}

int64_t
evfix_report_as(struct evfix *x, const struct actor *who, struct event_input *in)
{
	struct fail f = { 0 };
	bool replayed;
	int64_t id = 0;

	in->channel = in->channel ? in->channel : "grid";
	in->title = in->title ? in->title : "排水沟堵塞引发邻里争吵";
	in->division_code = in->division_code ? in->division_code : "330824115205001";
	in->reporter_name = in->reporter_name ? in->reporter_name : "王小明";
	in->reporter_phone = in->reporter_phone ? in->reporter_phone : "13812345678";
	return event_create(x->t.db, who, in, &id, &replayed, &f) == 0 ? id : 0;
}

int64_t
evfix_report(struct evfix *x, const char *category)
{
	struct event_input in = { 0 };

	in.category_code = category;
	in.nparties = 1;
	in.parties[0].name = "李四";
	in.parties[0].id_number = "34052419800101001X";
	return evfix_report_as(x, &x->grid, &in);
}

const char *
evfix_state(struct evfix *x, int64_t id, char *buf, size_t n)
{
	struct fail f = { 0 };
	json_t *e;

	buf[0] = '\0';
	if (event_get(x->t.db, &x->sys, id, false, &e, &f) == 0) {
		snprintf(buf, n, "%s", json_string_value(json_object_get(e, "state")));
		json_decref(e);
	}
	return buf;
}
