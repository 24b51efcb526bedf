/*
 * The API tests' client and server fixture: a real pingan process on a free
 * port with a temporary data directory, driven over HTTP with libcurl and
 * from the command line, as an operator and a browser would.
 *
 * Memory: everything these helpers return (responses, strings, parsed JSON)
 * is owned by the client and freed at exit, so a test that stops early at a
 * failed CHECK leaks nothing. Servers are stopped and their directories
 * removed at exit too (set PINGAN_KEEP_TMP=1 to keep them for a post-mortem).
 */
#ifndef PINGAN_TESTS_API_CLIENT_H
#define PINGAN_TESTS_API_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../harness.h"

/* The password of every account the fixture creates (meets the policy). */
#define TEST_PASSWORD "Test#Pass2026"

#define MAX_CACHED_SESSIONS 64

/* One pingan server process and its temporary data directory. */
struct fixture {
	char dir[256];          /* mkdtemp() directory holding everything below */
	char data_dir[300];
	char db_path[320];
	char config[300];
	char log[300];
	char base[64];          /* "http://127.0.0.1:PORT" */
	int port;
	pid_t pid;              /* 0 when not running */
	int exit_status;        /* after fixture_stop(): exit code, or 128 + signal */
	char command[16];       /* "serve", or "demo" for the demo county */
	const char *password;   /* of the fixture's accounts; NULL: TEST_PASSWORD */
	struct {
		char user[40];
		const char *token;
	} sessions[MAX_CACHED_SESSIONS];
};

struct header {
	char *name;
	char *value;
};

/* An HTTP answer. status 0 means no answer came (connection failed). */
struct resp {
	long status;
	struct header *headers;
	size_t nheaders;
	char *body;             /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	json_t *json;           /* the body parsed as JSON, NULL when it is not JSON */
};

/* Everything about one request; zero fields take the defaults. */
struct request {
	const char *method;     /* "GET" when NULL */
	const char *path;       /* sent as-is (no dot-segment removal) */
	const char *body;       /* NULL: no body */
	size_t body_len;        /* 0: strlen(body) */
	const char *content_type; /* with a body, NULL means application/json;
	                             "" sends no Content-Type at all */
	const char *bearer;     /* Authorization: Bearer ... */
	const char *cookie;     /* value of the pingan_session cookie */
	bool csrf;              /* X-Requested-With: XMLHttpRequest */
	const char *headers[8]; /* extra "Name: value" lines */
	long timeout_ms;        /* 0: 60 s; when set, an answer cut short by it (a stream)
	                           still reports the status that came */
};

/* --- servers ---------------------------------------------------------- */

/*
 * The server most tests share: started on first use with one account per
 * role (admin, center, township, dept, grid, leader, auditor, volunteer,
 * security (security_admin), all with TEST_PASSWORD), stopped at exit. NULL
 * when it could not start.
 */
struct fixture *fixture_shared(void);
/*
 * A fresh server of its own for tests that need a clean or disposable state:
 * accounts admin, center and auditor. extra_config (may be NULL) is appended
 * to the config file. NULL when it could not start (the log is printed).
 */
struct fixture *server_start_fixture(const char *extra_config);
/* Starts a stopped server again on the same data directory (a new port). 0 or -1. */
int fixture_restart(struct fixture *s);
/* SIGTERM and wait (SIGKILL after 20 s). Returns the exit status. */
int fixture_stop(struct fixture *s);
/* `pingan user add NAME --role ROLE [--temporary]`, password on stdin. Exit code. */
int fixture_user_add(struct fixture *s, const char *name, const char *role, const char *password,
    bool temporary);
/* A session token for a fixture account, signed in once per server and reused. */
const char *session_of(struct fixture *s, const char *user);

/* --- the demo county ---------------------------------------------------- */

/* The password of every account of `pingan demo`. */
#define DEMO_PASSWORD "Pingan#Demo2026"
/* 华埠镇: the demo township account's town; the grid account looks after DEMO_GRID..003. */
#define DEMO_TOWN "330824115"
#define DEMO_GRID "330824115205001"
/* A grid of 华埠镇 the demo grid worker does not look after. */
#define DEMO_OTHER_GRID "330824115001001"
/* 马金镇, another town of the county, and one of its grids. */
#define DEMO_OTHER_TOWN "330824116"
#define DEMO_OTHER_TOWN_GRID "330824116201001"

/*
 * The server of the event tests: `pingan demo`, the demo county 开化县
 * (330824) with its divisions, units and routing rules and one account per
 * role (admin, center, township, dept, grid, leader, auditor, volunteer,
 * security, all with DEMO_PASSWORD; township in 华埠镇, dept in 县公安局).
 * Shared, started on first use, stopped at exit. NULL when it could not start.
 */
struct fixture *fixture_demo(void);
/* A demo county server of its own, extra_config (may be NULL) appended to its config. */
struct fixture *fixture_demo_start(const char *extra_config);
/* The password of the fixture's accounts. */
const char *fixture_password(const struct fixture *s);
/* Creates a unit of kind department in division_code as admin; its id, or 0. */
long long county_unit_add(struct fixture *s, const char *name, const char *division_code);
/*
 * Creates an account as admin with the fixture's password, one role, a
 * division and a unit (0: none); its id, or 0. session_of() signs it in.
 */
long long county_user_add(struct fixture *s, const char *username, const char *role,
    const char *division_code, long long unit_id);

/* A township_center account of 马金镇 (DEMO_OTHER_TOWN), created on first use per server; NULL on failure. */
const char *other_township(struct fixture *s);

/* --- events ----------------------------------------------------------- */

/* The reporter and the party every report_body() names, in clear. */
#define REPORTER_PHONE "13812345678"
#define PARTY_ID_NUMBER "34052419800101001X"

/*
 * A valid report: channel grid, the category, title and division given,
 * reporter 张三 REPORTER_PHONE, one party 李四 with PARTY_ID_NUMBER.
 */
const char *report_body(const char *division, const char *category, const char *title);
/* POST /api/v1/events as user with body. */
struct resp *report(struct fixture *s, const char *user, const char *body);
/* Reports report_body(division, category, title) as user; the new event's id, or 0. */
long long report_event(struct fixture *s, const char *user, const char *division,
    const char *category, const char *title);
/* GET /api/v1/events/{id} as user. */
struct resp *read_event(struct fixture *s, const char *user, long long id);
/* POST /api/v1/events/{id}/{action} as user with json (NULL: no body). */
struct resp *act_on(struct fixture *s, const char *user, long long id, const char *action,
    const char *json);

/*
 * A server-sent event stream read by a thread of its own while the test
 * goes on. Owned by the client: closed at exit if the test did not.
 */
struct sse;

/*
 * Opens GET path with a bearer token and one extra "Name: value" header
 * (NULL: none); the transfer ends by itself after max_ms.
 */
struct sse *sse_open(struct fixture *s, const char *token, const char *path, const char *header,
    long max_ms);
/* Waits up to ms for needle to appear in what arrived; true when it did. */
bool sse_wait_for(struct sse *e, const char *needle, long ms);
/* Sleeps ms milliseconds, resuming after a signal. */
void sleep_ms(long ms);
/* The status of the answer (0 until its headers came). */
long sse_status(struct sse *e);
/* Everything that arrived so far, as a string the client owns. */
const char *sse_text(struct sse *e);
/* Ends the transfer and waits for the thread. Safe to call twice. */
void sse_close(struct sse *e);

/* A GB 11643 ID number: the 17 digits given and the check character they give. */
const char *gb_id_number(const char *seventeen);
/* Does the file contain needle (false when it cannot be read)? */
bool file_has(const char *path, const char *needle);

/* --- processes -------------------------------------------------------- */

/* $PINGAN_BIN, or ./pingan. */
const char *pingan_bin(void);
/*
 * Runs a program (argv[0] looked up in PATH) with input (may be NULL) on
 * stdin; *output (may be NULL) gets stdout and stderr together. Returns the
 * exit code, 128 + signal when killed, -1 when it could not run.
 */
int run_program(const char *const *argv, const char *input, char **output);
/* Runs $PINGAN_BIN with the NULL-terminated arguments. */
int run_pingan(const char *input, char **output, ...) __attribute__((sentinel));
/* Runs the sqlite3 shell on a database file: sqlite3 DB SQL. */
int run_sqlite(const char *db, const char *sql, char **output);
/* A new temporary directory, removed at exit. NULL on failure. */
const char *temp_dir(void);

/* --- HTTP ------------------------------------------------------------- */

struct resp *http(struct fixture *s, const struct request *rq);
/* GET with a bearer token (NULL: none). */
struct resp *api_get(struct fixture *s, const char *token, const char *path);
/* method with a JSON body (NULL: none) and a bearer token (NULL: none). */
struct resp *api_send(struct fixture *s, const char *method, const char *path, const char *token,
    const char *json);
/* A response header by name (case-insensitive), or NULL. */
const char *resp_header(const struct resp *r, const char *name);
/* POST /api/v1/session; the token, or NULL when sign-in did not answer 201. */
const char *signin(struct fixture *s, const char *user, const char *password);
/* The JSON body for a sign-in. */
const char *signin_body(const char *user, const char *password);

/* --- JSON and text ---------------------------------------------------- */

/* A value by dotted path ("error.code", "items.0.id"), or NULL. */
json_t *jget(json_t *root, const char *path);
/* The string at path, or NULL. */
const char *jstr(json_t *root, const char *path);
/* The integer at path, or def. */
long long jint(json_t *root, const char *path, long long def);
/* json_pack() rendered to compact text. */
const char *jfmt(const char *fmt, ...);
/* printf into a string the client owns. */
const char *tfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s with every byte but [A-Za-z0-9._~-] percent-encoded, for query strings. */
const char *url_encode(const char *s);
/* A user name no other test uses: prefix + a counter. */
const char *uniq(const char *prefix);
/* Does the list at items contain an object whose key equals the string value? */
bool items_have(json_t *items, const char *key, const char *value);
/* Is username visible in GET /api/v1/users to the token? */
bool user_exists(struct fixture *s, const char *token, const char *username);
/* Creates a user through the API as admin; its id, or 0. */
long long api_user_create(struct fixture *s, const char *username, const char *role);

/* --- checks ----------------------------------------------------------- */

/*
 * The one error shape: status, {"error":{"code": code, "message": non-empty}},
 * JSON content type.
 */
#define CHECK_ERROR(r, st, code_)                                                  \
	do {                                                                       \
		const struct resp *ce_ = (r);                                      \
		const char *ct_ = resp_header(ce_, "Content-Type");                \
		CHECK_INT(ce_->status, st);                                        \
		CHECK(ce_->json != NULL);                                          \
		CHECK_STR(jstr(ce_->json, "error.code"), code_);                   \
		CHECK(jstr(ce_->json, "error.message") != NULL);                   \
		CHECK(jstr(ce_->json, "error.message")[0] != '\0');                \
		CHECK(ct_ != NULL && strncmp(ct_, "application/json", 16) == 0);   \
	} while (0)

/* CHECK_ERROR plus the field the error names. */
#define CHECK_FIELD_ERROR(r, st, code_, field_)                         \
	do {                                                            \
		const struct resp *cf_ = (r);                           \
		CHECK_ERROR(cf_, st, code_);                            \
		CHECK_STR(jstr(cf_->json, "error.field"), field_);      \
	} while (0)

#endif
