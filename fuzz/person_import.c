/*
 * POST /persons/import: person_import_csv() on the demo county database,
 * as the system, a township command room or a grid worker.
 *
 * Input: one byte picks the actor, the rest is the CSV. Checks: success
 * means no reported problem and every row counted as created or updated;
 * failure names a reason and lists its problems by line; after a
 * successful import the registry still lists, and every listed person
 * shows ID number and name masked, never whole.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "domain/registry/person.h"
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
check_registry(struct fixture *fx)
{
	struct person_filter flt = { .limit = 200 };
	struct fail f = { 0 };
	int64_t next = 0;
	json_t *rows = NULL, *p;
	size_t i;

	FUZZ_CHECK(person_list(fx->db, &fx->actors[FX_SYSTEM], &flt, false, &rows, &next, &f) == 0,
	    "the registry does not list");
	json_array_foreach(rows, i, p) {
		const char *id = json_string_value(json_object_get(p, "id_number"));
		const char *name = json_string_value(json_object_get(p, "name"));

		FUZZ_CHECK(id != NULL && strstr(id, "********") != NULL, "ID number not masked");
		FUZZ_CHECK(name != NULL && strchr(name, '*') != NULL, "name not masked");
	}
	json_decref(rows);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fixture_actor actors[] = { FX_SYSTEM, FX_TOWNSHIP, FX_GRID, FX_CENTER };
	struct fixture *fx = fixture_get();
	struct import_report rep = { 0 };
	struct fail f = { 0 };
	int64_t created = 0, updated = 0;
	int rc;

	if (size < 1)
		return 0;
	rc = person_import_csv(fx->db, &fx->actors[actors[data[0] % 4]], (const char *)data + 1,
	    size - 1, &rep, &created, &updated, &f);
	fixture_check_import(rc, &f, &rep);
	if (rc == 0) {
		FUZZ_CHECK(created + updated == rep.imported, "%lld + %lld rows of %d",
		    (long long)created, (long long)updated, rep.imported);
		check_registry(fx);
	}
	import_report_release(&rep);
	fixture_after_input(fx);
	return 0;
}
