/* Fuzz target: archive member dispatch — the bytes as a file given to
 * mie-import (a tar, zip, 7z, cpio, compressed or not, nested, or a plain
 * stream), walked and each member handed to the source its sniffing
 * picks; every record written passes the schema checks (fuzz_common.h).
 * The file is a memfd, named /proc/self/fd/N. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX)
		return 0;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	fuzz_import(NULL, 0, NULL, path);
	close(fd);
	return 0;
}
