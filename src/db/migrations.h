/* Numbered schema migrations compiled into the binary (see scripts/embed-sql.sh). */
#ifndef PINGAN_DB_MIGRATIONS_H
#define PINGAN_DB_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* Ascending by version, terminated by version 0. */
extern const struct migration migrations[];

#endif
