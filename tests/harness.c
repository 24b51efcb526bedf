#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static struct test_case *head, **tail = &head;
static bool current_failed;

void
test_register(struct test_case *tc)
{
	*tail = tc;
	tail = &tc->next;
}

void
test_fail(const char *file, int line, const char *what)
{
	test_failf(file, line, "%s", what);
}

void
test_failf(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failed = true;
	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

int
test_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;

	for (struct test_case *tc = head; tc; tc = tc->next) {
		if (filter && !strstr(tc->name, filter))
			continue;
		current_failed = false;
		tc->fn();
		if (current_failed) {
			failed++;
			printf("not ok - %s\n", tc->name);
		} else {
			passed++;
			printf("ok - %s\n", tc->name);
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
