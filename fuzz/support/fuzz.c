/* Helpers shared by every fuzz target (see fuzz.h). */
#define _XOPEN_SOURCE 700
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"

bool fuzz_sqlite_strict;
void (*fuzz_on_fail)(void);

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fields_split(struct fuzz_fields *ff, const uint8_t *data, size_t size, char sep, int max)
{
	char *p;
	size_t start = 0;

	if (max > FUZZ_MAX_FIELDS)
		max = FUZZ_MAX_FIELDS;
	ff->buf = fuzz_cstr(data, size);
	ff->n = 0;
	p = ff->buf;
	for (size_t i = 0; i <= size && ff->n < max; i++) {
		if (i < size && (p[i] != sep || ff->n == max - 1))
			continue;
		p[i] = '\0';
		ff->f[ff->n] = p + start;
		ff->len[ff->n] = i - start;
		ff->n++;
		start = i + 1;
	}
	for (int i = ff->n; i < FUZZ_MAX_FIELDS; i++) {
		ff->f[i] = "";
		ff->len[i] = 0;
	}
}

void
fuzz_fields_release(struct fuzz_fields *ff)
{
	free(ff->buf);
	ff->buf = NULL;
}

void
fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n==FUZZ== invariant broken at %s:%d: %s\n==FUZZ== ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	if (fuzz_on_fail) {
		void (*hook)(void) = fuzz_on_fail;

		fuzz_on_fail = NULL;
		hook();
	}
	abort();
}

/* SQLite's error log: everything but constraints, schema re-prepares, notices and warnings is a bug. */
static void
sqlite_log(void *arg, int code, const char *msg)
{
	int primary = code & 0xff;

	(void)arg;
	if (!fuzz_sqlite_strict || primary == SQLITE_CONSTRAINT || primary == SQLITE_SCHEMA ||
	    primary == SQLITE_NOTICE || primary == SQLITE_WARNING)
		return;
	fuzz_fail(__FILE__, __LINE__, "no SQLite error", "SQLite error %d: %s", code, msg);
}

void
fuzz_sqlite_log_install(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL) != SQLITE_OK)
		fuzz_fail(__FILE__, __LINE__, "sqlite3_config", "cannot install the SQLite log hook");
}

void
fuzz_quiet(void)
{
	log_set_level(LOG_ERROR);
}

const char *
fuzz_root(void)
{
	static char root[1024];
	char probe[1100];
	const char *env = getenv("FUZZ_ROOT");
	ssize_t n;

	if (root[0])
		return root;
	if (env && *env) {
		snprintf(root, sizeof root, "%s", env);
		return root;
	}
	n = readlink("/proc/self/exe", root, sizeof root - 1);
	if (n > 0) {
		root[n] = '\0';
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(root, '/');

			if (slash == NULL)
				break;
			*slash = '\0';
		}
		snprintf(probe, sizeof probe, "%s/data/categories.csv", root);
		if (access(probe, R_OK) == 0)
			return root;
	}
	snprintf(root, sizeof root, ".");
	return root;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
fuzz_rmtree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Removes the directories of earlier fuzz processes that died without
 * cleaning up (a sanitizer report ends the process at once): their names
 * carry the pid, and only those whose process is gone are touched.
 */
static void
remove_stale(const char *base, const char *tag)
{
	char prefix[64], path[1200];
	DIR *d = opendir(base);
	struct dirent *e;

	if (d == NULL)
		return;
	snprintf(prefix, sizeof prefix, "pingan-fuzz-%s-", tag);
	while ((e = readdir(d)) != NULL) {
		const char *p = e->d_name;
		long pid = 0;
		bool alive;

		if (strncmp(p, prefix, strlen(prefix)) != 0)
			continue;
		for (p += strlen(prefix); *p >= '0' && *p <= '9'; p++)
			pid = pid * 10 + (*p - '0');
		if (*p != '-' || pid <= 0)
			continue;
		alive = kill((pid_t)pid, 0) == 0 || errno != ESRCH;
		if (alive)
			continue;
		snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		fuzz_rmtree(path);
	}
	closedir(d);
}

void
fuzz_tmpdir(char *out, size_t n, const char *tag)
{
	const char *base = getenv("FUZZ_TMPDIR");

	if (base == NULL || *base == '\0')
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	remove_stale(base, tag);
	snprintf(out, n, "%s/pingan-fuzz-%s-%ld-XXXXXX", base, tag, (long)getpid());
	if (mkdtemp(out) == NULL)
		fuzz_fail(__FILE__, __LINE__, "mkdtemp", "cannot create a directory under %s", base);
}
