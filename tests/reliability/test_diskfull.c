/*
 * Disk full (docs/reliability.md, test 3), three ways:
 *  - the domain layer over the test VFS with every write answering
 *    SQLITE_FULL: writes fail with ERR_STORAGE and the "nothing was saved"
 *    message, reads go on, nothing is half-written, writes work again after;
 *  - the same through the real HTTP layer, served in this process on the
 *    test VFS: 503 storage_unavailable in the one error shape, reads 200;
 *  - a real `pingan serve` on a 4 MiB tmpfs filled up with a file: when
 *    writes turn 503, reads still answer, and deleting the file brings
 *    writes back. Skipped (and said so) where tmpfs cannot be mounted.
 */
#define _GNU_SOURCE
#include "rel.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "base/config.h"
#include "base/err.h"
#include "cli/cli.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/event/event.h"
#include "domain/org/unit.h"
#include "http/server.h"
#include "inproc.h"
#include "vfs.h"

#define STORAGE_MESSAGE "存储暂不可用（磁盘已满或只读），数据未保存，请稍后重试"

/* --- the domain layer ------------------------------------------------------ */


static long long
count(const char *path, const char *sql)
{
	return rel_sql_int(path, sql, -1);
}

TEST(diskfull_domain_writes_fail_reads_go_on)
{
	static struct rel_county c;
	struct event_filter flt = { .limit = 50, .supervised = -1, .backlog = -1 };
	struct unit_input ui = { .name = "满盘单位", .kind = "department", .division_code = "330824" };
	struct user_input usr = { .username = "fulluser", .roles = "grid_worker",
		.password = REL_PASSWORD };
	struct action_input act = { 0 };
	struct audit_check chk;
	struct fail f = { 0 };
	json_t *e = NULL, *rows = NULL;
	char dir[128], path[160], log[200], why[256], title[64];
	int64_t id = 0, first = 0, next, total;
	long long events, audits, units, users;
	int rc_event, rc_unit, rc_user, rc_act, rc_get, rc_list, nlisted, rc_audit, rc_after;
	bool intact;

	if (rel_vfs_county(&c, dir, path, log) != 0)
		REL_FAIL("the county could not be set up");
	for (int i = 0; i < 5; i++) {
		snprintf(title, sizeof title, "满盘测试前%d", i);
		(void)rel_report_storage(&c, title);
	}
	first = rel_sql_int(path, "SELECT min(id) FROM events", 0);
	events = count(path, "SELECT count(*) FROM events");
	audits = count(path, "SELECT count(*) FROM audit_log");
	units = count(path, "SELECT count(*) FROM units");
	users = count(path, "SELECT count(*) FROM users");

	rel_quiet_begin(log);
	pcvfs_set_full(true);
	rc_event = rel_report_storage(&c, "满盘测试中");
	rc_unit = unit_create(c.db, &c.sys, &ui, &id, &f);
	rc_user = user_create(c.db, &c.sys, &usr, &id, &f);
	rc_act = event_act(c.db, &c.center, first, ACT_ACCEPT, &act, 0, &f);
	rc_get = event_get(c.db, &c.center, first, false, &e, &f);
	rc_list = event_list(c.db, &c.center, &flt, false, &rows, &next, &total);
	nlisted = (int)json_array_size(rows);
	json_decref(e);
	json_decref(rows);
	db_reader_done(c.db);
	rc_audit = audit_verify(c.db, &chk);
	intact = rel_integrity(path, why, sizeof why) == 0;
	pcvfs_set_full(false);
	rel_quiet_end();
	rc_after = rel_report_storage(&c, "满盘测试后");

	printf("    disk full (VFS): event_create %d, unit_create %d, user_create %d, accept %d; "
	       "event_get %d, event_list %d (%d rows); after: event_create %d\n", rc_event, rc_unit,
	    rc_user, rc_act, rc_get, rc_list, nlisted, rc_after);
	CHECK_INT(rc_event, ERR_STORAGE);
	CHECK_INT(rc_unit, ERR_STORAGE);
	CHECK_INT(rc_user, ERR_STORAGE);
	CHECK_INT(rc_act, ERR_STORAGE);
	CHECK_INT(rc_get, 0);
	CHECK_INT(rc_list, 0);
	CHECK_INT(nlisted, events);
	CHECK_INT(rc_audit, 0);
	CHECK(intact);
	/* Nothing of the refused writes is there: counts moved only by the one write after. */
	CHECK_INT(count(path, "SELECT count(*) FROM events"), events + 1);
	CHECK_INT(count(path, "SELECT count(*) FROM units"), units);
	CHECK_INT(count(path, "SELECT count(*) FROM users"), users);
	CHECK_INT(count(path, "SELECT count(*) FROM audit_log"), audits + 1);
	CHECK_INT(count(path, "SELECT count(*) FROM events WHERE title = '满盘测试中'"), 0);
	CHECK_INT(rel_sql_int(path, "SELECT count(*) FROM events WHERE id = (SELECT min(id) FROM "
			      "events) AND state = 'reported'", 0), 1);
	CHECK_INT(audit_verify(c.db, &chk), 0);
	CHECK(rel_check_complete(path, "满盘测试") == 0);
	db_close(c.db);
	pcvfs_uninstall();
	rel_county_release(&c);
	rel_remove_tree(dir);
}

/* --- the HTTP layer, in this process ------------------------------------------ */

/* The one error shape with code storage_unavailable and the "nothing was saved" message. */
static bool
is_storage_error(const struct rel_resp *r)
{
	return rel_error_is(r, 503, "storage_unavailable", STORAGE_MESSAGE);
}

TEST(diskfull_http_answers_503_and_reads_go_on)
{
	static struct rel_vfs_server s;
	struct rel_http *h = NULL;
	struct rel_resp r;
	char token[96], path[64];
	long long first = 0, after_id = 0;
	long st_event, st_accept, st_signin, st_get, st_list, st_ready, st_after;
	bool shape;

	if (rel_vfs_server_start(&s) != 0)
		REL_FAIL("the county could not be served in process");
	h = rel_http_new(s.base);
	if (rel_signin(h, "center", REL_PASSWORD, token, sizeof token) == 0 &&
	    rel_post_event(h, token, "满盘接口前", 10, &r) == 201)
		first = rel_jint(r.json, "id", 0);
	rel_resp_release(&r);

	pcvfs_set_full(true);
	st_event = rel_post_event(h, token, "满盘接口中", 10, &r);
	shape = is_storage_error(&r);
	rel_resp_release(&r);
	snprintf(path, sizeof path, "/api/v1/events/%lld/accept", first);
	rel_request(h, "POST", path, token, "{}", NULL, 20000, &r);
	st_accept = r.status;
	shape = shape && is_storage_error(&r);
	rel_resp_release(&r);
	rel_request(h, "POST", "/api/v1/session", NULL,
	    "{\"username\":\"center\",\"password\":\"" REL_PASSWORD "\"}", NULL, 20000, &r);
	st_signin = r.status;
	shape = shape && is_storage_error(&r);
	rel_resp_release(&r);
	snprintf(path, sizeof path, "/api/v1/events/%lld", first);
	rel_request(h, "GET", path, token, NULL, NULL, 20000, &r);
	st_get = r.status;
	rel_resp_release(&r);
	rel_request(h, "GET", "/api/v1/events?limit=5", token, NULL, NULL, 20000, &r);
	st_list = r.status;
	rel_resp_release(&r);
	rel_request(h, "GET", "/readyz", NULL, NULL, NULL, 20000, &r);
	st_ready = r.status;
	rel_resp_release(&r);
	pcvfs_set_full(false);

	st_after = rel_post_event(h, token, "满盘接口后", 10, &r);
	after_id = rel_jint(r.json, "id", 0);
	rel_resp_release(&r);
	rel_http_free(h);
	rel_vfs_server_stop(&s);
	pcvfs_uninstall();
	printf("    disk full (HTTP in process): POST event %ld, accept %ld, sign-in %ld; GET event "
	       "%ld, list %ld, /readyz %ld; after: POST event %ld\n", st_event, st_accept, st_signin,
	    st_get, st_list, st_ready, st_after);
	CHECK(first > 0);
	CHECK_INT(st_event, 503);
	CHECK_INT(st_accept, 503);
	CHECK_INT(st_signin, 503);
	CHECK(shape);
	CHECK_INT(st_get, 200);
	CHECK_INT(st_list, 200);
	CHECK_INT(st_ready, 200);
	CHECK_INT(st_after, 201);
	CHECK(after_id > first);
	{
		const char *db = s.db;
		char why[256];

		CHECK_INT(rel_sql_int(db, "SELECT count(*) FROM events WHERE title = '满盘接口中'", -1),
		    0);
		CHECK_INT(rel_sql_int(db, "SELECT count(*) FROM events WHERE title LIKE '满盘接口%'",
			      -1), 2);
		CHECK(rel_integrity(db, why, sizeof why) == 0);
		CHECK(rel_check_complete(db, "满盘接口") == 0);
	}
	rel_remove_tree(s.dir);
}

/* --- a real server on a small tmpfs --------------------------------------------- */

static char mounted[200];

static void
unmount_at_exit(void)
{
	if (mounted[0])
		(void)umount2(mounted, MNT_DETACH);
}

/*
 * Mounts a 4 MiB tmpfs at dir, in a mount namespace of this process when
 * one can be made (the mount then vanishes with the process). 0, or -1 with
 * the reason in why.
 */
static int
mount_small_tmpfs(const char *dir, char *why, size_t n)
{
	static bool tried_namespace;

	if (!tried_namespace) {
		tried_namespace = true;
		if (unshare(CLONE_NEWNS) == 0)
			(void)mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	}
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") != 0) {
		snprintf(why, n, "mount -t tmpfs: %s", strerror(errno));
		return -1;
	}
	snprintf(mounted, sizeof mounted, "%s", dir);
	atexit(unmount_at_exit);
	return 0;
}

/* Writes a file until the file system is full, then gives back leave bytes; its size. */
static long long
fill(const char *path, long long leave)
{
	static char block[65536];
	long long total = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t size = sizeof block;

	if (fd < 0)
		return -1;
	memset(block, 'x', sizeof block);
	while (size >= 512) {
		ssize_t w = write(fd, block, size);

		if (w > 0) {
			total += w;
			continue;
		}
		if (w < 0 && errno != ENOSPC)
			break;
		size /= 2;
	}
	if (total > leave && ftruncate(fd, total - leave) == 0)
		total -= leave;
	close(fd);
	return total;
}

struct full_run {
	int acked, refused, unexpected;
	char acked_titles[400][48];
	char refused_titles[16][48];
	bool shape;
	long get, healthz, after;
};

/* Reports big events until they are refused three times (at most 400). */
static void
write_until_full(struct rel_http *h, const char *token, struct full_run *fr)
{
	fr->shape = true;
	for (int i = 0; i < 400 && fr->refused < 3; i++) {
		char title[48];
		struct rel_resp r;

		snprintf(title, sizeof title, "满盘服务%d", i);
		rel_post_event(h, token, title, 1500, &r);
		if (r.status == 201)
			snprintf(fr->acked_titles[fr->acked++], sizeof fr->acked_titles[0], "%s", title);
		else if (r.status == 503) {
			fr->shape = fr->shape && is_storage_error(&r);
			snprintf(fr->refused_titles[fr->refused++], sizeof fr->refused_titles[0], "%s",
			    title);
		} else {
			printf("    unexpected answer while filling: %ld %.200s\n", r.status, r.body);
			fr->unexpected++;
		}
		rel_resp_release(&r);
	}
}

static long
get_status(struct rel_http *h, const char *token, const char *path)
{
	struct rel_resp r;
	long st;

	rel_request(h, "GET", path, token, NULL, NULL, 20000, &r);
	st = r.status;
	rel_resp_release(&r);
	return st;
}

/* Counts the titles of a list present in the database. */
static int
present(const char *db, char (*titles)[48], int n)
{
	char sql[160];
	int found = 0;

	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE title = '%s'", titles[i]);
		found += rel_sql_int(db, sql, 0) == 1;
	}
	return found;
}

TEST(diskfull_tmpfs_server_answers_503_then_recovers)
{
	static struct rel_server srv;
	static struct full_run fr;
	static struct config cfg;
	struct datadir dd;
	struct rel_http *h;
	char top[128], mnt[160], data[200], filler[200], why[256], token[96], out[1024];
	long long filled;
	int rc;

	memset(&fr, 0, sizeof fr);
	CHECK(rel_temp_dir(top, sizeof top) == 0);
	snprintf(mnt, sizeof mnt, "%s/mnt", top);
	snprintf(data, sizeof data, "%s/data", mnt);
	snprintf(filler, sizeof filler, "%s/filler", mnt);
	CHECK(mkdir(mnt, 0700) == 0);
	if (mount_small_tmpfs(mnt, why, sizeof why) != 0) {
		printf("    SKIPPED: cannot mount a tmpfs here (%s); the VFS variants above cover "
		       "disk full\n", why);
		rel_remove_tree(top);
		return;
	}
	{
		const char *argv[] = { rel_pingan_bin(), "init", "--data-dir", data, NULL };

		rc = rel_run(argv, NULL, out, sizeof out);
		if (rc != 0)
			printf("    pingan init: %d %s\n", rc, out);
		CHECK_INT(rc, 0);
	}
	CHECK(rel_inproc_config(&cfg, data) == 0);
	CHECK(rel_datadir_county(&cfg, &dd) == 0);
	datadir_close(&dd);
	CHECK(rel_server_init_at(&srv, data, NULL) == 0);
	CHECK(rel_server_start(&srv, "serve", 20000) == 0);
	h = rel_http_new(srv.base);
	if (rel_signin(h, "center", REL_PASSWORD, token, sizeof token) != 0) {
		rel_http_free(h);
		REL_FAIL("sign-in failed");
	}
	filled = fill(filler, 384 * 1024);
	write_until_full(h, token, &fr);
	fr.get = get_status(h, token, "/api/v1/events?limit=5");
	fr.healthz = get_status(h, NULL, "/healthz");
	unlink(filler);
	{
		struct rel_resp r;

		for (int i = 0; i < 3 && fr.after != 201; i++) {
			fr.after = rel_post_event(h, token, "满盘服务恢复", 10, &r);
			if (fr.after == 201)
				snprintf(fr.acked_titles[fr.acked++], sizeof fr.acked_titles[0], "%s",
				    "满盘服务恢复");
			rel_resp_release(&r);
		}
	}
	rel_http_free(h);
	rc = rel_server_stop(&srv);
	printf("    disk full (tmpfs 4 MiB, filler %lld bytes): %d reports accepted, then %d refused "
	       "with 503; GET list %ld, /healthz %ld; after freeing space: POST %ld; server exit %d\n",
	    filled, fr.acked - (fr.after == 201), fr.refused, fr.get, fr.healthz, fr.after, rc);
	CHECK(filled > 0);
	CHECK(fr.refused > 0);
	CHECK(fr.shape);
	CHECK_INT(fr.unexpected, 0);
	CHECK_INT(fr.get, 200);
	CHECK_INT(fr.healthz, 200);
	CHECK_INT(fr.after, 201);
	CHECK_INT(rc, 0);
	{
		char db[240];
		const char *argv[] = { rel_pingan_bin(), "audit", "verify", "--data-dir", data, NULL };

		snprintf(db, sizeof db, "%s/pingan.db", data);
		CHECK(rel_integrity_cli(db, out, sizeof out) == 0);
		rc = rel_run(argv, NULL, out, sizeof out);
		if (rc != 0)
			printf("    pingan audit verify: %d %s\n", rc, out);
		CHECK_INT(rc, 0);
		CHECK(rel_check_complete(db, "满盘服务") == 0);
		CHECK_INT(present(db, fr.acked_titles, fr.acked), fr.acked);
		CHECK_INT(present(db, fr.refused_titles, fr.refused), 0);
	}
	(void)umount2(mnt, MNT_DETACH);
	mounted[0] = '\0';
	rel_remove_tree(top);
}
