#include "domain/page.h"

/*
 * The one keyset loop: calls each(s, ctx) for up to limit rows and sets *next
 * to the key (column 0) of the last of them when another row follows.
 */
static int
page_each(struct db_stmt *s, int limit, void (*each)(struct db_stmt *, void *), void *ctx,
    int64_t *next)
{
	int64_t last = 0;
	int rc, n = 0;

	*next = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (n == limit) {
			*next = last;
			db_reset(s);
			return 0;
		}
		last = db_col_int(s, 0);
		each(s, ctx);
		n++;
	}
	return rc < 0 ? rc : 0;
}

struct collect {
	json_t *arr;
	page_row_fn row;
	void *ctx;
};

static void
collect_row(struct db_stmt *s, void *ctx)
{
	struct collect *c = ctx;
	json_t *j = c->row(s, c->ctx);

	if (j)
		json_array_append_new(c->arr, j);
}

int
page_collect(struct db_stmt *s, int limit, page_row_fn row, void *ctx, json_t **rows,
    int64_t *next)
{
	struct collect c = { json_array(), row, ctx };
	int rc = page_each(s, limit, collect_row, &c, next);

	if (rc < 0) {
		json_decref(c.arr);
		return rc;
	}
	*rows = c.arr;
	return 0;
}

struct write {
	struct jw *w;
	page_write_fn row;
	void *ctx;
};

static void
write_row(struct db_stmt *s, void *ctx)
{
	struct write *x = ctx;

	x->row(x->w, s, x->ctx);
}

int
page_write(struct db_stmt *s, int limit, page_write_fn row, void *ctx, struct jw *w,
    int64_t *next)
{
	struct write x = { w, row, ctx };

	return page_each(s, limit, write_row, &x, next);
}
