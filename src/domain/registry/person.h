/*
 * The registry of actual residents (实有人口): one record per GB 11643 ID
 * number, registered in a village (community) or a grid, of kind
 * registered (户籍), floating (流动) or overseas (境外).
 *
 * ID number, name, phone and address are personal data: stored encrypted,
 * found only by exact value through a keyed blind index, and masked in
 * every answer unless a holder of pii.reveal asks with a reason (audited).
 * Every read and write is limited to the caller's divisions; a person
 * outside them reads as not found.
 */
#ifndef PINGAN_DOMAIN_REGISTRY_PERSON_H
#define PINGAN_DOMAIN_REGISTRY_PERSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"
#include "domain/org/division.h"

struct person_input {
	const char *id_number;     /* required when creating; ignored when changing */
	const char *name;
	const char *kind;          /* registered | floating | overseas */
	const char *division_code; /* a village or grid in scope */
	const char *phone;         /* optional mobile number; NULL or "" clears it */
	const char *address;       /* optional, up to 100 characters */
	bool keep_phone;           /* changing: the phone was not given, keep it */
	bool keep_address;         /* changing: the address was not given, keep it */
};

/* Registers one person. 0 with *id, or the failure (422 field, 409 already registered). */
int person_create(struct db *db, const struct actor *who, const struct person_input *in,
    int64_t *id, struct fail *f);
/* Changes name, kind, division, phone and address of a person in scope at version. */
int person_update(struct db *db, const struct actor *who, int64_t id,
    const struct person_input *in, int64_t version, struct fail *f);
/* The masked JSON of a person in scope. */
int person_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f);
/* The clear ID number, name, phone and address, written to the audit trail with the reason. */
int person_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f);

struct person_filter {
	const char *id_number;     /* exact; no other condition allowed with it */
	const char *name;          /* exact whole name */
	const char *phone;         /* exact mobile number */
	const char *division_code; /* subtree */
	const char *kind;
	int limit;
	int64_t cursor;            /* ids below this one; 0 for the first page */
};

/* A page of persons in scope, newest first. */
int person_list(struct db *db, const struct actor *who, const struct person_filter *flt,
    bool en, json_t **rows, int64_t *next, struct fail *f);

/*
 * Imports persons from CSV with the header id_number,name,kind,division_code
 * and optionally phone,address (any order). All or nothing: every row is
 * checked and if any is bad nothing is written and ERR_INVALID comes back
 * with every problem in rep. A known ID number in scope is updated (its
 * phone and address only when the file has those columns), a new one
 * created; rep->imported counts both.
 */
int person_import_csv(struct db *db, const struct actor *who, const char *data, size_t len,
    struct import_report *rep, int64_t *created, int64_t *updated, struct fail *f);

#endif
