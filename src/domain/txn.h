/* Ending a domain write transaction the same way everywhere. */
#ifndef PINGAN_DOMAIN_TXN_H
#define PINGAN_DOMAIN_TXN_H

#include "db/db.h"
#include "domain/fail.h"

/*
 * Commits when rc is 0, otherwise rolls back. Returns the final code and
 * makes sure f names a message: a storage failure at commit becomes
 * ERR_STORAGE with the "nothing was saved" message.
 */
int txn_finish(struct db *db, int rc, struct fail *f);

#endif
