#include "../../harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/err.h"
#include "base/file.h"

TEST(config_defaults_are_valid_and_documented_in_the_readme)
{
	struct config c;
	char *readme;
	size_t n;

	config_defaults(&c);
	CHECK_STR(c.listen, "127.0.0.1:8080");
	CHECK_INT(c.session_idle_minutes, 30);
	CHECK_INT(c.argon2_memlimit_kib, 19456);
	CHECK_INT(file_read_all("README.md", 1 << 20, &readme, &n), 0);
	for (const struct config_key *k = config_keys; k->name; k++) {
		char needle[80];

		snprintf(needle, sizeof needle, "`%s`", k->name);
		if (strstr(readme, needle) == NULL) {
			test_failf(__FILE__, __LINE__, "README.md does not document config key %s",
			    k->name);
			free(readme);
			return;
		}
	}
	free(readme);
}

TEST(config_file_reports_the_bad_line)
{
	char path[] = "/tmp/pingan-config-XXXXXX", err[256];
	struct config c;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("# comment\nthreads = 8\n\nsession_idle_minutes = lots\n", f);
	fclose(f);
	config_defaults(&c);
	CHECK(config_load_file(&c, path, err, sizeof err) != 0);
	CHECK(strstr(err, ":4:") != NULL);
	CHECK(strstr(err, "session_idle_minutes") != NULL);
	CHECK_INT(c.threads, 8);
	unlink(path);
}

TEST(config_rejects_unknown_keys_and_out_of_range_values)
{
	struct config c;
	const char *why;

	config_defaults(&c);
	CHECK_INT(config_set(&c, "no_such_key", "1", &why), ERR_NOT_FOUND);
	CHECK_INT(config_set(&c, "argon2_memlimit_kib", "1024", &why), ERR_INVALID);
	CHECK_INT(config_set(&c, "cookie_secure", "maybe", &why), ERR_INVALID);
	CHECK_INT(config_set(&c, "cookie_secure", "true", &why), 0);
	CHECK(c.cookie_secure);
}
