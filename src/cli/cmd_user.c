/* `pingan user add|passwd|lock|unlock|list`: accounts from the command line. */
#include <stdio.h>
#include <string.h>

#include "base/parse.h"
#include "cli/cli.h"
#include "domain/auth/auth.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: pingan user add NAME --role ROLE[,ROLE] [--division CODE] [--unit ID]\n"
	    "                       [--display-name TEXT] [--temporary]\n"
	    "       pingan user passwd NAME [--temporary]\n"
	    "       pingan user lock NAME | unlock NAME | list\n"
	    "Passwords are read from standard input when it is not a terminal.\n");
	return EXIT_USAGE;
}

static int
report(const char *what, int rc, const struct fail *f)
{
	if (rc == 0)
		return EXIT_OK;
	fprintf(stderr, "pingan: %s: %s / %s%s%s\n", what, msg_text(f->msg, false),
	    msg_text(f->msg, true), f->field ? " — " : "", f->field ? f->field : "");
	return EXIT_FAIL;
}

/* Parses the options after `user add NAME`. */
static int
parse_add(struct cli *cli, struct user_input *in)
{
	for (int i = 3; i < cli->argc; i++) {
		const char *a = cli->argv[i], *v = i + 1 < cli->argc ? cli->argv[i + 1] : NULL;
		int64_t unit;

		if (strcmp(a, "--temporary") == 0) {
			in->must_change_password = true;
			continue;
		}
		if (v == NULL)
			return usage();
		i++;
		if (strcmp(a, "--role") == 0)
			in->roles = v;
		else if (strcmp(a, "--division") == 0)
			in->division_code = v;
		else if (strcmp(a, "--display-name") == 0)
			in->display_name = v;
		else if (strcmp(a, "--unit") == 0 && parse_i64(v, 1, INT64_MAX, &unit) == 0)
			in->unit_id = unit;
		else
			return usage();
	}
	return in->roles ? 0 : usage();
}

static int
user_add(struct cli *cli, struct db *db, const struct actor *sys)
{
	struct user_input in = { 0 };
	struct fail f = { 0 };
	char pw[300];
	int64_t id;
	int rc;

	in.username = cli->argv[2];
	if ((rc = parse_add(cli, &in)) != 0)
		return rc;
	if (read_password("密码 / password: ", pw, sizeof pw) != 0) {
		fprintf(stderr, "pingan: no password given\n");
		return EXIT_FAIL;
	}
	in.password = pw;
	rc = user_create(db, sys, &in, &id, &f);
	if (rc == 0)
		printf("created user %s (id %lld)\n", in.username, (long long)id);
	return report("user add", rc, &f);
}

static int
find_user(struct db *db, const char *name, struct user *u)
{
	struct db_conn *c = db_reader(db);

	if (c == NULL || user_load_by_name(c, name, u) != 0) {
		fprintf(stderr, "pingan: no user named %s\n", name);
		return EXIT_FAIL;
	}
	db_reader_done(db);
	return 0;
}

static int
user_passwd(struct cli *cli, struct db *db, const struct actor *sys)
{
	struct fail f = { 0 };
	struct user u;
	char pw[300];
	int rc;

	if (find_user(db, cli->argv[2], &u) != 0)
		return EXIT_FAIL;
	if (read_password("新密码 / new password: ", pw, sizeof pw) != 0) {
		fprintf(stderr, "pingan: no password given\n");
		return EXIT_FAIL;
	}
	/* Set by an operator at the console: no forced change unless asked. */
	rc = user_reset_password(db, sys, u.id, pw,
	    cli->argc > 3 && strcmp(cli->argv[3], "--temporary") == 0, &f);
	return report("user passwd", rc, &f);
}

static int
user_lock(struct cli *cli, struct db *db, const struct actor *sys, bool locked)
{
	struct fail f = { 0 };
	struct user u;

	if (find_user(db, cli->argv[2], &u) != 0)
		return EXIT_FAIL;
	return report(locked ? "user lock" : "user unlock",
	    user_set_locked(db, sys, u.id, locked, &f), &f);
}

static int
user_list_all(struct db *db, const struct actor *sys)
{
	struct user_filter flt = { .limit = 200 };
	json_t *rows, *u;
	int64_t next;
	size_t i;

	printf("%-6s %-20s %-28s %-16s %s\n", "id", "username", "roles", "division", "state");
	do {
		if (user_list(db, sys, &flt, &rows, &next) != 0)
			return EXIT_FAIL;
		json_array_foreach(rows, i, u) {
			char roles[200] = "";
			json_t *r;
			size_t k;

			json_array_foreach(json_object_get(u, "roles"), k, r)
				snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s",
				    k ? "," : "", json_string_value(r));
			printf("%-6lld %-20s %-28s %-16s %s\n",
			    (long long)json_integer_value(json_object_get(u, "id")),
			    json_string_value(json_object_get(u, "username")), roles,
			    json_string_value(json_object_get(u, "division_code")),
			    json_is_true(json_object_get(u, "disabled")) ? "locked"
			    : json_is_true(json_object_get(u, "locked")) ? "locked (failures)" : "active");
		}
		json_decref(rows);
		flt.cursor = next;
	} while (next);
	return EXIT_OK;
}

int
cmd_user(struct cli *cli)
{
	struct datadir dd;
	struct actor sys;
	const char *sub = cli->argc > 1 ? cli->argv[1] : "";
	int rc;

	if (strcmp(sub, "list") != 0 && cli->argc < 3)
		return usage();
	apply_settings(&cli->cfg);
	if (datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	actor_system(&sys, "cli");
	if (strcmp(sub, "add") == 0)
		rc = user_add(cli, dd.db, &sys);
	else if (strcmp(sub, "passwd") == 0)
		rc = user_passwd(cli, dd.db, &sys);
	else if (strcmp(sub, "lock") == 0)
		rc = user_lock(cli, dd.db, &sys, true);
	else if (strcmp(sub, "unlock") == 0)
		rc = user_lock(cli, dd.db, &sys, false);
	else if (strcmp(sub, "list") == 0)
		rc = user_list_all(dd.db, &sys);
	else
		rc = usage();
	datadir_close(&dd);
	return rc;
}
