/*
 * Shared by every libFuzzer target in fuzz/: the entry points libFuzzer
 * calls, NUL-terminated copies of the input, and FUZZ_CHECK for the
 * invariants a target asserts beyond "no sanitizer report". A broken
 * invariant aborts, which libFuzzer records as a crash with its input.
 */
#ifndef PINGAN_FUZZ_FUZZ_H
#define PINGAN_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points (defined by each target; Initialize is optional). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A malloc'd NUL-terminated copy of the input (embedded NULs stay). Caller frees. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/*
 * The input cut into at most max NUL-terminated fields at each sep byte;
 * the last field takes the rest. fields[i] point into one buffer that
 * fuzz_fields_release() frees. Fields beyond those present are "".
 */
#define FUZZ_MAX_FIELDS 16
struct fuzz_fields {
	char *buf;
	const char *f[FUZZ_MAX_FIELDS];
	size_t len[FUZZ_MAX_FIELDS];
	int n;
};
void fuzz_fields_split(struct fuzz_fields *ff, const uint8_t *data, size_t size, char sep,
    int max);
void fuzz_fields_release(struct fuzz_fields *ff);

/* Prints where and why, then aborts: libFuzzer keeps the input as a crash. */
_Noreturn void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Runs in fuzz_fail() before the abort (the fixture removes its files). */
extern void (*fuzz_on_fail)(void);

#define FUZZ_CHECK(cond, ...)                                                \
	do {                                                                 \
		if (!(cond))                                                 \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);   \
	} while (0)

/*
 * Routes SQLite's error log through the fuzz target: from now on any
 * SQLite error other than a constraint failure (which the domain maps to
 * 409) or a notice/warning aborts when fuzz_sqlite_strict is true. Must run
 * before the first database is opened.
 */
void fuzz_sqlite_log_install(void);
extern bool fuzz_sqlite_strict;

/*
 * The repository root, for data/ files: $FUZZ_ROOT, else three levels up
 * from the executable (fuzz/out/<target>), else the working directory.
 */
const char *fuzz_root(void);
/*
 * Creates a private directory for tag under $FUZZ_TMPDIR, /dev/shm or /tmp
 * into out ("pingan-fuzz-<tag>-<pid>-XXXXXX"), first removing those left by
 * fuzz processes that are gone (a sanitizer report skips every clean-up).
 */
void fuzz_tmpdir(char *out, size_t n, const char *tag);
/* Removes a directory tree. */
void fuzz_rmtree(const char *dir);

/* Logs only errors: the domain logs a line per rejected import otherwise. */
void fuzz_quiet(void);

#endif
