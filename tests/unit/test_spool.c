/* Unit tests of libcommon/io/mie_spool: what is written behind comes back
 * whole and in order. */
#include <stdint.h>
#include <stdlib.h>

#include "io/mie_spool.h"
#include "mie_test.h"

/* The byte at offset i of the test stream. */
static unsigned char byte_at(uint64_t i)
{
	uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ULL;
	return (unsigned char)(h >> 56);
}

TEST(spool_gives_back_every_byte_in_order)
{
	/* pieces of every size, from empty to several of its 1 MiB buffers */
	static const size_t sizes[] = {0, 1, 7, 4096, 1 << 20, (1 << 20) - 3, 3 << 20, 5, 65537};
	mie_spool *s = mie_spool_new();
	CHECK(s != NULL);
	unsigned char *piece = malloc(3 << 20);
	uint64_t total = 0;
	for (int round = 0; round < 3; round++)
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			for (size_t i = 0; i < sizes[k]; i++)
				piece[i] = byte_at(total + i);
			CHECK_INT(mie_spool_write(s, piece, sizes[k]), 0);
			total += sizes[k];
		}
	FILE *f = mie_spool_rewind(s);
	CHECK(f != NULL);
	uint64_t at = 0;
	size_t n;
	while ((n = fread(piece, 1, 100003, f)) > 0) {
		for (size_t i = 0; i < n; i++)
			if (piece[i] != byte_at(at + i)) {
				mie_test_fail(__FILE__, __LINE__, "byte %llu differs",
				              (unsigned long long)(at + i));
				free(piece);
				mie_spool_free(s);
				return;
			}
		at += n;
	}
	free(piece);
	CHECK_INT(at, total);
	/* a second rewind reads it again */
	f = mie_spool_rewind(s);
	CHECK(f != NULL && fgetc(f) == byte_at(0));
	mie_spool_free(s);
}

TEST(spool_empty_and_unread)
{
	mie_spool *s = mie_spool_new();
	CHECK(s != NULL);
	FILE *f = mie_spool_rewind(s);
	CHECK(f != NULL && fgetc(f) == EOF);
	mie_spool_free(s);
	/* freed while its writer still has a buffer to write */
	s = mie_spool_new();
	CHECK(s != NULL);
	static char big[(1 << 20) + 1];
	CHECK_INT(mie_spool_write(s, big, sizeof big), 0);
	mie_spool_free(s);
	mie_spool_free(NULL);
}
