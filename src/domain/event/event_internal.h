/* Shared by the files of the event hub only. */
#ifndef PINGAN_DOMAIN_EVENT_INTERNAL_H
#define PINGAN_DOMAIN_EVENT_INTERNAL_H

#include "domain/event/event.h"
#include "domain/json_time.h"

struct category {
	int64_t id;
	char code[32];
	char name[132];           /* 32 characters of up to 4 bytes */
	char name_en[260];
	char parent_code[32];
	char kind[16];
	bool citizen_reportable;
	int sign_days, finish_days;
	int urgent_sign_hours, urgent_finish_hours;
	int critical_sign_hours, critical_finish_hours;
	bool auto_escalate;
	bool retired;
	int64_t version;
};

/* An event row as the workflow needs it. */
struct ev {
	int64_t id;
	char case_no[32];
	enum event_state state;
	int64_t version;
	char path[160];
	int64_t category_id;
	char kind[16];
	char urgency[12];
	char level[12];
	int64_t accepted_at, deadline_at, lead_unit_id;
	int reopen_count, extension_used;
	bool on_the_spot, sampled, supervised, visited, extension_pending;
	int64_t reported_at, closed_at, accept_deadline;
	char title[404];          /* 100 characters of up to 4 bytes */
	char color[8];
};

const struct calendar *event_calendar(void);
/* Closed, rejected or merged: no clock runs and nothing more is done to it. */
bool event_state_ended(enum event_state s);
int category_load(struct db_conn *c, const char *code, int64_t id, struct category *cat);
json_t *category_json(const struct category *cat, bool en);

/* Loads an event; ERR_NOT_FOUND when absent or not visible to who. */
int ev_load_visible(struct db_conn *c, const struct actor *who, int64_t id, struct ev *e,
    struct fail *f);
/* True when who may see e: in division scope and, for department handlers, dispatched to their unit. */
bool ev_visible(struct db_conn *c, const struct actor *who, const struct ev *e);
/* Department handlers see only events dispatched to their unit. */
bool actor_unit_bound(const struct actor *who);

int timeline_add(struct db_conn *w, const struct actor *who, int64_t event_id, const char *action,
    const char *from, const char *to, const char *note);

/* Deadline from an instant: working days for normal urgency, hours otherwise. */
int64_t deadline_sign(const struct category *cat, const char *urgency, int64_t from);
int64_t deadline_finish(const struct category *cat, const char *urgency, int64_t from);
int64_t deadline_accept(const struct category *cat, const char *urgency, int64_t from);
/* End of the local day that is days calendar days after from (petition rules count days). */
int64_t deadline_calendar_days(int64_t from, int days);

/* A deadline clock's colour: yellow from 75 % of its time, red once past its end. */
enum colour { COLOUR_GREEN, COLOUR_YELLOW, COLOUR_RED };
/*
 * Colour at now of the clock running from start to end (green when either is
 * unset); lowers *next (0: never) to the first instant after now at which that
 * colour changes, so the scanner knows when to look again.
 */
enum colour clock_watch(int64_t start, int64_t end, int64_t now, int64_t *next);

/* Writes a notification to a user and/or a unit. */
int notify(struct db_conn *w, int64_t user_id, int64_t unit_id, int64_t event_id,
    const char *kind, const char *message);

/* The summary columns of an event list row (EV_SUMMARY), as fields of the open object. */
void event_summary_fields(struct jw *w, struct db_stmt *s, bool en);

/* Publishes a change to the live stream (SSE) after commit. */
void event_bus_publish(const char *type, int64_t event_id, const char *path);

#endif
