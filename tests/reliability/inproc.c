/*
 * The real server in this process (for the test VFS, which only this
 * process's connections can use): a configuration and a data directory
 * with the county's divisions and a county-centre account.
 */
#include "rel.h"

#include <unistd.h>

#include "base/config.h"
#include "cli/cli.h"
#include "domain/auth/auth.h"

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

