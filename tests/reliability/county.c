/*
 * A small county for in-process domain calls (after tests/unit/domain/evfix.c):
 * divisions, categories, a police unit and three accounts as actors.
 */
#include "rel.h"

#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/event/category.h"
#include "domain/event/event.h"
#include "domain/org/division.h"
#include "domain/org/unit.h"
#include "domain/pii/pii.h"
#include "vfs.h"

static const char divisions[] =
    "code,name,level,parent_code\n"
    "330824,开化县,county,\n"
    "330824115,华埠镇,township,330824\n"
    "330824115205,龙岭村,village,330824115\n"
    "330824115205001,龙岭村第1网格,grid,330824115205\n";

static const char categories[] =
    "code,name,name_en,parent_code,kind,citizen_reportable,sign_days,finish_days,"
    "urgent_sign_hours,urgent_finish_hours,critical_sign_hours,critical_finish_hours,auto_escalate\n"
    "dispute,矛盾纠纷,Disputes,,dispute,1,1,15,2,24,1,12,0\n"
    "dispute.neighbour,邻里纠纷,Neighbours,dispute,dispute,1,1,15,2,24,1,12,0\n"
    "hazard,安全隐患,Hazards,,hazard,1,1,5,2,24,1,12,1\n";

int
rel_import_divisions(struct db *db)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	struct actor sys;
	int rc;

	actor_system(&sys, "reliability");
	rc = division_import_csv(db, &sys, divisions, strlen(divisions), false, &rep, &f);
	import_report_release(&rep);
	return rc;
}

void
rel_county_keys(void)
{
	struct auth_settings s = { .opslimit = 2, .memlimit = 19456u * 1024u,
		.idle_ms = 30 * 60000, .absolute_ms = 12 * 3600000, .lockout_threshold = 5,
		.lockout_ms = 15 * 60000 };
	uint8_t key[32], k1[32], k2[32];

	memset(key, 7, sizeof key);
	memset(k1, 1, sizeof k1);
	memset(k2, 2, sizeof k2);
	audit_set_key(key);
	pii_set_keys(k1, k2);
	auth_configure(&s);
}

/* An actor backed by a real user row (events refer to their users). */
static int
actor_as(struct rel_county *c, struct actor *a, const char *name, enum role role,
    const char *scope, int64_t unit)
{
	struct user_input in = { .username = name, .roles = role_name(role),
		.password = REL_PASSWORD };
	struct fail f = { 0 };
	int64_t id = 0;

	if (user_create(c->db, &c->sys, &in, &id, &f) != 0)
		return -1;
	memset(a, 0, sizeof *a);
	a->user_id = id;
	snprintf(a->username, sizeof a->username, "%s", name);
	a->roles = 1u << role;
	a->perms = roles_perms(a->roles) | PERM_BIT(PERM_SIGNED_IN);
	a->unit_id = unit;
	actor_scope_single(a, scope);
	return 0;
}

int
rel_county_setup(struct rel_county *c)
{
	struct import_report rep = { 0 };
	struct unit_input ui = { .name = "县公安局", .kind = "department", .division_code = "330824" };
	struct fail f = { 0 };
	char err[256];
	int rc;

	rel_county_keys();
	if (c->cal == NULL && calendar_load_dir("data/calendar", &c->cal, err, sizeof err) != 0) {
		printf("    county: calendar: %s\n", err);
		return -1;
	}
	event_set_calendar(c->cal);
	actor_system(&c->sys, "reliability");
	rc = rel_import_divisions(c->db);
	if (rc == 0)
		rc = category_import_csv(c->db, &c->sys, categories, strlen(categories), &rep, &f);
	import_report_release(&rep);
	if (rc == 0)
		rc = unit_create(c->db, &c->sys, &ui, &c->unit_police, &f);
	if (rc == 0)
		rc = actor_as(c, &c->center, "center", ROLE_COUNTY_CENTER, "/330824/", 0);
	if (rc == 0)
		rc = actor_as(c, &c->grid, "grid", ROLE_GRID_WORKER,
		    "/330824/330824115/330824115205/330824115205001/", 0);
	if (rc == 0)
		rc = actor_as(c, &c->dept, "police", ROLE_DEPARTMENT, "/330824/", c->unit_police);
	if (rc != 0)
		printf("    county: setup failed (%d)\n", rc);
	return rc == 0 ? 0 : -1;
}

void
rel_county_release(struct rel_county *c)
{
	calendar_free(c->cal);
	c->cal = NULL;
}

int
rel_report(struct rel_county *c, const char *title, int64_t *id, struct fail *f)
{
	struct event_input in = { 0 };
	bool replayed;

	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = title;
	in.division_code = "330824115205001";
	in.reporter_name = "王小明";
	in.nparties = 1;
	in.parties[0].name = "李四";
	*id = 0;
	return event_create(c->db, &c->grid, &in, id, &replayed, f);
}

int
rel_report_storage(struct rel_county *c, const char *title)
{
	struct fail f = { 0 };
	int64_t id;
	int rc = rel_report(c, title, &id, &f);

	if (rc != 0 && f.msg != M_STORAGE_UNAVAILABLE)
		printf("    event_create failed (%d) with message %d, not the storage message\n", rc,
		    (int)f.msg);
	return rc;
}

int
rel_vfs_county(struct rel_county *c, char dir[128], char path[160], char log[200])
{
	if (rel_temp_dir(dir, 128) != 0)
		return -1;
	snprintf(path, 160, "%s/pingan.db", dir);
	snprintf(log, 200, "%s/stderr.log", dir);
	if (pcvfs_install() != 0)
		return -1;
	memset(c, 0, sizeof *c);
	if (db_open(path, true, &c->db) != 0 || rel_county_setup(c) != 0) {
		pcvfs_uninstall();
		return -1;
	}
	return 0;
}
