/*
 * Configuration: a small "key = value" file, then command-line overrides.
 * Every key is declared once in the table in config.c with its default and
 * a one-line description; `pingan help config` prints that table and a test
 * checks that README.md documents every key.
 */
#ifndef PINGAN_BASE_CONFIG_H
#define PINGAN_BASE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config {
	char listen[64];
	char data_dir[512];
	char share_dir[512];
	char log_level[16];
	int64_t threads;
	int64_t write_threads;
	int64_t max_connections;
	int64_t connection_timeout_s;
	int64_t max_body_bytes;
	int64_t session_idle_minutes;
	int64_t session_absolute_hours;
	bool cookie_secure;
	int64_t argon2_opslimit;
	int64_t argon2_memlimit_kib;
	int64_t lockout_threshold;
	int64_t lockout_minutes;
	int64_t signin_rate_per_minute;
	int64_t timezone_offset_minutes;
	char county_code[8];
	char tile_url[256];
	int64_t scan_interval_s;
	int64_t event_cache_mb;
	char totp_required_roles[256];
	bool demo;
};

struct config_key {
	const char *name;
	enum { CFG_STR, CFG_INT, CFG_BOOL } type;
	size_t offset;
	size_t size;        /* for strings: capacity */
	int64_t min, max;   /* for integers */
	const char *def;
	const char *doc;
};

/* The table of keys, terminated by a NULL name. */
extern const struct config_key config_keys[];

/* Fills every key with its default. */
void config_defaults(struct config *c);
/* Sets one key from text. 0, or ERR_INVALID / ERR_NOT_FOUND with *why set to
 * a static English explanation. */
int config_set(struct config *c, const char *key, const char *value, const char **why);
/* Reads a key = value file ('#' comments). On error returns non-zero and
 * writes "file:line: reason" into err (errlen bytes). */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);

#endif
