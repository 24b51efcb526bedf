/*
 * Regression test for what the api_request fuzz target found in event
 * intake.
 *
 * POST /api/v1/events keeps its Idempotency-Key in the domain's own
 * transaction (ROUTE_IDEMPOTENT_SELF), so the HTTP layer's check that a
 * key is 1..64 printable ASCII characters (key_ok() in
 * src/http/idempotent.c) never runs for it: api_events_create() checks
 * the length only, and event_create() (src/domain/event/intake.c) stores
 * any bytes, control characters and invalid UTF-8 included, in
 * idempotency_keys.key. Found as
 * fuzz/corpus/api_request/regress-idempotency-key. The key should be
 * refused as it is on every other route.
 */
#include "../../harness.h"

#include <string.h>

#include "base/err.h"
#include "domain/event/event.h"
#include "../domain/evfix.h"

TEST(fuzz_event_create_refuses_an_idempotency_key_that_is_not_printable_ascii)
{
	struct evfix x;
	struct event_input in = { 0 };
	struct fail f = { 0 };
	bool replayed = false;
	int64_t id = 0;
	int rc;

	CHECK_INT(evfix_open(&x), 0);
	in.channel = "grid";
	in.category_code = "dispute.neighbour";
	in.title = "排水沟堵塞引发邻里争吵";
	in.division_code = "330824115205001";
	in.reporter_name = "王小明";
	in.idempotency_key = "a1b2c3d4-0001\x84\x01\x95";
	rc = event_create(x.t.db, &x.grid, &in, &id, &replayed, &f);
	evfix_close(&x);
	CHECK_INT(rc, ERR_INVALID);
}
