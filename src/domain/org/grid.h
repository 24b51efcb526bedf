/*
 * Grid workers' assignments: the grids each looks after (their data scope)
 * and the five duties the county gives them.
 */
#ifndef PINGAN_DOMAIN_ORG_GRID_H
#define PINGAN_DOMAIN_ORG_GRID_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/fail.h"

#define DUTY_LIST(X)                                          \
	X(DUTY_INFORMANT, "informant", "信息员", "Informant")  \
	X(DUTY_MEDIATOR, "mediator", "调解员", "Mediator")     \
	X(DUTY_PUBLICIST, "publicist", "宣传员", "Publicist")  \
	X(DUTY_AGENT, "agent", "代办员", "Agent")              \
	X(DUTY_PATROLLER, "patroller", "巡防员", "Patroller")

/* {grids:[{code,name}], duties:[{name,label}]} of a user in scope. */
int grids_get(struct db *db, const struct actor *who, int64_t user_id, bool en, json_t **out,
    struct fail *f);
/* Replaces a grid worker's grids (codes) and duties (names). */
int grids_set(struct db *db, const struct actor *who, int64_t user_id, json_t *codes,
    json_t *duties, struct fail *f);

#endif
