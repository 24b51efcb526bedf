/*
 * The deadline scanner as the rooms see it: a dispatch past its deadline
 * turns red, the unit and the dispatcher are told, the timeline and the
 * audit trail say so, and the live boards hear of it. A demo county of its
 * own that scans every second.
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static struct fixture *
fast_scanner(void)
{
	static struct fixture *s;
	static bool tried;

	if (!tried) {
		tried = true;
		s = fixture_demo_start("scan_interval_s = 1");
	}
	return s;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Now plus seconds as ISO 8601 in China Standard Time. */
static const char *
cst_in(int seconds)
{
	time_t t = time(NULL) + seconds + 8 * 3600;
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
	return tfmt("%s", buf);
}

/* A township event dispatched to a new unit of 华埠镇 with a finish deadline seconds away. */
static long long
due_soon(struct fixture *s, const char **handler, int seconds)
{
	long long unit = county_unit_add(s, uniq("限时承办所"), DEMO_TOWN), id;

	*handler = uniq("hurried");
	if (unit == 0 || county_user_add(s, *handler, "department", DEMO_TOWN, unit) == 0)
		return 0;
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("限时办理"));
	if (id == 0 || act_on(s, "township", id, "accept", "{}")->status != 200 ||
	    act_on(s, "township", id, "dispatch", jfmt("{s:I, s:s, s:s}", "lead_unit_id",
		(json_int_t)unit, "deadline", cst_in(seconds), "deadline_reason", "领导要求当日办结"))
		->status != 200)
		return 0;
	return id;
}

/* Waits up to ms for the event's colour to become colour. */
static bool
turns(struct fixture *s, long long id, const char *colour, long ms)
{
	for (long waited = 0; waited <= ms; waited += 250) {
		const char *c = jstr(read_event(s, "center", id)->json, "color");

		if (c && strcmp(c, colour) == 0)
			return true;
		nap_ms(250);
	}
	return false;
}

/* Does the user's notification list hold kind about event id? */
static bool
notified(struct fixture *s, const char *user, long long id, const char *kind)
{
	struct resp *r = api_get(s, session_of(s, user), "/api/v1/notifications?limit=200");
	size_t i;
	json_t *n;

	json_array_foreach(jget(r->json, "items"), i, n)
		if (jint(n, "event_id", 0) == id && jstr(n, "kind") && strcmp(jstr(n, "kind"), kind) == 0)
			return true;
	return false;
}

TEST(scanner_marks_an_overdue_dispatch_red_and_tells_unit_and_dispatcher)
{
	struct fixture *s = fast_scanner();
	const char *handler;
	struct resp *r;
	long long id;

	CHECK(s != NULL);
	id = due_soon(s, &handler, 2);
	CHECK(id > 0);
	CHECK_STR(jstr(read_event(s, "center", id)->json, "color"), "green");
	CHECK(turns(s, id, "red", 8000));
	r = read_event(s, "township", id);
	CHECK_STR(jstr(r->json, "dispatches.0.color"), "red");
	CHECK(items_have(jget(r->json, "timeline"), "action", "overdue"));
	CHECK(notified(s, handler, id, "overdue"));
	CHECK(notified(s, "township", id, "overdue"));
	CHECK(json_array_size(jget(api_get(s, session_of(s, "township"),
	    tfmt("/api/v1/events?color=red&q=%s", url_encode(jstr(r->json, "title"))))->json,
	    "items")) == 1);
	r = api_get(s, session_of(s, "auditor"),
	    tfmt("/api/v1/audit?entity=event&entity_id=%lld&action=event.overdue", id));
	CHECK_INT(json_array_size(jget(r->json, "items")), 1);
	/* Handling it in the end turns it green again. */
	CHECK_INT(act_on(s, handler, id, "sign", "{}")->status, 200);
	CHECK_INT(act_on(s, handler, id, "feedback", "{\"note\":\"迟办完成\"}")->status, 200);
	r = act_on(s, "township", id, "verify", "{\"ok\":true}");
	CHECK_INT(r->status, 200);
	CHECK_STR(jstr(r->json, "color"), "green");
}

/* How many "change" frames about event id the stream text holds (data lines parsed as JSON). */
static int
changes_about(const char *text, long long id)
{
	int n = 0;

	for (const char *p = strstr(text, "\ndata: "); p; p = strstr(p + 1, "\ndata: ")) {
		const char *end = strchr(p + 7, '\n');
		json_t *d = json_loadb(p + 7, end ? (size_t)(end - p - 7) : strlen(p + 7), 0, NULL);

		n += d != NULL && jint(d, "event_id", 0) == id;
		json_decref(d);
	}
	return n;
}

TEST(scanner_colour_change_reaches_the_live_boards)
{
	struct fixture *s = fast_scanner();
	const char *handler;
	struct sse *board;
	long long id;
	int before;

	CHECK(s != NULL);
	board = sse_open(s, session_of(s, "township"), "/api/v1/events/stream", NULL, 15000);
	CHECK(sse_wait_for(board, "\n\n", 3000));
	id = due_soon(s, &handler, 2);
	CHECK(id > 0);
	/* Reported, accepted, dispatched: the board has painted it green three times. */
	for (int waited = 0; waited < 3000 && changes_about(sse_text(board), id) < 3; waited += 100)
		nap_ms(100);
	before = changes_about(sse_text(board), id);
	CHECK_INT(before, 3);
	CHECK(turns(s, id, "red", 8000));
	/* Now red: the board must hear of it. */
	for (int waited = 0; waited < 3000 && changes_about(sse_text(board), id) == before;
	     waited += 100)
		nap_ms(100);
	sse_close(board);
	CHECK(changes_about(sse_text(board), id) > before);
}
