/*
 * The API: one file per capability, each a set of handlers that parse,
 * validate, call the domain and render. The route table (routes.c) is the
 * single list of every route with its permission.
 */
#ifndef PINGAN_API_H
#define PINGAN_API_H

#include <stddef.h>

#include "http/reply.h"
#include "http/router.h"

extern const struct route api_routes[];
extern const size_t api_route_count;

/* health.c */
void api_healthz(struct req *r);
void api_readyz(struct req *r);
void api_metrics(struct req *r);
void api_config(struct req *r);
/* session.c */
void api_session_create(struct req *r);
void api_session_delete(struct req *r);
void api_me(struct req *r);
void api_me_password(struct req *r);
void api_totp_begin(struct req *r);
void api_totp_confirm(struct req *r);
void api_totp_disable(struct req *r);
void api_totp_reset(struct req *r);
void api_audit_export(struct req *r);
/* users.c */
void api_users_list(struct req *r);
void api_users_create(struct req *r);
void api_users_get(struct req *r);
void api_users_update(struct req *r);
void api_users_lock(struct req *r);
void api_users_unlock(struct req *r);
void api_users_reset_password(struct req *r);
void api_roles_list(struct req *r);
/* tokens.c */
void api_tokens_list(struct req *r);
void api_tokens_create(struct req *r);
void api_tokens_delete(struct req *r);
/* divisions.c */
void api_divisions_list(struct req *r);
void api_divisions_get(struct req *r);
void api_divisions_create(struct req *r);
void api_divisions_update(struct req *r);
void api_divisions_move(struct req *r);
void api_divisions_retire(struct req *r);
void api_divisions_import(struct req *r);
void api_divisions_export(struct req *r);
void api_divisions_outlines(struct req *r);
void api_divisions_import_outlines(struct req *r);
/* units.c */
void api_units_list(struct req *r);
void api_units_get(struct req *r);
void api_units_create(struct req *r);
void api_units_update(struct req *r);
void api_units_retire(struct req *r);
void api_user_grids_get(struct req *r);
void api_user_grids_set(struct req *r);
void api_me_grids(struct req *r);
/* events.c, stream.c, categories.c */
void api_events_create(struct req *r);
void api_events_duplicates(struct req *r);
void api_events_get(struct req *r);
void api_events_list(struct req *r);
void api_events_act(struct req *r);
void api_events_reveal(struct req *r);
void api_events_stream(struct req *r);
void api_stats_events(struct req *r);
void api_stats_backlog(struct req *r);
void api_categories_list(struct req *r);
void api_categories_update(struct req *r);
void api_routing_list(struct req *r);
void api_routing_set(struct req *r);
void api_routing_delete(struct req *r);
void api_attachments_upload(struct req *r);
void api_attachments_get(struct req *r);
void api_notifications_list(struct req *r);
void api_notifications_read(struct req *r);
/* persons.c */
void api_persons_list(struct req *r);
void api_persons_create(struct req *r);
void api_persons_import(struct req *r);
void api_persons_get(struct req *r);
void api_persons_update(struct req *r);
void api_persons_reveal(struct req *r);
/* reveal.c */
struct actor;
struct db;
/* Personal data in clear for the record named by the path, with the body's reason. */
typedef int (*reveal_fn)(struct db *db, const struct actor *who, int64_t id, const char *reason,
    json_t **out, struct fail *f);
void api_reveal(struct req *r, reveal_fn reveal);
/* import_reply.c */
struct import_report;
/*
 * Answers an import: ok (owned) with 200 when rc is 0, else the error shape
 * plus every bad row ("rows", "error_count") for ERR_INVALID, else the failure.
 */
void api_reply_import(struct req *r, int rc, const struct fail *f,
    const struct import_report *rep, json_t *ok);
/* audit.c */
void api_audit_list(struct req *r);

#endif
