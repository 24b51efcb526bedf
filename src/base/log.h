/*
 * Structured logging: one JSON object per line on stderr. Callers pass
 * only identifiers and counts, never personal data; the access log in
 * src/http writes the request line through log_access().
 */
#ifndef PINGAN_BASE_LOG_H
#define PINGAN_BASE_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* Parses "debug|info|warn|error"; 0 or ERR_INVALID. */
int log_level_parse(const char *s, enum log_level *out);
/* Writes {"ts":...,"level":...,"msg":fmt...}. The message is escaped as JSON. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes a pre-built JSON object (without braces) as one line: {"ts":...,<fields>}. */
void log_fields(enum log_level level, const char *fields);
/* Whether a line at this level would be written: lets a caller skip building it. */
bool log_enabled(enum log_level level);

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
