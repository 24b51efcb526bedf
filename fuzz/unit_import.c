/*
 * Units from CSV (name,kind,division_code,phone): unit_import_csv() on
 * the demo county database, as the system or a township user.
 *
 * Input: one byte picks the actor, the rest is the CSV. Checks as for
 * divisions: success without problems, failure with a reason, and the
 * units list still renders after a successful import.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "domain/org/unit.h"
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

static void
check_units(struct fixture *fx)
{
	struct unit_filter flt = { .limit = 200, .include_retired = true };
	int64_t next = 0;
	json_t *rows, *u;
	size_t i;

	do {
		FUZZ_CHECK(unit_list(fx->db, &fx->actors[FX_SYSTEM], &flt, false, &rows, &next) == 0,
		    "unit_list failed");
		json_array_foreach(rows, i, u)
			FUZZ_CHECK(json_is_object(u), "unit row %zu does not render", i);
		json_decref(rows);
		flt.cursor = next;
	} while (next);
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
	rc = unit_import_csv(fx->db, &fx->actors[who], (const char *)data + 1, size - 1, &rep, &f);
	fixture_check_import(rc, &f, &rep);
	if (rc == 0)
		check_units(fx);
	import_report_release(&rep);
	fixture_after_input(fx);
	return 0;
}
