/* Categories of events and the routing rules that suggest the responsible unit. */
#ifndef PINGAN_DOMAIN_EVENT_CATEGORY_H
#define PINGAN_DOMAIN_EVENT_CATEGORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"
#include "domain/org/division.h"

struct category_input {
	const char *name;
	const char *name_en;
	bool citizen_reportable;
	int sign_days, finish_days;
	int urgent_sign_hours, urgent_finish_hours;
	int critical_sign_hours, critical_finish_hours;
	bool auto_escalate;
};

/* Loads categories from CSV (data/categories.csv format), parents first, all or nothing. */
int category_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f);
/* How many categories exist (0 on a new database). */
int64_t category_count(struct db *db);
int category_list(struct db *db, bool include_retired, bool en, json_t **out);
int category_update(struct db *db, const struct actor *who, const char *code,
    const struct category_input *in, int64_t version, struct fail *f);

int routing_list(struct db *db, json_t **out);
/* Sets the default unit of a category within a division subtree. */
int routing_set(struct db *db, const struct actor *who, const char *cat_code,
    const char *div_code, int64_t unit_id, struct fail *f);
int routing_delete(struct db *db, const struct actor *who, int64_t id, struct fail *f);
/* Loads rules from CSV: category_code,division_code,unit_name. */
int routing_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, struct fail *f);
/* The suggested unit for an event of category_id at path; ERR_NOT_FOUND when no rule. */
int routing_suggest(struct db_conn *c, int64_t category_id, const char *path, int64_t *unit_id,
    char *name, size_t n);

#endif
