/* Shared between the files of the SQLite backend only. */
#ifndef PINGAN_DB_INTERNAL_H
#define PINGAN_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

/* Configures the SQLite library once, before any connection opens; every open calls it. */
void db_library_setup(void);
sqlite3 *db_conn_handle(struct db_conn *c);
/* A slot for query.c's cache of prepared query shapes; freed with the connection. */
void **db_conn_shapes(struct db_conn *c);
/* Finalizes and frees a connection's query shapes (NULL is fine). */
void db_shapes_release(void *shapes);
/* Resets every prepared shape so no read transaction stays open. */
void db_shapes_reset(void *shapes);

#endif
