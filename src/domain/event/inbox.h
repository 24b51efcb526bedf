/* Notifications: overdue warnings, dispatches, returns, supervision notices. */
#ifndef PINGAN_DOMAIN_EVENT_INBOX_H
#define PINGAN_DOMAIN_EVENT_INBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

/* Newest first: the user's own notices and their unit's. *rows new, caller owns. */
int notification_list(struct db *db, const struct actor *who, bool unread_only, int64_t cursor,
    int limit, json_t **rows, int64_t *next);
/* Marks one as read (ERR_NOT_FOUND when not theirs or already read). */
int notification_read(struct db *db, const struct actor *who, int64_t id, struct fail *f);

#endif
