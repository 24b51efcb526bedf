/*
 * Helpers of the reliability tests (docs/reliability.md): clocks and a
 * seeded random source, temporary directories, child processes, a real
 * `pingan` server process that can be killed, a small libcurl client, raw
 * SQL on a database file, and a small county for in-process domain calls.
 *
 * Memory: every function that returns text or a response says who frees
 * it. Temporary directories and server processes are registered and
 * removed or stopped at exit (PINGAN_KEEP_TMP=1 keeps the directories).
 */
#ifndef PINGAN_TESTS_RELIABILITY_REL_H
#define PINGAN_TESTS_RELIABILITY_REL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../harness.h"
#include "domain/actor.h"
#include "db/db.h"

/* Records a failure with its reason and ends the test (like a CHECK that cannot hold). */
#define REL_FAIL(why)                                   \
	do {                                            \
		test_fail(__FILE__, __LINE__, (why));   \
		return;                                 \
	} while (0)

/* The password of every account of `pingan demo` and of the accounts the tests make. */
#define REL_PASSWORD "Pingan#Demo2026"

/* --- time, randomness, run size ------------------------------------------ */

long long rel_now_ms(void);
void rel_sleep_ms(long ms);
/* True when PINGAN_DEEP is set (and not "0"): the long runs. */
bool rel_deep(void);
/* A seed from PINGAN_SEED, else from the clock; printed once so a run can be repeated. */
uint64_t rel_seed(const char *what);
/* splitmix64 step. */
uint64_t rel_rand(uint64_t *state);
/* Uniform in [lo, hi]. */
long rel_rand_range(uint64_t *state, long lo, long hi);
/* Uniform in [0, 1). */
double rel_rand_unit(uint64_t *state);

/* --- files and processes ------------------------------------------------- */

/* A new directory under /tmp, removed at exit. 0 or -1. */
int rel_temp_dir(char *out, size_t n);
/* Removes a tree now (only below /tmp/). */
void rel_remove_tree(const char *dir);
/* $PINGAN_BIN, or ./pingan. */
const char *rel_pingan_bin(void);
/*
 * Runs argv (argv[0] looked up in PATH) with input on stdin (may be NULL);
 * out (may be NULL, n bytes) gets stdout and stderr, cut to fit. Returns
 * the exit code, 128 + signal when killed, -1 when it could not run.
 */
int rel_run(const char *const *argv, const char *input, char *out, size_t n);
/* Appends stderr of this process to path until rel_quiet_end() (for noisy fault runs). */
void rel_quiet_begin(const char *path);
void rel_quiet_end(void);

/* --- a pingan server process --------------------------------------------- */

struct rel_server {
	char dir[200];          /* holds everything below */
	char data_dir[256];
	char db_path[280];
	char config[256];
	char log[256];
	char base[64];          /* http://127.0.0.1:PORT */
	int port;
	pid_t pid;              /* 0 when not running */
};

/*
 * Lays out a server in a new temporary directory and writes its config
 * file: fast password hashing, no sign-in rate limit, then extra (may be
 * NULL) appended. The data directory is not created. 0 or -1.
 */
int rel_server_init(struct rel_server *s, const char *extra_config);
/* Same, with the data directory at data_dir (for a tmpfs). */
int rel_server_init_at(struct rel_server *s, const char *data_dir, const char *extra_config);
/*
 * Starts `pingan COMMAND --config ... --data-dir ... --listen 127.0.0.1:PORT`
 * on a free port and waits (up to wait_ms) until /healthz answers 200.
 * 0, or -1 with the log printed.
 */
int rel_server_start(struct rel_server *s, const char *command, long wait_ms);
/* Starts the command the same way without waiting for it (to kill it early). 0 or -1. */
int rel_server_spawn(struct rel_server *s, const char *command);
/* SIGKILL and reap: a crash. */
void rel_server_kill(struct rel_server *s);
/* SIGTERM and wait (SIGKILL after 20 s). Returns the exit status. */
int rel_server_stop(struct rel_server *s);
/* Prints the last lines of the server log. */
void rel_server_print_log(const struct rel_server *s, const char *why);

/* --- HTTP ------------------------------------------------------------------- */

struct rel_resp {
	long status;            /* 0: no answer (connection failed, cut or timed out) */
	char *body;             /* NUL-terminated, owned by the response */
	size_t len;
	json_t *json;           /* the body as JSON, or NULL */
	long long ms;           /* how long it took */
};

/* One client connection (libcurl easy handle, kept alive between requests). */
struct rel_http;

struct rel_http *rel_http_new(const char *base);
void rel_http_free(struct rel_http *h);
/* Binds the client's side to this local address (e.g. "127.0.0.2"); NULL: any. */
void rel_http_set_source(struct rel_http *h, const char *ip);
/*
 * Sends method path with a bearer token (may be NULL), a JSON body (may be
 * NULL) and up to 4 extra "Name: value" headers (NULL-terminated, may be
 * NULL); waits at most timeout_ms. Fills *r (release with rel_resp_release).
 */
void rel_request(struct rel_http *h, const char *method, const char *path, const char *token,
    const char *body, const char *const *headers, long timeout_ms, struct rel_resp *r);
void rel_resp_release(struct rel_resp *r);
/* The value at a dotted path ("error.code", "items.0.id"), or NULL. Borrowed from root. */
json_t *rel_jget(json_t *root, const char *path);
/* A string value by dotted path ("error.code"), or NULL. Lives as long as the JSON. */
const char *rel_jstr(json_t *root, const char *path);
long long rel_jint(json_t *root, const char *path, long long def);
/*
 * POST /api/v1/events: a neighbours' dispute titled title in grid
 * 330824115205001, with one party and a description of that many Chinese
 * characters. The status; *r filled.
 */
long rel_post_event(struct rel_http *h, const char *token, const char *title,
    size_t description_chars, struct rel_resp *r);
/* True when r is the one error shape with this status, code and message; else says what came. */
bool rel_error_is(const struct rel_resp *r, long status, const char *code, const char *message);
/* Signs in; the token in out (n bytes). 0 or -1 (prints the answer). */
int rel_signin(struct rel_http *h, const char *user, const char *password, char *out, size_t n);

/* --- SQL on a database file -------------------------------------------------- */

/* The first column of the first row of sql as an integer; def when no row or on error. */
long long rel_sql_int(const char *db_path, const char *sql, long long def);
/* `sqlite3 DB 'PRAGMA integrity_check'` through the sqlite3 shell: 0 when it prints "ok". */
int rel_integrity_cli(const char *db_path, char *out, size_t n);
/* PRAGMA integrity_check through the C API on a fresh connection (whatever VFS is default). */
int rel_integrity(const char *db_path, char *out, size_t n);

/* --- a small county for in-process domain calls -------------------------------- */

struct calendar;

struct rel_county {
	struct db *db;
	struct calendar *cal;
	struct actor sys, center, grid, dept;
	int64_t unit_police;
};

/*
 * Sets fixed audit and personal-data keys, loads the holiday calendar and
 * imports divisions, categories, a police unit and the accounts center,
 * grid and police into the open database c->db. A copy of the database
 * file works with a copy of *c (set its db). 0 or -1.
 */
int rel_county_setup(struct rel_county *c);
/* Frees the calendar (not the database). */
void rel_county_release(struct rel_county *c);
/* Imports the county's four divisions (开化县 down to grid 330824115205001) as the system. */
int rel_import_divisions(struct db *db);
/* Sets the fixed keys only (for reopening a county's database). */
void rel_county_keys(void);
struct fail;
/*
 * The grid worker reports a neighbours' dispute titled title, with one
 * party, in grid 330824115205001: event_create's result; *id and *f as it
 * leaves them.
 */
int rel_report(struct rel_county *c, const char *title, int64_t *id, struct fail *f);
/*
 * A new temporary directory dir holding the county's database path
 * (dir/pingan.db, set up as rel_county_setup does) over the test VFS,
 * which this installs; log is dir/stderr.log for rel_quiet_begin. 0, or
 * -1 with the VFS uninstalled again.
 */
int rel_vfs_county(struct rel_county *c, char dir[128], char path[160], char log[200]);
/* rel_report for tests of storage failures: says so when it failed with another message. */
int rel_report_storage(struct rel_county *c, const char *title);

/* --- the server in this process ---------------------------------------------------- */

struct config;
struct datadir;

/*
 * Defaults, then data_dir, share_dir (the working directory), listen
 * 127.0.0.1:0, log_level warn and no practical sign-in rate limit.
 */
int rel_inproc_config(struct config *cfg, const char *data_dir);
/*
 * Opens an initialised data directory (datadir_open) and adds the county's
 * divisions and the accounts "center" (county_center) and "boss" (admin),
 * both with REL_PASSWORD. The caller closes dd with datadir_close. 0 or -1.
 */
int rel_datadir_county(const struct config *cfg, struct datadir *dd);

/* The half-present checks every test runs on a database file: 0 when clean, else prints why. */
int rel_check_complete(const char *db_path, const char *title_prefix);

#endif
