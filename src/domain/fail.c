#include "domain/fail.h"

int
fail(struct fail *f, int code, enum msg_id msg, const char *field)
{
	if (f) {
		f->code = code;
		f->msg = msg;
		f->field = field;
	}
	return code;
}
