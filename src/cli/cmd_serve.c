/* `pingan serve`: run the HTTP server until SIGTERM or SIGINT, then stop gracefully. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "api/api.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"

/* Requests still running get this long to finish after a stop signal. */
#define STOP_GRACE_MS 15000

int
serve_until_signal(const struct config *cfg, struct datadir *dd)
{
	struct app app = { .db = dd->db, .cfg = cfg };
	struct server *srv;
	char web[1100], share[1024], err[256];
	sigset_t set;
	int sig = 0;

	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	share_dir(cfg, share, sizeof share);
	snprintf(web, sizeof web, "%s/web", share);
	if (server_start(&app, api_routes, api_route_count, web, &srv, err, sizeof err) != 0) {
		fprintf(stderr, "pingan: %s\n", err);
		return EXIT_FAIL;
	}
	log_info("listening on %s port %u (web %s)", cfg->listen, server_port(srv), web);
	sigwait(&set, &sig);
	log_info("signal %d: finishing requests in flight, then stopping", sig);
	server_stop(srv, STOP_GRACE_MS);
	log_info("stopped");
	return EXIT_OK;
}

int
cmd_serve(struct cli *cli)
{
	struct datadir dd;
	int rc;

	apply_settings(&cli->cfg);
	if (datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	rc = serve_until_signal(&cli->cfg, &dd);
	datadir_close(&dd);
	return rc;
}
