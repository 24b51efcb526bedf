#include "base/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/parse.h"

#define OFF(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

const struct config_key config_keys[] = {
	{ "listen", CFG_STR, OFF(listen), 0, 0, "127.0.0.1:8080",
	  "address and port the server listens on" },
	{ "data_dir", CFG_STR, OFF(data_dir), 0, 0, "var",
	  "directory holding the database, the secret key file and uploads" },
	{ "share_dir", CFG_STR, OFF(share_dir), 0, 0, "",
	  "directory with web/ and data/ (empty: next to the binary, then /usr/local/share/pingan)" },
	{ "log_level", CFG_STR, OFF(log_level), 0, 0, "info", "debug, info, warn or error" },
	{ "threads", CFG_INT, OFF(threads), 1, 256, "16",
	  "HTTP threads, each serving its share of the connections and answering reads" },
	{ "write_threads", CFG_INT, OFF(write_threads), 1, 1024, "32",
	  "threads answering changes and sign-ins (each waits for the group commit or argon2id)" },
	{ "max_connections", CFG_INT, OFF(max_connections), 4, 100000, "1024",
	  "open connections accepted at once" },
	{ "connection_timeout_s", CFG_INT, OFF(connection_timeout_s), 1, 3600, "30",
	  "seconds an idle or slow connection is kept" },
	{ "max_body_bytes", CFG_INT, OFF(max_body_bytes), 1024, 1073741824, "1048576",
	  "largest JSON request body accepted" },
	{ "session_idle_minutes", CFG_INT, OFF(session_idle_minutes), 1, 1440, "30",
	  "a session unused this long expires" },
	{ "session_absolute_hours", CFG_INT, OFF(session_absolute_hours), 1, 168, "12",
	  "a session expires this long after sign-in whatever its use" },
	{ "cookie_secure", CFG_BOOL, OFF(cookie_secure), 0, 0, "false",
	  "mark the session cookie Secure (set when served over HTTPS)" },
	{ "argon2_opslimit", CFG_INT, OFF(argon2_opslimit), 2, 20, "2",
	  "argon2id passes for password hashes (OWASP: at least 2 with 19 MiB)" },
	{ "argon2_memlimit_kib", CFG_INT, OFF(argon2_memlimit_kib), 19456, 4194304, "19456",
	  "argon2id memory in KiB for password hashes (at least 19456)" },
	{ "lockout_threshold", CFG_INT, OFF(lockout_threshold), 1, 100, "5",
	  "failed sign-ins in a row that lock an account" },
	{ "lockout_minutes", CFG_INT, OFF(lockout_minutes), 1, 1440, "15",
	  "how long a locked account stays locked" },
	{ "signin_rate_per_minute", CFG_INT, OFF(signin_rate_per_minute), 1, 100000, "30",
	  "sign-in attempts one client address may make per minute" },
	{ "timezone_offset_minutes", CFG_INT, OFF(timezone_offset_minutes), -720, 840, "480",
	  "offset of local time from UTC used in answers and deadlines" },
	{ "county_code", CFG_STR, OFF(county_code), 0, 0, "330824",
	  "GB/T 2260 code of the home county (case numbers begin with the county of each event's division)" },
	{ "tile_url", CFG_STR, OFF(tile_url), 0, 0, "",
	  "map tile URL template for the web console (empty: outlines only, works offline)" },
	{ "scan_interval_s", CFG_INT, OFF(scan_interval_s), 1, 3600, "60",
	  "seconds between runs of the deadline scanner (colours, warnings, escalation)" },
	{ "event_cache_mb", CFG_INT, OFF(event_cache_mb), 0, 1024, "8",
	  "MiB of rendered event answers kept for reads (0: none); a change drops what it touched" },
	{ "totp_required_roles", CFG_STR, OFF(totp_required_roles), 0, 0, "",
	  "roles that must sign in with a TOTP code too (e.g. admin,security_admin,auditor)" },
	{ NULL, CFG_STR, 0, 0, 0, 0, NULL, NULL },
};

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	for (const struct config_key *k = config_keys; k->name; k++) {
		const char *why;
		int rc = config_set(c, k->name, k->def, &why);

		(void)rc; /* defaults are valid by construction */
	}
}

static const struct config_key *
config_find(const char *key)
{
	for (const struct config_key *k = config_keys; k->name; k++)
		if (strcmp(k->name, key) == 0)
			return k;
	return NULL;
}

int
config_set(struct config *c, const char *key, const char *value, const char **why)
{
	const struct config_key *k = config_find(key);
	char *field;

	if (k == NULL) {
		*why = "unknown key";
		return ERR_NOT_FOUND;
	}
	field = (char *)c + k->offset;
	switch (k->type) {
	case CFG_STR:
		if (strlen(value) >= k->size) {
			*why = "value too long";
			return ERR_INVALID;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case CFG_INT: {
		int64_t v;

		if (parse_i64(value, k->min, k->max, &v) != 0) {
			*why = "not a whole number in the allowed range";
			return ERR_INVALID;
		}
		memcpy(field, &v, sizeof v);
		return 0;
	}
	case CFG_BOOL: {
		bool v;

		if (parse_bool(value, &v) != 0) {
			*why = "not true or false";
			return ERR_INVALID;
		}
		memcpy(field, &v, sizeof v);
		return 0;
	}
	}
	return ERR_INVALID;
}

/* Trims ASCII blanks at both ends in place; returns the new start. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;
	int rc = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ERR_NOT_FOUND;
	}
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq;
		const char *why;

		lineno++;
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = ERR_INVALID;
			break;
		}
		*eq = '\0';
		if (config_set(c, trim(s), trim(eq + 1), &why) != 0) {
			snprintf(err, errlen, "%s:%d: %s: %s", path, lineno, trim(s), why);
			rc = ERR_INVALID;
			break;
		}
	}
	fclose(f);
	return rc;
}
