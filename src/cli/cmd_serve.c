/* `pingan serve`: run the HTTP server until SIGTERM or SIGINT, then stop gracefully. */
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>

#include "api/api.h"
#include "base/clock.h"
#include "base/log.h"
#include "domain/auth/auth.h"
#include "domain/event/event.h"
#include "cli/cli.h"
#include "http/server.h"

/* Requests still running get this long to finish after a stop signal. */
#define STOP_GRACE_MS 15000

struct scanner {
	struct db *db;
	int interval_s;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

/* The deadline scanner's thread: one scan per interval until told to stop. */
static void *
scanner_main(void *arg)
{
	struct scanner *sc = arg;

	pthread_mutex_lock(&sc->lock);
	while (!sc->stop) {
		struct timespec until;
		int64_t t0 = clock_mono_ms(), ms;
		int changed;

		pthread_mutex_unlock(&sc->lock);
		changed = event_scan_deadlines(sc->db, clock_now_ms());
		ms = clock_mono_ms() - t0;
		/* A slow scan is worth knowing about even when nothing changed. */
		if (changed > 0 || (changed == 0 && ms >= 1000))
			log_info("deadline scan: %d events changed colour in %lld ms", changed,
			    (long long)ms);
		else if (changed < 0)
			log_warn("deadline scan failed (%d); will retry", changed);
		pthread_mutex_lock(&sc->lock);
		until = clock_deadline_in((long)sc->interval_s * 1000);
		while (!sc->stop && pthread_cond_timedwait(&sc->wake, &sc->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&sc->lock);
	return NULL;
}

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
#ifdef __GLIBC__
	/*
	 * glibc gives each of the 16 worker threads a malloc arena of its own
	 * (up to 8 per core), and memory freed in one arena is not reused by
	 * another: at province scale that, not the page caches, took the server
	 * over 200 MB. Four arenas are enough for two cores.
	 */
	mallopt(M_ARENA_MAX, 4);
#endif
	if (event_cache_attach(dd->db, (size_t)cfg->event_cache_mb << 20) != 0 ||
	    session_cache_attach(dd->db) != 0) {
		fprintf(stderr, "pingan: cannot watch the database for the caches\n");
		return EXIT_FAIL;
	}
	share_dir(cfg, share, sizeof share);
	snprintf(web, sizeof web, "%s/web", share);
	if (server_start(&app, api_routes, api_route_count, web, &srv, err, sizeof err) != 0) {
		fprintf(stderr, "pingan: %s\n", err);
		return EXIT_FAIL;
	}
	log_info("listening on %s port %u (web %s)", cfg->listen, server_port(srv), web);
	struct scanner sc = { .db = dd->db, .interval_s = (int)cfg->scan_interval_s };
	pthread_t scan_thread;

	pthread_mutex_init(&sc.lock, NULL);
	pthread_cond_init(&sc.wake, NULL);
	pthread_create(&scan_thread, NULL, scanner_main, &sc);
	sigwait(&set, &sig);
	log_info("signal %d: finishing requests in flight, then stopping", sig);
	server_stop(srv, STOP_GRACE_MS);
	pthread_mutex_lock(&sc.lock);
	sc.stop = true;
	pthread_cond_signal(&sc.wake);
	pthread_mutex_unlock(&sc.lock);
	pthread_join(scan_thread, NULL);
	log_info("stopped");
	return EXIT_OK;
}

int
cmd_serve(struct cli *cli)
{
	struct datadir dd;
	int rc;

	apply_settings(&cli->cfg);
	/* A database left by a crash during `pingan init` has no admin yet: never serve it. */
	datadir_paths(&cli->cfg, &dd);
	if (access(dd.db_path, F_OK) == 0 && !datadir_has(&cli->cfg, MARK_INITIALISED)) {
		fprintf(stderr, "pingan: the initialisation of %s did not finish; run `pingan init "
				"--data-dir %s` again\n", cli->cfg.data_dir, cli->cfg.data_dir);
		return EXIT_FAIL;
	}
	if (datadir_open(&cli->cfg, &dd) != 0)
		return EXIT_FAIL;
	rc = serve_until_signal(&cli->cfg, &dd);
	datadir_close(&dd);
	return rc;
}
