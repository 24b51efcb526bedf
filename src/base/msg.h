/*
 * The message catalogue: every sentence a user may read from the server,
 * in Simplified Chinese first and English second. Entries live in the
 * msg_*.def files (one per area) as MSG(id, "中文", "English") lines, so a
 * translation is one line next to its original.
 */
#ifndef PINGAN_BASE_MSG_H
#define PINGAN_BASE_MSG_H

#include <stdbool.h>

enum msg_id {
	MSG_NONE = 0,
#define MSG(id, zh, en) id,
#include "base/msg_core.def"
#include "base/msg_codes.def"
#undef MSG
	MSG_COUNT_
};

/* The text of a message in Chinese (en == false) or English. Never NULL. */
const char *msg_text(enum msg_id id, bool en);
/* The identifier as a string ("M_ID_BAD_CHECK"), for tests and logs. */
const char *msg_name(enum msg_id id);

#endif
