/*
 * `pingan demo`: a ready-to-use demo county. On first run it initialises the
 * data directory, loads the demo reference data and creates one user per
 * role; every run prints those accounts (demo mode only) and serves.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "cli/cli.h"
#include "domain/auth/auth.h"
#include "domain/event/category.h"
#include "domain/org/division.h"
#include "domain/org/grid.h"
#include "domain/org/unit.h"

/* Shared by every demo account; printed at start-up, never used outside demo mode. */
#define DEMO_PASSWORD "Pingan#Demo2026"

struct demo_user {
	const char *username, *display_name, *roles, *division, *unit;
};

static const struct demo_user demo_users[] = {
	{ "center", "县中心值班员", "county_center", "330824", "县社会治理中心" },
	{ "township", "华埠镇指挥室", "township_center", "330824115", "华埠镇综治办" },
	{ "dept", "公安局承办人", "department", "330824", "县公安局" },
	{ "grid", "网格员小王", "grid_worker", "330824115", "华埠镇综治办" },
	{ "leader", "分管领导", "leader", "330824", "" },
	{ "auditor", "审计员", "auditor", "330824", "" },
	{ "security", "安全管理员", "security_admin", "330824", "" },
	{ "volunteer", "平安志愿者", "volunteer", "330824115", "" },
};

/* The demo grid worker looks after the first three grids of this village. */
#define DEMO_GRID_VILLAGE "330824115205"

/* Reads data/demo/NAME under the share directory. */
static int
read_demo_file(const struct config *cfg, const char *name, char **data, size_t *len)
{
	char share[1024], path[1200];

	share_dir(cfg, share, sizeof share);
	snprintf(path, sizeof path, "%s/data/demo/%s", share, name);
	if (file_read_all(path, 64u * 1024 * 1024, data, len) != 0) {
		fprintf(stderr, "pingan: cannot read %s\n", path);
		return EXIT_FAIL;
	}
	return 0;
}

static int
report_import(const char *what, int rc, const struct import_report *rep, const struct fail *f)
{
	if (rc == 0)
		return 0;
	fprintf(stderr, "pingan: loading %s failed: %s\n", what, msg_text(f->msg, true));
	for (int i = 0; i < rep->listed && i < 20; i++)
		fprintf(stderr, "  line %d %s: %s\n", rep->errors[i].line,
		    rep->errors[i].field ? rep->errors[i].field : "", msg_text(rep->errors[i].msg, true));
	return EXIT_FAIL;
}

/* Loads divisions, outlines and units of the demo county from data/demo/. */
static int
load_demo_county(const struct config *cfg, struct db *db, const struct actor *sys)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	char *data = NULL;
	json_t *fc;
	size_t len;
	int rc;

	if ((rc = read_demo_file(cfg, "divisions.csv", &data, &len)) != 0)
		return rc;
	rc = report_import("divisions", division_import_csv(db, sys, data, len, false, &rep, &f), &rep,
	    &f);
	free(data);
	import_report_release(&rep);
	if (rc != 0 || (rc = read_demo_file(cfg, "outlines.geojson", &data, &len)) != 0)
		return rc;
	fc = json_loadb(data, len, 0, NULL);
	free(data);
	rc = report_import("outlines", division_import_outlines(db, sys, fc, &rep, &f), &rep, &f);
	json_decref(fc);
	import_report_release(&rep);
	if (rc != 0 || (rc = read_demo_file(cfg, "units.csv", &data, &len)) != 0)
		return rc;
	rc = report_import("units", unit_import_csv(db, sys, data, len, &rep, &f), &rep, &f);
	free(data);
	import_report_release(&rep);
	if (rc != 0 || (rc = read_demo_file(cfg, "routing.csv", &data, &len)) != 0)
		return rc;
	rc = report_import("routing", routing_import_csv(db, sys, data, len, &rep, &f), &rep, &f);
	free(data);
	import_report_release(&rep);
	return rc;
}

/* The id of a demo unit by name (0 when absent). */
static int64_t
demo_unit_id(struct db *db, const struct actor *sys, const char *name)
{
	struct unit_filter flt = { .q = name, .limit = 5 };
	int64_t next, id = 0;
	json_t *rows, *u;
	size_t i;

	if (*name == '\0' || unit_list(db, sys, &flt, false, &rows, &next) != 0)
		return 0;
	json_array_foreach(rows, i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")), name) == 0)
			id = (int64_t)json_integer_value(json_object_get(u, "id"));
	json_decref(rows);
	return id;
}

static int
assign_demo_grids(struct db *db, const struct actor *sys, int64_t user_id, struct fail *f)
{
	json_t *grids = json_array(), *duties = json_pack("[s, s, s]", "informant", "mediator",
	    "patroller");
	char code[24];
	int rc;

	for (int g = 1; g <= 3; g++) {
		snprintf(code, sizeof code, "%s%03d", DEMO_GRID_VILLAGE, g);
		json_array_append_new(grids, json_string(code));
	}
	rc = grids_set(db, sys, user_id, grids, duties, f);
	json_decref(grids);
	json_decref(duties);
	return rc;
}

static int
create_demo_users(struct db *db, const struct actor *sys)
{
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *d = &demo_users[i];
		struct user_input in = { 0 };
		struct fail f = { 0 };
		int64_t id;

		in.username = d->username;
		in.display_name = d->display_name;
		in.roles = d->roles;
		in.division_code = d->division;
		in.unit_id = demo_unit_id(db, sys, d->unit);
		in.password = DEMO_PASSWORD;
		if (user_create(db, sys, &in, &id, &f) != 0 ||
		    (strcmp(d->roles, "grid_worker") == 0 && assign_demo_grids(db, sys, id, &f) != 0)) {
			fprintf(stderr, "pingan: demo user %s: %s\n", d->username, msg_text(f.msg, true));
			return EXIT_FAIL;
		}
	}
	return 0;
}

/* The demo admin gets the demo password too, so the tour needs no reset. */
static int
demo_admin_password(struct db *db, const struct actor *sys)
{
	struct fail f = { 0 };
	struct user u;
	struct db_conn *c = db_reader(db);

	if (c == NULL || user_load_by_name(c, "admin", &u) != 0)
		return EXIT_FAIL;
	db_reader_done(db);
	return user_reset_password(db, sys, u.id, DEMO_PASSWORD, false, &f) ? EXIT_FAIL : 0;
}

static void
print_accounts(const struct config *cfg)
{
	printf("\n演示县 开化县 (330824) — demo county, accounts (demo mode only):\n");
	printf("  %-10s %-16s %s\n", "admin", "admin", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		printf("  %-10s %-16s %s\n", demo_users[i].username, demo_users[i].roles,
		    DEMO_PASSWORD);
	printf("\n打开 / open http://%s\n\n", cfg->listen);
	fflush(stdout);
}

int
cmd_demo(struct cli *cli)
{
	struct datadir dd;
	struct actor sys;
	char pw[32];
	int rc;

	actor_system(&sys, "demo");
	cli->cfg.demo = true;
	apply_settings(&cli->cfg);
	datadir_paths(&cli->cfg, &dd);
	if (access(dd.db_path, F_OK) == 0 && !datadir_has(&cli->cfg, MARK_DEMO_LOADED)) {
		if (!datadir_has(&cli->cfg, MARK_DEMO_STARTED)) {
			fprintf(stderr, "pingan: %s holds a database that is not a demo; use `pingan serve`\n",
			    cli->cfg.data_dir);
			return EXIT_FAIL;
		}
		/* A crash while loading the demo: start the demo over. */
		fprintf(stderr, "pingan: the demo in %s was not finished; loading it again\n",
		    cli->cfg.data_dir);
		datadir_wipe_db(&cli->cfg);
	}
	if (access(dd.db_path, F_OK) != 0) {
		if (mkdir(cli->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "pingan: cannot create %s\n", cli->cfg.data_dir);
			return EXIT_FAIL;
		}
		if (datadir_mark(&cli->cfg, MARK_DEMO_STARTED) != 0 ||
		    init_datadir(&cli->cfg, pw, sizeof pw) != 0 || datadir_open(&cli->cfg, &dd) != 0)
			return EXIT_FAIL;
		rc = demo_admin_password(dd.db, &sys);
		if (rc == 0)
			rc = load_demo_county(&cli->cfg, dd.db, &sys);
		if (rc == 0)
			rc = create_demo_users(dd.db, &sys);
		if (rc == 0)
			rc = demo_events(dd.db);
		if (rc == 0)
			rc = datadir_mark(&cli->cfg, MARK_DEMO_LOADED) == 0 ? 0 : EXIT_FAIL;
		if (rc != 0) {
			datadir_close(&dd);
			return rc;
		}
	} else if (datadir_open(&cli->cfg, &dd) != 0) {
		return EXIT_FAIL;
	}
	print_accounts(&cli->cfg);
	rc = serve_until_signal(&cli->cfg, &dd);
	datadir_close(&dd);
	return rc;
}
