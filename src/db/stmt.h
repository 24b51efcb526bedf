/*
 * Every SQL statement pingan runs, declared once by id. The SQL text lives
 * in the sql_*.def files (one per capability) as STMT(ID, "sql") lines and
 * is prepared once per connection.
 */
#ifndef PINGAN_DB_STMT_H
#define PINGAN_DB_STMT_H

enum stmt_id {
#define STMT(id, sql) id,
#include "db/sql_all.def"
#undef STMT
	STMT_COUNT_
};

#endif
