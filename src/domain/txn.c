#include "domain/txn.h"

#include "base/err.h"
#include "domain/idempotency.h"

int
txn_finish(struct db *db, int rc, struct fail *f)
{
	/* A request bound to an Idempotency-Key records it with its first change. */
	if (rc == 0)
		rc = idempotency_record_pending(db_writer(db));
	if (rc == 0) {
		rc = db_write_commit(db);
		if (rc == 0)
			return 0;
		return fail(f, rc == ERR_CONFLICT ? ERR_CONFLICT : ERR_STORAGE,
		    rc == ERR_CONFLICT ? M_STORAGE_CONFLICT : M_STORAGE_UNAVAILABLE, NULL);
	}
	db_write_rollback(db);
	if (f && f->code == 0) {
		if (rc == ERR_STORAGE)
			return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
		if (rc == ERR_CONFLICT)
			return fail(f, rc, M_STORAGE_CONFLICT, NULL);
		if (rc == ERR_NOT_FOUND)
			return fail(f, rc, M_NOT_FOUND, NULL);
		return fail(f, rc, M_INTERNAL, NULL);
	}
	return rc;
}
