/* `pingan backup FILE` while the server runs. */
#include "client.h"

#include <sys/stat.h>

static const char users_sql[] = "SELECT group_concat(username, ',') FROM "
				"(SELECT username FROM users ORDER BY id)";

TEST(backup_while_serving_is_complete_and_intact)
{
	struct fixture *s = fixture_shared();
	const char *dir = temp_dir(), *file;
	char *out, *live, *copy;
	struct stat st;

	CHECK(s != NULL && dir != NULL);
	CHECK(api_user_create(s, uniq("backedup"), "leader") > 0);
	file = tfmt("%s/pingan-backup.db", dir);
	CHECK_INT(run_pingan(NULL, &out, "backup", file, "--data-dir", s->data_dir, (char *)NULL), 0);
	CHECK_INT(run_sqlite(file, "PRAGMA integrity_check", &out), 0);
	CHECK_STR(out, "ok\n");
	CHECK_INT(run_sqlite(s->db_path, users_sql, &live), 0);
	CHECK_INT(run_sqlite(file, users_sql, &copy), 0);
	CHECK(strstr(copy, "admin,") == copy);
	CHECK(strstr(copy, "backedup") != NULL);
	CHECK_STR(copy, live);
	/* Personal data lives in it: only the owner may read it. */
	CHECK_INT(stat(file, &st), 0);
	CHECK_INT(st.st_mode & 077, 0);
	/* The server did not notice. */
	CHECK_INT(api_get(s, NULL, "/readyz")->status, 200);
}

TEST(backup_refuses_to_overwrite_an_existing_file)
{
	struct fixture *s = fixture_shared();
	const char *dir = temp_dir(), *file;
	char *out;

	CHECK(s != NULL && dir != NULL);
	file = tfmt("%s/twice.db", dir);
	CHECK_INT(run_pingan(NULL, &out, "backup", file, "--data-dir", s->data_dir, (char *)NULL), 0);
	CHECK(run_pingan(NULL, &out, "backup", file, "--data-dir", s->data_dir, (char *)NULL) != 0);
	CHECK(strstr(out, "already exists") != NULL);
	CHECK_INT(run_sqlite(file, "PRAGMA integrity_check", &out), 0);
	CHECK_STR(out, "ok\n");
}

TEST(backup_without_a_file_name_is_a_usage_error)
{
	struct fixture *s = fixture_shared();
	char *out;

	CHECK(s != NULL);
	CHECK_INT(run_pingan(NULL, &out, "backup", "--data-dir", s->data_dir, (char *)NULL), 2);
	CHECK(strstr(out, "usage") != NULL);
}
