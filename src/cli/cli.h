/*
 * The command line: `pingan COMMAND [options]`. Each command is one file;
 * they share the option parsing and the opening of a data directory here.
 */
#ifndef PINGAN_CLI_H
#define PINGAN_CLI_H

#include <stdbool.h>

#include "base/config.h"
#include "db/db.h"

struct cli {
	struct config cfg;
	int argc;               /* arguments left after the common options */
	char **argv;
	const char *config_path;
};

/* An opened data directory: database and keys ready for domain calls. */
struct datadir {
	struct db *db;
	struct calendar *calendar;
	char db_path[600];
	char key_path[600];
};

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Parses --config/--data-dir/--listen (anywhere) and leaves the rest in cli->argv. */
int cli_parse(struct cli *cli, int argc, char **argv);
/* Opens the data directory made by `pingan init`; prints the reason and returns non-zero on failure. */
int datadir_open(const struct config *cfg, struct datadir *dd);
/* The same during the first start, before the initialised marker exists. */
int datadir_open_initialising(const struct config *cfg, struct datadir *dd);
void datadir_close(struct datadir *dd);
/* Paths inside the data directory. */
void datadir_paths(const struct config *cfg, struct datadir *dd);
/*
 * Markers of a finished first start, written last and durably: a database
 * without them was left by a crash during initialisation and is redone.
 */
#define MARK_INITIALISED ".initialised"
#define MARK_DEMO_STARTED ".demo-started"
#define MARK_DEMO_LOADED ".demo-loaded"
bool datadir_has(const struct config *cfg, const char *mark);
int datadir_mark(const struct config *cfg, const char *mark);
void datadir_unmark(const struct config *cfg, const char *mark);
/* Removes the database files of an unfinished initialisation (never the key file). */
void datadir_wipe_db(const struct config *cfg);
/* The directory holding web/ and data/. */
void share_dir(const struct config *cfg, char *out, unsigned long n);
/* Reads a password: prompt without echo on a terminal, else one line of stdin. */
int read_password(const char *prompt, char *out, unsigned long n);
/* Applies settings from the configuration to the domain (auth rules, clock offset, log level). */
void apply_settings(const struct config *cfg);

int cmd_init(struct cli *cli);
int cmd_serve(struct cli *cli);
int cmd_demo(struct cli *cli);
int cmd_user(struct cli *cli);
int cmd_backup(struct cli *cli);
int cmd_audit(struct cli *cli);
int cmd_help(struct cli *cli);
int cmd_gen(struct cli *cli);
int cmd_version(struct cli *cli);

/* Creates the data directory, key file, database and the admin account.
 * admin_password receives the one-time password (n bytes). */
int init_datadir(const struct config *cfg, char *admin_password, unsigned long n);
/* Runs the server until SIGTERM or SIGINT. */
int serve_until_signal(const struct config *cfg, struct datadir *dd);
/* Demo events in every state of the loop (demo_events.c). */
int demo_events(struct db *db);

#endif
