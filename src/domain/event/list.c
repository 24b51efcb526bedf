/* Lists of events: filters, inboxes, full-text search in Chinese, duplicates. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "db/query.h"
#include "domain/auth/roles.h"
#include "domain/event/event_internal.h"
#include "domain/org/division.h"
#include "domain/page.h"

/* FTS5 trigram needs 3 characters; the text becomes one quoted phrase so no query syntax leaks in. */
static void
fts_phrase(const char *q, char *out, size_t n, bool *use_fts)
{
	size_t len = 0;

	*use_fts = q && utf8_length(q) >= 3;
	out[0] = '\0';
	if (!*use_fts)
		return;
	out[len++] = '"';
	for (; *q && len + 3 < n; q++) {
		if (*q == '"')
			out[len++] = '"';
		out[len++] = *q;
	}
	out[len++] = '"';
	out[len] = '\0';
}

static bool
set(const char *s)
{
	return s && *s;
}

static const struct { const char *name; uint32_t bit; } inboxes[] = {
	{ "to_accept", EVF_INBOX_ACCEPT }, { "to_dispatch", EVF_INBOX_DISPATCH },
	{ "to_sign", EVF_INBOX_SIGN }, { "handling", EVF_INBOX_HANDLING },
	{ "to_verify", EVF_INBOX_VERIFY }, { "to_visit", EVF_INBOX_VISIT },
	{ "to_sample", EVF_INBOX_SAMPLE },
};

bool
event_inbox_known(const char *name)
{
	for (size_t i = 0; i < sizeof inboxes / sizeof inboxes[0]; i++)
		if (strcmp(name, inboxes[i].name) == 0)
			return true;
	return false;
}

/* Which fragments of the query this filter needs. */
static uint32_t
filter_bits(const struct actor *who, const struct event_filter *flt, const char *path)
{
	uint32_t b = 0;

	b |= set(flt->state) ? EVF_STATE : 0;
	b |= set(flt->category_code) ? EVF_CATEGORY : 0;
	b |= set(flt->channel) ? EVF_CHANNEL : 0;
	b |= set(path) ? EVF_DIVISION : 0;
	b |= flt->unit_id ? EVF_UNIT : 0;
	b |= set(flt->urgency) ? EVF_URGENCY : 0;
	b |= set(flt->color) ? EVF_COLOR : 0;
	b |= flt->supervised >= 0 ? EVF_SUPERVISED : 0;
	b |= flt->backlog >= 0 ? EVF_BACKLOG : 0;
	b |= set(flt->kind) ? EVF_KIND : 0;
	b |= flt->from_ms > 0 ? EVF_FROM : 0;
	b |= flt->to_ms > 0 ? EVF_TO : 0;
	b |= actor_unit_bound(who) ? EVF_UNIT_BOUND : 0;
	b |= flt->open_only ? EVF_OPEN : 0;
	if (set(flt->q))
		b |= utf8_length(flt->q) >= 3 ? EVF_FTS : EVF_LIKE;
	for (size_t i = 0; set(flt->inbox) && i < sizeof inboxes / sizeof inboxes[0]; i++)
		if (strcmp(flt->inbox, inboxes[i].name) == 0)
			b |= inboxes[i].bit;
	return b;
}

/* Binds every parameter the shapes may use; those a shape lacks are ignored by SQLite. */
static void
bind_filters(struct db_stmt *s, const struct actor *who, const struct event_filter *flt,
    const char *path, const char *path_end)
{
	char phrase[512];
	bool fts;

	fts_phrase(flt->q, phrase, sizeof phrase, &fts);
	db_bind_int(s, 1, flt->cursor > 0 ? flt->cursor : INT64_MAX);
	db_bind_text(s, 2, flt->state ? flt->state : "");
	db_bind_text(s, 3, flt->category_code ? flt->category_code : "");
	db_bind_text(s, 4, flt->channel ? flt->channel : "");
	db_bind_text(s, 5, path);
	db_bind_int(s, 6, flt->unit_id);
	db_bind_text(s, 7, flt->urgency ? flt->urgency : "");
	db_bind_text(s, 8, flt->color ? flt->color : "");
	db_bind_int(s, 9, flt->supervised);
	db_bind_int(s, 10, flt->backlog);
	db_bind_text(s, 11, flt->kind ? flt->kind : "");
	db_bind_int(s, 12, flt->from_ms);
	db_bind_int(s, 13, flt->to_ms > 0 ? flt->to_ms : INT64_MAX);
	db_bind_int(s, 14, actor_unit_bound(who) ? who->unit_id : 0);
	db_bind_int(s, 15, flt->limit + 1);
	db_bind_text(s, 16, fts ? phrase : "");
	db_bind_text(s, 17, !fts && flt->q ? flt->q : "");
	db_bind_text(s, 18, path_end);
	db_bind_text(s, 19, flt->inbox ? flt->inbox : "");
	db_bind_int(s, 20, (who->roles & (1u << ROLE_COUNTY_CENTER)) || who->scope_all_events);
	db_bind_int(s, 21, actor_unit_bound(who) || (who->roles & (1u << ROLE_DEPARTMENT)) ?
	    who->unit_id : 0);
}

/* The path range of the division filter ("" when none; "/none/" when unknown). */
static void
division_range(struct db_conn *c, const char *code, char *path, char *end, size_t n)
{
	struct division d;

	path[0] = end[0] = '\0';
	if (code == NULL || *code == '\0')
		return;
	if (division_load(c, code, &d) != 0) {
		snprintf(path, n, "/none/");
		snprintf(end, n, "/none0");
		return;
	}
	snprintf(path, n, "%s", d.path);
	division_path_end(d.path, end, n);
}

static int
count_events(struct db_conn *c, const struct actor *who, const struct event_filter *flt,
    const char *path, const char *end, int64_t *total)
{
	struct db_stmt *s = db_event_query(c, filter_bits(who, flt, path) | EVF_COUNT);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	bind_filters(s, who, flt, path, end);
	db_bind_int(s, 1, INT64_MAX);
	if ((rc = db_step(s)) != DB_ROW)
		return rc < 0 ? rc : ERR_INTERNAL;
	*total = db_col_int(s, 0);
	db_reset(s);
	return 0;
}

static void
summary_row(struct jw *w, struct db_stmt *s, void *ctx)
{
	jw_object(w, NULL);
	event_summary_fields(w, s, *(bool *)ctx);
	jw_end(w);
}

int
event_list_render(struct db *db, const struct actor *who, const struct event_filter *flt,
    bool en, struct buf *out)
{
	struct db_conn *c = db_reader(db);
	char path[DIVISION_PATH_MAX], end[DIVISION_PATH_MAX];
	int64_t next, total = -1;
	struct db_stmt *s;
	struct jw w;
	int rc;

	if (c == NULL)
		return ERR_STORAGE;
	scope_enter(who);
	division_range(c, flt->division_code, path, end, sizeof path);
	if (flt->with_total && (rc = count_events(c, who, flt, path, end, &total)) != 0)
		return rc;
	if ((s = db_event_query(c, filter_bits(who, flt, path))) == NULL)
		return db_stmt_error(c);
	bind_filters(s, who, flt, path, end);
	jw_init(&w, out);
	jw_object(&w, NULL);
	jw_array(&w, "items");
	if ((rc = page_write(s, flt->limit, summary_row, &en, &w, &next)) != 0)
		return rc;
	jw_end(&w);
	if (next)
		jw_int(&w, "next_cursor", next);
	else
		jw_null(&w, "next_cursor");
	if (total >= 0)
		jw_int(&w, "total", total);
	jw_end(&w);
	return jw_finish(&w);
}

int
event_list(struct db *db, const struct actor *who, const struct event_filter *flt, bool en,
    json_t **rows, int64_t *next, int64_t *total)
{
	struct buf b;
	json_t *page;
	int rc;

	buf_init(&b, EVENT_LIST_TEXT_MAX);
	if ((rc = event_list_render(db, who, flt, en, &b)) == 0) {
		page = json_loadb(buf_str(&b), b.len, 0, NULL);
		if (page == NULL) {
			rc = ERR_INTERNAL;
		} else {
			*rows = json_incref(json_object_get(page, "items"));
			*next = json_integer_value(json_object_get(page, "next_cursor"));
			*total = json_object_get(page, "total") ?
			    json_integer_value(json_object_get(page, "total")) : -1;
			json_decref(page);
		}
	}
	buf_release(&b);
	return rc;
}

/* Titles sharing a run of three characters count as similar (cheap, works for Chinese). */
static bool
similar(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (utf8_length(a) < 3 || utf8_length(b) < 3)
		return strcmp(a, b) == 0;
	for (size_t i = 0; i < la; i++) {
		size_t j = i, k = 0;
		char tri[16];

		if (((unsigned char)a[i] & 0xc0) == 0x80)
			continue;
		while (j < la && k < 3) {
			j++;
			while (j < la && ((unsigned char)a[j] & 0xc0) == 0x80)
				j++;
			k++;
		}
		if (k < 3 || j - i >= sizeof tri)
			break;
		memcpy(tri, a + i, j - i);
		tri[j - i] = '\0';
		if (strstr(b, tri))
			return true;
	}
	return false;
}

int
event_duplicates(struct db *db, const struct actor *who, const struct event_input *in,
    json_t **rows)
{
	struct db_conn *c = db_reader(db);
	struct division d;
	struct db_stmt *s;
	int64_t at = in->occurred_at ? in->occurred_at : clock_now_ms(), cat_id;
	json_t *arr = json_array();

	*rows = arr;
	if (c == NULL || division_load(c, in->division_code ? in->division_code : "", &d) != 0)
		return 0;
	if ((s = db_stmt(c, STMT_CAT_BY_CODE)) == NULL)
		return db_stmt_error(c);
	db_bind_text(s, 1, in->category_code ? in->category_code : "");
	if (db_step(s) != DB_ROW)
		return 0;
	cat_id = db_col_int(s, 0);
	db_reset(s);
	scope_enter(who);
	if ((s = db_stmt(c, STMT_EV_DUPES)) == NULL)
		return db_stmt_error(c);
	db_bind_int(s, 1, d.id);
	db_bind_int(s, 2, cat_id);
	db_bind_int(s, 3, at - 3 * 86400000LL);
	db_bind_int(s, 4, at + 3 * 86400000LL);
	while (db_step(s) == DB_ROW) {
		if (in->title && !similar(in->title, db_col_text(s, 2)))
			continue;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s}", "id",
		    (json_int_t)db_col_int(s, 0), "case_no", db_col_text(s, 1),
		    "title", db_col_text(s, 2), "state", db_col_text(s, 3)));
	}
	return 0;
}
