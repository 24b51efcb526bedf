/*
 * A failing disk (docs/reliability.md, test 6). The writer commits without
 * waiting for the disk and the WAL is synced after it lets go; the members
 * of a group are answered only after that sync. When the sync fails, the
 * request fails with the storage error, and since nobody knows what the
 * disk holds, every later write is refused too while reads go on, until
 * the database is opened again (a restart). Over the test VFS, whose syncs
 * can be made to fail.
 */
#include "rel.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/event/event.h"
#include "domain/org/unit.h"
#include "inproc.h"
#include "vfs.h"

#define STOPPED_MESSAGE "磁盘写入失败，系统已暂停保存数据，刚才的操作可能未保存；" \
			"请联系系统管理员检查磁盘并重启服务后重试"

TEST(syncfail_refuses_the_group_then_every_write_until_reopened)
{
	static struct rel_county c;
	struct unit_input ui = { .name = "同步失败单位", .kind = "department",
		.division_code = "330824" };
	struct pcvfs_stats st;
	struct audit_check chk;
	struct fail f = { 0 };
	json_t *e = NULL;
	char dir[128], path[160], log[200], why[256];
	int64_t id = 0, first;
	int rc_during, rc_after, rc_unit, rc_get, rc_reopened;

	if (rel_vfs_county(&c, dir, path, log) != 0)
		REL_FAIL("the county could not be set up");
	CHECK_INT(rel_report_storage(&c, "同步测试前"), 0);
	first = rel_sql_int(path, "SELECT min(id) FROM events", 0);

	rel_quiet_begin(log);
	pcvfs_reset_stats();
	pcvfs_set_sync_fail(true);
	rc_during = rel_report_storage(&c, "同步测试中");
	pcvfs_set_sync_fail(false);
	/* The disk answers again, but what it holds is unknown: writes stay refused. */
	rc_after = rel_report_storage(&c, "同步测试后");
	rc_unit = unit_create(c.db, &c.sys, &ui, &id, &f);
	rc_get = event_get(c.db, &c.center, first, false, &e, &f);
	json_decref(e);
	db_reader_done(c.db);
	pcvfs_get_stats(&st);
	rel_quiet_end();
	printf("    failing sync: event_create %d; after: event_create %d, unit_create %d, "
	       "event_get %d; %lu syncs refused\n", rc_during, rc_after, rc_unit, rc_get,
	    st.sync_errors);
	CHECK_INT(rc_during, ERR_STORAGE);
	CHECK_INT(rc_after, ERR_STORAGE);
	CHECK_INT(rc_unit, ERR_STORAGE);
	CHECK_INT(rc_get, 0);
	CHECK(db_writes_stopped(c.db));
	CHECK(st.sync_errors >= 1);
	CHECK_INT(rel_sql_int(path, "SELECT count(*) FROM events WHERE title = '同步测试后'", -1), 0);
	CHECK_INT(rel_sql_int(path, "SELECT count(*) FROM units WHERE name = '同步失败单位'", -1), 0);

	/* A restart: the same file opened again takes writes, and nothing is half there. */
	db_close(c.db);
	c.db = NULL;
	CHECK_INT(db_open(path, false, &c.db), 0);
	rc_reopened = rel_report_storage(&c, "同步测试重启后");
	CHECK_INT(rc_reopened, 0);
	CHECK(!db_writes_stopped(c.db));
	CHECK_INT(audit_verify(c.db, &chk), 0);
	CHECK(rel_integrity(path, why, sizeof why) == 0);
	CHECK(rel_check_complete(path, "同步测试") == 0);
	db_close(c.db);
	pcvfs_uninstall();
	rel_county_release(&c);
	rel_remove_tree(dir);
}

TEST(syncfail_http_answers_503_that_saving_stopped_and_reads_go_on)
{
	static struct rel_vfs_server s;
	struct rel_http *h;
	struct rel_resp r;
	char token[96] = "", path[64];
	long long first = 0;
	long st_before, st_during, st_after, st_get;
	bool during, after;

	if (rel_vfs_server_start(&s) != 0)
		REL_FAIL("the county could not be served in process");
	h = rel_http_new(s.base);
	(void)rel_signin(h, "center", REL_PASSWORD, token, sizeof token);
	st_before = rel_post_event(h, token, "同步接口前", 10, &r);
	first = rel_jint(r.json, "id", 0);
	rel_resp_release(&r);

	pcvfs_set_sync_fail(true);
	st_during = rel_post_event(h, token, "同步接口中", 10, &r);
	during = rel_error_is(&r, 503, "storage_unavailable", STOPPED_MESSAGE);
	rel_resp_release(&r);
	pcvfs_set_sync_fail(false);
	st_after = rel_post_event(h, token, "同步接口后", 10, &r);
	after = rel_error_is(&r, 503, "storage_unavailable", STOPPED_MESSAGE);
	rel_resp_release(&r);
	snprintf(path, sizeof path, "/api/v1/events/%lld", first);
	rel_request(h, "GET", path, token, NULL, NULL, 20000, &r);
	st_get = r.status;
	rel_resp_release(&r);

	rel_http_free(h);
	rel_vfs_server_stop(&s);
	pcvfs_uninstall();
	printf("    failing sync (HTTP in process): POST event %ld; during %ld; after %ld; "
	       "GET event %ld\n", st_before, st_during, st_after, st_get);
	CHECK_INT(st_before, 201);
	CHECK(first > 0);
	CHECK_INT(st_during, 503);
	CHECK(during);
	CHECK_INT(st_after, 503);
	CHECK(after);
	CHECK_INT(st_get, 200);
	rel_remove_tree(s.dir);
}
