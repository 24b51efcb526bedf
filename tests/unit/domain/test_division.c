#include "../../harness.h"

#include <string.h>

#include "base/err.h"
#include "domain/org/division.h"
#include "testdb.h"

static const char good_csv[] =
    "code,name,level,parent_code,lat,lng\n"
    "330824115,华埠镇,township,330824,29.26,118.42\n"   /* children before parents on purpose */
    "330824,开化县,county,,29.137,118.415\n"
    "330824115205,龙岭村,village,330824115,,\n"
    "330824115205001,龙岭村第1网格,grid,330824115205,,\n"
    "330824116,马金镇,township,330824,,\n";

static int
import(struct db *db, const struct actor *who, const char *csv, struct import_report *rep)
{
	struct fail f = { 0 };

	memset(rep, 0, sizeof *rep);
	return division_import_csv(db, who, csv, strlen(csv), false, rep, &f);
}

static int
count_divisions(struct db *db)
{
	struct actor sys;
	json_t *items;
	struct fail f = { 0 };
	int n;

	actor_system(&sys, "t");
	if (division_search(db, &sys, "3308", &items) != 0)
		return -1;
	n = (int)json_array_size(items);
	json_decref(items);
	(void)f;
	return n;
}

TEST(division_import_loads_parents_before_children)
{
	struct testdb t;
	struct import_report rep;
	struct actor sys;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, good_csv, &rep), 0);
	CHECK_INT(rep.imported, 5);
	CHECK_INT(count_divisions(t.db), 5);
	import_report_release(&rep);
	testdb_close(&t);
}

TEST(division_import_reports_every_bad_row_and_imports_nothing)
{
	static const char bad[] =
	    "code,name,level,parent_code,lat,lng\n"
	    "330824,开化县,county,,,\n"
	    "330824115,华埠镇,township,330824,,\n"
	    "330825116,马金镇,township,330824,,\n"         /* does not extend its parent */
	    "33082411X,坏代码,township,330824,,\n"          /* not digits */
	    "330824115,重复,township,330824,,\n"            /* duplicate code */
	    "330824117,池淮镇,village,330824,,\n"           /* level does not match length */
	    "330824118,,township,330824,,\n"                /* empty name */
	    "330824119,林山,township,330824,95,118\n"       /* latitude out of range */
	    "330824120205,孤儿村,village,330824120,,\n";    /* unknown parent */
	struct testdb t;
	struct import_report rep;
	struct actor sys;
	bool seen_line4 = false, seen_parent = false;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, bad, &rep), ERR_INVALID);
	CHECK_INT(rep.nerrors, 7);
	for (int i = 0; i < rep.listed; i++) {
		if (rep.errors[i].line == 4 && rep.errors[i].msg == M_DIV_NOT_CHILD_CODE)
			seen_line4 = true;
		if (rep.errors[i].line == 10)
			seen_parent = true;
	}
	CHECK(seen_line4);
	CHECK(seen_parent);
	CHECK_INT(count_divisions(t.db), 0);
	import_report_release(&rep);
	testdb_close(&t);
}

TEST(division_import_reports_unknown_parents_and_rolls_back)
{
	static const char orphan[] =
	    "code,name,level,parent_code\n"
	    "330824,开化县,county,\n"
	    "330824120205,孤儿村,village,330824120\n";
	struct testdb t;
	struct import_report rep;
	struct actor sys;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, orphan, &rep), ERR_INVALID);
	CHECK_INT(rep.nerrors, 1);
	CHECK_INT(rep.errors[0].line, 3);
	CHECK_STR(rep.errors[0].field, "parent_code");
	CHECK_INT(count_divisions(t.db), 0);
	import_report_release(&rep);
	testdb_close(&t);
}

TEST(division_move_recodes_the_subtree_and_refuses_cycles)
{
	struct testdb t;
	struct import_report rep;
	struct actor sys;
	struct fail f = { 0 };
	json_t *d;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, good_csv, &rep), 0);
	import_report_release(&rep);
	CHECK_INT(division_get(t.db, &sys, "330824115205", &d, &f), 0);
	int64_t version = (int64_t)json_integer_value(json_object_get(d, "version"));
	json_decref(d);
	CHECK_INT(division_move(t.db, &sys, "330824115205", "330824115205", "330824115205001", version,
	    &f), ERR_INVALID);    /* a grid-length code for a village */
	f.code = 0;
	CHECK_INT(division_move(t.db, &sys, "330824115205", "330824116", "330824116230", version, &f),
	    0);
	CHECK_INT(division_get(t.db, &sys, "330824116230001", &d, &f), 0);
	CHECK_STR(json_string_value(json_object_get(d, "path")),
	    "/330824/330824116/330824116230/330824116230001/");
	json_decref(d);
	f.code = 0;
	CHECK_INT(division_get(t.db, &sys, "330824115205001", &d, &f), ERR_NOT_FOUND);
	/* A township cannot move below its own village. */
	CHECK_INT(division_get(t.db, &sys, "330824116", &d, &f), 0);
	version = (int64_t)json_integer_value(json_object_get(d, "version"));
	json_decref(d);
	f.code = 0;
	CHECK_INT(division_move(t.db, &sys, "330824116", "330824116230", "330824116230999", version, &f),
	    ERR_INVALID);
	testdb_close(&t);
}

TEST(division_retire_needs_no_active_children_and_keeps_the_row)
{
	struct testdb t;
	struct import_report rep;
	struct actor sys;
	struct fail f = { 0 };
	json_t *d;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, good_csv, &rep), 0);
	import_report_release(&rep);
	CHECK_INT(division_retire(t.db, &sys, "330824115205", 1, &f), ERR_CONFLICT);
	CHECK_INT(f.msg, M_DIV_HAS_CHILDREN);
	f.code = 0;
	CHECK_INT(division_retire(t.db, &sys, "330824115205001", 1, &f), 0);
	CHECK_INT(division_get(t.db, &sys, "330824115205001", &d, &f), 0);
	CHECK(json_is_true(json_object_get(d, "retired")));
	json_decref(d);
	testdb_close(&t);
}

TEST(division_scope_hides_other_townships)
{
	struct testdb t;
	struct import_report rep;
	struct actor sys, town;
	struct fail f = { 0 };
	json_t *d, *items;

	CHECK_INT(testdb_open(&t), 0);
	actor_system(&sys, "t");
	CHECK_INT(import(t.db, &sys, good_csv, &rep), 0);
	import_report_release(&rep);
	memset(&town, 0, sizeof town);
	actor_scope_single(&town, "/330824/330824115/");
	CHECK_INT(division_get(t.db, &town, "330824116", &d, &f), ERR_NOT_FOUND);
	f.code = 0;
	CHECK_INT(division_get(t.db, &town, "330824115205", &d, &f), 0);
	json_decref(d);
	CHECK_INT(division_children(t.db, &town, "330824", false, &items, &f), 0);
	CHECK_INT(json_array_size(items), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "code")), "330824115");
	json_decref(items);
	CHECK_INT(division_search(t.db, &town, "镇", &items), 0);
	CHECK_INT(json_array_size(items), 1);
	json_decref(items);
	testdb_close(&t);
}

TEST(geojson_check_accepts_closed_polygons_only)
{
	double lat, lng;
	json_t *ok = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[118,29],[119,29],[119,30],"
	    "[118,29]]]}", 0, NULL);
	json_t *open_ring = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[118,29],[119,29],"
	    "[119,30],[118,30]]]}", 0, NULL);
	json_t *bad_lat = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[118,99],[119,29],"
	    "[119,30],[118,99]]]}", 0, NULL);
	json_t *point = json_loads("{\"type\":\"Point\",\"coordinates\":[118,29]}", 0, NULL);

	CHECK_INT(geojson_check_geometry(ok, &lat, &lng), MSG_NONE);
	CHECK(lat > 29.4 && lat < 29.6 && lng > 118.4 && lng < 118.6);
	CHECK_INT(geojson_check_geometry(open_ring, &lat, &lng), M_GEOJSON_BAD);
	CHECK_INT(geojson_check_geometry(bad_lat, &lat, &lng), M_GEOJSON_BAD);
	CHECK_INT(geojson_check_geometry(point, &lat, &lng), M_GEOJSON_BAD);
	json_decref(ok);
	json_decref(open_ring);
	json_decref(bad_lat);
	json_decref(point);
}
