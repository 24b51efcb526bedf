/* Option parsing and data-directory handling shared by every command. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/file.h"
#include "base/keyfile.h"
#include "base/log.h"
#include "cli/cli.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/auth/roles.h"
#include "domain/event/attachment.h"
#include "domain/event/category.h"
#include "domain/event/event.h"
#include "domain/pii/pii.h"

static int
set_or_complain(struct config *cfg, const char *key, const char *value)
{
	const char *why;

	if (config_set(cfg, key, value, &why) != 0) {
		fprintf(stderr, "pingan: %s '%s': %s\n", key, value, why);
		return EXIT_USAGE;
	}
	return 0;
}

int
cli_parse(struct cli *cli, int argc, char **argv)
{
	const char *data_dir = NULL, *listen = NULL;
	char err[600];
	int out = 0;

	config_defaults(&cli->cfg);
	cli->config_path = getenv("PINGAN_CONFIG");
	cli->argv = argv;
	cli->argc = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = strcmp(a, "--config") == 0 ? &cli->config_path
		    : strcmp(a, "--data-dir") == 0 ? &data_dir
		    : strcmp(a, "--listen") == 0 ? &listen : NULL;

		if (slot == NULL) {
			argv[out++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "pingan: %s needs a value\n", a);
			return EXIT_USAGE;
		}
		*slot = argv[++i];
	}
	cli->argc = out;
	if (cli->config_path && config_load_file(&cli->cfg, cli->config_path, err, sizeof err) != 0) {
		fprintf(stderr, "pingan: %s\n", err);
		return EXIT_USAGE;
	}
	if (data_dir && set_or_complain(&cli->cfg, "data_dir", data_dir) != 0)
		return EXIT_USAGE;
	if (listen && set_or_complain(&cli->cfg, "listen", listen) != 0)
		return EXIT_USAGE;
	return 0;
}

void
apply_settings(const struct config *cfg)
{
	struct auth_settings s = {
		.opslimit = (uint64_t)cfg->argon2_opslimit,
		.memlimit = (size_t)cfg->argon2_memlimit_kib * 1024u,
		.idle_ms = cfg->session_idle_minutes * 60000,
		.absolute_ms = cfg->session_absolute_hours * 3600000,
		.lockout_threshold = (int)cfg->lockout_threshold,
		.lockout_ms = cfg->lockout_minutes * 60000,
	};
	enum log_level level;
	uint32_t totp_roles = 0;

	if (cfg->totp_required_roles[0] && roles_parse(cfg->totp_required_roles, &totp_roles) != 0)
		fprintf(stderr, "pingan: totp_required_roles: unknown role in '%s' (ignored)\n",
		    cfg->totp_required_roles);
	s.totp_required_roles = totp_roles;
	auth_configure(&s);
	clock_set_offset_minutes((int)cfg->timezone_offset_minutes);
	if (log_level_parse(cfg->log_level, &level) == 0)
		log_set_level(level);
}

static void
mark_path(const struct config *cfg, const char *mark, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", cfg->data_dir, mark);
}

bool
datadir_has(const struct config *cfg, const char *mark)
{
	char p[700];

	mark_path(cfg, mark, p, sizeof p);
	return access(p, F_OK) == 0;
}

int
datadir_mark(const struct config *cfg, const char *mark)
{
	char p[700];
	int fd, dfd, rc = 0;

	mark_path(cfg, mark, p, sizeof p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fsync(fd) != 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	dfd = open(cfg->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return rc;
}

void
datadir_unmark(const struct config *cfg, const char *mark)
{
	char p[700];

	mark_path(cfg, mark, p, sizeof p);
	unlink(p);
}

void
datadir_wipe_db(const struct config *cfg)
{
	static const char *const files[] = { "pingan.db", "pingan.db-wal", "pingan.db-shm",
		MARK_INITIALISED, MARK_DEMO_LOADED };
	char p[700];

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		mark_path(cfg, files[i], p, sizeof p);
		unlink(p);
	}
}

void
datadir_paths(const struct config *cfg, struct datadir *dd)
{
	snprintf(dd->db_path, sizeof dd->db_path, "%s/pingan.db", cfg->data_dir);
	snprintf(dd->key_path, sizeof dd->key_path, "%s/secret.key", cfg->data_dir);
}

/*
 * Reference data every command needs: the holiday calendar (data/calendar),
 * the event categories (data/categories.csv, loaded once into an empty
 * database), the county code and the uploads directory.
 */
static int
load_reference_data(const struct config *cfg, struct datadir *dd)
{
	char share[1024], path[1200], err[600], *data;
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	struct actor sys;
	size_t len;
	int rc;

	share_dir(cfg, share, sizeof share);
	snprintf(path, sizeof path, "%s/data/calendar", share);
	if (calendar_load_dir(path, &dd->calendar, err, sizeof err) != 0) {
		fprintf(stderr, "pingan: holiday calendar: %s\n", err);
		return EXIT_FAIL;
	}
	event_set_calendar(dd->calendar);
	event_set_county_code(cfg->county_code);
	snprintf(path, sizeof path, "%s/uploads", cfg->data_dir);
	attachment_set_dir(path);
	if (category_count(dd->db) > 0)
		return 0;
	snprintf(path, sizeof path, "%s/data/categories.csv", share);
	if (file_read_all(path, 1u << 22, &data, &len) != 0) {
		fprintf(stderr, "pingan: cannot read %s\n", path);
		return EXIT_FAIL;
	}
	actor_system(&sys, "system");
	rc = category_import_csv(dd->db, &sys, data, len, &rep, &f);
	free(data);
	if (rc != 0)
		fprintf(stderr, "pingan: %s: %s (line %d)\n", path, msg_text(f.msg, true),
		    rep.nerrors ? rep.errors[0].line : 0);
	import_report_release(&rep);
	return rc ? EXIT_FAIL : 0;
}

static int datadir_open_as(const struct config *cfg, struct datadir *dd, bool initialising);

int
datadir_open(const struct config *cfg, struct datadir *dd)
{
	return datadir_open_as(cfg, dd, false);
}

int
datadir_open_initialising(const struct config *cfg, struct datadir *dd)
{
	return datadir_open_as(cfg, dd, true);
}

static int
datadir_open_as(const struct config *cfg, struct datadir *dd, bool initialising)
{
	uint8_t master[KEYFILE_BYTES], key[KEYFILE_BYTES];
	char err[700];
	int rc;

	memset(dd, 0, sizeof *dd);
	datadir_paths(cfg, dd);
	if (access(dd->db_path, F_OK) != 0) {
		fprintf(stderr, "pingan: no database in %s; run `pingan init --data-dir %s` first\n",
		    cfg->data_dir, cfg->data_dir);
		return EXIT_FAIL;
	}
	(void)initialising;
	if (keyfile_load(dd->key_path, master, err, sizeof err) != 0) {
		fprintf(stderr, "pingan: %s\n", err);
		return EXIT_FAIL;
	}
	keyfile_derive(master, KEY_AUDIT_MAC, key);
	audit_set_key(key);
	{
		uint8_t enc[KEYFILE_BYTES], idx[KEYFILE_BYTES];

		keyfile_derive(master, KEY_PII_ENCRYPT, enc);
		keyfile_derive(master, KEY_PII_INDEX, idx);
		pii_set_keys(enc, idx);
		sodium_memzero(enc, sizeof enc);
		sodium_memzero(idx, sizeof idx);
	}
	sodium_memzero(master, sizeof master);
	sodium_memzero(key, sizeof key);
	rc = db_open(dd->db_path, false, &dd->db);
	if (rc != 0) {
		fprintf(stderr, "pingan: cannot open the database %s (see the log above)\n",
		    dd->db_path);
		return EXIT_FAIL;
	}
	rc = load_reference_data(cfg, dd);
	if (rc != 0)
		return EXIT_FAIL;
	return 0;
}

void
datadir_close(struct datadir *dd)
{
	db_close(dd->db);
	dd->db = NULL;
	calendar_free(dd->calendar);
	dd->calendar = NULL;
}

static bool
has_web(const char *dir)
{
	char p[PATH_MAX + 32];
	struct stat st;

	snprintf(p, sizeof p, "%s/web/index.html", dir);
	return stat(p, &st) == 0;
}

void
share_dir(const struct config *cfg, char *out, unsigned long n)
{
	char exe[PATH_MAX], *slash;
	ssize_t len;

	if (cfg->share_dir[0]) {
		snprintf(out, n, "%s", cfg->share_dir);
		return;
	}
	len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		for (int up = 0; up < 2 && (slash = strrchr(exe, '/')) != NULL; up++) {
			*slash = '\0';
			if (has_web(exe)) {
				snprintf(out, n, "%s", exe);
				return;
			}
		}
	}
	snprintf(out, n, "/usr/local/share/pingan");
}

int
read_password(const char *prompt, char *out, unsigned long n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)n, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return len ? 0 : -1;
}
