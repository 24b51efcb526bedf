#include "domain/gen/gen_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/event/event.h"
#include "domain/org/division.h"
#include "domain/org/unit.h"
#include "domain/pii/pii_col.h"
#include "domain/txn.h"

#define BATCH 5000
#define TOWNSHIPS 15
#define VILLAGES_PER_TOWNSHIP 17

int
gen_plan_for(const char *scale, struct gen_plan *p)
{
	memset(p, 0, sizeof *p);
	p->seed = 1;
	if (strcmp(scale, "county") == 0) {
		p->counties = 1;
		p->events = 60000;
		p->persons = 360000;
	} else if (strcmp(scale, "city") == 0) {
		p->counties = 10;
		p->events = 600000;
		p->persons = 3600000;
	} else if (strcmp(scale, "province") == 0) {
		/*
		 * 90 counties' divisions; events and persons scaled down to what one
		 * machine holds (see bench/): 90 counties of 开化 would be 32 M people.
		 */
		p->counties = 90;
		p->events = 20000000;
		p->persons = 10000000;
	} else {
		return ERR_INVALID;
	}
	return 0;
}

/* xorshift64*: fast, deterministic per seed, good enough for synthetic data. */
static uint64_t rng_state;

uint64_t
gen_rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

int
gen_rnd_below(int n)
{
	return (int)(gen_rnd() % (uint64_t)n);
}

/* Common surnames, the most frequent first, and characters of given names. */
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
	"周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "郑", "汪", "余", "方", "叶",
	"高", "梁", "宋", "邱", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓",
	"许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "欧阳" };
static const char *const given_chars = "伟芳英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华国海燕志"
	"春梅建文辉玲宇浩凯鹏飞云红晓莉萍斌俊峰宁佳琳欣怡子涵雨轩博思晨阳嘉瑞鑫雪婷慧颖秀玉凤珍荣"
	"金林德成永福祥瑶琪";
static const char *const syll1 = "金下上大小新高石花龙桥塘溪山坑源岭田坞湾东西南北前后中里外茶枫竹梅桂云";
static const char *const syll2 = "村坞源田坑口塘岭湾头溪山畈垄坂桥";

void
gen_han(const char *s, int n, char out[4])
{
	memcpy(out, s + 3 * n, 3);
	out[3] = '\0';
}

static void
village_name(char *out, size_t n)
{
	char a[4], b[4];

	gen_han(syll1, gen_rnd_below((int)strlen(syll1) / 3), a);
	gen_han(syll2, gen_rnd_below((int)strlen(syll2) / 3), b);
	snprintf(out, n, "%s%s村", a, b);
}

void
gen_person_name(char *out, size_t n)
{
	int pool = (int)strlen(given_chars) / 3;
	char a[4], b[4];

	gen_han(given_chars, gen_rnd_below(pool), a);
	gen_han(given_chars, gen_rnd_below(pool), b);
	snprintf(out, n, "%s%s%s", surnames[gen_rnd_below((int)(sizeof surnames / sizeof surnames[0]))],
	    a, gen_rnd_below(10) < 3 ? "" : b);
}


static const char *const real_townships[TOWNSHIPS][2] = {
	{ "001", "芹阳办事处" }, { "106", "桐村镇" }, { "107", "杨林镇" }, { "108", "苏庄镇" },
	{ "109", "齐溪镇" }, { "113", "村头镇" }, { "115", "华埠镇" }, { "116", "马金镇" },
	{ "117", "池淮镇" }, { "202", "中村乡" }, { "205", "长虹乡" }, { "208", "何田乡" },
	{ "216", "林山乡" }, { "217", "音坑乡" }, { "218", "大溪边乡" },
};

static void
county_code(int i, char out[8])
{
	if (i == 0)
		snprintf(out, 8, "330824");
	else
		/* Counties 31..39 of cities 3301..3310: never the demo's 330824. */
		snprintf(out, 8, "33%02u%02u", (unsigned)(1 + i / 9) % 100u, (unsigned)(31 + i % 9) % 100u);
}

/* The divisions of all counties as import CSV. */
static void
divisions_csv(const struct gen_plan *p, struct buf *csv, int64_t *count)
{
	(void)buf_addstr(csv, "code,name,level,parent_code,lat,lng,demo\n");
	for (int c = 0; c < p->counties; c++) {
		char cc[8];
		double lat0 = 27.2 + (c % 10) * 0.35, lng0 = 118.0 + (c / 10) * 0.35;

		county_code(c, cc);
		(void)buf_addf(csv, "%s,%s,county,,%.4f,%.4f,%d\n", cc, c == 0 ? "开化县" : "模拟县", lat0,
		    lng0, c != 0);
		(*count)++;
		for (int t = 0; t < TOWNSHIPS; t++) {
			char tc[20];

			snprintf(tc, sizeof tc, "%s%s", cc, real_townships[t][0]);
			(void)buf_addf(csv, "%s,%s,township,%s,%.4f,%.4f,%d\n", tc,
			    c == 0 ? real_townships[t][1] : "模拟镇", cc, lat0 + t * 0.01, lng0, c != 0);
			(*count)++;
			for (int v = 0; v < VILLAGES_PER_TOWNSHIP - (t >= 10); v++) {
				char vc[40], vn[40];
				int grids = v % 5 == 4 ? 2 : 3;

				snprintf(vc, sizeof vc, "%s%03u", tc, (unsigned)(201 + v) % 1000u);
				village_name(vn, sizeof vn);
				(void)buf_addf(csv, "%s,%s,village,%s,,,1\n", vc, vn, tc);
				(*count)++;
				for (int g = 1; g <= grids; g++) {
					(void)buf_addf(csv, "%s%03d,%s第%d网格,grid,%s,%.5f,%.5f,1\n", vc, g,
					    vn, g, vc, lat0 + t * 0.01 + v * 0.001, lng0 + g * 0.001);
					(*count)++;
				}
			}
		}
	}
}

static const char *const county_units[] = { "县社会治理中心", "县公安局", "县人民法院",
	"县人民检察院", "县司法局", "县信访局", "县应急管理局", "生态环境分局", "县住房和城乡建设局",
	"县市场监督管理局", "县综合行政执法局", "县人力资源和社会保障局", "县卫生健康局",
	"县自然资源和规划局", "县交通运输局", "县教育局", "县民政局" };

static void
units_csv(const struct gen_plan *p, struct buf *csv, int64_t *count)
{
	(void)buf_addstr(csv, "name,kind,division_code,phone\n");
	for (int c = 0; c < p->counties; c++) {
		char cc[8];

		county_code(c, cc);
		for (size_t u = 0; u < sizeof county_units / sizeof county_units[0]; u++, (*count)++)
			(void)buf_addf(csv, "%s,%s,%s,0570-60%05zu\n", county_units[u],
			    u == 0 ? "center" : u < 5 ? "judicial" : "department", cc, u);
		for (int t = 0; t < TOWNSHIPS; t++, (*count)++)
			(void)buf_addf(csv, "%s综治办,township_office,%s%s,\n",
			    c == 0 ? real_townships[t][1] : "模拟镇", cc, real_townships[t][0]);
	}
}

int
gen_load_world(struct db *db, struct world *w)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;
	int cap = 0;

	if (c == NULL || (s = db_stmt(c, STMT_GEN_GRIDS)) == NULL)
		return ERR_STORAGE;
	while (db_step(s) == DB_ROW) {
		if (w->ngrids == cap) {
			cap = cap ? cap * 2 : 1024;
			w->grids = xrealloc(w->grids, (size_t)cap * sizeof *w->grids);
		}
		struct grid *g = &w->grids[w->ngrids++];

		g->id = db_col_int(s, 0);
		snprintf(g->path, sizeof g->path, "%s", db_col_text(s, 1));
		g->lat = db_col_double(s, 2);
		g->lng = db_col_double(s, 3);
		snprintf(g->code, sizeof g->code, "%s", db_col_text(s, 4));
	}
	if ((s = db_stmt(c, STMT_GEN_UNITS)) == NULL)
		return ERR_STORAGE;
	while (db_step(s) == DB_ROW && w->nunits < (int)(sizeof w->units / sizeof w->units[0]))
		if (strlen(db_col_text(s, 1)) == 8) {    /* "/330824/": county level */
			snprintf(w->unit_county[w->nunits], sizeof w->unit_county[0], "%s",
			    db_col_text(s, 1));
			w->units[w->nunits++] = db_col_int(s, 0);
		}
	/* A county's units handle that county's events (units come county by county). */
	for (int i = 0, u = 0; i < w->ngrids; i++) {
		struct grid *g = &w->grids[i];

		if (u >= w->nunits || strncmp(w->unit_county[u], g->path, 8) != 0)
			for (u = 0; u < w->nunits && strncmp(w->unit_county[u], g->path, 8) != 0; u++)
				;
		g->unit_first = u;
		g->unit_count = 0;
		while (u + g->unit_count < w->nunits &&
		    strncmp(w->unit_county[u + g->unit_count], g->path, 8) == 0)
			g->unit_count++;
		if (g->unit_count == 0) {   /* a county without units of its own: any */
			g->unit_first = 0;
			g->unit_count = w->nunits;
		}
		u = g->unit_first;
	}
	if ((s = db_stmt(c, STMT_GEN_CATEGORIES)) == NULL)
		return ERR_STORAGE;
	while (db_step(s) == DB_ROW && w->ncats < 64) {
		w->cats[w->ncats].id = db_col_int(s, 0);
		snprintf(w->cats[w->ncats].code, 32, "%s", db_col_text(s, 1));
		snprintf(w->cats[w->ncats].kind, 16, "%s", db_col_text(s, 2));
		snprintf(w->cats[w->ncats].name, 64, "%s", db_col_text(s, 3));
		w->ncats++;
	}
	db_reader_done(db);
	return w->ngrids && w->nunits && w->ncats ? 0 : ERR_NOT_FOUND;
}

static const char *const issues[] = { "因宅基地边界发生争执", "反映排水沟堵塞影响通行",
	"欠薪问题请求协调", "道路旁发现燃气管道破损", "山林权属纠纷", "邻里噪音扰民",
	"反映河道有人倾倒垃圾", "老人求助代办医保", "楼道堆放杂物存在消防隐患", "土地流转租金纠纷",
	"违章搭建影响邻居采光", "家庭矛盾需要调解", "山体出现裂缝存在滑坡隐患", "物业费收取争议" };

static int64_t *timeline_rows;

static int
timeline(struct db_conn *w, int64_t ev, int64_t at, const char *actor, const char *action,
    const char *from, const char *to)
{
	struct db_stmt *s = db_stmt(w, STMT_GEN_TIMELINE);

	if (s == NULL)
		return db_stmt_error(w);
	(*timeline_rows)++;
	db_bind_int(s, 1, ev);
	db_bind_int(s, 2, at);
	db_bind_text(s, 3, actor);
	db_bind_text(s, 4, action);
	db_bind_text(s, 5, from);
	db_bind_text(s, 6, to);
	db_bind_text(s, 7, "");
	return db_run(s);
}

/* One finished or open event with its history, inside the write transaction w. */
static int
one_event(struct db_conn *w, const struct world *wd, int64_t i, int64_t now, int64_t *rows,
    int *day_seq)
{
	const struct grid *g = &wd->grids[gen_rnd_below(wd->ngrids)];
	int ci = gen_rnd_below(wd->ncats), roll = gen_rnd_below(1000), day = gen_rnd_below(365), y, m, d;
	int64_t reported = now - (int64_t)day * 86400000 - gen_rnd_below(86400) * 1000LL;
	int64_t accepted = reported + gen_rnd_below(8 * 3600) * 1000LL, signed_at, fed, closed;
	int64_t deadline = accepted + 15 * 86400000LL, unit = wd->units[g->unit_first + gen_rnd_below(g->unit_count)];
	const char *state = roll < 850 ? "closed" : roll < 900 ? "handling" : roll < 930 ? "dispatched"
	    : roll < 950 ? "accepted" : roll < 975 ? "reported" : roll < 990 ? "rejected" : "handled";
	bool returned = gen_rnd_below(100) < 8, late = gen_rnd_below(100) < 10;
	char name[32], phone[12], title[160], case_no[40], vn[48], county[7] = "";
	struct db_stmt *s = db_stmt(w, STMT_GEN_EVENT);
	int64_t id;
	int rc;

	if (s == NULL)
		return db_stmt_error(w);
	signed_at = accepted + 3600000LL + gen_rnd_below(20) * 3600000LL;
	fed = signed_at + (late ? 20 : 1 + gen_rnd_below(10)) * 86400000LL;
	closed = fed + gen_rnd_below(48) * 3600000LL;
	/*
	 * Nothing happens after now, and few cases stay open for long: of the
	 * events older than 45 days, one in twenty of those the roll left open is
	 * (the backlog every county has); the rest were closed in their time.
	 */
	if (accepted > now && strcmp(state, "rejected") != 0)
		state = "reported";
	else if (strcmp(state, "closed") == 0 && closed > now)
		state = fed > now ? (signed_at > now ? "dispatched" : "handling") : "handled";
	else if (day > 45 && strcmp(state, "closed") != 0 && strcmp(state, "rejected") != 0 &&
	    gen_rnd_below(20) != 0)
		state = "closed";
	if (closed > now)
		closed = now;   /* a rejection today */
	clock_local_date(reported, &y, &m, &d);
	/* Case numbers count per local date, like real intake. */
	(void)division_path_county(g->path, county);
	snprintf(case_no, sizeof case_no, "%s-%04d%02d%02d-%05d", county, y, m, d,
	    ++day_seq[days_from_civil(y, m, d) % 400]);
	gen_person_name(name, sizeof name);
	snprintf(phone, sizeof phone, "13%09llu", (unsigned long long)(gen_rnd() % 1000000000ull));
	snprintf(vn, sizeof vn, "%.40s", g->code);
	snprintf(title, sizeof title, "%s %s", wd->cats[ci].name, issues[gen_rnd_below(14)]);
	db_bind_text(s, 1, case_no);
	db_bind_text(s, 2, gen_rnd_below(2) ? "grid" : "hotline");
	db_bind_int(s, 3, wd->cats[ci].id);
	db_bind_text(s, 4, wd->cats[ci].kind);
	db_bind_text(s, 5, title);
	db_bind_text(s, 6, "群众反映的情况，网格员已到现场核实。");
	db_bind_int(s, 7, g->id);
	db_bind_text(s, 8, g->path);
	db_bind_double(s, 9, g->lat);
	db_bind_double(s, 10, g->lng);
	db_bind_int(s, 11, reported - 3600000);
	if ((rc = pii_bind(s, 12, PII_NAME, name)) != 0 || (rc = pii_bind(s, 13, PII_PHONE, phone)))
		return rc;
	pii_bind_index(s, 14, PII_PHONE, phone);
	db_bind_int(s, 15, 0);
	db_bind_text(s, 16, gen_rnd_below(20) == 0 ? "urgent" : "normal");
	db_bind_text(s, 17, state);
	db_bind_text(s, 18, "township");
	db_bind_int(s, 19, reported);
	db_bind_int(s, 20, reported + 86400000);
	bool past_accept = strcmp(state, "reported") != 0 && strcmp(state, "rejected") != 0;
	bool is_closed = strcmp(state, "closed") == 0;
	if (past_accept) {
		db_bind_int(s, 21, accepted);
		db_bind_int(s, 22, deadline);
		if (strcmp(state, "accepted") != 0)
			db_bind_int(s, 23, unit);
	}
	if (is_closed || strcmp(state, "handled") == 0)
		db_bind_int(s, 24, fed);
	if (is_closed || strcmp(state, "rejected") == 0) {
		db_bind_int(s, 25, is_closed ? closed : accepted);
		db_bind_int(s, 26, closed <= deadline);
	}
	db_bind_text(s, 27, is_closed ? "已处理完毕" : "");
	db_bind_int(s, 28, returned);
	if (is_closed && gen_rnd_below(10) < 7)
		db_bind_text(s, 29, gen_rnd_below(20) == 0 ? "unsatisfied" : "satisfied");
	db_bind_text(s, 30, !is_closed && past_accept && late ? "red" : "green");
	if (strcmp(wd->cats[ci].kind, "petition") == 0)
		db_bind_text(s, 31, "county");
	db_bind_int(s, 32, strcmp(wd->cats[ci].kind, "petition") == 0 && !is_closed && late);
	if ((rc = db_run(s)) != 0)
		return rc;
	id = db_last_id(w);
	rc = timeline(w, id, reported, "网格员", "report", "", "reported");
	if (rc == 0 && past_accept)
		rc = timeline(w, id, accepted, "指挥室", "accept", "reported", "accepted");
	if (rc == 0 && past_accept && strcmp(state, "accepted") != 0) {
		s = db_stmt(w, STMT_GEN_DISPATCH);
		if (s == NULL)
			return db_stmt_error(w);
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, unit);
		db_bind_int(s, 3, accepted + 600000);
		db_bind_int(s, 4, accepted + 86400000);
		db_bind_int(s, 5, deadline);
		if (strcmp(state, "dispatched") != 0)
			db_bind_int(s, 6, signed_at);
		db_bind_text(s, 8, "");
		if (is_closed || strcmp(state, "handled") == 0) {
			db_bind_int(s, 7, fed);
			db_bind_text(s, 8, "已处理完毕");
		}
		db_bind_text(s, 10, "");
		db_bind_int(s, 11, !is_closed);
		rc = db_run(s);
		if (rc == 0)
			rc = timeline(w, id, accepted + 600000, "指挥室", "dispatch", "accepted", "dispatched");
	}
	if (rc == 0 && is_closed)
		rc = timeline(w, id, closed, "指挥室", "verify", "handled", "closed");
	(void)i;
	(void)rows;
	return rc;
}

/* The tables the events phase fills, loaded without their indexes and triggers. */
static const char *const event_tables[] = { "events", "timeline", "dispatches", NULL };

/* What the deferred triggers would have kept, in the order they depend on nothing. */
static const enum stmt_id rebuilds[] = { STMT_GEN_REBUILD_FTS, STMT_GEN_REBUILD_DAY_STATS,
	STMT_GEN_REBUILD_UNIT_SATISFACTION, STMT_GEN_REBUILD_UNIT_STATS, STMT_GEN_REBUILD_BACKLOG };

/* Events per rebuild transaction: bounds the WAL (see sql_gen.def). */
#define REBUILD_RANGE 500000

/* Merges the full-text index into one segment, a bounded step per transaction. */
static int
merge_fts(struct db *db)
{
	for (int step = 0; step < 100000; step++) {
		struct db_conn *w;
		struct db_stmt *s;
		int64_t before;
		bool more;
		int rc;

		if ((rc = db_write_begin_bulk(db, &w)) != 0)
			return rc;
		before = db_total_changes(w);
		rc = (s = db_stmt(w, STMT_GEN_FTS_MERGE)) == NULL ? db_stmt_error(w) : db_run(s);
		more = db_total_changes(w) - before > 1;   /* the command's own row: nothing merged */
		if ((rc = txn_finish(db, rc, NULL)) != 0 || !more)
			return rc;
	}
	return 0;
}

/* Builds the indexes once by sorting, puts the triggers back and rebuilds what they keep. */
static int
finish_events(struct db *db, const char *saved)
{
	struct db_conn *w;
	struct db_stmt *s;
	int64_t max = 0;
	int rc;

	fprintf(stderr, "  indexes and triggers ...");
	if ((rc = db_bulk_restore(db, saved)) != 0)
		return rc;
	if ((rc = db_write_begin_bulk(db, &w)) != 0)
		return rc;
	if ((s = db_stmt(w, STMT_GEN_MAX_EVENT)) != NULL && db_step(s) == DB_ROW)
		max = db_col_int(s, 0);
	if (s != NULL)
		db_reset(s);
	if ((rc = txn_finish(db, 0, NULL)) != 0)
		return rc;
	for (int64_t lo = 1; rc == 0 && lo <= max; lo += REBUILD_RANGE) {
		if ((rc = db_write_begin_bulk(db, &w)) != 0)
			break;
		for (size_t i = 0; rc == 0 && i < sizeof rebuilds / sizeof rebuilds[0]; i++) {
			if ((s = db_stmt(w, rebuilds[i])) == NULL) {
				rc = db_stmt_error(w);
				break;
			}
			db_bind_int(s, 1, lo);
			db_bind_int(s, 2, lo + REBUILD_RANGE);
			rc = db_run(s);
		}
		rc = txn_finish(db, rc, NULL);
		fprintf(stderr, "\r  full-text index and counters: events %lld / %lld",
		    (long long)(lo + REBUILD_RANGE - 1 < max ? lo + REBUILD_RANGE - 1 : max),
		    (long long)max);
	}
	fputc('\n', stderr);
	if (rc == 0) {
		fprintf(stderr, "  full-text index: merging ...\n");
		rc = merge_fts(db);
	}
	return rc;
}

static int
gen_events(struct db *db, const struct gen_plan *p, const struct world *wd, struct gen_report *r)
{
	int *day_seq = xcalloc(400, sizeof *day_seq);
	int64_t now = clock_now_ms(), t0;
	struct db_conn *w;
	struct actor sys;
	char *saved = NULL;
	int rc;

	actor_system(&sys, "gen");
	timeline_rows = &r->timeline_rows;
	if ((rc = db_write_begin_bulk(db, &w)) == 0)
		rc = txn_finish(db, db_bulk_defer(w, event_tables, &saved), NULL);
	for (int64_t done = 0; done < p->events && rc == 0;) {
		int64_t n = p->events - done < BATCH ? p->events - done : BATCH;
		char detail[64];

		if ((rc = db_write_begin_bulk(db, &w)) != 0)
			break;
		for (int64_t k = 0; k < n && rc == 0; k++)
			rc = one_event(w, wd, done + k, now, &r->timeline_rows, day_seq);
		snprintf(detail, sizeof detail, "{\"events\":%lld}", (long long)n);
		if (rc == 0)
			rc = audit_write(w, &sys, "gen.events", "event", "", detail);
		rc = txn_finish(db, rc, NULL);
		done += n;
		r->events = done;
		if (done % 100000 == 0 || done == p->events) {
			fprintf(stderr, "\r  events %lld / %lld", (long long)done, (long long)p->events);
			fflush(stderr);
		}
	}
	fputc('\n', stderr);
	t0 = clock_mono_ms();
	if (saved != NULL) {
		/* Even after a failure: the schema must get its indexes and triggers back. */
		int rc2 = finish_events(db, saved);

		rc = rc ? rc : rc2;
	}
	if (rc == 0) {
		/*
		 * History ends as a running county's would: coloured by a scan. At the
		 * present, not at the start of generation, which at province scale is
		 * an hour ago: the server's first scan would otherwise catch up on it.
		 */
		int changed;

		fprintf(stderr, "  deadline scan ...");
		changed = event_scan_deadlines(db, clock_now_ms());
		fprintf(stderr, " %d events changed colour\n", changed > 0 ? changed : 0);
		rc = changed < 0 ? changed : 0;
	}
	r->seconds_rebuild = (double)(clock_mono_ms() - t0) / 1000.0;
	free(saved);
	free(day_seq);
	return rc;
}

static int
gen_users(struct db *db, const char *password, int64_t *count)
{
	static const char *const who[][3] = { { "center", "county_center", "" },
		{ "township", "township_center", "330824115" }, { "dept", "department", "" },
		{ "leader", "leader", "" }, { "auditor", "auditor", "" } };
	struct actor sys;

	actor_system(&sys, "gen");
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		struct user_input in = { .username = who[i][0], .roles = who[i][1],
			.division_code = who[i][2], .password = password };
		struct fail f = { 0 };
		int64_t id;

		if (strcmp(who[i][1], "department") == 0)
			in.unit_id = 2;       /* 县公安局 of the first county: second unit loaded */
		if (user_create(db, &sys, &in, &id, &f) != 0)
			return f.code ? f.code : ERR_INTERNAL;
		(*count)++;
	}
	return 0;
}

int
gen_run(struct db *db, const struct gen_plan *p, const char *password, struct gen_report *r)
{
	struct import_report rep = { 0 };
	struct world wd = { 0 };
	struct fail f = { 0 };
	struct actor sys;
	struct buf csv;
	int64_t t0 = clock_mono_ms();
	int rc;

	memset(r, 0, sizeof *r);
	rng_state = p->seed * 0x9E3779B97F4A7C15ull + 1;
	actor_system(&sys, "gen");
	buf_init(&csv, 256u * 1024 * 1024);
	divisions_csv(p, &csv, &r->divisions);
	rc = division_import_csv(db, &sys, buf_str(&csv), csv.len, true, &rep, &f);
	buf_reset(&csv);
	if (rc == 0) {
		units_csv(p, &csv, &r->units);
		rc = unit_import_csv(db, &sys, buf_str(&csv), csv.len, &rep, &f);
	}
	buf_release(&csv);
	if (rc != 0)
		fprintf(stderr, "pingan gen: %s; line %d: %s\n", msg_text(f.msg, true),
		    rep.nerrors ? rep.errors[0].line : 0,
		    rep.nerrors ? msg_text(rep.errors[0].msg, true) : "");
	import_report_release(&rep);
	if (rc == 0)
		rc = gen_users(db, password, &r->users);
	r->seconds_org = (double)(clock_mono_ms() - t0) / 1000.0;
	if (rc == 0)
		rc = gen_load_world(db, &wd);
	t0 = clock_mono_ms();
	if (rc == 0)
		rc = gen_events(db, p, &wd, r);
	r->seconds_events = (double)(clock_mono_ms() - t0) / 1000.0 - r->seconds_rebuild;
	t0 = clock_mono_ms();
	if (rc == 0)
		rc = gen_persons(db, p, &wd, r);
	r->seconds_persons = (double)(clock_mono_ms() - t0) / 1000.0;
	free(wd.grids);
	return rc;
}
