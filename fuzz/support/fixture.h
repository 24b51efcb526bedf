/*
 * The demo county as a database for the targets that need one: built once
 * per process into a template file (categories, the 967 demo divisions
 * with outlines, units, routing rules, one user per role (as signed in), a few
 * events in different states, an attachment, an API token), then copied
 * to a working file. An input that commits a write gets a fresh copy
 * afterwards, so every input sees the same database and a crash input
 * replays alone.
 *
 * The clock is fixed (2026-03-02 10:00 +08:00), Argon2 runs at its
 * cheapest, and everything lives in a temporary directory removed at exit.
 */
#ifndef PINGAN_FUZZ_FIXTURE_H
#define PINGAN_FUZZ_FIXTURE_H

#include <stdint.h>

#include "base/config.h"
#include "db/db.h"
#include "domain/actor.h"

enum fixture_actor {
	FX_ADMIN, FX_CENTER, FX_TOWNSHIP, FX_DEPT, FX_GRID, FX_LEADER, FX_AUDITOR, FX_VOLUNTEER,
	FX_SYSTEM, FX_NOBODY, FX_COUNT
};

enum { FX_EVENTS = 6 };

struct fixture {
	struct db *db;
	struct config cfg;
	/* Signed-in actors as session_resolve() gives them; FX_NOBODY is signed out. */
	struct actor actors[FX_COUNT];
	const char *actor_names[FX_COUNT];
	int64_t user_ids[FX_COUNT];
	/* Events reported, accepted, dispatched, handling, handled, closed. */
	int64_t events[FX_EVENTS];
	int64_t unit_police;
	int64_t attachment_id;
	int64_t token_id;
	int64_t routing_id;
	char dir[256];       /* the temporary directory */
	char web_dir[300];   /* a small web root for the static file server */
	uint64_t writes;     /* write transactions when the working copy was opened */
};

/* The fixture, built on first use (aborts if the demo county cannot be built). */
struct fixture *fixture_get(void);
/*
 * After each input: when the input committed anything, checks that every
 * text value in the database is valid UTF-8 (a value cut inside a
 * character renders as nothing: JSON refuses it), then takes a fresh
 * working copy.
 */
void fixture_after_input(struct fixture *fx);
/* The actor with this name ("admin", "center", ...), FX_NOBODY when none matches. */
enum fixture_actor fixture_actor_by_name(const struct fixture *fx, const char *name);

struct fail;
struct import_report;
/*
 * What every CSV import must answer, whatever the input: success without a
 * reported problem; or ERR_INVALID with a reason and its problems listed by
 * line (at most IMPORT_MAX_LISTED of them, the rest counted).
 */
void fixture_check_import(int rc, const struct fail *f, const struct import_report *rep);

#endif
