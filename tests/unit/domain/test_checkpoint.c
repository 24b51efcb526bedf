/* Checkpoints beside the writer (src/db/db_checkpoint.c) keep the WAL short under steady writes. */
#include "../../harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "testdb.h"

/* Each commit rewrites a 400 KB value: about 100 WAL frames. */
#define COMMITS_PER_WRITER 250
#define WRITERS 2
/* db_checkpoint.c's RESTART_FRAMES (8,192) twice over, in bytes of 4 KiB frames and their headers. */
#define WAL_BOUND (2LL * 8192 * (4096 + 24))

struct churn {
	struct db *db;
	int row, ok;
	atomic_bool done;
};

static void *
churn_main(void *p)
{
	struct churn *c = p;
	char sql[96];

	snprintf(sql, sizeof sql, "UPDATE churn SET b = randomblob(400000) WHERE id = %d", c->row);
	for (int i = 0; i < COMMITS_PER_WRITER; i++)
		c->ok += testdb_write(c->db, sql, true) == 0;
	atomic_store(&c->done, true);
	return NULL;
}

/*
 * From the WAL index (the -shm file, SQLite's documented layout): the last
 * frame of the WAL, and how many frames have been copied into the database.
 */
static bool
wal_index(const char *shm, uint32_t *last, uint32_t *copied)
{
	unsigned char b[100];
	FILE *f = fopen(shm, "rb");
	bool ok = f != NULL && fread(b, 1, sizeof b, f) == sizeof b;

	if (f)
		fclose(f);
	if (ok) {
		memcpy(last, b + 16, 4);     /* WalIndexHdr.mxFrame */
		memcpy(copied, b + 96, 4);   /* WalCkptInfo.nBackfill, after the header's two copies */
	}
	return ok;
}

static long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

TEST(checkpoints_beside_the_writer_keep_the_wal_short_under_steady_writes)
{
	struct testdb t;
	struct churn c[WRITERS];
	pthread_t th[WRITERS];
	struct db_stats st;
	char wal[160], shm[160];
	uint32_t last = 0, copied = 0;
	long long biggest = 0;
	struct timespec ms = { 0, 1000000L };
	bool running = true;

	CHECK_INT(testdb_open(&t), 0);
	snprintf(wal, sizeof wal, "%s-wal", t.path);
	snprintf(shm, sizeof shm, "%s-shm", t.path);
	CHECK_INT(testdb_write(t.db, "CREATE TABLE churn (id INTEGER PRIMARY KEY, b BLOB); "
				     "INSERT INTO churn VALUES (1, NULL), (2, NULL)", true), 0);
	for (int i = 0; i < WRITERS; i++) {
		c[i].db = t.db;
		c[i].row = i + 1;
		c[i].ok = 0;
		atomic_init(&c[i].done, false);
		pthread_create(&th[i], NULL, churn_main, &c[i]);
	}
	/* 500 commits of 100 frames: 200 MB through a WAL that must stay near 32 MiB. */
	while (running) {
		long long now = file_size(wal);

		if (now > biggest)
			biggest = now;
		running = false;
		for (int i = 0; i < WRITERS; i++)
			running |= !atomic_load(&c[i].done);
		nanosleep(&ms, NULL);
	}
	for (int i = 0; i < WRITERS; i++)
		pthread_join(th[i], NULL);
	/* Once the writes stop, the thread copies what it had left behind. */
	for (int waited = 0; waited < 3000; waited++) {
		if (wal_index(shm, &last, &copied) && last > 0 && copied == last)
			break;
		nanosleep(&ms, NULL);
	}
	db_get_stats(t.db, &st);
	printf("    WAL at most %lld bytes; checkpoints: %llu by the thread, %llu by the writer; "
	       "after the writes %u of %u frames copied\n", biggest,
	    (unsigned long long)st.checkpoints_beside, (unsigned long long)st.checkpoints_writer,
	    copied, last);
	for (int i = 0; i < WRITERS; i++)
		CHECK_INT(c[i].ok, COMMITS_PER_WRITER);
	CHECK(st.checkpoints_beside > 0);
	CHECK(biggest > 0);
	CHECK(biggest <= WAL_BOUND);
	CHECK(last > 0);
	CHECK_INT(copied, last);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM churn WHERE length(b) = 400000"), 2);
	CHECK_INT(testdb_count(&t, "SELECT count(*) FROM pragma_integrity_check WHERE "
				   "integrity_check = 'ok'"), 1);
	testdb_close(&t);
}
