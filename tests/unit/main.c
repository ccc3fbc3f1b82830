/* The unit test runner: runs every TEST collected in list.h. */
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "mie_test.h"

int mie_test_failed;

void mie_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	mie_test_failed = 1;
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define X(name) void test_##name(void);
#include "list.h"
#undef X

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define X(name) {#name, test_##name},
#include "list.h"
#undef X
        {NULL, NULL}};

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	char top[4096];
	if (!getcwd(top, sizeof top))
		return 2;
	int failed = 0;
	for (int i = 0; tests[i].name; i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		char dir[] = "/tmp/mie-unit.XXXXXX";
		if (!mkdtemp(dir) || chdir(dir) != 0)
			return 2;
		mie_test_failed = 0;
		fflush(stdout);
		tests[i].fn();
		printf("%s %s\n", mie_test_failed ? "FAIL" : "PASS", tests[i].name);
		if (chdir(top) != 0)
			return 2;
		if (!mie_test_failed) {
			char cmd[64];
			snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
			if (system(cmd) != 0)
				return 2;
		}
		failed |= mie_test_failed;
	}
	return failed;
}
