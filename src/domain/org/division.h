/*
 * Divisions: county -> township -> village/community -> grid, coded by
 * GB/T 2260 (6, 9, 12 digits) and the 15-digit grid convention. Each row
 * stores its path of codes ("/330824/330824115/"), which is what data
 * scope filters on. Retiring keeps the row and its history.
 */
#ifndef PINGAN_DOMAIN_ORG_DIVISION_H
#define PINGAN_DOMAIN_ORG_DIVISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/divcode.h"
#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

#define DIVISION_PATH_MAX 160

struct division {
	int64_t id;
	char code[16];
	char name[132];
	enum division_level level;
	int64_t parent_id;
	char parent_code[16];
	char path[DIVISION_PATH_MAX];
	bool has_outline;
	bool has_point;
	double lat, lng;
	bool demo;
	int64_t retired_at;
	int64_t version;
	int64_t child_count;
};

/* Loads by code on connection c without a scope check. 0, ERR_NOT_FOUND or storage error. */
int division_load(struct db_conn *c, const char *code, struct division *d);
/* The public JSON of a division. New reference. */
json_t *division_json(const struct division *d);

/* One division in the actor's scope, with "outline" and "ancestors". *out is new. */
int division_get(struct db *db, const struct actor *who, const char *code, json_t **out,
    struct fail *f);
/* Children of parent_code, or the top of the actor's scope when parent_code is NULL. */
int division_children(struct db *db, const struct actor *who, const char *parent_code,
    bool include_retired, json_t **items, struct fail *f);
/* Up to 50 divisions in scope whose name contains q or whose code starts with q. */
int division_search(struct db *db, const struct actor *who, const char *q, json_t **items);

struct division_input {
	const char *code;
	const char *name;
	const char *parent_code;
	bool has_point;
	double lat, lng;
	json_t *outline;          /* borrowed GeoJSON geometry or NULL */
	bool demo;
};

int division_create(struct db *db, const struct actor *who, const struct division_input *in,
    struct fail *f);
/* Renames and/or sets the point and outline. */
int division_update(struct db *db, const struct actor *who, const char *code,
    const struct division_input *in, int64_t version, struct fail *f);
/* Moves a division (and its subtree, recoded) under a new parent with a new code. */
int division_move(struct db *db, const struct actor *who, const char *code,
    const char *new_parent, const char *new_code, int64_t version, struct fail *f);
/* Retires a division that has no active children. */
int division_retire(struct db *db, const struct actor *who, const char *code, int64_t version,
    struct fail *f);
/* GeoJSON FeatureCollection of the division and its children that have outlines. */
int division_outlines(struct db *db, const struct actor *who, const char *code, json_t **fc,
    struct fail *f);

/* Inserts an already checked division inside the write transaction w; its id into *id. */
int division_insert(struct db_conn *w, const struct division_input *in, enum division_level level,
    const char *path, int64_t parent_id, int64_t *id);

/* Checks a GeoJSON Polygon/MultiPolygon geometry; MSG_NONE when valid. Sets centre. */
enum msg_id geojson_check_geometry(json_t *g, double *lat, double *lng);

/* One bad row of an import: where and why. */
struct import_error {
	int line;
	const char *field;
	enum msg_id msg;
};

struct import_report {
	struct import_error *errors;   /* owned: the first `listed` problems */
	int nerrors;                   /* every problem found */
	int listed;                    /* how many errors[] holds: at most IMPORT_MAX_LISTED */
	int cap;
	int imported;
};

/* Problems listed one by one; an import with more still fails and counts them all. */
#define IMPORT_MAX_LISTED 500

void import_report_release(struct import_report *rep);
void import_report_add(struct import_report *rep, int line, const char *field, enum msg_id msg);

/*
 * Imports divisions from CSV (code,name,level,parent_code,lat,lng; header
 * first). Every row is checked first; if any is bad nothing is written and
 * ERR_INVALID is returned with every problem in rep. Existing codes are
 * updated (name, point), new ones created, parents before children.
 */
int division_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    bool demo, struct import_report *rep, struct fail *f);
/* The same CSV for the divisions in scope. */
int division_export_csv(struct db *db, const struct actor *who, struct buf *out);
/* Sets outlines from a FeatureCollection whose features carry properties.code. All or nothing. */
int division_import_outlines(struct db *db, const struct actor *who, json_t *fc,
    struct import_report *rep, struct fail *f);

/* The county of a path, its first part ("/330824/330824115/" -> "330824"); false if none. */
bool division_path_county(const char *path, char out[7]);
/* Upper bound of the path range of a subtree: "/330824/" -> "/3308240". */
void division_path_end(const char *path, char *out, size_t n);

#endif
