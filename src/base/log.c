#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"

static enum log_level min_level = LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *level_names[] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level level)
{
	min_level = level;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	for (unsigned i = 0; i < 4; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

static void
log_line(enum log_level level, const char *body)
{
	char ts[40];

	clock_format_iso(clock_now_ms(), ts, sizeof ts);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "{\"ts\":\"%s\",\"level\":\"%s\",%s}\n", ts,
	    level_names[level], body);
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
}

/* Appends s as the inside of a JSON string (quotes, backslashes, controls escaped). */
static void
json_escape_into(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			(void)buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			(void)buf_addf(b, "\\u%04x", c);
		else
			(void)buf_addch(b, (char)c);
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct buf text, body;
	va_list ap;

	if (!log_enabled(level))
		return;
	buf_init(&text, 8192);
	buf_init(&body, 16384);
	va_start(ap, fmt);
	(void)buf_vaddf(&text, fmt, ap);
	va_end(ap);
	(void)buf_addstr(&body, "\"msg\":\"");
	json_escape_into(&body, buf_str(&text));
	(void)buf_addch(&body, '"');
	log_line(level, buf_str(&body));
	buf_release(&text);
	buf_release(&body);
}

bool
log_enabled(enum log_level level)
{
	return level >= min_level;
}

void
log_fields(enum log_level level, const char *fields)
{
	if (!log_enabled(level))
		return;
	log_line(level, fields);
}
