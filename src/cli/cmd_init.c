/* `pingan init`: a new data directory with its key file, database and admin account. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/keyfile.h"
#include "cli/cli.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/txn.h"

/* A random password that meets the policy: 16 characters of four classes. */
static void
random_password(char *out, unsigned long n)
{
	static const char alphabet[] =
	    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.%+=";

	do {
		unsigned long i;

		for (i = 0; i < 16 && i + 1 < n; i++)
			out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		out[i] = '\0';
	} while (password_policy_check(out, "admin") != MSG_NONE);
}

static int
make_dirs(const char *dir)
{
	char sub[600];

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "pingan: cannot create %s: %s\n", dir, strerror(errno));
		return EXIT_FAIL;
	}
	snprintf(sub, sizeof sub, "%s/uploads", dir);
	if (mkdir(sub, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "pingan: cannot create %s: %s\n", sub, strerror(errno));
		return EXIT_FAIL;
	}
	return 0;
}

static int
write_init_audit(struct db *db, const struct actor *sys)
{
	struct db_conn *w;
	int rc = db_write_begin(db, &w);

	if (rc != 0)
		return rc;
	rc = audit_write(w, sys, "system.init", "system", "", NULL);
	return txn_finish(db, rc, NULL);
}

int
init_datadir(const struct config *cfg, char *admin_password, unsigned long n)
{
	struct datadir dd;
	struct actor sys;
	struct user_input in = { 0 };
	struct fail f = { 0 };
	int64_t id;
	int rc;

	datadir_paths(cfg, &dd);
	if (datadir_has(cfg, MARK_INITIALISED)) {
		fprintf(stderr, "pingan: %s is already initialised\n", cfg->data_dir);
		return EXIT_FAIL;
	}
	if (access(dd.db_path, F_OK) == 0) {
		/* A crash during an earlier first start: nothing in it was ever served. */
		fprintf(stderr, "pingan: an earlier initialisation of %s did not finish; starting over\n",
		    cfg->data_dir);
		datadir_wipe_db(cfg);
	}
	if ((rc = make_dirs(cfg->data_dir)) != 0)
		return rc;
	rc = keyfile_create(dd.key_path);
	if (rc != 0 && rc != ERR_CONFLICT) {
		fprintf(stderr, "pingan: cannot create the key file %s\n", dd.key_path);
		return EXIT_FAIL;
	}
	if (db_open(dd.db_path, true, &dd.db) != 0) {
		fprintf(stderr, "pingan: cannot create the database %s\n", dd.db_path);
		return EXIT_FAIL;
	}
	db_close(dd.db);
	if (datadir_open_initialising(cfg, &dd) != 0)
		return EXIT_FAIL;
	actor_system(&sys, "system");
	random_password(admin_password, n);
	in.username = "admin";
	in.display_name = "系统管理员";
	in.roles = "admin";
	in.password = admin_password;
	in.must_change_password = true;
	rc = write_init_audit(dd.db, &sys);
	if (rc == 0)
		rc = user_create(dd.db, &sys, &in, &id, &f);
	datadir_close(&dd);
	if (rc != 0) {
		fprintf(stderr, "pingan: cannot create the admin account: %s\n", msg_text(f.msg, true));
		return EXIT_FAIL;
	}
	if (datadir_mark(cfg, MARK_INITIALISED) != 0) {
		fprintf(stderr, "pingan: cannot write %s/%s\n", cfg->data_dir, MARK_INITIALISED);
		return EXIT_FAIL;
	}
	return 0;
}

int
cmd_init(struct cli *cli)
{
	char pw[32];

	apply_settings(&cli->cfg);
	if (init_datadir(&cli->cfg, pw, sizeof pw) != 0)
		return EXIT_FAIL;
	printf("初始化完成 / initialised %s\n"
	       "管理员 admin 的一次性密码 / one-time password for admin: %s\n"
	       "首次登录必须修改密码 / it must be changed at first sign-in.\n",
	    cli->cfg.data_dir, pw);
	return EXIT_OK;
}
