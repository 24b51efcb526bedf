#include "domain/page.h"

int
page_collect(struct db_stmt *s, int limit, page_row_fn row, void *ctx, json_t **rows,
    int64_t *next)
{
	json_t *arr = json_array();
	int64_t last = 0;
	int rc, n = 0;

	*next = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *j;

		if (n == limit) {
			*next = last;
			db_reset(s);
			rc = DB_DONE;
			break;
		}
		last = db_col_int(s, 0);
		j = row(s, ctx);
		if (j)
			json_array_append_new(arr, j);
		n++;
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*rows = arr;
	return 0;
}
