/*
 * GET /events filters straight into event_list() on the demo county
 * database: q= becomes an FTS5 trigram phrase (or a LIKE pattern under
 * three characters), the others bind as text. Whatever the text, the
 * query must run: no SQLite error (the log hook aborts on one), no
 * storage error, rows that render.
 *
 * Input: byte 0 picks the actor, byte 1 the limit and flags, then
 * newline-separated q, state, category, channel, division, urgency,
 * color, kind, inbox.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/event/event.h"
#include "support/fixture.h"
#include "support/fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)fixture_get();
	return 0;
}

static const char *
opt(const struct fuzz_fields *ff, int i)
{
	return i < ff->n && ff->len[i] ? ff->f[i] : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fixture_actor who[] = { FX_CENTER, FX_TOWNSHIP, FX_DEPT, FX_GRID,
		FX_LEADER, FX_SYSTEM, FX_VOLUNTEER, FX_ADMIN };
	struct fixture *fx = fixture_get();
	struct event_filter flt = { 0 };
	struct fuzz_fields ff;
	int64_t next, total;
	json_t *rows = NULL, *row;
	size_t i;
	int rc;

	if (size < 2)
		return 0;
	fuzz_fields_split(&ff, data + 2, size - 2, '\n', 9);
	flt.q = opt(&ff, 0);
	flt.state = opt(&ff, 1);
	flt.category_code = opt(&ff, 2);
	flt.channel = opt(&ff, 3);
	flt.division_code = opt(&ff, 4);
	flt.urgency = opt(&ff, 5);
	flt.color = opt(&ff, 6);
	flt.kind = opt(&ff, 7);
	flt.inbox = opt(&ff, 8);
	flt.limit = 1 + (data[1] & 7);
	flt.with_total = data[1] & 8;
	flt.supervised = (data[1] & 16) ? 1 : -1;
	flt.backlog = (data[1] & 32) ? 0 : -1;
	flt.from_ms = (data[1] & 64) ? 1700000000000LL : 0;
	flt.cursor = (data[1] & 128) ? 4 : 0;
	rc = event_list(fx->db, &fx->actors[who[data[0] % 8]], &flt, data[0] & 8, &rows, &next,
	    &total);
	FUZZ_CHECK(rc == 0, "event_list failed with %d for q=[%s]", rc, flt.q ? flt.q : "");
	FUZZ_CHECK(json_array_size(rows) <= (size_t)flt.limit, "more rows than the limit");
	json_array_foreach(rows, i, row)
		FUZZ_CHECK(json_is_object(row), "row %zu does not render", i);
	if (flt.with_total)
		FUZZ_CHECK(total >= (int64_t)json_array_size(rows), "total %lld", (long long)total);
	json_decref(rows);
	fuzz_fields_release(&ff);
	fixture_after_input(fx);
	return 0;
}
