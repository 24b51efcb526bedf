/*
 * The live feed of the command-room board: GET /api/v1/events/stream sends
 * "event: change" frames for events in the reader's scope, and a reader
 * that reconnects with Last-Event-ID misses nothing.
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

#define STREAM "/api/v1/events/stream"

struct frame {
	const char *id;         /* the "id:" line, or NULL */
	const char *type;       /* data.type */
	long long event_id;     /* data.event_id */
};

/*
 * Copies the value of the line "name: value" of one frame (len bytes, up
 * to its blank line) into out; false when the frame has no such line.
 */
static bool
frame_field(const char *frame, size_t len, const char *name, char *out, size_t outn)
{
	size_t n = strlen(name);

	for (const char *p = frame; p < frame + len;) {
		const char *nl = memchr(p, '\n', (size_t)(frame + len - p));
		size_t linelen = nl ? (size_t)(nl - p) : (size_t)(frame + len - p);

		if (linelen > n && strncmp(p, name, n) == 0 && p[n] == ':') {
			size_t skip = n + 1 + (linelen > n + 1 && p[n + 1] == ' ');

			snprintf(out, outn, "%.*s", (int)(linelen - skip), p + skip);
			return true;
		}
		p += linelen + 1;
	}
	return false;
}

/*
 * The "change" frame about event_id in text, or false. Frames end with a
 * blank line; a change frame has "event: change" and JSON data.
 */
static bool
find_change(const char *text, long long event_id, struct frame *out)
{
	char event[32], data[512], id[32];

	for (const char *p = text; *p;) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : 0;
		bool match = false;
		json_t *d;

		if (end == NULL)
			return false;   /* an unfinished frame */
		if (frame_field(p, len, "event", event, sizeof event) && strcmp(event, "change") == 0 &&
		    frame_field(p, len, "data", data, sizeof data) &&
		    (d = json_loads(data, 0, NULL)) != NULL) {
			match = jint(d, "event_id", 0) == event_id;
			if (match) {
				out->id = frame_field(p, len, "id", id, sizeof id) ? tfmt("%s", id) : NULL;
				out->type = jstr(d, "type") ? tfmt("%s", jstr(d, "type")) : NULL;
				out->event_id = event_id;
			}
			json_decref(d);
		}
		if (match)
			return true;
		p = end + 2;
	}
	return false;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waits up to ms for a change frame about event_id. */
static bool
wait_change(struct sse *e, long long event_id, long ms, struct frame *out)
{
	for (long waited = 0; waited <= ms; waited += 50) {
		if (find_change(sse_text(e), event_id, out))
			return true;
		nap_ms(50);
	}
	return false;
}

/* Opens the stream as user and waits for its first frame: from then on, changes are sent. */
static struct sse *
stream_as(struct fixture *s, const char *user, const char *last_event_id)
{
	struct sse *e = sse_open(s, session_of(s, user), STREAM,
	    last_event_id ? tfmt("Last-Event-ID: %s", last_event_id) : NULL, 8000);

	if (!sse_wait_for(e, "\n\n", 3000)) {
		printf("    stream as %s: no first frame (status %ld): %s\n", user, sse_status(e),
		    sse_text(e));
		return NULL;
	}
	return e;
}

TEST(stream_sends_a_change_frame_for_a_new_event)
{
	struct fixture *s = fixture_demo();
	struct frame f = { 0 };
	struct sse *e;
	long long id;

	CHECK(s != NULL);
	e = stream_as(s, "center", NULL);
	CHECK(e != NULL);
	CHECK_INT(sse_status(e), 200);
	id = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("实时推送"));
	CHECK(id > 0);
	CHECK(wait_change(e, id, 4000, &f));
	CHECK_STR(f.type, "created");
	CHECK(f.id != NULL);
	/* An action is a change too. */
	CHECK_INT(act_on(s, "township", id, "accept", "{}")->status, 200);
	CHECK(sse_wait_for(e, "\"type\":\"accept\"", 4000));
	sse_close(e);
}

TEST(stream_of_a_township_skips_other_townships)
{
	struct fixture *s = fixture_demo();
	struct sse *huabu, *majin;
	struct frame f = { 0 };
	long long here, there, here_again;

	CHECK(s != NULL);
	CHECK(other_township(s) != NULL);
	huabu = stream_as(s, "township", NULL);
	majin = stream_as(s, other_township(s), NULL);
	CHECK(huabu != NULL && majin != NULL);
	here = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("华埠推送"));
	there = report_event(s, "center", DEMO_OTHER_TOWN_GRID, "dispute.neighbour",
	    uniq("马金推送"));
	here_again = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("华埠再推送"));
	CHECK(here > 0 && there > 0 && here_again > 0);
	/*
	 * Each room gets its own town's events. Changes come in order, so once
	 * a later one arrived an earlier one from the other town would have too.
	 */
	CHECK(wait_change(majin, there, 4000, &f));
	CHECK(wait_change(huabu, here, 4000, &f));
	CHECK(wait_change(huabu, here_again, 4000, &f));
	CHECK(!find_change(sse_text(majin), here, &f));
	CHECK(!find_change(sse_text(huabu), there, &f));
	sse_close(huabu);
	sse_close(majin);
}

TEST(stream_resumes_from_last_event_id_without_losing_a_change)
{
	struct fixture *s = fixture_demo();
	struct frame first = { 0 }, f = { 0 };
	long long a, b;
	struct sse *e;

	CHECK(s != NULL);
	e = stream_as(s, "center", NULL);
	CHECK(e != NULL);
	a = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("断线前"));
	CHECK(a > 0);
	CHECK(wait_change(e, a, 4000, &first));
	CHECK(first.id != NULL);
	sse_close(e);
	/* Disconnected: this change happens while nobody listens. */
	b = report_event(s, "grid", DEMO_GRID, "dispute.neighbour", uniq("断线中"));
	CHECK(b > 0);
	e = sse_open(s, session_of(s, "center"), STREAM, tfmt("Last-Event-ID: %s", first.id),
	    8000);
	CHECK(wait_change(e, b, 4000, &f));
	CHECK(!find_change(sse_text(e), a, &f));
	sse_close(e);
}

TEST(stream_needs_a_session_and_the_read_right)
{
	struct fixture *s = fixture_demo();
	struct request rq = { .path = STREAM, .timeout_ms = 1000 };
	struct resp *r;

	CHECK(s != NULL);
	CHECK_ERROR(http(s, &rq), 401, "unauthorized");
	rq.bearer = session_of(s, "volunteer");
	CHECK_ERROR(http(s, &rq), 403, "forbidden");
	rq.bearer = session_of(s, "auditor");
	CHECK_ERROR(http(s, &rq), 403, "forbidden");
	rq.bearer = session_of(s, "grid");
	r = http(s, &rq);
	CHECK_INT(r->status, 200);
	CHECK(resp_header(r, "Content-Type") != NULL);
	CHECK(strncmp(resp_header(r, "Content-Type"), "text/event-stream", 17) == 0);
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define BOARDS 16

/*
 * A county has a board open in every command room. Streams wait for
 * changes; meanwhile another board connects and the rest of the API
 * answers at once. (A server of its own: a stalled server would slow the
 * tests that follow.)
 */
TEST(stream_open_boards_do_not_slow_other_requests)
{
	struct fixture *s = server_start_fixture(NULL);
	struct sse *boards[BOARDS];
	long long slowest = 0, t0;
	const char *token, *what = "";
	int opened = 0;

	CHECK(s != NULL);
	token = session_of(s, "center");
	CHECK(token != NULL);
	for (int i = 0; i < BOARDS && slowest <= 500; i++) {
		t0 = mono_ms();
		boards[opened] = sse_open(s, token, STREAM, NULL, 20000);
		if (!sse_wait_for(boards[opened++], "\n\n", 3000))
			what = "a board's first frame (never came)";
		else if (mono_ms() - t0 > slowest)
			what = "a board's first frame";
		if (mono_ms() - t0 > slowest)
			slowest = mono_ms() - t0;
	}
	for (int i = 0; i < 8 && slowest <= 500; i++) {
		long status;

		t0 = mono_ms();
		status = api_get(s, token, "/api/v1/me")->status;
		if (status != 200)
			test_failf(__FILE__, __LINE__, "GET /api/v1/me: %ld", status);
		if (mono_ms() - t0 > slowest) {
			slowest = mono_ms() - t0;
			what = "GET /api/v1/me";
		}
	}
	for (int i = 0; i < opened; i++)
		sse_close(boards[i]);
	(void)fixture_stop(s);
	if (slowest > 500)
		test_failf(__FILE__, __LINE__, "%s took %lld ms with %d streams open", what, slowest,
		    opened);
}

/* Restarting the server (a deploy) must not wait for the boards' streams to run out. */
TEST(stream_ends_promptly_when_the_server_stops)
{
	struct fixture *s = server_start_fixture(NULL);
	struct sse *board;
	long long t0, took;
	int status;

	CHECK(s != NULL);
	board = sse_open(s, session_of(s, "center"), STREAM, NULL, 30000);
	CHECK(sse_wait_for(board, "\n\n", 3000));
	t0 = mono_ms();
	status = fixture_stop(s);
	took = mono_ms() - t0;
	sse_close(board);
	CHECK_INT(status, 0);
	if (took > 3000)
		test_failf(__FILE__, __LINE__, "SIGTERM took %lld ms to stop with one stream open",
		    took);
}
