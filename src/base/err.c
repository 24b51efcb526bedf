#include "base/err.h"

struct err_info {
	int code;
	int status;
	const char *str;
};

static const struct err_info errs[] = {
#define X(name, status, str) { name, status, str },
	ERR_LIST(X)
#undef X
};

static const struct err_info *
err_find(int code)
{
	for (unsigned i = 0; i < sizeof errs / sizeof errs[0]; i++)
		if (errs[i].code == code)
			return &errs[i];
	return 0;
}

int
err_status(int code)
{
	const struct err_info *e = err_find(code);

	return e ? e->status : 500;
}

const char *
err_string(int code)
{
	const struct err_info *e = err_find(code);

	return e ? e->str : "internal_error";
}
