/* mie_test.h — C unit tests of libcommon.
 *
 * A test is `TEST(name) { ... }` at the start of a line in any
 * tests/unit/test_*.c; the Makefile collects them all into one runner,
 * which runs each in a fresh temporary folder and prints PASS/FAIL lines.
 * Assertions record the failure and return from the test. */
#ifndef MIE_TEST_H
#define MIE_TEST_H

#include <stdio.h>
#include <string.h>

extern int mie_test_failed;
void mie_test_fail(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define TEST(name) void test_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			mie_test_fail(__FILE__, __LINE__, "%s", #cond);                            \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!g_ || strcmp(g_, w_) != 0) {                                                  \
			mie_test_fail(__FILE__, __LINE__, "got \"%s\", want \"%s\"",               \
			              g_ ? g_ : "(null)", w_);                                     \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define CHECK_INT(got, want)                                                                       \
	do {                                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);                           \
		if (g_ != w_) {                                                                    \
			mie_test_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", #got, g_,     \
			              w_);                                                         \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#endif
