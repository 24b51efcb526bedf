/*
 * The power-cut and fault-injection VFS described in vfs.h. One mutex
 * guards everything: the side buffers, the lock tables and the WAL-index
 * regions; a read holds it across the real read and the overlay so that a
 * sync on another connection cannot slip in between. Real I/O goes through
 * the unix VFS's own file objects, which this file embeds.
 */
#include "vfs.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_PASS, K_DB, K_WAL };

/* One write not yet synced. */
struct pending {
	sqlite3_int64 off;
	int len;
	unsigned char *data;
};

/* The WAL index of one database (one per power-cut generation). */
struct shmnode {
	int refs;
	int nregion;
	void **regions;
	int shared[SQLITE_SHM_NLOCK];
	int excl[SQLITE_SHM_NLOCK];
};

struct pcfile;

/* What the "operating system" knows about one path. */
struct shadow {
	char *path;
	struct shadow *next;
	struct pending *w;
	int nw, capw;
	/* Database-file locks. */
	int nshared;
	struct pcfile *reserved, *pending_lock, *exclusive;
	struct shmnode *shm;
};

struct pcfile {
	sqlite3_file base;
	sqlite3_file *real;
	enum kind kind;
	struct shadow *sh;
	uint64_t gen;
	int level;
	struct shmnode *shm;
	unsigned shm_shared, shm_excl;   /* bit per WAL-index lock held */
};

static struct {
	pthread_mutex_t lock;
	sqlite3_vfs *real;
	bool installed;
	bool buffering;
	bool full;
	bool sync_fail;
	double p_write, p_read, p_busy;
	uint64_t rng;
	uint64_t gen;
	long cut_countdown;
	bool cut_after;
	double cut_keep;
	uint64_t cut_rng;
	bool cut_happened;
	struct shadow *shadows;
	struct pcvfs_stats st;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER, .gen = 1 };

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* True with probability p (g.lock held). */
static bool
chance(double p)
{
	if (p <= 0)
		return false;
	return (double)(rng_next(&g.rng) >> 11) / 9007199254740992.0 < p;
}

static bool
dead(const struct pcfile *f)
{
	return f->gen != g.gen;
}

static struct shadow *
shadow_find(const char *path, bool create)
{
	struct shadow *s;

	for (s = g.shadows; s; s = s->next)
		if (strcmp(s->path, path) == 0)
			return s;
	if (!create)
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->path = strdup(path)) == NULL)
		abort();
	s->next = g.shadows;
	g.shadows = s;
	return s;
}

static void
pending_clear(struct shadow *s)
{
	for (int i = 0; i < s->nw; i++)
		free(s->w[i].data);
	s->nw = 0;
}

/* Adds a write, dropping older ones it covers whole. */
static void
pending_add(struct shadow *s, const void *buf, int n, sqlite3_int64 off)
{
	int out = 0;

	for (int i = 0; i < s->nw; i++) {
		if (s->w[i].off >= off && s->w[i].off + s->w[i].len <= off + n) {
			free(s->w[i].data);
			continue;
		}
		s->w[out++] = s->w[i];
	}
	s->nw = out;
	if (s->nw == s->capw) {
		s->capw = s->capw ? s->capw * 2 : 64;
		s->w = realloc(s->w, (size_t)s->capw * sizeof *s->w);
		if (s->w == NULL)
			abort();
	}
	s->w[s->nw].off = off;
	s->w[s->nw].len = n;
	s->w[s->nw].data = malloc((size_t)n);
	if (s->w[s->nw].data == NULL)
		abort();
	memcpy(s->w[s->nw].data, buf, (size_t)n);
	s->nw++;
	g.st.buffered_writes++;
}

static sqlite3_int64
pending_end(const struct shadow *s)
{
	sqlite3_int64 end = 0;

	for (int i = 0; i < s->nw; i++)
		if (s->w[i].off + s->w[i].len > end)
			end = s->w[i].off + s->w[i].len;
	return end;
}

static void
shm_unref(struct shmnode *n)
{
	if (n == NULL || --n->refs > 0)
		return;
	for (struct shadow *s = g.shadows; s; s = s->next)
		if (s->shm == n)
			s->shm = NULL;
	for (int i = 0; i < n->nregion; i++)
		free(n->regions[i]);
	free(n->regions);
	free(n);
}

/* Writes the kept part of every side buffer to the real files, forgets the rest, kills open files. */
static void
power_cut_locked(double keep, uint64_t *rng)
{
	for (struct shadow *s = g.shadows; s; s = s->next) {
		int fd = -1;

		for (int i = 0; i < s->nw; i++) {
			bool kept = keep > 0 && (double)(rng_next(rng) >> 11) / 9007199254740992.0 < keep;

			if (!kept) {
				g.st.lost_writes++;
				continue;
			}
			if (fd < 0)
				fd = open(s->path, O_WRONLY | O_CLOEXEC);
			if (fd >= 0 && pwrite(fd, s->w[i].data, (size_t)s->w[i].len, s->w[i].off) < 0)
				g.st.lost_writes++;
		}
		if (fd >= 0)
			close(fd);
		pending_clear(s);
		s->nshared = 0;
		s->reserved = s->pending_lock = s->exclusive = NULL;
		/* The old WAL index stays alive for the dead files that still map it. */
		s->shm = NULL;
	}
	g.gen++;
	g.st.cuts++;
}

/*
 * Counts a write or sync of a buffered file towards an armed cut. Returns
 * 1 when the cut happens before this operation (which is then lost), 2
 * when it must happen right after it, else 0.
 */
static int
countdown(void)
{
	if (g.cut_countdown <= 0 || !g.buffering)
		return 0;
	if (--g.cut_countdown > 0)
		return 0;
	g.cut_happened = true;
	if (g.cut_after)
		return 2;
	power_cut_locked(g.cut_keep, &g.cut_rng);
	return 1;
}

/* --- I/O methods ------------------------------------------------------------ */

static int
pc_close(sqlite3_file *file)
{
	struct pcfile *f = (struct pcfile *)file;
	int rc = SQLITE_OK;

	pthread_mutex_lock(&g.lock);
	if (f->kind != K_PASS && !dead(f) && f->sh && f->level > SQLITE_LOCK_NONE) {
		struct shadow *s = f->sh;

		if (s->reserved == f)
			s->reserved = NULL;
		if (s->pending_lock == f)
			s->pending_lock = NULL;
		if (s->exclusive == f)
			s->exclusive = NULL;
		s->nshared--;
	}
	shm_unref(f->shm);
	f->shm = NULL;
	pthread_mutex_unlock(&g.lock);
	if (f->real->pMethods)
		rc = f->real->pMethods->xClose(f->real);
	return rc;
}

static int
pc_read(sqlite3_file *file, void *buf, int n, sqlite3_int64 off)
{
	struct pcfile *f = (struct pcfile *)file;
	unsigned char *out = buf;
	sqlite3_int64 size, end;
	int rc;

	if (f->kind == K_PASS)
		return f->real->pMethods->xRead(f->real, buf, n, off);
	pthread_mutex_lock(&g.lock);
	if (dead(f) || chance(g.p_read)) {
		if (!dead(f))
			g.st.read_errors++;
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_READ;
	}
	rc = f->real->pMethods->xRead(f->real, buf, n, off);
	if ((rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) || f->sh->nw == 0) {
		pthread_mutex_unlock(&g.lock);
		return rc;
	}
	for (int i = 0; i < f->sh->nw; i++) {
		const struct pending *p = &f->sh->w[i];
		sqlite3_int64 lo = p->off > off ? p->off : off;
		sqlite3_int64 hi = p->off + p->len < off + n ? p->off + p->len : off + n;

		if (lo < hi)
			memcpy(out + (lo - off), p->data + (lo - p->off), (size_t)(hi - lo));
	}
	if (rc == SQLITE_IOERR_SHORT_READ) {
		end = pending_end(f->sh);
		if (f->real->pMethods->xFileSize(f->real, &size) == SQLITE_OK && size > end)
			end = size;
		if (off + n <= end)
			rc = SQLITE_OK;
	}
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
pc_write(sqlite3_file *file, const void *buf, int n, sqlite3_int64 off)
{
	struct pcfile *f = (struct pcfile *)file;
	int rc = SQLITE_OK, when;

	if (f->kind == K_PASS)
		return f->real->pMethods->xWrite(f->real, buf, n, off);
	pthread_mutex_lock(&g.lock);
	if (dead(f)) {
		rc = SQLITE_IOERR_WRITE;
	} else if (g.full) {
		g.st.full++;
		rc = SQLITE_FULL;
	} else if (chance(g.p_write)) {
		g.st.write_errors++;
		rc = SQLITE_IOERR_WRITE;
	} else if ((when = countdown()) == 1) {
		rc = SQLITE_IOERR_WRITE;
	} else {
		if (g.buffering || f->sh->nw > 0)
			pending_add(f->sh, buf, n, off);
		else
			rc = f->real->pMethods->xWrite(f->real, buf, n, off);
		if (when == 2)
			power_cut_locked(g.cut_keep, &g.cut_rng);
	}
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
pc_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct pcfile *f = (struct pcfile *)file;
	struct shadow *s = f->sh;
	int rc, out = 0;

	if (f->kind == K_PASS)
		return f->real->pMethods->xTruncate(f->real, size);
	pthread_mutex_lock(&g.lock);
	if (dead(f)) {
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_TRUNCATE;
	}
	for (int i = 0; i < s->nw; i++) {
		if (s->w[i].off >= size) {
			free(s->w[i].data);
			continue;
		}
		if (s->w[i].off + s->w[i].len > size)
			s->w[i].len = (int)(size - s->w[i].off);
		s->w[out++] = s->w[i];
	}
	s->nw = out;
	rc = f->real->pMethods->xTruncate(f->real, size);
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
pc_sync(sqlite3_file *file, int flags)
{
	struct pcfile *f = (struct pcfile *)file;
	struct shadow *s = f->sh;
	int rc = SQLITE_OK, when;

	if (f->kind == K_PASS)
		return f->real->pMethods->xSync(f->real, flags);
	pthread_mutex_lock(&g.lock);
	if (dead(f) || (when = countdown()) == 1) {
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_FSYNC;
	}
	/* A failing disk: nothing reaches it, the writes stay where they were. */
	if (g.sync_fail) {
		g.st.sync_errors++;
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_FSYNC;
	}
	g.st.syncs++;
	for (int i = 0; i < s->nw && rc == SQLITE_OK; i++)
		rc = f->real->pMethods->xWrite(f->real, s->w[i].data, s->w[i].len, s->w[i].off);
	if (rc == SQLITE_OK) {
		pending_clear(s);
		rc = f->real->pMethods->xSync(f->real, flags);
	}
	if (when == 2)
		power_cut_locked(g.cut_keep, &g.cut_rng);
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
pc_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct pcfile *f = (struct pcfile *)file;
	sqlite3_int64 end;
	int rc;

	if (f->kind == K_PASS)
		return f->real->pMethods->xFileSize(f->real, size);
	pthread_mutex_lock(&g.lock);
	if (dead(f)) {
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_FSTAT;
	}
	rc = f->real->pMethods->xFileSize(f->real, size);
	end = pending_end(f->sh);
	if (rc == SQLITE_OK && end > *size)
		*size = end;
	pthread_mutex_unlock(&g.lock);
	return rc;
}

/* Database-file locks, as the unix VFS keeps them between connections of one process. */
static int
lock_locked(struct pcfile *f, int want)
{
	struct shadow *s = f->sh;

	if (f->level >= want)
		return SQLITE_OK;
	if (chance(g.p_busy)) {
		g.st.busy++;
		return SQLITE_BUSY;
	}
	if (want == SQLITE_LOCK_SHARED) {
		if ((s->pending_lock && s->pending_lock != f) || s->exclusive)
			return SQLITE_BUSY;
		s->nshared++;
		f->level = SQLITE_LOCK_SHARED;
		return SQLITE_OK;
	}
	if (want == SQLITE_LOCK_RESERVED) {
		if (s->reserved && s->reserved != f)
			return SQLITE_BUSY;
		s->reserved = f;
		f->level = SQLITE_LOCK_RESERVED;
		return SQLITE_OK;
	}
	/* PENDING, then EXCLUSIVE once every other SHARED lock is gone. */
	if ((s->pending_lock && s->pending_lock != f) || (s->exclusive && s->exclusive != f))
		return SQLITE_BUSY;
	s->pending_lock = f;
	f->level = SQLITE_LOCK_PENDING;
	if (want == SQLITE_LOCK_PENDING)
		return SQLITE_OK;
	if (s->nshared > 1)
		return SQLITE_BUSY;
	s->exclusive = f;
	f->level = SQLITE_LOCK_EXCLUSIVE;
	return SQLITE_OK;
}

static int
pc_lock(sqlite3_file *file, int want)
{
	struct pcfile *f = (struct pcfile *)file;
	int rc;

	if (f->kind == K_PASS)
		return f->real->pMethods->xLock(f->real, want);
	pthread_mutex_lock(&g.lock);
	rc = dead(f) ? SQLITE_IOERR_LOCK : lock_locked(f, want);
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
pc_unlock(sqlite3_file *file, int to)
{
	struct pcfile *f = (struct pcfile *)file;
	struct shadow *s = f->sh;

	if (f->kind == K_PASS)
		return f->real->pMethods->xUnlock(f->real, to);
	pthread_mutex_lock(&g.lock);
	if (!dead(f) && f->level > to) {
		if (f->level > SQLITE_LOCK_SHARED) {
			if (s->reserved == f)
				s->reserved = NULL;
			if (s->pending_lock == f)
				s->pending_lock = NULL;
			if (s->exclusive == f)
				s->exclusive = NULL;
			f->level = SQLITE_LOCK_SHARED;
		}
		if (to == SQLITE_LOCK_NONE && f->level == SQLITE_LOCK_SHARED) {
			s->nshared--;
			f->level = SQLITE_LOCK_NONE;
		}
	}
	pthread_mutex_unlock(&g.lock);
	return SQLITE_OK;
}

static int
pc_check_reserved(sqlite3_file *file, int *out)
{
	struct pcfile *f = (struct pcfile *)file;
	struct shadow *s = f->sh;

	if (f->kind == K_PASS)
		return f->real->pMethods->xCheckReservedLock(f->real, out);
	pthread_mutex_lock(&g.lock);
	*out = !dead(f) && (s->reserved || s->pending_lock || s->exclusive);
	pthread_mutex_unlock(&g.lock);
	return SQLITE_OK;
}

static int
pc_file_control(sqlite3_file *file, int op, void *arg)
{
	struct pcfile *f = (struct pcfile *)file;

	if (f->kind == K_PASS)
		return f->real->pMethods->xFileControl(f->real, op, arg);
	/* Nothing that would reach the real file behind the side buffer (size hints, chunking). */
	return SQLITE_NOTFOUND;
}

static int
pc_sector_size(sqlite3_file *file)
{
	struct pcfile *f = (struct pcfile *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
pc_device_characteristics(sqlite3_file *file)
{
	struct pcfile *f = (struct pcfile *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int
pc_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **pp)
{
	struct pcfile *f = (struct pcfile *)file;
	struct shmnode *n;
	int rc = SQLITE_OK;

	*pp = NULL;
	if (f->kind == K_PASS)
		return SQLITE_IOERR_SHMMAP;
	pthread_mutex_lock(&g.lock);
	if (dead(f)) {
		pthread_mutex_unlock(&g.lock);
		return SQLITE_IOERR_SHMMAP;
	}
	if (f->shm == NULL) {
		if (f->sh->shm == NULL) {
			f->sh->shm = calloc(1, sizeof *f->sh->shm);
			if (f->sh->shm == NULL)
				abort();
		}
		f->shm = f->sh->shm;
		f->shm->refs++;
	}
	n = f->shm;
	if (region >= n->nregion && extend) {
		void **r = realloc(n->regions, (size_t)(region + 1) * sizeof *r);

		if (r == NULL)
			abort();
		n->regions = r;
		for (int i = n->nregion; i <= region; i++)
			if ((n->regions[i] = calloc(1, (size_t)size)) == NULL)
				abort();
		n->nregion = region + 1;
	}
	if (region < n->nregion)
		*pp = n->regions[region];
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static int
shm_lock_locked(struct pcfile *f, int ofst, int n, int flags)
{
	struct shmnode *m = f->shm;
	unsigned mask = ((1u << n) - 1u) << ofst;

	if (flags & SQLITE_SHM_UNLOCK) {
		for (int i = ofst; i < ofst + n; i++) {
			if (f->shm_excl & (1u << i))
				m->excl[i] = 0;
			if (f->shm_shared & (1u << i))
				m->shared[i]--;
		}
		f->shm_excl &= ~mask;
		f->shm_shared &= ~mask;
		return SQLITE_OK;
	}
	if (chance(g.p_busy)) {
		g.st.busy++;
		return SQLITE_BUSY;
	}
	if (flags & SQLITE_SHM_SHARED) {
		if (f->shm_shared & mask)
			return SQLITE_OK;
		if (m->excl[ofst])
			return SQLITE_BUSY;
		m->shared[ofst]++;
		f->shm_shared |= mask;
		return SQLITE_OK;
	}
	for (int i = ofst; i < ofst + n; i++) {
		int mine = (f->shm_shared >> i) & 1u;

		if ((m->excl[i] && !(f->shm_excl & (1u << i))) || m->shared[i] - mine > 0)
			return SQLITE_BUSY;
	}
	for (int i = ofst; i < ofst + n; i++)
		m->excl[i] = 1;
	f->shm_excl |= mask;
	return SQLITE_OK;
}

static int
pc_shm_lock(sqlite3_file *file, int ofst, int n, int flags)
{
	struct pcfile *f = (struct pcfile *)file;
	int rc;

	pthread_mutex_lock(&g.lock);
	if (dead(f) || f->shm == NULL)
		rc = (flags & SQLITE_SHM_UNLOCK) ? SQLITE_OK : SQLITE_IOERR_SHMLOCK;
	else
		rc = shm_lock_locked(f, ofst, n, flags);
	pthread_mutex_unlock(&g.lock);
	return rc;
}

static void
pc_shm_barrier(sqlite3_file *file)
{
	(void)file;
	pthread_mutex_lock(&g.lock);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&g.lock);
}

static int
pc_shm_unmap(sqlite3_file *file, int delete_flag)
{
	struct pcfile *f = (struct pcfile *)file;

	(void)delete_flag;
	pthread_mutex_lock(&g.lock);
	if (f->shm && !dead(f)) {
		for (int i = 0; i < SQLITE_SHM_NLOCK; i++) {
			if (f->shm_excl & (1u << i))
				f->shm->excl[i] = 0;
			if (f->shm_shared & (1u << i))
				f->shm->shared[i]--;
		}
	}
	f->shm_excl = f->shm_shared = 0;
	shm_unref(f->shm);
	f->shm = NULL;
	pthread_mutex_unlock(&g.lock);
	return SQLITE_OK;
}

static const sqlite3_io_methods pc_methods = {
	2,
	pc_close,
	pc_read,
	pc_write,
	pc_truncate,
	pc_sync,
	pc_file_size,
	pc_lock,
	pc_unlock,
	pc_check_reserved,
	pc_file_control,
	pc_sector_size,
	pc_device_characteristics,
	pc_shm_map,
	pc_shm_lock,
	pc_shm_barrier,
	pc_shm_unmap,
	NULL,
	NULL,
};

/* --- the VFS ------------------------------------------------------------------------ */

#define ROUND8(n) (((n) + 7) & ~(size_t)7)

static int
pc_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	struct pcfile *f = (struct pcfile *)file;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)f + ROUND8(sizeof *f));
	rc = g.real->xOpen(g.real, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		f->base.pMethods = NULL;
		return rc;
	}
	f->kind = name == NULL ? K_PASS : (flags & SQLITE_OPEN_MAIN_DB) ? K_DB
	    : (flags & SQLITE_OPEN_WAL) ? K_WAL : K_PASS;
	if (f->kind != K_PASS) {
		pthread_mutex_lock(&g.lock);
		f->sh = shadow_find(name, true);
		f->gen = g.gen;
		pthread_mutex_unlock(&g.lock);
	}
	f->base.pMethods = &pc_methods;
	return SQLITE_OK;
}

static int
pc_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	struct shadow *s;

	(void)vfs;
	pthread_mutex_lock(&g.lock);
	if ((s = shadow_find(name, false)) != NULL)
		pending_clear(s);
	pthread_mutex_unlock(&g.lock);
	return g.real->xDelete(g.real, name, sync_dir);
}

static int
pc_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return g.real->xAccess(g.real, name, flags, out);
}

static int
pc_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return g.real->xFullPathname(g.real, name, n, out);
}

static void *
pc_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return g.real->xDlOpen(g.real, name);
}

static void
pc_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	g.real->xDlError(g.real, n, msg);
}

static void (*pc_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return g.real->xDlSym(g.real, h, sym);
}

static void
pc_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	g.real->xDlClose(g.real, h);
}

static int
pc_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return g.real->xRandomness(g.real, n, out);
}

static int
pc_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return g.real->xSleep(g.real, us);
}

static int
pc_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return g.real->xCurrentTime(g.real, out);
}

static int
pc_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return g.real->xGetLastError(g.real, n, out);
}

static int
pc_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return g.real->xCurrentTimeInt64(g.real, out);
}

static sqlite3_vfs pc_vfs = {
	2,
	0,
	1024,
	NULL,
	"pingan-powercut",
	NULL,
	pc_open,
	pc_delete,
	pc_access,
	pc_full_pathname,
	pc_dlopen,
	pc_dlerror,
	pc_dlsym,
	pc_dlclose,
	pc_randomness,
	pc_sleep,
	pc_current_time,
	pc_last_error,
	pc_current_time64,
	NULL,
	NULL,
	NULL,
};

int
pcvfs_install(void)
{
	if (!g.installed) {
		g.real = sqlite3_vfs_find("unix");
		if (g.real == NULL)
			return -1;
		pc_vfs.szOsFile = (int)(ROUND8(sizeof(struct pcfile)) + (size_t)g.real->szOsFile);
		pc_vfs.mxPathname = g.real->mxPathname;
		g.installed = true;
	}
	pthread_mutex_lock(&g.lock);
	g.buffering = g.full = false;
	g.p_write = g.p_read = g.p_busy = 0;
	g.cut_countdown = 0;
	pthread_mutex_unlock(&g.lock);
	return sqlite3_vfs_register(&pc_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void
pcvfs_uninstall(void)
{
	pthread_mutex_lock(&g.lock);
	g.buffering = g.full = false;
	g.p_write = g.p_read = g.p_busy = 0;
	g.cut_countdown = 0;
	pthread_mutex_unlock(&g.lock);
	if (g.real)
		sqlite3_vfs_register(g.real, 1);
}

void
pcvfs_set_buffering(bool on)
{
	pthread_mutex_lock(&g.lock);
	g.buffering = on;
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_power_cut(double keep, uint64_t *rng)
{
	pthread_mutex_lock(&g.lock);
	power_cut_locked(keep, rng);
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_cut_at(long n, bool after_op, double keep, uint64_t rng_seed)
{
	pthread_mutex_lock(&g.lock);
	g.cut_countdown = n;
	g.cut_after = after_op;
	g.cut_keep = keep;
	g.cut_rng = rng_seed;
	g.cut_happened = false;
	pthread_mutex_unlock(&g.lock);
}

bool
pcvfs_cut_happened(void)
{
	bool v;

	pthread_mutex_lock(&g.lock);
	v = g.cut_happened;
	pthread_mutex_unlock(&g.lock);
	return v;
}

void
pcvfs_set_full(bool on)
{
	pthread_mutex_lock(&g.lock);
	g.full = on;
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_set_sync_fail(bool on)
{
	pthread_mutex_lock(&g.lock);
	g.sync_fail = on;
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_set_faults(double p_write_ioerr, double p_read_ioerr, double p_busy, uint64_t seed)
{
	pthread_mutex_lock(&g.lock);
	g.p_write = p_write_ioerr;
	g.p_read = p_read_ioerr;
	g.p_busy = p_busy;
	g.rng = seed;
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_get_stats(struct pcvfs_stats *out)
{
	pthread_mutex_lock(&g.lock);
	*out = g.st;
	pthread_mutex_unlock(&g.lock);
}

void
pcvfs_reset_stats(void)
{
	pthread_mutex_lock(&g.lock);
	memset(&g.st, 0, sizeof g.st);
	pthread_mutex_unlock(&g.lock);
}
