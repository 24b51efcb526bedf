/* `pingan help [config]` and `pingan version`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"

#define PINGAN_VERSION "0.1.0"

int
cmd_version(struct cli *cli)
{
	(void)cli;
	printf("pingan %s (schema %d)\n", PINGAN_VERSION, db_schema_latest());
	return EXIT_OK;
}

static void
help_config(void)
{
	printf("Configuration keys (file of `key = value` lines, given with --config FILE):\n\n");
	for (const struct config_key *k = config_keys; k->name; k++)
		printf("  %-26s default %-18s %s\n", k->name, k->def[0] ? k->def : "\"\"", k->doc);
}

int
cmd_help(struct cli *cli)
{
	if (cli->argc > 1 && strcmp(cli->argv[1], "config") == 0) {
		help_config();
		return EXIT_OK;
	}
	printf("pingan (平安) — county safety and social-governance system\n\n"
	       "usage: pingan COMMAND [--config FILE] [--data-dir DIR] [--listen ADDR:PORT]\n\n"
	       "commands:\n"
	       "  init                      create a data directory, key file and admin account\n"
	       "  serve                     run the server\n"
	       "  demo                      initialise the demo county (first run) and serve it\n"
	       "  user add NAME --role R    create a user (password from stdin when not a terminal)\n"
	       "       [--division CODE] [--unit ID] [--display-name TEXT] [--temporary]\n"
	       "  user passwd NAME          set a user's password [--temporary: must change]\n"
	       "  user lock NAME            lock an account and sign it out\n"
	       "  user unlock NAME          unlock an account\n"
	       "  user list                 list accounts\n"
	       "  gen --scale S [--seed N] [--events N]\n"
	       "                            synthetic county|city|province data for benchmarks\n"
	       "  backup FILE               online backup of the database, verified\n"
	       "  audit verify              check the audit chain; exit 1 at the first broken row\n"
	       "  version                   print the version\n"
	       "  help [config]             this text, or every configuration key\n");
	return EXIT_OK;
}
