/*
 * Regression tests for what the division_import, api_json and
 * api_request fuzz targets found in the divisions.
 *
 * 1. parse_rows() (src/domain/org/division_import.c) calls qsort() with a
 *    NULL array when no row was read (the first data row is malformed):
 *    undefined behaviour that the sanitizer build (SAN=1) stops on.
 *    Found as fuzz/corpus/division_import/regress-qsort-null.
 * 2. A division name may have 32 characters, up to 128 bytes, but
 *    struct division and the import row keep 96 (division.h, the
 *    "%.95s" in division_import.c): division_load() cuts the name inside
 *    a character, division_json() fails, POST /divisions answers 500
 *    after committing, GET /divisions/{code} fails and lists drop the
 *    division; the CSV import even stores the cut name. Found as
 *    fuzz/corpus/api_json/regress-division-32-chars and
 *    fuzz/corpus/division_import/regress-32-chars.
 */
#include "../../harness.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "domain/org/division.h"
#include "../domain/testdb.h"

static const char county[] =
    "code,name,level,parent_code\n"
    "330824,开化县,county,\n"
    "330824115,华埠镇,township,330824\n"
    "330824115205,龙岭村,village,330824115\n";

/* 32 characters of three bytes: the longest name the rules allow in Chinese. */
static void
long_name(char out[100])
{
	for (int i = 0; i < 32; i++)
		memcpy(out + 3 * i, "\xe9\xbe\x99", 3);   /* 龙 */
	out[96] = '\0';
}

static int
import(struct db *db, const char *csv, struct import_report *rep)
{
	struct actor sys;
	struct fail f = { 0 };

	actor_system(&sys, "t");
	memset(rep, 0, sizeof *rep);
	return division_import_csv(db, &sys, csv, strlen(csv), false, rep, &f);
}

/* True when the division reads back with exactly this name. */
static bool
reads_back(struct db *db, const char *code, const char *name)
{
	struct actor sys;
	struct fail f = { 0 };
	json_t *d = NULL;
	bool ok;

	actor_system(&sys, "t");
	ok = division_get(db, &sys, code, &d, &f) == 0 && d != NULL &&
	    json_string_value(json_object_get(d, "name")) != NULL &&
	    strcmp(json_string_value(json_object_get(d, "name")), name) == 0;
	json_decref(d);
	return ok;
}

TEST(fuzz_division_import_of_a_malformed_first_row)
{
	struct testdb t;
	struct import_report rep;

	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(import(t.db, "code,name,parent_code\n\"a\"b\n", &rep), ERR_INVALID);
	CHECK(rep.nerrors >= 1);
	CHECK_INT(rep.errors[0].msg, M_CSV_MALFORMED);
	import_report_release(&rep);
	testdb_close(&t);
}

TEST(fuzz_division_created_with_a_32_character_name_reads_back)
{
	struct testdb t;
	struct import_report rep;
	struct actor sys;
	struct fail f = { 0 };
	char name[100];
	struct division_input in = { .code = "330824115205001", .parent_code = "330824115205" };

	long_name(name);
	in.name = name;
	actor_system(&sys, "t");
	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(import(t.db, county, &rep), 0);
	import_report_release(&rep);
	CHECK_INT(division_create(t.db, &sys, &in, &f), 0);
	CHECK(reads_back(t.db, "330824115205001", name));
	testdb_close(&t);
}

TEST(fuzz_division_imported_with_a_32_character_name_reads_back)
{
	struct testdb t;
	struct import_report rep;
	char name[100], csv[400];

	long_name(name);
	snprintf(csv, sizeof csv, "%s330824115205002,%s,grid,330824115205\n", county, name);
	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(import(t.db, csv, &rep), 0);
	import_report_release(&rep);
	CHECK(reads_back(t.db, "330824115205002", name));
	testdb_close(&t);
}

/*
 * Found by division_import (deep run): past 500 problems the report kept
 * counting but listed no more, and nothing said how many were listed, so a
 * reader walking the allocation read entries never written.
 */
TEST(fuzz_division_import_with_600_bad_rows_lists_500_and_counts_600)
{
	struct testdb t;
	struct import_report rep;
	struct buf csv;
	bool lines_ok = true;

	buf_init(&csv, 1u << 20);
	(void)buf_addstr(&csv, "code,name,level,parent_code\n");
	for (int i = 0; i < 600; i++)
		(void)buf_addf(&csv, "bad%d,坏,county,\n", i);
	CHECK_INT(testdb_open(&t), 0);
	CHECK_INT(import(t.db, buf_str(&csv), &rep), ERR_INVALID);
	CHECK_INT(rep.nerrors, 600);
	CHECK_INT(rep.listed, IMPORT_MAX_LISTED);
	for (int i = 0; i < rep.listed; i++)
		lines_ok = lines_ok && rep.errors[i].line >= 2 && rep.errors[i].msg != MSG_NONE;
	CHECK(lines_ok);
	import_report_release(&rep);
	buf_release(&csv);
	testdb_close(&t);
}
