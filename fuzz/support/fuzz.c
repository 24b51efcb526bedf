/* Helpers shared by every fuzz target (see fuzz.h). */
#include "fuzz.h"

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

void
fuzz_tmpdir(char *out, size_t n, const char *tag)
{
	const char *base = getenv("FUZZ_TMPDIR");

	if (base == NULL || *base == '\0')
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(out, n, "%s/pingan-fuzz-%s-XXXXXX", base, tag);
	if (mkdtemp(out) == NULL)
		fuzz_fail(__FILE__, __LINE__, "mkdtemp", "cannot create a directory under %s", base);
}
