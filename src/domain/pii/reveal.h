/*
 * Showing personal data in clear (DESIGN.md section 4): only with the
 * pii.reveal right and a stated reason, and every reveal is an audit row
 * carrying that reason, written in the reveal's own transaction.
 */
#ifndef PINGAN_DOMAIN_PII_REVEAL_H
#define PINGAN_DOMAIN_PII_REVEAL_H

#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

/* 0 when who may reveal with this reason (4-200 visible characters); else 403 or 422. */
int reveal_allowed(const struct actor *who, const char *reason, struct fail *f);
/* The audit row "<entity>.reveal" for record id with the whole reason, inside w. */
int reveal_audit(struct db_conn *w, const struct actor *who, const char *entity, int64_t id,
    const char *reason);

#endif
