/*
 * Serving one request in process, without sockets: the route table, the
 * permission check, the body parsing and the handler, in the order and
 * with the rules of src/http/server.c (req_begin, req_handle and
 * json_body_or_reply are static there, so their logic is mirrored here;
 * keep the two in step). Query arguments and headers reach the handlers
 * through a stand-in for libmicrohttpd's MHD_lookup_connection_value(),
 * which this file defines and the linker prefers over the library's.
 *
 * After the handler, fuzz_http_serve() checks what must hold for any
 * input: the handler replied; the status is not 500 (a bug) or 503 (the
 * database on tmpfs does not fail); a JSON reply parses; a static file
 * answer stays inside the web root.
 */
#ifndef PINGAN_FUZZ_HTTP_H
#define PINGAN_FUZZ_HTTP_H

#include <stddef.h>

#include "fixture.h"

#define FUZZ_MAX_KV 32

struct fuzz_kv {
	const char *key, *value;
};

struct fuzz_request {
	const char *method;
	const char *url;                     /* the path, without the query */
	struct fuzz_kv query[FUZZ_MAX_KV];
	int nquery;
	struct fuzz_kv headers[FUZZ_MAX_KV];
	int nheaders;
	const char *body;
	size_t body_len;
	enum fixture_actor actor;
};

/*
 * Reads the text form of a request, in place (buf is changed and must
 * outlive out):
 *   METHOD /path?a=1&b=%E4%B8%AD
 *   Header: value            (X-Fuzz-Actor: center picks the signed-in user)
 *                            (an empty line)
 *   body bytes
 * Query names and values are percent-decoded as libmicrohttpd does.
 */
void fuzz_http_parse(char *buf, size_t len, struct fuzz_request *out);

/* Serves in against the fixture's database and checks the reply. Returns the status. */
int fuzz_http_serve(struct fixture *fx, const struct fuzz_request *in);

#endif
