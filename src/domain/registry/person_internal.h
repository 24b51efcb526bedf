/* What person.c and person_import.c share: checking one input and writing it. */
#ifndef PINGAN_DOMAIN_REGISTRY_PERSON_INTERNAL_H
#define PINGAN_DOMAIN_REGISTRY_PERSON_INTERNAL_H

#include "base/idnum.h"
#include "base/mobile.h"
#include "domain/pii/pii.h"
#include "domain/pii/pii_col.h"
#include "domain/registry/person.h"

/* One checked person, ready to write. */
struct person_row {
	char id_number[IDNUM_SIZE];          /* canonical */
	uint8_t idx[PII_INDEX_BYTES];        /* blind index of id_number */
	char sex[2];
	char birth_date[11];
	char name[132];                      /* trimmed */
	const char *kind, *address;          /* borrowed from the input */
	char phone[MOBILE_SIZE];             /* canonical, or "" */
	bool keep_phone, keep_address;       /* an update leaves these columns alone */
	struct division div;
	/*
	 * The personal data as the columns take it. Owned: a row sealed with
	 * person_seal is released by whoever sealed it; a write given an
	 * unsealed row seals it and frees that itself.
	 */
	bool sealed;
	struct pii_sealed id_ct, name_ct, phone_ct, address_ct;   /* name and phone indexed */
};

/*
 * Checks in on connection c for the actor. with_id: the ID number is
 * checked too (creating). Every problem goes to rep at line. row->div, when it
 * already holds the division named (an import keeps one row across its lines,
 * and files come grouped by grid), saves the lookup; zero row before the
 * first call. True when in is clean; 0 or a storage error in *rc.
 */
bool person_check(struct db_conn *c, const struct actor *who, const struct person_input *in,
    bool with_id, struct person_row *row, struct import_report *rep, int line, int *rc);
/* The part of person_check that needs no database: everything but the division. */
void person_check_fields(const struct person_input *in, bool with_id, struct person_row *row,
    struct import_report *rep, int line);
/* The rest: the division, an active village or grid in who's scope. 0 or a storage error. */
int person_check_division(struct db_conn *c, const struct actor *who, const char *code,
    struct person_row *row, struct import_report *rep, int line);
/*
 * Encrypts the row's ID number, name, phone and address and computes the
 * blind indexes of name and phone, ahead of the write (which otherwise does
 * it itself). Needs no database: an import does it beside the writer, and
 * releases the row with person_row_release. 0, or ERR_INTERNAL.
 */
int person_seal(struct person_row *row);
/* Frees what person_seal made. */
void person_row_release(struct person_row *row);

/* Looks up an ID number's blind index: *id (0 when unknown) and its path. 0 or storage error. */
int person_find(struct db_conn *c, const uint8_t idx[PII_INDEX_BYTES], int64_t *id,
    char path[DIVISION_PATH_MAX]);
/* Inserts row (new person) at now; *id is the new key. */
int person_insert(struct db_conn *w, struct person_row *row, int64_t now, int64_t *id);
/*
 * Inserts row unless its ID number is registered already (then *id is 0 and
 * nothing changed): an import of new residents saves the lookup before
 * each insert, which walks the same index.
 */
int person_insert_new(struct db_conn *w, struct person_row *row, int64_t now, int64_t *id);
/* Overwrites the changeable fields of person id with row at now. */
int person_overwrite(struct db_conn *w, int64_t id, struct person_row *row, int64_t now);

#endif
