#include "domain/event/attachment.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/file.h"
#include "base/parse.h"
#include "domain/audit/audit.h"
#include "domain/auth/roles.h"
#include "domain/event/event_internal.h"
#include "domain/txn.h"

static char upload_dir[512] = "uploads";

void
attachment_set_dir(const char *dir)
{
	snprintf(upload_dir, sizeof upload_dir, "%s", dir);
}

const char *
attachment_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	return NULL;
}

/* Writes the file durably: temporary name, fsync, rename, fsync of the directory. */
static int
write_durably(const char *dir, const char *path, const void *data, size_t len)
{
	char tmp[760];
	int fd, dfd;
	ssize_t n;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return ERR_STORAGE;
	if (access(path, F_OK) == 0)
		return 0;               /* same content stored before */
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return ERR_STORAGE;
	n = write(fd, data, len);
	if (n != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return ERR_STORAGE;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return ERR_STORAGE;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

static void
sha256_hex(const void *data, size_t len, char out[65])
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void
paths_for(const char *hex, char *dir, size_t dn, char *path, size_t pn)
{
	snprintf(dir, dn, "%s/%.2s", upload_dir, hex);
	snprintf(path, pn, "%s/%s", dir, hex);
}

/* What an attachment is for: a short closed list the console labels. */
static bool
purpose_ok(const char *p)
{
	static const char *const purposes[] = { "report", "evidence", "feedback", "result", "visit" };

	for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++)
		if (strcmp(p, purposes[i]) == 0)
			return true;
	return false;
}

/* Anyone who reports, handles or verifies may add evidence to an event they can see. */
static bool
may_attach(const struct actor *who)
{
	return who->perms & (PERM_BIT(PERM_EVENT_REPORT) | PERM_BIT(PERM_EVENT_HANDLE) |
	    PERM_BIT(PERM_EVENT_VERIFY) | PERM_BIT(PERM_EVENT_TRIAGE));
}

int
attachment_add(struct db *db, const struct actor *who, int64_t event_id, const void *data,
    size_t len, const char *name, const char *purpose, int64_t *id, struct fail *f)
{
	const char *mime = attachment_sniff(data, len);
	char hex[65], dir[600], path[700], idtext[24];
	struct db_conn *w;
	struct db_stmt *s;
	struct ev e;
	int rc;

	if (!may_attach(who))
		return fail(f, ERR_FORBIDDEN, M_FORBIDDEN, NULL);
	if (len == 0)
		return fail(f, ERR_INVALID, M_EV_ATTACH_EMPTY, "body");
	if (mime == NULL)
		return fail(f, ERR_MEDIA_TYPE, M_EV_ATTACH_TYPE, "body");
	if (name && (utf8_length(name) > 100 || !utf8_is_clean_text(name, strlen(name))))
		return fail(f, ERR_INVALID, M_FIELD_TOO_LONG, "name");
	if (purpose && !purpose_ok(purpose))
		return fail(f, ERR_INVALID, M_EV_ATTACH_PURPOSE, "purpose");
	sha256_hex(data, len, hex);
	paths_for(hex, dir, sizeof dir, path, sizeof path);
	if ((rc = db_write_begin(db, &w)) != 0)
		return fail(f, rc, M_STORAGE_UNAVAILABLE, NULL);
	if ((rc = ev_load_visible(w, who, event_id, &e, f)) != 0)
		goto out;
	/* The file is on disk before the row that names it is committed. */
	if ((rc = write_durably(dir, path, data, len)) != 0) {
		rc = fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
		goto out;
	}
	if ((s = db_stmt(w, STMT_ATTACH_INSERT)) == NULL) {
		rc = db_stmt_error(w);
		goto out;
	}
	db_bind_int(s, 1, event_id);
	db_bind_text(s, 2, hex);
	db_bind_text(s, 3, mime);
	db_bind_int(s, 4, (int64_t)len);
	db_bind_text(s, 5, name ? name : "");
	db_bind_text(s, 6, purpose ? purpose : "report");
	if (who->user_id)
		db_bind_int(s, 7, who->user_id);
	db_bind_int(s, 8, clock_now_ms());
	if ((rc = db_run(s)) != 0)
		goto out;
	*id = db_last_id(w);
	if ((rc = timeline_add(w, who, event_id, "attach", "", "", name ? name : mime)) != 0)
		goto out;
	snprintf(idtext, sizeof idtext, "%lld", (long long)event_id);
	rc = audit_write(w, who, "event.attach", "event", idtext, NULL);
out:
	return txn_finish(db, rc, f);
}

int
attachment_read(struct db *db, const struct actor *who, int64_t id, char **data, size_t *len,
    char *mime, size_t mimelen, struct fail *f)
{
	struct db_conn *c = db_reader(db);
	char hex[65], dir[600], path[700];
	struct db_stmt *s;
	struct ev e;
	int64_t event_id;
	int rc;

	if (c == NULL || (s = db_stmt(c, STMT_ATTACHMENT)) == NULL)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	db_bind_int(s, 1, id);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? fail(f, rc, M_STORAGE_UNAVAILABLE, NULL)
			      : fail(f, ERR_NOT_FOUND, M_NOT_FOUND, NULL);
	snprintf(hex, sizeof hex, "%s", db_col_text(s, 0));
	snprintf(mime, mimelen, "%s", db_col_text(s, 1));
	event_id = db_col_int(s, 5);
	db_reset(s);
	if ((rc = ev_load_visible(c, who, event_id, &e, f)) != 0)
		return rc;
	paths_for(hex, dir, sizeof dir, path, sizeof path);
	if (file_read_all(path, ATTACHMENT_MAX_BYTES + 1, data, len) != 0)
		return fail(f, ERR_STORAGE, M_STORAGE_UNAVAILABLE, NULL);
	return 0;
}
