#include "harness.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct test_case *head, **tail = &head;
static bool current_failed;
/* For the crash handler: the test running and the counts so far. */
static const char *volatile running;
static volatile int passed_so_far, failed_so_far;

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

/* Appends the decimal digits of v to p (async-signal-safe); returns the new end. */
static char *
put_uint(char *p, unsigned v)
{
	char digits[12];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = digits[--n];
	return p;
}

static char *
put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

/*
 * A test that crashes takes the whole runner with it. Say which test it
 * was and count it as failed, in the runner's own result line, so that a
 * crash on a CI machine is named in its output; then die of the signal.
 */
static void
on_crash(int sig)
{
	char line[512], *p = line, *end = line + sizeof line - 64;

	p = put_str(p, end, "not ok - ");
	p = put_str(p, end, running ? running : "(between tests)");
	p = put_str(p, end, " (killed by signal ");
	p = put_uint(p, (unsigned)sig);
	p = put_str(p, end, ")\n");
	p = put_uint(p, (unsigned)passed_so_far);
	p = put_str(p, line + sizeof line, " passed, ");
	p = put_uint(p, (unsigned)failed_so_far + 1);
	p = put_str(p, line + sizeof line, " failed\n");
	(void)!write(STDOUT_FILENO, line, (size_t)(p - line));
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Sanitizer builds keep their own handlers: their report says more than this one. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HARNESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HARNESS_SANITIZED 1
#endif
#endif

static void
catch_crashes(void)
{
#ifndef HARNESS_SANITIZED
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], on_crash);
#endif
}

int
test_main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;

	catch_crashes();
	for (struct test_case *tc = head; tc; tc = tc->next) {
		if (filter && !strstr(tc->name, filter))
			continue;
		current_failed = false;
		running = tc->name;
		tc->fn();
		running = NULL;
		if (current_failed) {
			failed++;
			printf("not ok - %s\n", tc->name);
		} else {
			passed++;
			printf("ok - %s\n", tc->name);
		}
		fflush(stdout);
		passed_so_far = passed;
		failed_so_far = failed;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
