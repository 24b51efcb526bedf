/* `pingan backup FILE` and `pingan audit verify`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit/audit.h"

int
cmd_backup(struct cli *cli)
{
	struct datadir dd;
	char err[700];
	int rc;

	if (cli->argc < 2) {
		fprintf(stderr, "usage: pingan backup FILE\n");
		return EXIT_USAGE;
	}
	apply_settings(&cli->cfg);
	if (datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	rc = db_backup(dd.db, cli->argv[1], err, sizeof err);
	datadir_close(&dd);
	if (rc != 0) {
		fprintf(stderr, "pingan: backup failed: %s\n", err);
		return EXIT_FAIL;
	}
	printf("backup written and verified (integrity ok): %s\n"
	       "keep the key file %s/secret.key with it, apart and safe: without it personal data "
	       "and the audit chain cannot be read or checked\n", cli->argv[1], cli->cfg.data_dir);
	return EXIT_OK;
}

int
cmd_audit(struct cli *cli)
{
	struct datadir dd;
	struct audit_check chk;
	int rc;

	if (cli->argc < 2 || strcmp(cli->argv[1], "verify") != 0) {
		fprintf(stderr, "usage: pingan audit verify\n");
		return EXIT_USAGE;
	}
	apply_settings(&cli->cfg);
	if (datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	rc = audit_verify(dd.db, &chk);
	datadir_close(&dd);
	if (rc != 0) {
		printf("audit chain BROKEN at row %lld: %s (%lld rows checked before it)\n",
		    (long long)chk.first_bad_id, chk.why[0] ? chk.why : "storage error",
		    (long long)chk.rows);
		return EXIT_FAIL;
	}
	printf("audit chain intact: %lld rows\n", (long long)chk.rows);
	return EXIT_OK;
}
