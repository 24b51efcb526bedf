#include "../../harness.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/file.h"

/*
 * Reads the (method, path) pairs of docs/openapi.yaml: a path is a line
 * "  /x:" under "paths:", a method a following line "    get:" (4 spaces).
 */
static int
doc_operations(char ops[][128], int max)
{
	char *doc, *line, *save = NULL, path[100] = "";
	size_t n;
	int count = 0;
	bool in_paths = false;

	if (file_read_all("docs/openapi.yaml", 1 << 22, &doc, &n) != 0)
		return -1;
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "paths:", 6) == 0) {
			in_paths = true;
			continue;
		}
		if (!in_paths)
			continue;
		if (strncmp(line, "  /", 3) == 0) {
			snprintf(path, sizeof path, "%.*s", (int)strcspn(line + 2, ":"), line + 2);
			continue;
		}
		static const char *methods[] = { "get", "post", "put", "patch", "delete" };
		for (int m = 0; m < 5; m++) {
			size_t len = strlen(methods[m]);

			if (strncmp(line, "    ", 4) == 0 && strncmp(line + 4, methods[m], len) == 0 &&
			    line[4 + len] == ':' && count < max) {
				char upper[8];

				for (size_t i = 0; i <= len; i++)
					upper[i] = (char)toupper((unsigned char)methods[m][i]);
				snprintf(ops[count++], 128, "%s %s", upper, path);
			}
		}
	}
	free(doc);
	return count;
}

TEST(openapi_documents_exactly_the_route_table)
{
	static char ops[512][128];
	int n = doc_operations(ops, 512);

	CHECK(n > 0);
	for (size_t i = 0; i < api_route_count; i++) {
		char want[128];
		bool found = false;

		snprintf(want, sizeof want, "%s %s", api_routes[i].method, api_routes[i].pattern);
		for (int k = 0; k < n && !found; k++)
			found = strcmp(ops[k], want) == 0;
		if (!found) {
			test_failf(__FILE__, __LINE__, "route %s is missing from docs/openapi.yaml", want);
			return;
		}
	}
	for (int k = 0; k < n; k++) {
		bool found = false;

		for (size_t i = 0; i < api_route_count && !found; i++) {
			char have[128];

			snprintf(have, sizeof have, "%s %s", api_routes[i].method, api_routes[i].pattern);
			found = strcmp(ops[k], have) == 0;
		}
		if (!found) {
			test_failf(__FILE__, __LINE__, "docs/openapi.yaml lists %s, which no route serves",
			    ops[k]);
			return;
		}
	}
}
