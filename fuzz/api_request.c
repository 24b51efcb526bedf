/*
 * Whole requests through the router and the handlers: method, path (so
 * every {id} and {code} path parameter), query string (every filter and
 * paging parameter), headers (If-Match, Idempotency-Key, Last-Event-ID,
 * Content-Type, Content-Length, Accept-Language) and body, served in
 * process on the demo county database; non-API paths go to the static
 * file server. See support/http.h for the text form and the checks.
 *
 * One input may hold up to four requests separated by a line "----",
 * served in turn on the same database (create a unit, then dispatch to
 * it), so that what one request stores is read by the next.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/fixture.h"
#include "support/fuzz.h"
#include "support/http.h"

#define MAX_REQUESTS 4

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)fixture_get();
	return 0;
}

/* Where the next request of a sequence starts ("\n----\n"), or NULL. */
static char *
next_request(char *p, char *end)
{
	static const char sep[] = "\n----\n";

	for (; p && p + sizeof sep - 1 <= end; p++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL || p + sizeof sep - 1 > end)
			return NULL;
		if (memcmp(p, sep, sizeof sep - 1) == 0)
			return p;
	}
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture *fx = fixture_get();
	char *text = fuzz_cstr(data, size), *p = text, *end = text + size;

	for (int n = 0; p && n < MAX_REQUESTS; n++) {
		struct fuzz_request in;
		char *sep = next_request(p, end);
		char *stop = sep ? sep : end;

		*stop = '\0';
		fuzz_http_parse(p, (size_t)(stop - p), &in);
		for (int i = 0; i < in.nheaders; i++)
			if (strcasecmp(in.headers[i].key, "X-Fuzz-Actor") == 0)
				in.actor = fixture_actor_by_name(fx, in.headers[i].value);
		(void)fuzz_http_serve(fx, &in);
		p = sep ? sep + 6 : NULL;
	}
	free(text);
	fixture_after_input(fx);
	return 0;
}
