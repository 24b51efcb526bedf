/*
 * The web console's files, served from one directory. Only GET and HEAD;
 * no path may leave the directory (no "..", no hidden files, and the real
 * path must stay inside); unknown files are a JSON 404 like any other.
 */
#ifndef PINGAN_HTTP_STATIC_FILES_H
#define PINGAN_HTTP_STATIC_FILES_H

#include "http/req.h"

struct static_files;
struct MHD_Response;

/* NULL dir or a missing directory: every static request answers 404. */
struct static_files *static_files_open(const char *dir);
void static_files_close(struct static_files *sf);
/* Prepares the answer for r->url (stored in the request until sent). */
void static_files_serve(struct static_files *sf, struct req *r);
/* The prepared file response, if any (the caller queues and destroys it). */
struct MHD_Response *static_files_take_response(struct req *r);

#endif
