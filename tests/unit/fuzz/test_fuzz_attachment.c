/*
 * Regression test for what the api_request fuzz target found in uploads.
 *
 * POST /api/v1/events/{id}/attachments?purpose=... stores the purpose
 * query argument as it comes: attachment_add()
 * (src/domain/event/attachment.c) checks the name but not the purpose, so
 * any bytes of any length are stored. Bytes that are not UTF-8 make
 * attachments_json() (src/domain/event/query.c) fail, and the evidence
 * silently disappears from GET /events/{id}. Found as
 * fuzz/corpus/api_request/regress-attachment-purpose (purpose=repo%D7%D7rt).
 */
#include "../../harness.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "domain/event/attachment.h"
#include "domain/event/event.h"
#include "../domain/evfix.h"

static const unsigned char jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
	0x01, 0x01, 0x01, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00, 0xff, 0xd9 };

/* Removes the stored file and its directories so that testdb_close() can remove its own. */
static void
remove_upload(const char *uploads)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	char hex[65], path[400];

	crypto_hash_sha256(h, jpeg, sizeof jpeg);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(path, sizeof path, "%s/%.2s/%s", uploads, hex, hex);
	unlink(path);
	snprintf(path, sizeof path, "%s/%.2s", uploads, hex);
	rmdir(path);
	rmdir(uploads);
}

/* True when GET /events/{id} would list attachment att. */
static bool
listed(struct evfix *x, int64_t id, int64_t att)
{
	struct fail f = { 0 };
	json_t *e = NULL, *a;
	bool found = false;
	size_t i;

	if (event_get(x->t.db, &x->sys, id, false, &e, &f) != 0 || e == NULL)
		return false;
	json_array_foreach(json_object_get(e, "attachments"), i, a)
		if (json_integer_value(json_object_get(a, "id")) == att)
			found = true;
	json_decref(e);
	return found;
}

TEST(fuzz_attachment_with_a_bad_purpose_is_refused_or_listed)
{
	struct evfix x;
	struct fail f = { 0 };
	char uploads[200];
	int64_t id, att = 0;
	int rc;
	bool ok;

	CHECK_INT(evfix_open(&x), 0);
	snprintf(uploads, sizeof uploads, "%s/uploads", x.t.dir);
	CHECK_INT(mkdir(uploads, 0700), 0);
	attachment_set_dir(uploads);
	CHECK((id = evfix_report(&x, "dispute.neighbour")) > 0);
	rc = attachment_add(x.t.db, &x.grid, id, jpeg, sizeof jpeg, "a.jpg", "repo\xd7\xd7rt", &att,
	    &f);
	ok = rc == 0 ? listed(&x, id, att) : rc == ERR_INVALID;
	remove_upload(uploads);
	attachment_set_dir("uploads");
	evfix_close(&x);
	CHECK(ok);
}
