/*
 * Units: the departments and offices that handle cases (公安局 and its
 * stations, 法院, 司法局, 各乡镇综治办 ...). Each belongs to a division,
 * which fixes its level and who may see it; users belong to a unit.
 */
#ifndef PINGAN_DOMAIN_ORG_UNIT_H
#define PINGAN_DOMAIN_ORG_UNIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"
#include "domain/org/division.h"

#define UNIT_KIND_LIST(X)                                             \
	X(UNIT_DEPARTMENT, "department", "职能部门", "Department")       \
	X(UNIT_JUDICIAL, "judicial", "政法单位", "Judicial body")        \
	X(UNIT_POLICE_STATION, "police_station", "派出所", "Police station") \
	X(UNIT_CENTER, "center", "社会治理中心", "Governance centre")     \
	X(UNIT_TOWNSHIP_OFFICE, "township_office", "乡镇综治办", "Township office") \
	X(UNIT_COMMUNITY, "community", "村（居）委会", "Village committee") \
	X(UNIT_OTHER, "other", "其他", "Other")

enum unit_kind {
#define X(id, name, zh, en) id,
	UNIT_KIND_LIST(X)
#undef X
	UNIT_KIND_COUNT_
};

struct unit_input {
	const char *name;
	const char *kind;
	const char *division_code;
	const char *phone;
};

struct unit_filter {
	const char *q;
	const char *division_code;   /* only units in this subtree */
	const char *kind;
	bool include_retired;
	int64_t cursor;
	int limit;
};

int unit_create(struct db *db, const struct actor *who, const struct unit_input *in, int64_t *id,
    struct fail *f);
/* Changes name, kind, division and phone; version must match. */
int unit_update(struct db *db, const struct actor *who, int64_t id, const struct unit_input *in,
    int64_t version, struct fail *f);
int unit_retire(struct db *db, const struct actor *who, int64_t id, int64_t version,
    struct fail *f);
/* One unit in scope as JSON (new reference). */
int unit_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f);
int unit_list(struct db *db, const struct actor *who, const struct unit_filter *flt, bool en,
    json_t **rows, int64_t *next);
/* Imports units from CSV (name,kind,division_code,phone), all or nothing. */
int unit_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f);

#endif
