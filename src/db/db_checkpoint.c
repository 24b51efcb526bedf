/*
 * Checkpoints beside the writer. SQLite's own (wal_autocheckpoint) runs
 * inside the COMMIT that crosses 1,000 WAL frames: the writer copies every
 * page of the WAL back into the database file and syncs both files while
 * every other write waits. At county scale a commit of 27 reports wrote
 * 120 frames, so that happened every 8 or 9 commits and cost 5.4 ms each
 * time, a twelfth of the time the writer was held (bench/RESULTS.md,
 * 2026-12-07 23:55).
 *
 * Here a thread of its own, on a connection of its own, makes a PASSIVE
 * checkpoint whenever the WAL holds COPY_FRAMES more than the last one copied.
 * It copies only what no reader still needs and never blocks the writer.
 * When nobody writes meanwhile, it backfills the whole WAL, and the next
 * write starts the WAL again from its beginning. Under a steady stream of
 * commits new frames keep arriving while it copies, so the WAL would never
 * start again and would grow without end: once it holds RESTART_FRAMES,
 * the writer itself finishes the job right after a commit, with nothing
 * left to copy but the frames that arrived during the last pass. Once the
 * writes pause, the thread copies whatever the last pass left behind.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/log.h"
#include "db/db_internal.h"

/* SQLite's own default threshold: how far the WAL may grow before a copy. */
#define COPY_FRAMES 1000
/* 32 MiB of WAL at 4 KiB pages: past this the writer finishes the copy. */
#define RESTART_FRAMES 8192

enum phase {
	IDLE,       /* nothing to do until the WAL grows */
	COPYING,    /* the thread has been asked to copy, or is copying */
	FINISHING,  /* the WAL is long: the writer completes the copy after its next commit */
};

struct checkpointer {
	sqlite3 *h;                 /* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;                  /* guarded by lock */
	_Atomic int phase;          /* enum phase */
	_Atomic int wal_frames;     /* the WAL's length after the last commit */
	_Atomic int copied;         /* WAL frames in the database after the last checkpoint */
	_Atomic uint64_t passes;    /* checkpoints by the thread */
	_Atomic uint64_t finishes;  /* checkpoints by the writer */
	_Atomic bool failing;       /* the last checkpoint failed (and said so) */
};

/*
 * Checkpoints the main database in PASSIVE mode: the WAL's size in frames,
 * or -1; *copied: how many of them are in the database now. A failure is
 * logged once until a checkpoint succeeds again (the thread retries often).
 */
static int
checkpoint(struct checkpointer *cp, sqlite3 *h, const char *who, int *copied)
{
	int frames = -1;
	int rc = sqlite3_wal_checkpoint_v2(h, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, copied);

	/* BUSY: another process (the CLI) is checkpointing; the next pass will do. */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		if (!atomic_exchange(&cp->failing, true))
			log_warn("checkpoint by the %s failed: %s", who, sqlite3_errstr(rc));
		return -1;
	}
	atomic_store(&cp->failing, false);
	return frames;
}

/* How often the thread looks for frames left behind once the writes pause. */
#define RETRY_MS 200

static void *
checkpointer_main(void *arg)
{
	struct checkpointer *cp = arg;

	pthread_mutex_lock(&cp->lock);
	for (;;) {
		int frames, was, copied = -1;

		/*
		 * Frames left behind are copied once the writes pause, so that
		 * readers find nothing in the WAL and the next write starts it
		 * again: SQLite's own checkpoint left up to 999 frames there.
		 */
		while (!cp->stop && atomic_load(&cp->phase) != COPYING) {
			struct timespec until = clock_deadline_in(RETRY_MS);

			if (pthread_cond_timedwait(&cp->wake, &cp->lock, &until) == ETIMEDOUT &&
			    atomic_load(&cp->copied) != atomic_load(&cp->wal_frames))
				break;
		}
		if (cp->stop)
			break;
		pthread_mutex_unlock(&cp->lock);
		was = atomic_load(&cp->phase);
		frames = checkpoint(cp, cp->h, "checkpoint thread", &copied);
		if (frames >= 0)
			atomic_store(&cp->copied, copied);
		atomic_fetch_add(&cp->passes, 1);
		/*
		 * A copy all the way to the end of the WAL as it was when the pass
		 * began still leaves the WAL long if commits went on meanwhile; only
		 * the writer can start it again. A pass after a pause changes nothing.
		 */
		if (was == COPYING)
			atomic_store(&cp->phase, frames >= RESTART_FRAMES ? FINISHING : IDLE);
		pthread_mutex_lock(&cp->lock);
	}
	pthread_mutex_unlock(&cp->lock);
	return NULL;
}

/*
 * SQLite calls this on the writer's thread after each commit, writer held,
 * with the WAL's size in frames. Replacing SQLite's own hook turns its
 * automatic checkpoint off.
 */
static int
wal_committed(void *arg, sqlite3 *h, const char *name, int frames)
{
	struct checkpointer *cp = arg;
	int copied = atomic_load(&cp->copied);

	(void)h;
	(void)name;
	atomic_store(&cp->wal_frames, frames);
	/* Fewer frames than were copied: the WAL started again from its beginning. */
	if (frames < copied)
		copied = 0;
	if (frames - copied >= COPY_FRAMES && atomic_load(&cp->phase) == IDLE) {
		pthread_mutex_lock(&cp->lock);
		atomic_store(&cp->phase, COPYING);
		pthread_cond_signal(&cp->wake);
		pthread_mutex_unlock(&cp->lock);
	}
	return SQLITE_OK;
}

struct checkpointer *
checkpointer_start(const char *path, sqlite3 *writer)
{
	struct checkpointer *cp = xcalloc(1, sizeof *cp);
	sigset_t all, before;
	bool started;
	int rc;

	rc = sqlite3_open_v2(path, &cp->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(cp->h, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open %s for checkpoints: %s", path, sqlite3_errstr(rc));
		sqlite3_close(cp->h);
		free(cp);
		return NULL;
	}
	pthread_mutex_init(&cp->lock, NULL);
	pthread_cond_init(&cp->wake, NULL);
	/*
	 * Signals are for the threads that wait for them: db_open runs before
	 * `pingan serve` blocks SIGTERM, and a thread started with it open
	 * would take the stop signal's default action, killing the process
	 * instead of stopping it gracefully.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &before);
	started = pthread_create(&cp->thread, NULL, checkpointer_main, cp) == 0;
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	if (!started) {
		log_error("cannot start the checkpoint thread");
		pthread_mutex_destroy(&cp->lock);
		pthread_cond_destroy(&cp->wake);
		sqlite3_close(cp->h);
		free(cp);
		return NULL;
	}
	sqlite3_wal_hook(writer, wal_committed, cp);
	return cp;
}

void
checkpointer_after_commit(struct checkpointer *cp, sqlite3 *writer)
{
	int copied = -1;

	if (cp == NULL || atomic_load(&cp->phase) != FINISHING)
		return;
	if (checkpoint(cp, writer, "writer", &copied) >= 0)
		atomic_store(&cp->copied, copied);
	atomic_fetch_add(&cp->finishes, 1);
	atomic_store(&cp->phase, IDLE);
}

void
checkpointer_counts(const struct checkpointer *cp, uint64_t *passes, uint64_t *finishes)
{
	*passes = cp ? atomic_load(&cp->passes) : 0;
	*finishes = cp ? atomic_load(&cp->finishes) : 0;
}

void
checkpointer_stop(struct checkpointer *cp, sqlite3 *writer)
{
	if (cp == NULL)
		return;
	pthread_mutex_lock(&cp->lock);
	cp->stop = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	pthread_join(cp->thread, NULL);
	/* SQLite's own hook replaces ours, which points at cp, and checkpoints as before. */
	sqlite3_wal_autocheckpoint(writer, COPY_FRAMES);
	sqlite3_close(cp->h);
	pthread_mutex_destroy(&cp->lock);
	pthread_cond_destroy(&cp->wake);
	free(cp);
}
