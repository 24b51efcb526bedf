/* The demo county database shared by the database targets (see fixture.h). */
#include "fixture.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/calendar.h"
#include "base/err.h"
#include "base/clock.h"
#include "base/file.h"
#include "base/msg.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/event/attachment.h"
#include "domain/event/category.h"
#include "domain/event/event.h"
#include "domain/org/division.h"
#include "domain/org/grid.h"
#include "domain/org/unit.h"
#include "domain/pii/pii.h"
#include "fuzz.h"
#include "http/ratelimit.h"

#define PASSWORD "Pingan#Fuzz2026"
/* 2026-03-02T10:00:00+08:00, a Monday and a workday. */
#define FIXED_NOW_MS 1772416800000LL

static struct fixture fx;
static bool built;
static char template_path[320], work_path[320];
static struct calendar *calendar;
static unsigned long resets;

static const struct {
	const char *name, *display, *roles, *division, *unit;
} users[FX_SYSTEM] = {
	[FX_ADMIN] = { "admin", "系统管理员", "admin", "", "" },
	[FX_CENTER] = { "center", "县中心值班员", "county_center", "330824", "县社会治理中心" },
	[FX_TOWNSHIP] = { "township", "华埠镇指挥室", "township_center", "330824115", "华埠镇综治办" },
	[FX_DEPT] = { "dept", "公安局承办人", "department", "330824", "县公安局" },
	[FX_GRID] = { "grid", "网格员小王", "grid_worker", "330824115", "华埠镇综治办" },
	[FX_LEADER] = { "leader", "分管领导", "leader", "330824", "" },
	[FX_AUDITOR] = { "auditor", "审计员", "auditor", "330824", "" },
	[FX_VOLUNTEER] = { "volunteer", "平安志愿者", "volunteer", "330824115", "" },
};

static _Noreturn void
die(const char *what, const struct fail *f)
{
	fuzz_fail(__FILE__, __LINE__, "fixture", "building the demo county: %s%s%s", what,
	    f && f->msg != MSG_NONE ? ": " : "", f && f->msg != MSG_NONE ? msg_text(f->msg, true) : "");
}

static char *
read_data(const char *rel, size_t *len)
{
	char path[1200];
	char *data;

	snprintf(path, sizeof path, "%s/%s", fuzz_root(), rel);
	if (file_read_all(path, 64u * 1024 * 1024, &data, len) != 0)
		die(path, NULL);
	return data;
}

typedef int (*csv_import_fn)(struct db *, const struct actor *, const char *, size_t,
    struct import_report *, struct fail *);

static void
import_csv(struct db *db, const struct actor *sys, const char *rel, csv_import_fn fn)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	size_t len;
	char *data = read_data(rel, &len);

	if (fn(db, sys, data, len, &rep, &f) != 0)
		die(rel, &f);
	free(data);
	import_report_release(&rep);
}

static int
divisions_import(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f)
{
	return division_import_csv(db, who, data, len, false, rep, f);
}

static void
import_outlines(struct db *db, const struct actor *sys)
{
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	size_t len;
	char *data = read_data("data/demo/outlines.geojson", &len);
	json_t *fc = json_loadb(data, len, 0, NULL);

	if (fc == NULL || division_import_outlines(db, sys, fc, &rep, &f) != 0)
		die("outlines", &f);
	json_decref(fc);
	free(data);
	import_report_release(&rep);
}

static int64_t
unit_id(struct db *db, const struct actor *sys, const char *name)
{
	struct unit_filter flt = { .q = name, .limit = 5 };
	int64_t next, id = 0;
	json_t *rows, *u;
	size_t i;

	if (*name == '\0' || unit_list(db, sys, &flt, false, &rows, &next) != 0)
		return 0;
	json_array_foreach(rows, i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")), name) == 0)
			id = (int64_t)json_integer_value(json_object_get(u, "id"));
	json_decref(rows);
	return id;
}

/*
 * Creates the users and builds the actor each would be once signed in, as
 * session_resolve() does: actor_from_user() and, for grid workers, their grids.
 */
static void
make_users(struct db *db, const struct actor *sys)
{
	for (int i = 0; i < FX_SYSTEM; i++) {
		struct user_input in = { 0 };
		struct fail f = { 0 };
		struct user u;
		struct db_conn *c;

		in.username = users[i].name;
		in.display_name = users[i].display;
		in.roles = users[i].roles;
		in.division_code = users[i].division;
		in.unit_id = unit_id(db, sys, users[i].unit);
		in.password = PASSWORD;
		if (user_create(db, sys, &in, &fx.user_ids[i], &f) != 0)
			die(users[i].name, &f);
		if (i == FX_GRID) {
			json_t *grids = json_pack("[s, s, s]", "330824115205001", "330824115205002",
			    "330824115205003");
			json_t *duties = json_pack("[s, s]", "informant", "mediator");

			if (grids_set(db, sys, fx.user_ids[i], grids, duties, &f) != 0)
				die("grids", &f);
			json_decref(grids);
			json_decref(duties);
		}
		c = db_reader(db);
		if (c == NULL || user_load_by_id(c, fx.user_ids[i], &u) != 0)
			die("user_load_by_id", NULL);
		memset(&fx.actors[i], 0, sizeof fx.actors[i]);
		actor_from_user(&fx.actors[i], &u);
		if (actor_load_grids(c, &fx.actors[i]) != 0)
			die("actor_load_grids", NULL);
		db_reader_done(db);
		fx.actors[i].via = VIA_BEARER_SESSION;
		snprintf(fx.actors[i].client_addr, sizeof fx.actors[i].client_addr, "127.0.0.1");
		snprintf(fx.actors[i].request_id, sizeof fx.actors[i].request_id, "fixture");
		fx.actor_names[i] = users[i].name;
	}
	fx.actors[FX_SYSTEM] = *sys;
	fx.actor_names[FX_SYSTEM] = "system";
	fx.actor_names[FX_NOBODY] = "nobody";
}

static int64_t
report_event(struct db *db, const char *title)
{
	struct event_input in = { 0 };
	struct fail f = { 0 };
	bool replayed;
	int64_t id = 0;

	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = title;
	in.description = "两户因排水沟堵塞发生争吵，需要调解。";
	in.division_code = "330824115205001";
	in.address = "华埠镇龙岭村3组12号";
	in.reporter_name = "王小明";
	in.reporter_phone = "13812345678";
	in.nparties = 2;
	in.parties[0].name = "李四";
	in.parties[0].id_number = "34052419800101001X";
	in.parties[0].phone = "+8613900001111";
	in.parties[0].role = "party";
	in.parties[1].name = "张三丰";
	in.parties[1].role = "party";
	if (event_create(db, &fx.actors[FX_GRID], &in, &id, &replayed, &f) != 0)
		die("event_create", &f);
	return id;
}

static void
act(struct db *db, enum fixture_actor who, int64_t id, enum event_action a,
    const struct action_input *in)
{
	struct fail f = { 0 };

	if (event_act(db, &fx.actors[who], id, a, in, 0, &f) != 0)
		die(event_action_name(a), &f);
}

/* Six events: reported, accepted, dispatched, handling, handled, closed. */
static void
make_events(struct db *db)
{
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0 };
	struct action_input note = { .note = "已核实，请处理。" };
	struct action_input dispatch = { .note = "请依职责办理。", .lead_unit = fx.unit_police };
	struct action_input ok = { .note = "处理完毕，当事人满意。", .ok = true };
	struct fail f = { 0 };

	for (int i = 0; i < FX_EVENTS; i++) {
		char title[64];

		snprintf(title, sizeof title, "龙岭村排水沟堵塞引发邻里争吵 %d", i + 1);
		fx.events[i] = report_event(db, title);
	}
	for (int i = 1; i < FX_EVENTS; i++)
		act(db, FX_CENTER, fx.events[i], ACT_ACCEPT, &note);
	for (int i = 2; i < FX_EVENTS; i++)
		act(db, FX_CENTER, fx.events[i], ACT_DISPATCH, &dispatch);
	for (int i = 3; i < FX_EVENTS; i++)
		act(db, FX_DEPT, fx.events[i], ACT_SIGN, &note);
	for (int i = 4; i < FX_EVENTS; i++)
		act(db, FX_DEPT, fx.events[i], ACT_FEEDBACK, &ok);
	act(db, FX_CENTER, fx.events[5], ACT_VERIFY, &ok);
	if (attachment_add(db, &fx.actors[FX_GRID], fx.events[0], png, sizeof png, "现场.png",
	    "report", &fx.attachment_id, &f) != 0)
		die("attachment_add", &f);
}

/* An API token of the admin, and the id of a routing rule to delete. */
static void
make_token_and_rule(struct db *db)
{
	char token[TOKEN_TEXT_MAX];
	struct fail f = { 0 };
	json_t *rules, *r;
	size_t i;

	if (token_create(db, &fx.actors[FX_ADMIN], "fuzz", fx.actors[FX_ADMIN].perms, 0, token,
	    &fx.token_id, &f) != 0)
		die("token_create", &f);
	if (routing_list(db, &rules) != 0)
		die("routing_list", NULL);
	json_array_foreach(rules, i, r)
		fx.routing_id = (int64_t)json_integer_value(json_object_get(r, "id"));
	json_decref(rules);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0)
		die(path, NULL);
}

/* A web root with a few files, a symlink out of it and a sibling whose name extends it. */
static void
make_web_dir(void)
{
	char p[400];

	snprintf(fx.web_dir, sizeof fx.web_dir, "%s/web", fx.dir);
	mkdir(fx.web_dir, 0700);
	snprintf(p, sizeof p, "%s/web/sub", fx.dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/web-secret", fx.dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/web/index.html", fx.dir);
	write_file(p, "<!doctype html><title>pingan</title>\n");
	snprintf(p, sizeof p, "%s/web/app.js", fx.dir);
	write_file(p, "console.log('pingan');\n");
	snprintf(p, sizeof p, "%s/web/sub/style.css", fx.dir);
	write_file(p, "body{}\n");
	snprintf(p, sizeof p, "%s/secret.txt", fx.dir);
	write_file(p, "SECRET\n");
	snprintf(p, sizeof p, "%s/web-secret/secret.txt", fx.dir);
	write_file(p, "SECRET\n");
	snprintf(p, sizeof p, "%s/web/escape", fx.dir);
	if (symlink("../secret.txt", p) != 0)
		die("symlink", NULL);
}

/* Removes the temporary directory (also on an invariant failure, before the abort). */
static void
remove_files(void)
{
	if (fx.dir[0])
		fuzz_rmtree(fx.dir);
	fx.dir[0] = '\0';
}

static void
cleanup(void)
{
	if (getenv("FUZZ_VERBOSE") && fx.db) {
		struct db_stats st;

		db_get_stats(fx.db, &st);
		fprintf(stderr, "fixture: %lu fresh copies of the database; last copy: %llu busy "
		    "waits, %llu commits\n", resets, (unsigned long long)st.busy_waits,
		    (unsigned long long)st.write_txns);
	}
	if (fx.db) {
		db_close(fx.db);
		fx.db = NULL;
	}
	calendar_free(calendar);
	calendar = NULL;
	remove_files();
}

static void
settings(void)
{
	struct auth_settings s = { 1, 8192, 30 * 60000, 12 * 3600000, 5, 15 * 60000 };
	uint8_t k[32], k2[32];
	char err[256], path[1100];

	if (sodium_init() < 0)
		die("sodium_init", NULL);
	fuzz_sqlite_log_install();
	fuzz_quiet();
	memset(k, 7, sizeof k);
	audit_set_key(k);
	memset(k, 1, sizeof k);
	memset(k2, 2, sizeof k2);
	pii_set_keys(k, k2);
	auth_configure(&s);
	clock_set_fixed(FIXED_NOW_MS);
	snprintf(path, sizeof path, "%s/data/calendar", fuzz_root());
	if (calendar_load_dir(path, &calendar, err, sizeof err) != 0)
		die(err, NULL);
	event_set_calendar(calendar);
	event_set_county_code("330824");
	config_defaults(&fx.cfg);
}

static void
build_template(void)
{
	struct actor sys;
	struct db *db;
	char uploads[300];

	fuzz_tmpdir(fx.dir, sizeof fx.dir, "db");
	atexit(cleanup);
	fuzz_on_fail = remove_files;
	snprintf(template_path, sizeof template_path, "%s/template.db", fx.dir);
	snprintf(work_path, sizeof work_path, "%s/work.db", fx.dir);
	snprintf(uploads, sizeof uploads, "%s/uploads", fx.dir);
	if (mkdir(uploads, 0700) != 0)
		die(uploads, NULL);
	attachment_set_dir(uploads);
	make_web_dir();
	actor_system(&sys, "fuzz");
	if (db_open(template_path, true, &db) != 0)
		die("db_open", NULL);
	import_csv(db, &sys, "data/categories.csv", category_import_csv);
	import_csv(db, &sys, "data/demo/divisions.csv", divisions_import);
	import_outlines(db, &sys);
	import_csv(db, &sys, "data/demo/units.csv", unit_import_csv);
	import_csv(db, &sys, "data/demo/routing.csv", routing_import_csv);
	fx.unit_police = unit_id(db, &sys, "县公安局");
	make_users(db, &sys);
	make_events(db);
	make_token_and_rule(db);
	db_close(db);
}

static void
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char chunk[65536];
	size_t n;

	if (in == NULL || out == NULL)
		die("copy", NULL);
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, out) != n)
			die("copy", NULL);
	fclose(in);
	if (fclose(out) != 0)
		die("copy", NULL);
}

/* Replaces the working database with a copy of the template. */
static void
open_work_copy(void)
{
	char side[340];
	struct db_stats st;

	if (fx.db)
		db_close(fx.db);
	fx.db = NULL;
	snprintf(side, sizeof side, "%s-wal", work_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", work_path);
	unlink(side);
	copy_file(template_path, work_path);
	if (db_open(work_path, false, &fx.db) != 0)
		die("db_open work", NULL);
	db_get_stats(fx.db, &st);
	fx.writes = st.write_txns;
	resets++;
	ratelimit_reset();
	clock_set_fixed(FIXED_NOW_MS);
}

struct fixture *
fixture_get(void)
{
	if (!built) {
		settings();
		fuzz_sqlite_strict = false;
		build_template();
		built = true;
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fixture: users %lld..%lld, events %lld..%lld, police unit %lld, "
			    "attachment %lld, token %lld, routing rule %lld, in %s\n",
			    (long long)fx.user_ids[0], (long long)fx.user_ids[FX_SYSTEM - 1],
			    (long long)fx.events[0], (long long)fx.events[FX_EVENTS - 1],
			    (long long)fx.unit_police, (long long)fx.attachment_id, (long long)fx.token_id,
			    (long long)fx.routing_id, fx.dir);
		open_work_copy();
		fuzz_sqlite_strict = true;
	}
	return &fx;
}

/* True when the n bytes at p are well-formed UTF-8 (RFC 3629; controls allowed). */
static bool
utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], lo = 0x80, hi = 0xbf;
		size_t len;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return false;
		i += len;
	}
	return true;
}

/* Every TEXT value of every table (not FTS internals) must be valid UTF-8. */
static void
check_stored_text(void)
{
	sqlite3 *h;
	sqlite3_stmt *tables, *rows;
	char sql[200];

	if (sqlite3_open_v2(work_path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open for the text check", NULL);
	if (sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
	    "name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'", -1, &tables, NULL) != SQLITE_OK)
		die("text check", NULL);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tables, 0);

		/* Tables WITHOUT ROWID have no rowid to report: 0 stands in. */
		snprintf(sql, sizeof sql, "SELECT rowid, * FROM \"%s\"", t);
		if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK) {
			snprintf(sql, sizeof sql, "SELECT 0, * FROM \"%s\"", t);
			if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK)
				die("text check", NULL);
		}
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int col = 1; col < sqlite3_column_count(rows); col++) {
				const unsigned char *v;
				int n;

				if (sqlite3_column_type(rows, col) != SQLITE_TEXT)
					continue;
				v = sqlite3_column_text(rows, col);
				n = sqlite3_column_bytes(rows, col);
				FUZZ_CHECK(utf8_valid(v, (size_t)n), "%s.%s of row %lld holds invalid "
				    "UTF-8 (%d bytes, ends %02x)", t, sqlite3_column_name(rows, col),
				    (long long)sqlite3_column_int64(rows, 0), n, n ? v[n - 1] : 0);
			}
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	sqlite3_close(h);
}

void
fixture_after_input(struct fixture *f)
{
	struct db_stats st;

	db_reader_done(f->db);
	db_get_stats(f->db, &st);
	clock_set_fixed(FIXED_NOW_MS);
	if (st.write_txns != f->writes) {
		fuzz_sqlite_strict = false;
		check_stored_text();
		open_work_copy();
		fuzz_sqlite_strict = true;
	}
}

enum fixture_actor
fixture_actor_by_name(const struct fixture *f, const char *name)
{
	for (int i = 0; i < FX_COUNT; i++)
		if (f->actor_names[i] && strcmp(f->actor_names[i], name) == 0)
			return (enum fixture_actor)i;
	return FX_NOBODY;
}

void
fixture_check_import(int rc, const struct fail *f, const struct import_report *rep)
{
	if (rc == 0) {
		FUZZ_CHECK(rep->nerrors == 0, "imported with %d problems", rep->nerrors);
	} else {
		FUZZ_CHECK(f->code == rc && f->msg != MSG_NONE, "failure %d without a reason", rc);
		FUZZ_CHECK(rc == ERR_INVALID, "import failed with %d (%s)", rc,
		    msg_text(f->msg, true));
		FUZZ_CHECK(rep->nerrors > 0, "invalid import without a reported problem");
	}
	FUZZ_CHECK(rep->listed == (rep->nerrors < IMPORT_MAX_LISTED ? rep->nerrors :
	    IMPORT_MAX_LISTED), "%d problems, %d listed", rep->nerrors, rep->listed);
	for (int i = 0; i < rep->listed; i++)
		FUZZ_CHECK(rep->errors[i].line >= 1 && rep->errors[i].msg != MSG_NONE, "problem %d", i);
}
