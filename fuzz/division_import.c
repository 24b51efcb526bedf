/*
 * POST /divisions/import: division_import_csv() on the demo county
 * database (967 divisions), as the system or a township user.
 *
 * Input: one byte picks the actor and the demo flag, the rest is the CSV.
 * Checks: success means no reported problem and every row imported;
 * failure names a reason; and after a successful import the whole county
 * still exports as clean UTF-8 and every division still reads back.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/org/division.h"
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

/* Every stored division reads back as JSON and exports as clean text. */
static void
check_county(struct fixture *fx)
{
	struct buf out;
	json_t *items, *d;
	size_t i;

	buf_init(&out, 1u << 26);
	FUZZ_CHECK(division_export_csv(fx->db, &fx->actors[FX_SYSTEM], &out) == 0, "export failed");
	FUZZ_CHECK(utf8_is_clean_text(out.data, out.len), "export is not clean UTF-8");
	buf_release(&out);
	FUZZ_CHECK(division_search(fx->db, &fx->actors[FX_SYSTEM], "3308", &items) == 0, "search");
	json_array_foreach(items, i, d) {
		struct fail f = { 0 };
		json_t *one = NULL;
		const char *code = json_string_value(json_object_get(d, "code"));

		FUZZ_CHECK(code != NULL, "search row without code");
		FUZZ_CHECK(division_get(fx->db, &fx->actors[FX_SYSTEM], code, &one, &f) == 0 &&
		    one != NULL, "division %s does not read back", code);
		json_decref(one);
	}
	json_decref(items);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture *fx = fixture_get();
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	enum fixture_actor who;
	int rc;

	if (size < 1)
		return 0;
	who = (data[0] & 1) ? FX_TOWNSHIP : FX_SYSTEM;
	rc = division_import_csv(fx->db, &fx->actors[who], (const char *)data + 1, size - 1,
	    data[0] & 2, &rep, &f);
	fixture_check_import(rc, &f, &rep);
	if (rc == 0)
		check_county(fx);
	import_report_release(&rep);
	fixture_after_input(fx);
	return 0;
}
