#include "base/file.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"

int
file_read_all(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (f == NULL)
		return ERR_NOT_FOUND;
	buf_init(&b, max);
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rc = buf_add(&b, chunk, n);
	if (rc == 0 && ferror(f))
		rc = ERR_STORAGE;
	fclose(f);
	if (rc != 0) {
		buf_release(&b);
		return rc;
	}
	*out = buf_detach(&b, len);
	return 0;
}
