/*
 * The real server in this process (for the test VFS, which only this
 * process's connections can use): a configuration and a data directory
 * with the county's divisions and a county-centre account.
 */
#include "rel.h"
#include "inproc.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "cli/cli.h"
#include "api/api.h"
#include "domain/auth/auth.h"
#include "vfs.h"

/* A data directory with the county's divisions, a county-centre account and an administrator. */
int
rel_datadir_county(const struct config *cfg, struct datadir *dd)
{
	struct user_input in = { .username = "center", .roles = "county_center",
		.division_code = "330824", .password = REL_PASSWORD };
	struct user_input boss = { .username = "boss", .roles = "admin", .division_code = "330824",
		.password = REL_PASSWORD };
	struct actor sys;
	struct fail f = { 0 };
	int64_t id;

	if (datadir_open(cfg, dd) != 0)
		return -1;
	actor_system(&sys, "reliability");
	if (rel_import_divisions(dd->db) != 0 || user_create(dd->db, &sys, &in, &id, &f) != 0 ||
	    user_create(dd->db, &sys, &boss, &id, &f) != 0) {
		datadir_close(dd);
		return -1;
	}
	return 0;
}

int
rel_inproc_config(struct config *cfg, const char *data_dir)
{
	char cwd[400];
	const char *why;

	config_defaults(cfg);
	if (getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	return config_set(cfg, "data_dir", data_dir, &why) || config_set(cfg, "share_dir", cwd, &why) ||
	    config_set(cfg, "listen", "127.0.0.1:0", &why) || config_set(cfg, "log_level", "warn", &why) ||
	    config_set(cfg, "signin_rate_per_minute", "100000", &why);
}

int
rel_vfs_server_start(struct rel_vfs_server *s)
{
	char log[200], pw[32], err[256];

	memset(s, 0, sizeof *s);
	if (rel_temp_dir(s->dir, sizeof s->dir) != 0)
		return -1;
	snprintf(s->data, sizeof s->data, "%s/data", s->dir);
	snprintf(s->db, sizeof s->db, "%s/pingan.db", s->data);
	snprintf(log, sizeof log, "%s/stderr.log", s->dir);
	if (rel_inproc_config(&s->cfg, s->data) != 0 || pcvfs_install() != 0)
		return -1;
	apply_settings(&s->cfg);
	rel_quiet_begin(log);
	if (init_datadir(&s->cfg, pw, sizeof pw) != 0 || rel_datadir_county(&s->cfg, &s->dd) != 0) {
		rel_quiet_end();
		pcvfs_uninstall();
		printf("    the data directory could not be prepared\n");
		return -1;
	}
	s->app.db = s->dd.db;
	s->app.cfg = &s->cfg;
	if (server_start(&s->app, api_routes, api_route_count, "web", &s->srv, err, sizeof err) != 0) {
		datadir_close(&s->dd);
		rel_quiet_end();
		pcvfs_uninstall();
		printf("    the in-process server did not start: %s\n", err);
		return -1;
	}
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u", (unsigned)server_port(s->srv));
	return 0;
}

void
rel_vfs_server_stop(struct rel_vfs_server *s)
{
	server_stop(s->srv, 2000);
	datadir_close(&s->dd);
	rel_quiet_end();
}
