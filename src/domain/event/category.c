/* Categories with their deadline rules, and the default unit per division subtree. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/parse.h"
#include "domain/event/event_internal.h"

static const struct calendar *calendar;

void
event_set_calendar(const struct calendar *cal)
{
	calendar = cal;
}

const struct calendar *
event_calendar(void)
{
	return calendar;
}

static void
category_from_stmt(struct db_stmt *s, struct category *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_int(s, 0);
	snprintf(c->code, sizeof c->code, "%s", db_col_text(s, 1));
	utf8_copy(c->name, sizeof c->name, db_col_text(s, 2));
	utf8_copy(c->name_en, sizeof c->name_en, db_col_text(s, 3));
	snprintf(c->parent_code, sizeof c->parent_code, "%s", db_col_text(s, 4));
	snprintf(c->kind, sizeof c->kind, "%s", db_col_text(s, 5));
	c->citizen_reportable = db_col_int(s, 6) != 0;
	c->sign_days = (int)db_col_int(s, 7);
	c->finish_days = (int)db_col_int(s, 8);
	c->urgent_sign_hours = (int)db_col_int(s, 9);
	c->urgent_finish_hours = (int)db_col_int(s, 10);
	c->critical_sign_hours = (int)db_col_int(s, 11);
	c->critical_finish_hours = (int)db_col_int(s, 12);
	c->auto_escalate = db_col_int(s, 13) != 0;
	c->retired = !db_col_null(s, 14);
	c->version = db_col_int(s, 15);
}

int
category_load(struct db_conn *c, const char *code, int64_t id, struct category *cat)
{
	struct db_stmt *s = db_stmt(c, code ? STMT_CAT_BY_CODE : STMT_CAT_BY_ID);
	int rc;

	if (s == NULL)
		return db_stmt_error(c);
	if (code)
		db_bind_text(s, 1, code);
	else
		db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? ERR_NOT_FOUND : rc;
	category_from_stmt(s, cat);
	db_reset(s);
	return 0;
}

json_t *
category_json(const struct category *c, bool en)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:b, s:b, "
	    "s:I}", "id", (json_int_t)c->id, "code", c->code,
	    "name", en && c->name_en[0] ? c->name_en : c->name, "parent_code", c->parent_code,
	    "kind", c->kind, "citizen_reportable", c->citizen_reportable, "deadlines",
	    "sign_days", c->sign_days, "finish_days", c->finish_days,
	    "urgent_sign_hours", c->urgent_sign_hours, "urgent_finish_hours", c->urgent_finish_hours,
	    "critical_sign_hours", c->critical_sign_hours,
	    "critical_finish_hours", c->critical_finish_hours,
	    "auto_escalate", c->auto_escalate, "retired", c->retired, "version", (json_int_t)c->version);
}

int64_t
deadline_calendar_days(int64_t from, int days)
{
	int y, m, d;
	int64_t off = (int64_t)clock_offset_minutes() * 60000;

	clock_local_date(from, &y, &m, &d);
	return (days_from_civil(y, m, d) + days + 1) * 86400000 - off - 1;
}

/* Death cases must be dealt with at once (即清即结): one hour to sign, a day to finish. */
static bool
is_death(const struct category *cat)
{
	return strcmp(cat->kind, "death") == 0;
}

static bool
is_petition(const struct category *cat)
{
	return strcmp(cat->kind, "petition") == 0;
}

int64_t
deadline_sign(const struct category *cat, const char *urgency, int64_t from)
{
	if (is_death(cat))
		return calendar_add_hours(from, 1);
	if (strcmp(urgency, "critical") == 0)
		return calendar_add_hours(from, cat->critical_sign_hours);
	if (strcmp(urgency, "urgent") == 0)
		return calendar_add_hours(from, cat->urgent_sign_hours);
	return calendar_add_workdays(calendar, from, cat->sign_days);
}

int64_t
deadline_finish(const struct category *cat, const char *urgency, int64_t from)
{
	if (is_death(cat))
		return calendar_add_hours(from, 24);
	if (is_petition(cat))
		return deadline_calendar_days(from, 60);   /* 信访工作条例: 60 days from acceptance */
	if (strcmp(urgency, "critical") == 0)
		return calendar_add_hours(from, cat->critical_finish_hours);
	if (strcmp(urgency, "urgent") == 0)
		return calendar_add_hours(from, cat->urgent_finish_hours);
	return calendar_add_workdays(calendar, from, cat->finish_days);
}

int64_t
deadline_accept(const struct category *cat, const char *urgency, int64_t from)
{
	if (is_petition(cat))
		return deadline_calendar_days(from, 15);   /* decide acceptance within 15 days */
	return deadline_sign(cat, urgency, from);
}
