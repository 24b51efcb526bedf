/* The county served in this process over the test VFS, for HTTP tests of storage faults. */
#ifndef PINGAN_TESTS_RELIABILITY_INPROC_H
#define PINGAN_TESTS_RELIABILITY_INPROC_H

#include "base/config.h"
#include "cli/cli.h"
#include "http/req.h"
#include "http/server.h"

struct rel_vfs_server {
	struct config cfg;
	struct datadir dd;
	struct app app;
	struct server *srv;
	char dir[128];    /* the temporary directory, holding everything */
	char data[160];   /* the data directory, dir/data */
	char db[200];     /* its database file */
	char base[64];    /* "http://127.0.0.1:PORT" */
};

/*
 * Installs the test VFS, makes a temporary directory with an initialised
 * data directory of the county (rel_datadir_county), sends this process's
 * stderr to dir/stderr.log (rel_quiet_begin) and serves the API on a free
 * port. 0, or -1 (said why) with all of it undone.
 */
int rel_vfs_server_start(struct rel_vfs_server *s);
/* Stops the server, closes the data directory and gives stderr back; the VFS stays installed. */
void rel_vfs_server_stop(struct rel_vfs_server *s);

#endif
