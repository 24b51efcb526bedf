/* The command line an operator uses next to the server. */
#include "client.h"

/* A fresh initialised data directory (no server); NULL on failure. */
static const char *
fresh_data_dir(void)
{
	const char *dir = temp_dir(), *data;
	char *out;

	if (dir == NULL)
		return NULL;
	data = tfmt("%s/data", dir);
	return run_pingan(NULL, &out, "init", "--data-dir", data, (char *)NULL) == 0 ? data : NULL;
}

TEST(cli_user_add_with_a_weak_password_fails_with_the_policy_message)
{
	const char *data = fresh_data_dir();
	char *out;

	CHECK(data != NULL);
	CHECK(run_pingan("short\n", &out, "user", "add", "weakling", "--role", "leader",
	    "--data-dir", data, (char *)NULL) != 0);
	CHECK(strstr(out, "密码至少需要 10 个字符") != NULL);
	CHECK(strstr(out, "at least 10 characters") != NULL);
	CHECK(run_pingan("alllowercaseletters\n", &out, "user", "add", "weakling", "--role",
	    "leader", "--data-dir", data, (char *)NULL) != 0);
	CHECK(strstr(out, "至少三类") != NULL);
	CHECK_INT(run_pingan(NULL, &out, "user", "list", "--data-dir", data, (char *)NULL), 0);
	CHECK(strstr(out, "weakling") == NULL);
}

TEST(cli_user_add_with_a_good_password_can_sign_in_later)
{
	const char *data = fresh_data_dir();
	char *out;

	CHECK(data != NULL);
	CHECK_INT(run_pingan(TEST_PASSWORD "\n", &out, "user", "add", "newcomer", "--role",
	    "leader", "--data-dir", data, (char *)NULL), 0);
	CHECK(strstr(out, "created user newcomer") != NULL);
	CHECK(run_pingan(TEST_PASSWORD "\n", &out, "user", "add", "newcomer", "--role", "leader",
	    "--data-dir", data, (char *)NULL) != 0);
	CHECK(strstr(out, "用户名已存在") != NULL);
	CHECK(run_pingan(TEST_PASSWORD "\n", &out, "user", "add", "rolecheck", "--role", "king",
	    "--data-dir", data, (char *)NULL) != 0);
	CHECK_INT(run_pingan(NULL, &out, "user", "list", "--data-dir", data, (char *)NULL), 0);
	CHECK(strstr(out, "newcomer") != NULL);
	CHECK(strstr(out, "rolecheck") == NULL);
}

TEST(cli_version_and_help_exit_0)
{
	static const char *const commands[] = { "init", "serve", "demo", "user", "backup", "audit",
		"version", "help" };
	char *out;

	CHECK_INT(run_pingan(NULL, &out, "version", (char *)NULL), 0);
	CHECK(strncmp(out, "pingan ", 7) == 0);
	CHECK_INT(run_pingan(NULL, &out, "help", (char *)NULL), 0);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strstr(out, tfmt("\n  %s ", commands[i])) == NULL)
			test_failf(__FILE__, __LINE__, "help does not list `%s`", commands[i]);
	CHECK_INT(run_pingan(NULL, &out, "help", "config", (char *)NULL), 0);
	CHECK(strstr(out, "argon2_memlimit_kib") != NULL);
}

TEST(cli_unknown_command_is_a_usage_error)
{
	char *out;

	CHECK_INT(run_pingan(NULL, &out, "frobnicate", (char *)NULL), 2);
	CHECK(strstr(out, "frobnicate") != NULL);
	CHECK_INT(run_pingan(NULL, &out, (char *)NULL), 2);
}

TEST(cli_init_refuses_an_initialised_directory)
{
	const char *data = fresh_data_dir();
	char *out, *before, *after;

	CHECK(data != NULL);
	CHECK_INT(run_sqlite(tfmt("%s/pingan.db", data), "SELECT password_hash FROM users", &before),
	    0);
	CHECK(run_pingan(NULL, &out, "init", "--data-dir", data, (char *)NULL) != 0);
	CHECK(strstr(out, "already initialised") != NULL);
	CHECK_INT(run_sqlite(tfmt("%s/pingan.db", data), "SELECT password_hash FROM users", &after),
	    0);
	CHECK_STR(after, before);
}

TEST(cli_commands_on_a_missing_data_dir_fail_clearly)
{
	const char *dir = temp_dir();
	char *out;

	CHECK(dir != NULL);
	CHECK(run_pingan(NULL, &out, "audit", "verify", "--data-dir", tfmt("%s/none", dir),
	    (char *)NULL) != 0);
	CHECK(strstr(out, "pingan init") != NULL);
}

TEST(cli_user_lock_ends_api_sessions)
{
	struct fixture *s = fixture_shared();
	const char *user = uniq("clilock"), *token;
	char *out;

	CHECK(s != NULL);
	CHECK_INT(fixture_user_add(s, user, "leader", TEST_PASSWORD, false), 0);
	token = signin(s, user, TEST_PASSWORD);
	CHECK(token != NULL);
	CHECK_INT(run_pingan(NULL, &out, "user", "lock", user, "--data-dir", s->data_dir,
	    (char *)NULL), 0);
	CHECK_ERROR(api_get(s, token, "/api/v1/me"), 401, "unauthorized");
	CHECK_INT(run_pingan(NULL, &out, "user", "unlock", user, "--data-dir", s->data_dir,
	    (char *)NULL), 0);
	CHECK(signin(s, user, TEST_PASSWORD) != NULL);
}
