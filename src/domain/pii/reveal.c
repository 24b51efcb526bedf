#include "domain/pii/reveal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"

int
reveal_allowed(const struct actor *who, const char *reason, struct fail *f)
{
	if (!(who->perms & PERM_BIT(PERM_PII_REVEAL)))
		return fail(f, ERR_FORBIDDEN, M_FORBIDDEN, NULL);
	if (reason == NULL || utf8_visible_length(reason) < 4 || utf8_length(reason) > 200 ||
	    !utf8_is_clean_text(reason, strlen(reason)))
		return fail(f, ERR_INVALID, M_REVEAL_REASON, "reason");
	return 0;
}

int
reveal_audit(struct db_conn *w, const struct actor *who, const char *entity, int64_t id,
    const char *reason)
{
	/* The whole reason (up to 200 characters, 600 bytes of UTF-8): no fixed buffer to cut it. */
	json_t *d = json_pack("{s:s}", "reason", reason);
	char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
	char idtext[24], action[48];
	int rc;

	json_decref(d);
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	snprintf(action, sizeof action, "%s.reveal", entity);
	rc = detail ? audit_write(w, who, action, entity, idtext, detail) : ERR_INTERNAL;
	free(detail);
	return rc;
}
