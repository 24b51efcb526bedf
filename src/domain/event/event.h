/*
 * The event hub (一站式受理、一揽子调处、全链条服务): every dispute, hazard,
 * petition, help request and incident is one event that moves through the
 * closed loop reported -> accepted -> dispatched -> handling -> handled ->
 * closed, with a timeline entry and an audit row for every action, two
 * deadline clocks (the unit's and the case's) and nothing lost on the way.
 */
#ifndef PINGAN_DOMAIN_EVENT_H
#define PINGAN_DOMAIN_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

struct calendar;

/* States of the closed loop. */
#define EVENT_STATE_LIST(X)                         \
	X(ST_REPORTED, "reported", "待受理", "Reported")   \
	X(ST_ACCEPTED, "accepted", "待派遣", "Accepted")   \
	X(ST_DISPATCHED, "dispatched", "待签收", "Dispatched") \
	X(ST_HANDLING, "handling", "办理中", "Handling")   \
	X(ST_HANDLED, "handled", "待核查", "Handled")      \
	X(ST_CLOSED, "closed", "已办结", "Closed")         \
	X(ST_REJECTED, "rejected", "不予受理", "Rejected") \
	X(ST_MERGED, "merged", "已合并", "Merged")

enum event_state {
#define X(id, name, zh, en) id,
	EVENT_STATE_LIST(X)
#undef X
	ST_COUNT_
};

/* Every action a user can take on an event: one API call each. */
#define EVENT_ACTION_LIST(X)  \
	X(ACT_ACCEPT, "accept")       \
	X(ACT_REJECT, "reject")       \
	X(ACT_MERGE, "merge")         \
	X(ACT_DISPATCH, "dispatch")   \
	X(ACT_SIGN, "sign")           \
	X(ACT_RETURN, "return")       \
	X(ACT_FEEDBACK, "feedback")   \
	X(ACT_VERIFY, "verify")       \
	X(ACT_VISIT, "visit")         \
	X(ACT_ESCALATE, "escalate")   \
	X(ACT_SUPERVISE, "supervise") \
	X(ACT_EXTEND_REQUEST, "extend_request") \
	X(ACT_EXTEND_DECIDE, "extend_decide")   \
	X(ACT_SAMPLE, "sample")

enum event_action {
#define X(id, name) id,
	EVENT_ACTION_LIST(X)
#undef X
	ACT_COUNT_
};

const char *event_state_name(enum event_state s);
const char *event_state_label(enum event_state s, bool en);
enum event_state event_state_by_name(const char *name);   /* ST_COUNT_ when unknown */
enum event_action event_action_by_name(const char *name); /* ACT_COUNT_ when unknown */
const char *event_action_name(enum event_action a);

/* Sets the holiday calendar used for deadlines (owned by the caller, lives as long as the server). */
void event_set_calendar(const struct calendar *cal);
/* County code of case numbers for events whose division path names none. */
void event_set_county_code(const char *code);

struct party_input {
	const char *name;
	const char *id_number;
	const char *phone;
	const char *role;
};

#define EVENT_MAX_PARTIES 10

struct event_input {
	const char *channel;
	const char *category_code;
	const char *title;
	const char *description;
	const char *division_code;
	const char *address;
	bool has_point;
	double lat, lng;
	int64_t occurred_at;
	const char *reporter_name;
	const char *reporter_phone;
	bool anonymous;
	const char *urgency;
	const char *tags;
	struct party_input parties[EVENT_MAX_PARTIES];
	int nparties;
	/* Petitions. */
	const char *petition_level;
	const char *leader_in_charge;
	int repeat_count;
	/* A grid worker's on-the-spot resolution: created closed with this result. */
	bool on_the_spot;
	const char *result;
	const char *idempotency_key;   /* optional; the same key returns the same event */
};

/*
 * Creates an event (state reported, or closed for an on-the-spot
 * resolution) with its parties (personal data encrypted), a timeline entry
 * and an audit row in one transaction. *id gets the event; *replayed is
 * true when the idempotency key had already created it.
 */
int event_create(struct db *db, const struct actor *who, const struct event_input *in,
    int64_t *id, bool *replayed, struct fail *f);

/* Arguments of a workflow action; which ones matter depends on the action. */
struct action_input {
	const char *note;          /* reason, result, comment */
	int64_t into;              /* merge: the event kept */
	int64_t lead_unit;         /* dispatch */
	int64_t co_units[8];
	int nco_units;
	int64_t deadline;          /* dispatch: overridden finish deadline (needs note) */
	const char *deadline_reason;
	bool ok;                   /* verify, extend_decide, sample */
	const char *satisfaction;  /* visit */
	bool reopen;               /* visit: reopen when unsatisfied */
	int days;                  /* extend_request */
	int64_t supervise_due;     /* supervise */
	int64_t attachment_ids[8]; /* feedback */
	int nattachments;
};

/*
 * Performs one action on an event in scope, from an allowed state, by an
 * allowed actor, when version matches (0: not checked). Writes the change,
 * the timeline entry and the audit row in one transaction. Failures:
 * ERR_NOT_FOUND (absent or out of scope), ERR_FORBIDDEN (no right for this
 * action), ERR_CONFLICT (not allowed in this state: f->msg says why),
 * ERR_STALE (version), ERR_INVALID (bad arguments).
 */
int event_act(struct db *db, const struct actor *who, int64_t id, enum event_action action,
    const struct action_input *in, int64_t version, struct fail *f);

/* The longest text of one event (its timeline grows with every step). */
#define EVENT_TEXT_MAX (16u << 20)
/*
 * One event with parties (masked), dispatches, timeline, attachments and the
 * actions the actor may take, as JSON text appended to out.
 */
int event_render(struct db *db, const struct actor *who, int64_t id, bool en, struct buf *out,
    struct fail *f);
/* The same as a JSON tree (caller owns *out). */
int event_get(struct db *db, const struct actor *who, int64_t id, bool en, json_t **out,
    struct fail *f);
/* Reveals the clear personal data of an event (needs pii.reveal and a reason; audited). */
int event_reveal(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f);

struct event_filter {
	const char *state;
	const char *category_code;
	const char *channel;
	const char *division_code;
	int64_t unit_id;
	const char *urgency;
	const char *color;
	int supervised;          /* -1: any */
	int backlog;             /* -1: any */
	const char *kind;
	int64_t from_ms, to_ms;  /* reported_at range */
	const char *q;           /* full text */
	const char *inbox;       /* to_accept | to_sign | handling | to_verify | to_visit */
	bool open_only;          /* not closed, rejected or merged */
	int64_t cursor;
	int limit;
	bool with_total;
};

/* True for the inbox names event_list knows. */
bool event_inbox_known(const char *name);
/* The longest text of one page of events (200 summaries fit many times over). */
#define EVENT_LIST_TEXT_MAX (16u << 20)
/*
 * One page, newest first, as the JSON text {"items": [summaries],
 * "next_cursor": id or null, "total": n (only when flt->with_total)} appended to out.
 */
int event_list_render(struct db *db, const struct actor *who, const struct event_filter *flt,
    bool en, struct buf *out);
/* The same page as a tree: rows (caller owns), *next (0: none), *total (-1 unless asked). */
int event_list(struct db *db, const struct actor *who, const struct event_filter *flt, bool en,
    json_t **rows, int64_t *next, int64_t *total);
/* Events that look like the input (same place, category, within 3 days, similar title). */
int event_duplicates(struct db *db, const struct actor *who, const struct event_input *in,
    json_t **rows);
/* Statistics per division (children of division_code) or per unit. */
int event_stats(struct db *db, const struct actor *who, const char *by, const char *division_code,
    int64_t from_ms, int64_t to_ms, json_t **out, struct fail *f);
/* Petition backlog and its zeroing progress; open death cases. */
int event_backlog(struct db *db, const struct actor *who, json_t **out);

/* True when the actor may see event id (scope and, for department handlers, dispatch). */
bool event_visible_id(struct db *db, const struct actor *who, int64_t id);

/*
 * Keeps up to budget bytes of rendered event answers for db's reads (0: none),
 * dropped as the database reports changes to them. Call once, before serving.
 */
int event_cache_attach(struct db *db, size_t budget);
struct event_cache_stats {
	uint64_t hits, misses;     /* reads answered from the cache, and not */
	uint64_t entries, bytes;   /* answers kept now, and their size */
};
/* All zero when db has no cache. */
void event_cache_stats(struct db *db, struct event_cache_stats *out);

/* Scans open events once: colours, notifications, auto-escalation. Returns how many changed. */
int event_scan_deadlines(struct db *db, int64_t now);

#endif
