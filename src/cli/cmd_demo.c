/*
 * `pingan demo`: a ready-to-use demo county. On first run it initialises the
 * data directory, loads the demo reference data and creates one user per
 * role; every run prints those accounts (demo mode only) and serves.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/auth/auth.h"

/* Shared by every demo account; printed at start-up, never used outside demo mode. */
#define DEMO_PASSWORD "Pingan#Demo2026"

struct demo_user {
	const char *username, *display_name, *roles, *division, *unit;
};

static const struct demo_user demo_users[] = {
	{ "center", "县中心值班员", "county_center", "", "" },
	{ "township", "华埠镇指挥室", "township_center", "330824115", "" },
	{ "dept", "公安局承办人", "department", "", "" },
	{ "grid", "网格员小王", "grid_worker", "330824115", "" },
	{ "leader", "分管领导", "leader", "", "" },
	{ "auditor", "审计员", "auditor", "", "" },
	{ "volunteer", "平安志愿者", "volunteer", "", "" },
};

static int
create_demo_users(struct db *db)
{
	struct actor sys;

	actor_system(&sys, "demo");
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *d = &demo_users[i];
		struct user_input in = { 0 };
		struct fail f = { 0 };
		int64_t id;

		in.username = d->username;
		in.display_name = d->display_name;
		in.roles = d->roles;
		in.division_code = d->division;
		in.password = DEMO_PASSWORD;
		if (user_create(db, &sys, &in, &id, &f) != 0) {
			fprintf(stderr, "pingan: demo user %s: %s\n", d->username, msg_text(f.msg, true));
			return EXIT_FAIL;
		}
	}
	return 0;
}

/* The demo admin gets the demo password too, so the tour needs no reset. */
static int
demo_admin_password(struct db *db)
{
	struct actor sys;
	struct fail f = { 0 };
	struct user u;
	struct db_conn *c = db_reader(db);

	actor_system(&sys, "demo");
	if (c == NULL || user_load_by_name(c, "admin", &u) != 0)
		return EXIT_FAIL;
	db_reader_done(db);
	return user_reset_password(db, &sys, u.id, DEMO_PASSWORD, false, &f) ? EXIT_FAIL : 0;
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
	char pw[32];
	int rc;

	cli->cfg.demo = true;
	apply_settings(&cli->cfg);
	datadir_paths(&cli->cfg, &dd);
	if (access(dd.db_path, F_OK) != 0) {
		if (init_datadir(&cli->cfg, pw, sizeof pw) != 0 || datadir_open(&cli->cfg, &dd) != 0)
			return EXIT_FAIL;
		rc = demo_admin_password(dd.db);
		if (rc == 0)
			rc = create_demo_users(dd.db);
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
