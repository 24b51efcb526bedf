#include "domain/audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "domain/page.h"
#include "domain/txn.h"

static uint8_t chain_key[32];

void
audit_set_key(const uint8_t key[32])
{
	memcpy(chain_key, key, sizeof chain_key);
}

struct audit_row {
	int64_t id, at, actor_id;
	const char *actor_name, *action, *entity, *entity_id, *detail, *client_addr, *request_id;
	uint8_t prev[AUDIT_HASH_BYTES];
};

static void
mac_int(crypto_auth_hmacsha256_state *st, int64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	crypto_auth_hmacsha256_update(st, b, sizeof b);
}

static void
mac_str(crypto_auth_hmacsha256_state *st, const char *s)
{
	size_t n = strlen(s);

	mac_int(st, (int64_t)n);
	crypto_auth_hmacsha256_update(st, (const uint8_t *)s, n);
}

/* The row's hash: HMAC(key, prev || id || at || actor || every text field, length-prefixed). */
static void
row_hash(const struct audit_row *r, uint8_t out[AUDIT_HASH_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, chain_key, sizeof chain_key);
	crypto_auth_hmacsha256_update(&st, r->prev, AUDIT_HASH_BYTES);
	mac_int(&st, r->id);
	mac_int(&st, r->at);
	mac_int(&st, r->actor_id);
	mac_str(&st, r->actor_name);
	mac_str(&st, r->action);
	mac_str(&st, r->entity);
	mac_str(&st, r->entity_id);
	mac_str(&st, r->detail);
	mac_str(&st, r->client_addr);
	mac_str(&st, r->request_id);
	crypto_auth_hmacsha256_final(&st, out);
}

/* The anchor's MAC binds the newest id to the newest hash. */
static void
anchor_mac(int64_t last_id, const uint8_t last_hash[AUDIT_HASH_BYTES], uint8_t out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, chain_key, sizeof chain_key);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)"anchor", 6);
	mac_int(&st, last_id);
	crypto_auth_hmacsha256_update(&st, last_hash, AUDIT_HASH_BYTES);
	crypto_auth_hmacsha256_final(&st, out);
}

/* Reads the chain head: last id and hash (0 and zeros for an empty log). */
static int
chain_head(struct db_conn *c, int64_t *last_id, uint8_t last_hash[AUDIT_HASH_BYTES], bool *found)
{
	struct db_stmt *s = db_stmt(c, STMT_AUDIT_ANCHOR_GET);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	*last_id = 0;
	*found = false;
	memset(last_hash, 0, AUDIT_HASH_BYTES);
	rc = db_step(s);
	if (rc == DB_ROW) {
		size_t n;
		const void *h = db_col_blob(s, 1, &n);

		*last_id = db_col_int(s, 0);
		if (n == AUDIT_HASH_BYTES)
			memcpy(last_hash, h, n);
		*found = true;
		db_reset(s);
		return 0;
	}
	return rc;
}

int
audit_write(struct db_conn *w, const struct actor *who, const char *action,
    const char *entity, const char *entity_id, const char *detail)
{
	struct audit_row r;
	uint8_t hash[AUDIT_HASH_BYTES], mac[32];
	struct db_stmt *s;
	bool found;
	int rc;

	rc = chain_head(w, &r.id, r.prev, &found);
	if (rc != 0)
		return rc;
	r.id++;
	r.at = clock_now_ms();
	r.actor_id = who ? who->user_id : 0;
	r.actor_name = who ? who->username : "system";
	r.action = action;
	r.entity = entity;
	r.entity_id = entity_id ? entity_id : "";
	r.detail = detail ? detail : "{}";
	r.client_addr = who ? who->client_addr : "";
	r.request_id = who ? who->request_id : "";
	row_hash(&r, hash);

	s = db_stmt(w, STMT_AUDIT_INSERT);
	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, r.id);
	db_bind_int(s, 2, r.at);
	if (r.actor_id)
		db_bind_int(s, 3, r.actor_id);
	db_bind_text(s, 4, r.actor_name);
	db_bind_text(s, 5, r.action);
	db_bind_text(s, 6, r.entity);
	db_bind_text(s, 7, r.entity_id);
	db_bind_text(s, 8, r.detail);
	db_bind_text(s, 9, r.client_addr);
	db_bind_text(s, 10, r.request_id);
	db_bind_blob(s, 11, r.prev, AUDIT_HASH_BYTES);
	db_bind_blob(s, 12, hash, AUDIT_HASH_BYTES);
	rc = db_run(s);
	if (rc != 0)
		return rc;

	anchor_mac(r.id, hash, mac);
	s = db_stmt(w, STMT_AUDIT_ANCHOR_PUT);
	if (s == NULL)
		return db_stmt_error(w);
	db_bind_int(s, 1, r.id);
	db_bind_blob(s, 2, hash, AUDIT_HASH_BYTES);
	db_bind_blob(s, 3, mac, sizeof mac);
	return db_run(s);
}

/* Fills r from the current row of an AUDIT_COLS statement; stored hash into stored. */
static void
row_from_stmt(struct db_stmt *s, struct audit_row *r, uint8_t stored[AUDIT_HASH_BYTES],
    bool *sizes_ok)
{
	size_t np, nh;
	const void *p, *h;

	r->id = db_col_int(s, 0);
	r->at = db_col_int(s, 1);
	r->actor_id = db_col_int(s, 2);
	r->actor_name = db_col_text(s, 3);
	r->action = db_col_text(s, 4);
	r->entity = db_col_text(s, 5);
	r->entity_id = db_col_text(s, 6);
	r->detail = db_col_text(s, 7);
	r->client_addr = db_col_text(s, 8);
	r->request_id = db_col_text(s, 9);
	p = db_col_blob(s, 10, &np);
	h = db_col_blob(s, 11, &nh);
	*sizes_ok = np == AUDIT_HASH_BYTES && nh == AUDIT_HASH_BYTES;
	memset(r->prev, 0, AUDIT_HASH_BYTES);
	memset(stored, 0, AUDIT_HASH_BYTES);
	if (*sizes_ok) {
		memcpy(r->prev, p, AUDIT_HASH_BYTES);
		memcpy(stored, h, AUDIT_HASH_BYTES);
	}
}

static int
broken(struct audit_check *r, int64_t id, const char *why)
{
	r->first_bad_id = id;
	snprintf(r->why, sizeof r->why, "%s", why);
	return ERR_CONFLICT;
}

/* Checks the anchor against the last row seen by the walk. */
static int
verify_anchor(struct db_conn *c, struct audit_check *r, int64_t last_id,
    const uint8_t last_hash[AUDIT_HASH_BYTES])
{
	struct db_stmt *s = db_stmt(c, STMT_AUDIT_ANCHOR_GET);
	uint8_t mac[32];
	size_t nh, nm;
	const void *h, *m;
	int64_t anchor_id;
	int rc;

	if (s == NULL)
		return ERR_INTERNAL;
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : broken(r, last_id + 1, "chain anchor is missing");
	anchor_id = db_col_int(s, 0);
	h = db_col_blob(s, 1, &nh);
	m = db_col_blob(s, 2, &nm);
	anchor_mac(anchor_id, last_hash, mac);
	rc = 0;
	if (anchor_id != last_id)
		rc = broken(r, last_id + 1, "rows after the last one present were deleted");
	else if (nh != AUDIT_HASH_BYTES || memcmp(h, last_hash, nh) != 0 || nm != sizeof mac ||
	    sodium_memcmp(m, mac, sizeof mac) != 0)
		rc = broken(r, last_id, "chain anchor does not match the newest row");
	db_reset(s);
	return rc;
}

int
audit_verify(struct db *db, struct audit_check *r)
{
	struct db_conn *c = db_reader(db);
	uint8_t prev[AUDIT_HASH_BYTES] = { 0 }, stored[AUDIT_HASH_BYTES], want[AUDIT_HASH_BYTES];
	int64_t expect_id = 1;
	int rc = 0;

	memset(r, 0, sizeof *r);
	if (c == NULL)
		return ERR_STORAGE;
	for (;;) {
		struct db_stmt *s = db_stmt(c, STMT_AUDIT_WALK);
		int n = 0;

		if (s == NULL)
			return db_stmt_error(c);
		db_bind_int(s, 1, expect_id - 1);
		while ((rc = db_step(s)) == DB_ROW) {
			struct audit_row row;
			bool sizes_ok;

			n++;
			row_from_stmt(s, &row, stored, &sizes_ok);
			if (row.id != expect_id) {
				db_reset(s);
				return broken(r, expect_id, "a row is missing (deleted)");
			}
			if (!sizes_ok || memcmp(row.prev, prev, AUDIT_HASH_BYTES) != 0) {
				db_reset(s);
				return broken(r, row.id, "link to the previous row is broken");
			}
			row_hash(&row, want);
			if (sodium_memcmp(want, stored, AUDIT_HASH_BYTES) != 0) {
				db_reset(s);
				return broken(r, row.id, "row content was changed");
			}
			memcpy(prev, stored, AUDIT_HASH_BYTES);
			expect_id++;
			r->rows++;
		}
		if (rc < 0)
			return rc;
		if (n == 0)
			break;
	}
	if (r->rows == 0)
		return broken(r, 1, "the audit log is empty: it was erased");
	return verify_anchor(c, r, expect_id - 1, prev);
}

static json_t *
row_json(struct db_stmt *s)
{
	char at[40];
	json_t *detail = json_loads(db_col_text(s, 7), 0, NULL);

	clock_format_iso(db_col_int(s, 1), at, sizeof at);
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
	    "id", (json_int_t)db_col_int(s, 0), "at", at,
	    "actor_id", (json_int_t)db_col_int(s, 2), "actor", db_col_text(s, 3),
	    "action", db_col_text(s, 4), "entity", db_col_text(s, 5),
	    "entity_id", db_col_text(s, 6), "detail", detail ? detail : json_object(),
	    "client_addr", db_col_text(s, 8), "request_id", db_col_text(s, 9));
}

/* A row of the list; a row whose text cannot be shown still appears, marked. */
static json_t *
list_row(struct db_stmt *s, void *ctx)
{
	json_t *row = row_json(s);

	(void)ctx;
	return row ? row : json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(s, 0), "action",
	    "(unreadable row)");
}

int
audit_list(struct db *db, const struct audit_filter *f, json_t **rows, int64_t *next)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *s;

	if (c == NULL || (s = db_stmt(c, STMT_AUDIT_LIST)) == NULL)
		return ERR_STORAGE;
	db_bind_int(s, 1, f->cursor > 0 ? f->cursor : INT64_MAX);
	db_bind_int(s, 2, f->actor_id);
	db_bind_text(s, 3, f->action ? f->action : "");
	db_bind_text(s, 4, f->entity ? f->entity : "");
	db_bind_text(s, 5, f->entity_id ? f->entity_id : "");
	db_bind_int(s, 6, f->from_ms);
	db_bind_int(s, 7, f->to_ms > 0 ? f->to_ms : INT64_MAX);
	db_bind_int(s, 8, f->limit + 1);
	return page_collect(s, f->limit, list_row, NULL, rows, next);
}

int
audit_export_csv(struct db *db, const struct actor *who, const struct audit_filter *f,
    struct buf *out)
{
	struct audit_filter page = *f;
	struct db_conn *w;
	int64_t rows = 0;
	char detail[64];
	int rc;

	(void)buf_addstr(out, "id,at,actor_id,actor,action,entity,entity_id,detail,client_addr,"
			      "request_id,hash\r\n");
	page.limit = 1000;
	page.cursor = 0;
	do {
		struct db_conn *c = db_reader(db);
		struct db_stmt *s;
		int n = 0;

		if (c == NULL || (s = db_stmt(c, STMT_AUDIT_LIST)) == NULL)
			return ERR_STORAGE;
		db_bind_int(s, 1, page.cursor > 0 ? page.cursor : INT64_MAX);
		db_bind_int(s, 2, page.actor_id);
		db_bind_text(s, 3, page.action ? page.action : "");
		db_bind_text(s, 4, page.entity ? page.entity : "");
		db_bind_text(s, 5, page.entity_id ? page.entity_id : "");
		db_bind_int(s, 6, page.from_ms);
		db_bind_int(s, 7, page.to_ms > 0 ? page.to_ms : INT64_MAX);
		db_bind_int(s, 8, page.limit);
		while ((rc = db_step(s)) == DB_ROW) {
			char at[40], hex[2 * AUDIT_HASH_BYTES + 1];
			size_t hn;
			const void *h = db_col_blob(s, 11, &hn);

			clock_format_iso(db_col_int(s, 1), at, sizeof at);
			hex[0] = '\0';
			if (h && hn == AUDIT_HASH_BYTES)
				sodium_bin2hex(hex, sizeof hex, h, hn);
			(void)buf_addf(out, "%lld,%s,%lld,", (long long)db_col_int(s, 0), at,
			    (long long)db_col_int(s, 2));
			for (int col = 3; col <= 9; col++) {
				(void)csv_write_field(out, db_col_text(s, col));
				(void)buf_addch(out, ',');
			}
			if (buf_addf(out, "%s\r\n", hex) != 0) {
				db_reset(s);
				return ERR_TOO_LARGE;
			}
			page.cursor = db_col_int(s, 0);
			n++;
			rows++;
		}
		if (rc < 0)
			return rc;
		if (n < page.limit)
			break;
	} while (page.cursor > 1);
	if ((rc = db_write_begin(db, &w)) != 0)
		return rc;
	snprintf(detail, sizeof detail, "{\"rows\":%lld}", (long long)rows);
	return txn_finish(db, audit_write(w, who, "audit.export", "audit", "", detail), NULL);
}
