/*
 * The kept event answers (domain/event/render_cache): after every kind of
 * change an answer from the cache must be byte for byte what a database
 * handle without a cache renders, and per-reader parts must stay per reader.
 */
#define _XOPEN_SOURCE 700
#include "../../harness.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "db/db_internal.h"
#include "domain/event/attachment.h"
#include "domain/event/event.h"
#include "domain/event/render_cache.h"
#include "evfix.h"

struct pair {
	struct evfix x;
	struct db *plain;    /* the same file, no cache */
};

static int
pair_open(struct pair *p)
{
	if (evfix_open(&p->x) != 0 || event_cache_attach(p->x.t.db, 1u << 20) != 0)
		return -1;
	return db_open(p->x.t.path, false, &p->plain);
}

static void
pair_close(struct pair *p)
{
	db_close(p->plain);
	evfix_close(&p->x);
}

static uint64_t
hits(struct pair *p)
{
	struct event_cache_stats st;

	event_cache_stats(p->x.t.db, &st);
	return st.hits;
}

/* The event as who reads it from db: the text (caller frees) or NULL with *rc set. */
static char *
render(struct db *db, const struct actor *who, int64_t id, bool en, int *rc)
{
	struct fail f = { 0 };
	struct buf b;
	char *text;

	buf_init(&b, EVENT_TEXT_MAX);
	*rc = event_render(db, who, id, en, &b, &f);
	db_reader_done(db);
	text = *rc == 0 ? buf_detach(&b, NULL) : NULL;
	buf_release(&b);
	return text;
}

/*
 * Reads id twice through the cache and once without: all three the same,
 * and the second read was a hit. 0, or -1 after reporting the difference.
 */
static int
same_as_fresh(struct pair *p, const struct actor *who, int64_t id, bool en, const char *step)
{
	int rc1, rc2, rc3, bad = 0;
	char *first = render(p->x.t.db, who, id, en, &rc1);
	uint64_t before = hits(p);
	char *kept = render(p->x.t.db, who, id, en, &rc2);
	char *fresh = render(p->plain, who, id, en, &rc3);

	if (rc1 != 0 || rc2 != 0 || rc3 != 0) {
		fprintf(stderr, "    %s: reads failed %d %d %d\n", step, rc1, rc2, rc3);
		bad = 1;
	} else if (strcmp(first, fresh) != 0 || strcmp(kept, fresh) != 0) {
		fprintf(stderr, "    %s: cached\n      %s\n    fresh\n      %s\n", step, kept, fresh);
		bad = 1;
	} else if (hits(p) != before + 1) {
		fprintf(stderr, "    %s: the second read was not answered from the cache\n", step);
		bad = 1;
	}
	free(first);
	free(kept);
	free(fresh);
	return bad ? -1 : 0;
}

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int
act(struct pair *p, const struct actor *who, int64_t id, enum event_action a,
    struct action_input *in)
{
	struct fail f = { 0 };

	return event_act(p->x.t.db, who, id, a, in, 0, &f);
}

TEST(event_cache_answers_match_fresh_reads_through_the_closed_loop)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
	struct pair p;
	struct action_input in = { 0 };
	struct fail f = { 0 };
	char uploads[200];
	int64_t id, att;
	int rc;

	CHECK_INT(pair_open(&p), 0);
	snprintf(uploads, sizeof uploads, "%s/uploads", p.x.t.dir);
	CHECK_INT(mkdir(uploads, 0700), 0);
	attachment_set_dir(uploads);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "reported"), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, true, "reported, in English"), 0);
	CHECK_INT(act(&p, &p.x.township, id, ACT_ACCEPT, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "accepted"), 0);
	in.lead_unit = p.x.unit_town;
	CHECK_INT(act(&p, &p.x.township, id, ACT_DISPATCH, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "dispatched"), 0);
	CHECK_INT(act(&p, &p.x.township, id, ACT_SIGN, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, true, "signed"), 0);
	in.days = 3;
	in.note = "需要协调水利站";
	CHECK_INT(act(&p, &p.x.township, id, ACT_EXTEND_REQUEST, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "extension asked"), 0);
	in.ok = true;
	CHECK_INT(act(&p, &p.x.township, id, ACT_EXTEND_DECIDE, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "extension granted"), 0);
	rc = attachment_add(p.x.t.db, &p.x.township, id, png, sizeof png, "现场.png", "evidence",
	    &att, &f);
	attachment_set_dir("uploads");
	nftw(uploads, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	CHECK_INT(rc, 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "attachment added"), 0);
	in.note = "已调解";
	CHECK_INT(act(&p, &p.x.township, id, ACT_FEEDBACK, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "handled"), 0);
	in.ok = true;
	CHECK_INT(act(&p, &p.x.township, id, ACT_VERIFY, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "closed"), 0);
	in.satisfaction = "satisfied";
	CHECK_INT(act(&p, &p.x.township, id, ACT_VISIT, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, true, "visited"), 0);
	pair_close(&p);
}

TEST(event_cache_forgets_an_answer_when_anything_it_shows_changes)
{
	/* Each change is made through the writer by plain SQL, as no domain function would. */
	static const char *const changes[] = {
		"UPDATE events SET color = 'red'",
		"UPDATE events SET backlog = 1",
		"UPDATE event_parties SET role = 'respondent'",
		"UPDATE dispatches SET color = 'yellow'",
		"INSERT INTO timeline (event_id, at, actor_name, action, from_state, to_state, note) "
		"SELECT id, 1, '系统', 'note', state, state, '补记' FROM events",
		"UPDATE categories SET name = name || '（改）'",
		"UPDATE divisions SET name = name || '（改）'",
		"UPDATE units SET name = name || '（改）'",
		"DELETE FROM timeline WHERE action = 'note'",
	};
	struct pair p;
	struct action_input in = { 0 };
	int64_t id;

	CHECK_INT(pair_open(&p), 0);
	/* Two events before, so that no row of another table shares the event's id by chance. */
	CHECK(evfix_report(&p.x, "dispute.neighbour") > 0);
	CHECK(evfix_report(&p.x, "hazard") > 0);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	CHECK_INT(act(&p, &p.x.township, id, ACT_ACCEPT, &in), 0);
	in.lead_unit = p.x.unit_town;
	CHECK_INT(act(&p, &p.x.township, id, ACT_DISPATCH, &in), 0);
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "before"), 0);
		CHECK_INT(testdb_write(p.x.t.db, changes[i], true), 0);
		CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, changes[i]), 0);
	}
	pair_close(&p);
}

TEST(event_cache_keeps_scope_and_actions_per_reader)
{
	struct pair p;
	struct action_input in = { 0 };
	int rc;
	char *text;
	int64_t id;

	CHECK_INT(pair_open(&p), 0);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	/* Filled by the leader, then read by people who may do different things, or nothing. */
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "leader"), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.township, id, false, "township centre"), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.grid, id, false, "grid worker"), 0);
	text = render(p.x.t.db, &p.x.township, id, false, &rc);
	CHECK(text && strstr(text, "\"allowed_actions\":[\"accept\""));
	free(text);
	text = render(p.x.t.db, &p.x.leader, id, false, &rc);
	CHECK(text && strstr(text, "\"allowed_actions\":[") && !strstr(text, "\"accept\""));
	free(text);
	/* A department sees the event only once it is dispatched to its unit. */
	CHECK(render(p.x.t.db, &p.x.dept, id, false, &rc) == NULL);
	CHECK_INT(rc, ERR_NOT_FOUND);
	CHECK_INT(act(&p, &p.x.center, id, ACT_ACCEPT, &in), 0);
	in.lead_unit = p.x.unit_police;
	CHECK_INT(act(&p, &p.x.center, id, ACT_DISPATCH, &in), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.dept, id, false, "department, dispatched to it"), 0);
	CHECK(render(p.x.t.db, &p.x.other_dept, id, false, &rc) == NULL);
	CHECK_INT(rc, ERR_NOT_FOUND);
	pair_close(&p);
}

TEST(event_cache_never_keeps_an_answer_read_before_a_change)
{
	struct pair p;
	struct db_conn *c;
	struct buf b;
	struct ev e = { 0 };
	uint64_t seq;
	int rc;
	char *text;
	int64_t id;

	CHECK_INT(pair_open(&p), 0);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	CHECK((c = db_reader(p.x.t.db)) != NULL);
	seq = db_read_seq(c);
	db_reader_done(p.x.t.db);
	/* A reader took its snapshot at seq; the event changes; then it offers what it read. */
	CHECK_INT(testdb_write(p.x.t.db, "UPDATE events SET title = '新标题'", true), 0);
	e.id = id;
	snprintf(e.path, sizeof e.path, "/330824/");
	render_cache_put(render_cache_of(p.x.t.db), id, false, seq, &e, "{\"stale\":1", 10);
	buf_init(&b, 1024);
	CHECK(!render_cache_get(render_cache_of(p.x.t.db), id, false, &e, &b));
	buf_release(&b);
	text = render(p.x.t.db, &p.x.leader, id, false, &rc);
	CHECK(text && strstr(text, "新标题") && !strstr(text, "stale"));
	free(text);
	/* The same offer made at the newest sequence is kept. */
	CHECK((c = db_reader(p.x.t.db)) != NULL);
	seq = db_read_seq(c);
	db_reader_done(p.x.t.db);
	render_cache_put(render_cache_of(p.x.t.db), id, false, seq, &e, "{\"fresh\":1", 10);
	buf_init(&b, 1024);
	CHECK(render_cache_get(render_cache_of(p.x.t.db), id, false, &e, &b));
	CHECK_STR(buf_str(&b), "{\"fresh\":1");
	buf_release(&b);
	pair_close(&p);
}

TEST(event_cache_never_keeps_what_a_statement_left_stepping_read)
{
	struct pair p;
	struct db_conn *c;
	struct db_stmt *s;
	int rc;
	char *text;
	int64_t id;

	CHECK_INT(pair_open(&p), 0);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	/* A request reads in its read transaction and leaves a statement at a row... */
	db_read_scope(p.x.t.db);
	CHECK((c = db_reader(p.x.t.db)) != NULL);
	CHECK((s = db_stmt(c, STMT_EV_LOAD)) != NULL);
	db_bind_int(s, 1, id);
	CHECK_INT(db_step(s), DB_ROW);
	/* ...writes, then renders the event: its reads still see the old snapshot. */
	CHECK_INT(testdb_write(p.x.t.db, "UPDATE events SET title = '写后的标题'", true), 0);
	free(render(p.x.t.db, &p.x.leader, id, false, &rc));
	/* What that render read must not be what the next request is answered from. */
	text = render(p.x.t.db, &p.x.leader, id, false, &rc);
	CHECK(text && strstr(text, "写后的标题"));
	free(text);
	pair_close(&p);
}

TEST(event_cache_sees_commits_of_another_process)
{
	struct pair p;
	int rc;
	char *text;
	int64_t id;

	CHECK_INT(pair_open(&p), 0);
	CHECK((id = evfix_report(&p.x, "dispute.neighbour")) > 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "before"), 0);
	/* sqlite3 on the file, as an operator might: no hook sees it, the next write notices. */
	CHECK_INT(testdb_sql(&p.x.t, "UPDATE events SET title = '别处改的标题'"), 0);
	CHECK_INT(testdb_write(p.x.t.db, "UPDATE users SET display_name = display_name", true), 0);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "after a write"), 0);
	text = render(p.x.t.db, &p.x.leader, id, false, &rc);
	CHECK(text && strstr(text, "别处改的标题"));
	free(text);
	/* With no write of its own, a read looks again once 0.2 s have passed. */
	CHECK_INT(testdb_sql(&p.x.t, "UPDATE events SET title = '又改了一次'"), 0);
	usleep(250000);
	CHECK_INT(same_as_fresh(&p, &p.x.leader, id, false, "after 0.25 s"), 0);
	text = render(p.x.t.db, &p.x.leader, id, false, &rc);
	CHECK(text && strstr(text, "又改了一次"));
	free(text);
	pair_close(&p);
}

TEST(event_cache_stays_within_its_budget_and_keeps_taking_new_answers)
{
	struct testdb t;
	struct render_cache *rc;
	struct event_cache_stats st;
	struct ev e = { 0 };
	struct buf b;
	static char text[3000];
	int kept = 0;

	memset(text, 'x', sizeof text);
	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(event_cache_attach(t.db, 32u * 1024), 0);
	rc = render_cache_of(t.db);
	for (int64_t id = 1; id <= 200; id++)
		render_cache_put(rc, id, false, 0, &e, text, sizeof text);
	event_cache_stats(t.db, &st);
	CHECK(st.bytes <= 32u * 1024);
	CHECK(st.entries >= 5);
	/* A full cache still takes the events read now, in place of older ones. */
	for (int64_t id = 1001; id <= 1008; id++)
		render_cache_put(rc, id, false, 0, &e, text, sizeof text);
	buf_init(&b, 1u << 20);
	for (int64_t id = 1001; id <= 1008; id++) {
		buf_reset(&b);
		kept += render_cache_get(rc, id, false, &e, &b);
	}
	buf_release(&b);
	CHECK(kept >= 6);
	event_cache_stats(t.db, &st);
	CHECK(st.bytes <= 32u * 1024);
	testdb_close(&t);
}

/*
 * A change to everything is not a walk of the cache under the writer: the
 * answers read before it stay in memory, are never served, and are freed
 * when met, so that the next answer for the event takes their place.
 */
TEST(event_cache_never_serves_an_answer_read_before_a_change_to_everything)
{
	struct pair p;
	struct render_cache *rc;
	struct event_cache_stats st;
	struct db_conn *c;
	struct ev e = { 0 };
	struct buf b;
	uint64_t seq;

	CHECK_INT(pair_open(&p), 0);
	rc = render_cache_of(p.x.t.db);
	CHECK((c = db_reader(p.x.t.db)) != NULL);
	seq = db_read_seq(c);
	db_reader_done(p.x.t.db);
	for (int64_t id = 1; id <= 10; id++)
		render_cache_put(rc, id, false, seq, &e, "{\"old\":1", 9);
	CHECK_INT(testdb_write(p.x.t.db, "UPDATE units SET name = name", true), 0);
	event_cache_stats(p.x.t.db, &st);
	CHECK_INT((long long)st.entries, 10);
	buf_init(&b, 1024);
	CHECK(!render_cache_get(rc, 3, false, &e, &b));
	CHECK_INT((long long)b.len, 0);
	event_cache_stats(p.x.t.db, &st);
	CHECK_INT((long long)st.entries, 9);
	/* Read again after the change, the event is kept and served. */
	CHECK((c = db_reader(p.x.t.db)) != NULL);
	seq = db_read_seq(c);
	db_reader_done(p.x.t.db);
	render_cache_put(rc, 3, false, seq, &e, "{\"new\":1", 9);
	CHECK(render_cache_get(rc, 3, false, &e, &b));
	CHECK_STR(buf_str(&b), "{\"new\":1");
	buf_reset(&b);
	CHECK(!render_cache_get(rc, 4, false, &e, &b));
	buf_release(&b);
	pair_close(&p);
}

/* Every table an answer's statements open, by EXPLAIN, must be watched by the cache. */
TEST(event_cache_watches_every_table_an_answer_reads)
{
	static const enum stmt_id answer[] = { STMT_EV_LOAD, STMT_EV_DETAIL, STMT_PARTIES,
		STMT_DISPATCHES, STMT_TIMELINE, STMT_ATTACHMENTS, STMT_EXT_LIST, STMT_VISITS };
	size_t nwatched;
	const struct db_watch_table *watched = render_cache_tables(&nwatched);

	CHECK(testdb_reads_watched(answer, sizeof answer / sizeof answer[0], watched, nwatched) >= 10);
}
