/*
 * A tiny test harness. TEST(name) { ... } registers a test at load time;
 * CHECK* macros record a failure with file and line and end the test.
 * The runner prints one line per test and ends with "N passed, N failed".
 */
#ifndef PINGAN_TESTS_HARNESS_H
#define PINGAN_TESTS_HARNESS_H

#include <stdbool.h>
#include <string.h>

struct test_case {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *tc);
void test_fail(const char *file, int line, const char *what);
void test_failf(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Runs every registered test whose name contains filter (all when NULL). */
int test_main(int argc, char **argv);

#define TEST(name)                                                        \
	static void name(void);                                           \
	static struct test_case tc_##name = { #name, __FILE__, name, 0 }; \
	__attribute__((constructor)) static void reg_##name(void)         \
	{                                                                 \
		test_register(&tc_##name);                                \
	}                                                                 \
	static void name(void)

#define CHECK(cond)                                             \
	do {                                                    \
		if (!(cond)) {                                  \
			test_fail(__FILE__, __LINE__, #cond);   \
			return;                                 \
		}                                               \
	} while (0)

#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long a_ = (long long)(a), b_ = (long long)(b);              \
		if (a_ != b_) {                                                  \
			test_failf(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
			    #a, #b, a_, b_);                                     \
			return;                                                  \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *a_ = (a), *b_ = (b);                                 \
		if (a_ == 0 || b_ == 0 || strcmp(a_, b_) != 0) {                 \
			test_failf(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
			    #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");     \
			return;                                                  \
		}                                                                \
	} while (0)

#endif
