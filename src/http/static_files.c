#include "http/static_files.h"

#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/err.h"
#include "http/reply.h"

struct static_files {
	char root[PATH_MAX];
	size_t rootlen;
	bool ok;
};

/* The response for a file is kept aside until req_send(); one per thread at a time. */
static _Thread_local struct {
	struct req *owner;
	struct MHD_Response *resp;
} pending;

struct static_files *
static_files_open(const char *dir)
{
	struct static_files *sf = xcalloc(1, sizeof *sf);

	if (dir && realpath(dir, sf->root) != NULL) {
		sf->rootlen = strlen(sf->root);
		sf->ok = true;
	}
	return sf;
}

void
static_files_close(struct static_files *sf)
{
	free(sf);
}

static const char *
content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" }, { ".woff", "font/woff" }, { ".ttf", "font/ttf" },
		{ ".map", "application/json" }, { ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Rejects "..", ".", hidden names, backslashes and empty segments. */
static bool
url_path_safe(const char *url)
{
	const char *seg = url;

	if (url[0] != '/' || strchr(url, '\\'))
		return false;
	while ((seg = strchr(seg, '/')) != NULL) {
		seg++;
		if (seg[0] == '.')
			return false;
		if (seg[0] == '/')
			return false;
	}
	return true;
}

void
static_files_serve(struct static_files *sf, struct req *r)
{
	char want[PATH_MAX], real[PATH_MAX], etag[48];
	const char *url = strcmp(r->url, "/") == 0 ? "/index.html" : r->url;
	struct stat st;
	int fd;

	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		reply_error(r, ERR_METHOD, M_METHOD_NOT_ALLOWED, NULL);
		return;
	}
	if (!sf->ok || !url_path_safe(url) ||
	    snprintf(want, sizeof want, "%s%s", sf->root, url) >= (int)sizeof want ||
	    realpath(want, real) == NULL || strncmp(real, sf->root, sf->rootlen) != 0 ||
	    real[sf->rootlen] != '/') {
		reply_error(r, ERR_NOT_FOUND, M_ROUTE_NOT_FOUND, NULL);
		return;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		reply_error(r, ERR_NOT_FOUND, M_ROUTE_NOT_FOUND, NULL);
		return;
	}
	/* Browsers revalidate every file (no-cache) and get 304 while it is unchanged,
	 * so an upgrade is seen at once without downloading everything each time. */
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
	    (unsigned long long)st.st_size);
	const char *inm = req_header(r, "If-None-Match");

	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		pending.resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (pending.resp == NULL) {
			reply_error(r, ERR_INTERNAL, M_INTERNAL, NULL);
			return;
		}
		pending.owner = r;
		MHD_add_response_header(pending.resp, "ETag", etag);
		MHD_add_response_header(pending.resp, "Cache-Control", "no-cache");
		r->status = 304;
		r->replied = true;
		return;
	}
	pending.resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (pending.resp == NULL) {
		close(fd);
		reply_error(r, ERR_INTERNAL, M_INTERNAL, NULL);
		return;
	}
	pending.owner = r;
	MHD_add_response_header(pending.resp, "Content-Type", content_type(real));
	MHD_add_response_header(pending.resp, "Cache-Control", "no-cache");
	MHD_add_response_header(pending.resp, "ETag", etag);
	r->status = 200;
	r->replied = true;
}

struct MHD_Response *
static_files_take_response(struct req *r)
{
	struct MHD_Response *resp;

	if (pending.owner != r)
		return NULL;
	resp = pending.resp;
	pending.owner = NULL;
	pending.resp = NULL;
	return resp;
}
