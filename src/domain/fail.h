/*
 * Why a domain call failed, for the reply: the enum err_code (which fixes
 * the HTTP status), a catalogue message and the field it concerns. Domain
 * functions return the code and fill a struct fail the caller provides.
 */
#ifndef PINGAN_DOMAIN_FAIL_H
#define PINGAN_DOMAIN_FAIL_H

#include "base/msg.h"

struct fail {
	int code;               /* negative enum err_code, 0 when nothing failed */
	enum msg_id msg;
	const char *field;      /* static string or NULL */
};

/* Records the failure in f (if not NULL) and returns code, for "return fail(...)". */
int fail(struct fail *f, int code, enum msg_id msg, const char *field);

#endif
