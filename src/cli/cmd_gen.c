/* `pingan gen --scale county|city|province [--seed N] [--events N] [--persons N]`: benchmark data. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/parse.h"
#include "cli/cli.h"
#include "domain/gen/gen.h"

#define GEN_PASSWORD "Pingan#Demo2026"

static int
usage(void)
{
	fprintf(stderr, "usage: pingan gen --scale county|city|province [--seed N] [--events N] "
			"[--persons N] "
			"--data-dir DIR\n(DIR must not exist yet)\n");
	return EXIT_USAGE;
}

int
cmd_gen(struct cli *cli)
{
	struct gen_plan plan;
	struct gen_report rep;
	struct datadir dd;
	const char *scale = NULL;
	char pw[32];
	int64_t v;
	int rc;

	for (int i = 1; i + 1 < cli->argc; i += 2) {
		if (strcmp(cli->argv[i], "--scale") == 0)
			scale = cli->argv[i + 1];
	}
	if (scale == NULL || gen_plan_for(scale, &plan) != 0)
		return usage();
	for (int i = 1; i + 1 < cli->argc; i += 2) {
		if (strcmp(cli->argv[i], "--seed") == 0 &&
		    parse_i64(cli->argv[i + 1], 0, INT64_MAX, &v) == 0)
			plan.seed = (uint64_t)v;
		else if (strcmp(cli->argv[i], "--events") == 0 &&
		    parse_i64(cli->argv[i + 1], 0, 100000000, &v) == 0)
			plan.events = v;
		else if (strcmp(cli->argv[i], "--persons") == 0 &&
		    parse_i64(cli->argv[i + 1], 0, 100000000, &v) == 0)
			plan.persons = v;
		else if (strcmp(cli->argv[i], "--scale") != 0)
			return usage();
	}
	apply_settings(&cli->cfg);
	datadir_paths(&cli->cfg, &dd);
	if (access(dd.db_path, F_OK) == 0) {
		fprintf(stderr, "pingan gen: %s exists; generate into a new data directory\n",
		    cli->cfg.data_dir);
		return EXIT_FAIL;
	}
	if (init_datadir(&cli->cfg, pw, sizeof pw) != 0 || datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	fprintf(stderr, "pingan gen: %s scale, %d counties, %lld events, %lld persons, seed %llu\n",
	    scale, plan.counties, (long long)plan.events, (long long)plan.persons,
	    (unsigned long long)plan.seed);
	rc = gen_run(dd.db, &plan, GEN_PASSWORD, &rep);
	datadir_close(&dd);
	if (rc != 0) {
		fprintf(stderr, "pingan gen: failed (%d)\n", rc);
		return EXIT_FAIL;
	}
	printf("generated %lld divisions, %lld units, %lld users in %.1f s; %lld events "
	       "(%lld timeline rows) in %.1f s = %.0f events/s, their indexes, full-text index "
	       "and counters in %.1f s; %lld persons in %.1f s = %.0f persons/s\n"
	       "users center, township, dept, leader, auditor; password %s; admin's: %s\n",
	    (long long)rep.divisions, (long long)rep.units, (long long)rep.users, rep.seconds_org,
	    (long long)rep.events, (long long)rep.timeline_rows, rep.seconds_events,
	    rep.seconds_events > 0 ? (double)rep.events / rep.seconds_events : 0.0,
	    rep.seconds_rebuild, (long long)rep.persons, rep.seconds_persons,
	    rep.seconds_persons > 0 ? (double)rep.persons / rep.seconds_persons : 0.0, GEN_PASSWORD,
	    pw);
	return EXIT_OK;
}
