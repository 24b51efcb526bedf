#include "base/msg.h"

struct msg_entry {
	const char *name;
	const char *zh;
	const char *en;
};

static const struct msg_entry catalogue[MSG_COUNT_] = {
	[MSG_NONE] = { "MSG_NONE", "", "" },
#define MSG(id, zh, en) [id] = { #id, zh, en },
#include "base/msg_core.def"
#include "base/msg_codes.def"
#undef MSG
};

const char *
msg_text(enum msg_id id, bool en)
{
	if ((unsigned)id >= MSG_COUNT_)
		return "";
	return en ? catalogue[id].en : catalogue[id].zh;
}

const char *
msg_name(enum msg_id id)
{
	if ((unsigned)id >= MSG_COUNT_)
		return "?";
	return catalogue[id].name;
}
