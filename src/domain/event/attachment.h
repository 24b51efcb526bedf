/*
 * Attachments (photos, PDF) of events: type checked by content, size
 * limited, stored content-addressed under DATA/uploads/ outside the
 * database, written durably before the row that names them.
 */
#ifndef PINGAN_DOMAIN_EVENT_ATTACHMENT_H
#define PINGAN_DOMAIN_EVENT_ATTACHMENT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

#define ATTACHMENT_MAX_BYTES (10 * 1024 * 1024)

/* Where files go (DATA/uploads); set once at start-up. */
void attachment_set_dir(const char *dir);
/* The MIME type of data judged by its first bytes, or NULL when not JPEG, PNG or PDF. */
const char *attachment_sniff(const void *data, size_t len);
/* Stores data for an event the actor may see; *id gets the attachment. */
int attachment_add(struct db *db, const struct actor *who, int64_t event_id, const void *data,
    size_t len, const char *name, const char *purpose, int64_t *id, struct fail *f);
/* Reads an attachment of an event in scope; *data (caller frees), *mime static or owned by nothing. */
int attachment_read(struct db *db, const struct actor *who, int64_t id, char **data, size_t *len,
    char *mime, size_t mimelen, struct fail *f);

#endif
