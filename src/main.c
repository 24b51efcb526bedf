/* pingan: one binary, the command line and the server. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli);
};

static const struct command commands[] = {
	{ "init", cmd_init }, { "serve", cmd_serve }, { "demo", cmd_demo },
	{ "user", cmd_user }, { "gen", cmd_gen }, { "backup", cmd_backup }, { "audit", cmd_audit },
	{ "version", cmd_version }, { "--version", cmd_version },
	{ "help", cmd_help }, { "--help", cmd_help }, { "-h", cmd_help },
};

int
main(int argc, char **argv)
{
	struct cli cli;
	int rc;

	/* Everything pingan writes (database, backups, uploads) is for its owner only. */
	umask(077);
	if (sodium_init() < 0) {
		fprintf(stderr, "pingan: libsodium failed to initialise\n");
		return EXIT_FAIL;
	}
	if (argc < 2) {
		cli.argc = 0;
		return cmd_help(&cli) == 0 ? EXIT_USAGE : EXIT_USAGE;
	}
	rc = cli_parse(&cli, argc - 1, argv + 1);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].run(&cli);
	fprintf(stderr, "pingan: unknown command '%s'; see `pingan help`\n", argv[1]);
	return EXIT_USAGE;
}
